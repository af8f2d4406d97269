"""Article text and metadata from an HTML page, with trafilatura; page chrome is dropped."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from tasks.decode import NotText, decode_bytes


@dataclass(frozen=True)
class Article:
    """Extracted text (paragraphs separated by blank lines), page metadata and the encoding read."""

    text: str
    metadata: dict[str, str | None]
    encoding: str


def extract_article(data: bytes) -> Article:
    """Extract the main text and metadata of a page; raises NotText when the page holds no article."""
    html, encoding = decode_bytes(data)
    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    if result is None or not (result.text or "").strip():
        raise NotText("no article text found in the page")
    lines = [line.strip() for line in result.text.split("\n") if line.strip()]
    # trafilatura gives one paragraph per line and may repeat the title as the first one.
    if lines and result.title and lines[0] == result.title.strip():
        lines = lines[1:]
    metadata = {
        "title": result.title,
        "published_at": result.date,
        "url": result.url,
        "outlet": result.sitename,
    }
    return Article("\n\n".join(lines), metadata, encoding)
