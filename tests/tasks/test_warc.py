"""Web archives: which records are pages, what is known of each capture, damaged archives."""

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tasks.warc import NotWarc, captured_pages

CRAWL = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "crawl" / "kestrelfm.warc.gz"


def _archive(records: list[tuple[str, str, bytes, str]], gzip: bool) -> bytes:
    """A WARC of (type, content type, body, status) records; status empty for resource records."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for k, (kind, content_type, body, status) in enumerate(records):
        headers = [("Content-Type", content_type)]
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1") if status else None
        writer.write_record(
            writer.create_warc_record(
                f"https://example.org/{k}",
                kind,
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http,
                warc_content_type=content_type if not status else "",
                warc_headers_dict={"WARC-Date": f"2025-01-0{k + 1}T00:00:00Z"},
            )
        )
    return out.getvalue()


def test_only_successful_html_captures_are_pages():
    pages = list(captured_pages(CRAWL.open("rb")))
    # 1 warcinfo, 3 stylesheet, 5 redirect, 6 not found, 8 revisit: none is a page.
    assert [p.number for p in pages] == [2, 4, 7]
    assert [p.url for p in pages] == [
        "https://kestrelfm.example/news/harbour-bridge",
        "https://kestrelfm.example/news/beach-clean",
        "https://kestrelfm.example/news/",
    ]
    assert pages[0].captured_at == "2025-02-20T11:05:42Z"
    assert pages[1].content_type == "text/html; charset=ISO-8859-1"


def test_chunked_and_gzipped_bodies_are_decoded():
    first = next(captured_pages(CRAWL.open("rb")))
    assert first.body.startswith(b"<!DOCTYPE html>")
    assert b"Harbour bridge shut for six weeks" in first.body


@pytest.mark.parametrize("gzip", [False, True])
def test_plain_and_gzipped_archives_and_resource_records(gzip):
    data = _archive(
        [
            ("response", "text/html; charset=utf-8", b"<p>page</p>", "200 OK"),
            ("resource", "application/xhtml+xml", b"<p>resource</p>", ""),
            ("response", "application/pdf", b"%PDF-1.4", "200 OK"),
            ("resource", "text/plain", b"notes", ""),
        ],
        gzip,
    )
    pages = list(captured_pages(io.BytesIO(data)))
    assert [(p.number, p.body) for p in pages] == [(1, b"<p>page</p>"), (2, b"<p>resource</p>")]
    assert pages[1].captured_at == "2025-01-02T00:00:00Z"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>a saved page, not an archive</body></html>",
        b"<html>\n<body>a saved page</body>\n</html>\n",
    ],
)
def test_bytes_that_are_not_an_archive(data):
    expected = "record 1 is not a WARC record|not a readable WARC archive after record 0"
    with pytest.raises(NotWarc, match=expected):
        list(captured_pages(io.BytesIO(data)))


def test_damage_stops_reading_after_the_pages_before_it():
    data = CRAWL.read_bytes()
    damaged = data[:2000] + b"\x00garbage" * 20 + data[2000:]
    pages = captured_pages(io.BytesIO(damaged))
    assert next(pages).number == 2
    with pytest.raises(NotWarc) as err:
        list(pages)
    assert len(str(err.value)) < 120  # the bad bytes are not quoted back
