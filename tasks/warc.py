"""The HTML pages in a web archive (WARC, plain or gzipped per record), with where and when each was
captured. Only successful captures of HTML count: stylesheets, redirects, errors, requests and revisits are
not pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from tasks.limits import DEFAULT_LIMITS, size_text

HTML_TYPES = ("text/html", "application/xhtml+xml")


class NotWarc(ValueError):
    """The bytes are not a readable web archive; the message says where reading stopped."""


@dataclass(frozen=True)
class CapturedPage:
    """One HTML response as captured: its record number in the archive (1-based), URL, time and body."""

    number: int
    url: str | None
    captured_at: str | None
    content_type: str
    body: bytes
    oversize: str = ""  # the record's size, in words, when it is over the cap (body then empty)


def _is_page(record) -> bool:
    if record.rec_type not in ("response", "resource"):
        return False
    if record.rec_type == "response":
        if record.http_headers is None or record.http_headers.get_statuscode() != "200":
            return False
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    return content_type.split(";")[0].strip().lower() in HTML_TYPES


def captured_pages(
    stream: BinaryIO, max_bytes: int = DEFAULT_LIMITS.max_document_bytes
) -> Iterator[CapturedPage]:
    """Each HTML page in the archive, transfer and content encodings (chunked, gzip) undone.

    A page over `max_bytes` (as its record states, or once decoded) comes with `oversize` and no body: records
    are streamed, so a huge record or a compression bomb inside one costs time, never memory.
    """
    number = 0
    try:
        for record in ArchiveIterator(stream):
            number += 1
            # warcio also reads the older ARC format, and takes a one-line text file for an ARC record.
            if record.format != "warc":
                raise NotWarc(f"record {number} is not a WARC record (an ARC file, or not an archive at all)")
            if not _is_page(record):
                continue
            headers = record.http_headers if record.rec_type == "response" else record.rec_headers
            body, oversize = b"", ""
            if (record.length or 0) > max_bytes:
                oversize = size_text(record.length)
            else:
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    body, oversize = b"", f"more than {size_text(max_bytes)} once decoded"
            yield CapturedPage(
                number=number,
                url=record.rec_headers.get_header("WARC-Target-URI"),
                captured_at=record.rec_headers.get_header("WARC-Date"),
                content_type=headers.get_header("Content-Type") or "",
                body=body,
                oversize=oversize,
            )
    except ArchiveLoadFailed as err:
        # warcio's message quotes the bad line in full, which may be kilobytes of binary.
        reason = " ".join(str(err.msg).split(", first line")[0].split())  # one line: it may span several
        raise NotWarc(f"it is not a readable WARC archive after record {number}: {reason}") from err
