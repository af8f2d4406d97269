"""Article text and metadata from an HTML page, with trafilatura: page chrome (navigation, share bars,
related links, footers) is dropped; title, publication time, author, site name and canonical URL come from
the page."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement
from trafilatura.metadata import META_URL
from trafilatura.utils import load_html

from tasks.decode import NotText, decode_bytes
from tasks.ingest import parse_timestamp
from tasks.repair import may_hold_mojibake, repair_unicode

HTML_VERSION = "html-1"

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard), and so do the pages written for them.
_AS_WINDOWS_1252 = {"iso8859-1", "ascii", "cp1252"}
# Where pages state their publication time to the second; trafilatura's own date has day precision only.
_PUBLISHED_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @name='pubdate' or @name='publishdate' or @name='date'"
    " or @name='dc.date.issued' or @name='DC.date.issued' or @property='og:published_time']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)


@dataclass(frozen=True)
class HtmlConfig:
    """How trafilatura is asked to extract: precision over recall, so that chrome stays out."""

    favor_precision: bool = True
    include_tables: bool = False
    # Index, tag and error pages leave a few words of navigation behind; a news brief has more than this.
    min_article_chars: int = 100
    version: str = HTML_VERSION


@dataclass(frozen=True)
class Article:
    """Extracted text (paragraphs separated by blank lines), page metadata, the encoding read and the repairs
    made to the page before extraction."""

    text: str
    metadata: dict[str, str | None]
    encoding: str
    repairs: tuple[str, ...] = ()


def charset_label(content_type: str | None) -> str | None:
    """The charset named in an HTTP Content-Type header, if any."""
    found = _HEADER_CHARSET.search(content_type or "")
    return found.group(1) if found else None


def _codec_name(label: str | bytes | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.decode("ascii") if isinstance(label, bytes) else label).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def decode_page(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Bytes of a page to (text, encoding): byte-order mark, valid UTF-8, the charset the server or the page
    declares, then detection.

    Valid UTF-8 wins over a declaration because pages mislabelled as latin-1 are far more common than
    latin-1 pages that happen to be valid UTF-8.
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    found = _META_CHARSET.search(data[:4096])
    for label in (declared, (found.group(1) or found.group(2)) if found else None):
        codec = _codec_name(label)
        if codec and codec != "utf-8":
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue
    return decode_bytes(data)


def _json_ld_values(node: object, key: str) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, str):
                yield v
            else:
                yield from _json_ld_values(v, key)
    elif isinstance(node, list):
        for item in node:
            yield from _json_ld_values(item, key)


def published_time(tree: HtmlElement) -> str | None:
    """The publication time the page states in its meta tags or JSON-LD, as written there."""
    for value in tree.xpath(_PUBLISHED_XPATH):
        if str(value).strip():
            return str(value).strip()
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            found = next(_json_ld_values(json.loads(script), "datePublished"), None)
        except (json.JSONDecodeError, RecursionError):
            continue
        if found and found.strip():
            return found.strip()
    return None


def _iso_or_none(value: str | None) -> str | None:
    try:
        return value if parse_timestamp(value) else None
    except (ValueError, OverflowError):  # OverflowError: a date that leaves the year range in UTC
        return None


def extract_article(
    data: bytes,
    url: str | None = None,
    declared_charset: str | None = None,
    config: HtmlConfig = HtmlConfig(),
) -> Article:
    """Extract the main text and metadata of a page; raises NotText when the page holds no article.

    url: where the page was found (a crawl's target URI), used when the page names no canonical URL.
    """
    html, encoding = decode_page(data, declared_charset)
    repairs: list[str] = []
    # Repaired before parsing: the parser drops the C1 bytes that mojibake of ” and other characters needs.
    if may_hold_mojibake(html):
        html, repairs = repair_unicode(html)
    tree = load_html(html)
    if tree is None:
        raise NotText("it does not parse as HTML")
    stated = published_time(tree)
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=config.favor_precision,
        include_tables=config.include_tables,
        # Only dates the page states, never guesses from its text.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if result is None or not (result.text or "").strip():
        raise NotText("no article text found in the page")
    lines = [line.strip() for line in result.text.split("\n") if line.strip()]
    # trafilatura gives one paragraph per line and may repeat the title as the first one.
    if lines and result.title and lines[0] == result.title.strip():
        lines = lines[1:]
    text = "\n\n".join(lines)
    if len(text) < config.min_article_chars:
        raise NotText(
            f"no article in the page: its main text is {len(text)} characters long (an index or "
            f"error page?), fewer than {config.min_article_chars}"
        )
    sitename = result.sitename
    # With no site name on the page trafilatura falls back to the URL's host; the reader does that itself.
    if sitename and result.url and (host := META_URL.match(result.url)) and host[1] == sitename:
        sitename = None
    metadata = {
        "title": result.title,
        "published_at": _iso_or_none(stated) or _iso_or_none(result.date),
        "url": result.url,
        "outlet": sitename,
        "author": result.author,
    }
    return Article(text, metadata, encoding, tuple(repairs))
