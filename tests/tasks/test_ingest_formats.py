"""Real-world inputs through tasks/ingest.py: compressed dumps, CC-News field names, HTML pages and web
archives, outlet rules, Unicode repairs, and one story told in four formats."""

import gzip
import io
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tasks.ingest import (
    InputFile,
    discover_inputs,
    input_suffix,
    outlet_from_url,
    read_inputs,
    read_jsonl,
    read_warc,
)
from tasks.prepare import prepare_documents
from tasks.stories import find_stories

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"

LINES = [
    {
        "text": "The harbour trust’s wardens lent two tractors.\n\nVolunteers filled forty sacks.",
        "url": "https://www.kestrelfm.example/news/beach",
        "published_at": "2025-02-20T08:00:00Z",
        "title": "Beach",
    },
    {"text": "Fares rise by 4.1 per cent.", "outlet": "Coastline Business"},
]


def _archive_of_a_stylesheet() -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    body = b"body { color: black }"
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/css")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://example.org/s.css", "response", payload=io.BytesIO(body), length=len(body), http_headers=http
    )
    writer.write_record(record)
    return out.getvalue()


def _read(*inputs: Path):
    items, rejects = discover_inputs(list(inputs))
    docs, bad = read_inputs(items)
    return docs, rejects + bad


def _dump(tmp_path: Path, name: str, records: list[dict]) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    if name.endswith(".gz"):
        data = gzip.compress(data)
    elif name.endswith(".zst"):
        # Two frames, as a dump written in pieces would have, neither recording its size.
        zst = zstandard.ZstdCompressor(write_content_size=False)
        data = zst.compress(data[: len(data) // 2]) + zst.compress(data[len(data) // 2 :])
    path = tmp_path / "dumps" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, suffix",
    [
        ("a.JSONL.GZ", ".jsonl.gz"),
        ("a.jsonl.zst", ".jsonl.zst"),
        ("crawl-00001.warc.gz", ".warc.gz"),
        ("x.warc", ".warc"),
        ("page.htm", ".htm"),
        ("notes.txt", ".txt"),
        ("b.tar.gz", ".gz"),
        ("README", ""),
    ],
)
def test_input_suffix_sees_compression(name, suffix):
    assert input_suffix(Path(name)) == suffix


def test_compressed_suffixes_are_discovered_and_others_rejected(tmp_path):
    for name in ("a.jsonl.gz", "b.jsonl.zst", "c.warc", "d.warc.gz", "e.gz", "f.json.gz"):
        (tmp_path / name).write_bytes(b"")
    items, rejects = discover_inputs([tmp_path])
    assert [i.source for i in items] == ["a.jsonl.gz", "b.jsonl.zst", "c.warc", "d.warc.gz"]
    assert {r.source for r in rejects} == {"e.gz", "f.json.gz"}
    assert all("unsupported file type .gz" in r.reason for r in rejects)


@pytest.mark.parametrize("name", ["dump.jsonl.gz", "dump.jsonl.zst"])
def test_compressed_dumps_read_like_the_plain_one(tmp_path, name):
    plain, _ = _read(_dump(tmp_path, "dump.jsonl", LINES))
    packed, rejects = _read(_dump(tmp_path, name, LINES))
    assert rejects == []
    assert [d.source for d in packed] == [f"{name}#1", f"{name}#2"]
    fields = ("text", "title", "outlet", "url", "published_at", "content_hash", "input_format")

    def values(docs):
        return [[getattr(d, f) for f in fields] for d in docs]

    assert values(packed) == values(plain)


@pytest.mark.parametrize(
    "name, reason",
    [("dump.jsonl.gz", "not a readable gz file"), ("dump.jsonl.zst", "not a readable zst file")],
)
def test_damaged_compressed_dump_is_rejected_by_name(tmp_path, name, reason):
    (tmp_path / name).write_bytes(b"this was never compressed\n")
    docs, rejects = _read(tmp_path / name)
    assert docs == []
    assert [(r.source, reason in r.reason) for r in rejects] == [(name, True)]


def test_truncated_gzip_dump_is_rejected(tmp_path):
    path = _dump(tmp_path, "dump.jsonl.gz", LINES)
    path.write_bytes(path.read_bytes()[:-12])
    docs, rejects = _read(path)
    assert docs == [] and "not a readable gz file" in rejects[0].reason


def test_cc_news_and_news_please_field_names(tmp_path):
    records = [
        {"text": "One.", "title": "A", "domain": "www.portaldertoday.example", "date": "2025-02-17 13:05:00"},
        {
            "text": "Two.",
            "url": "https://m.example.co.uk/x",
            "date_publish": "2025-02-18T09:00:00+01:00",
            "authors": ["Lena Marsh", "Dev Raman"],
        },
        {"text": "Three.", "published_at": "2025-02-19", "date": "1999-01-01", "author": "Jo"},
    ]
    docs, rejects = _read(_dump(tmp_path, "cc.jsonl", records))
    assert rejects == []
    assert [(d.outlet, d.published_at, d.author) for d in docs] == [
        ("portaldertoday.example", datetime(2025, 2, 17, 13, 5), None),
        ("example.co.uk", datetime(2025, 2, 18, 8, 0), "Lena Marsh, Dev Raman"),
        (None, datetime(2025, 2, 19), "Jo"),  # the contract's own name wins over an alias
    ]


@pytest.mark.parametrize(
    "url, outlet",
    [
        ("https://www.theguardian.com/world/2019/jun/25/x", "theguardian.com"),
        ("http://WWW2.Example.ORG:8080/a", "example.org"),
        ("https://amp.example.com/a", "example.com"),
        ("https://news.bbc.co.uk/a", "news.bbc.co.uk"),
        ("www.haaretz.com", "haaretz.com"),
        ("http://localhost/a", None),
        ("http://[::1/a", None),
        ("", None),
        (None, None),
    ],
)
def test_outlet_from_url(url, outlet):
    assert outlet_from_url(url) == outlet


def test_outlet_from_metadata_else_url_host_else_folder():
    docs, _ = _read(CORPUS / "ccnews")
    by_line = {d.source: d.outlet for d in docs}
    assert by_line == {
        "dump.jsonl#1": "Coastline Business",  # given
        "dump.jsonl#2": "portaldertoday.example",  # from the URL
        "dump.jsonl#3": "kestrelfm.example",
        "dump.jsonl#4": None,
    }  # the input root itself has no folder name
    docs, _ = _read(CORPUS)
    assert {d.source: d.outlet for d in docs}["ccnews/dump.jsonl#4"] == "ccnews"


def test_manifest_beats_the_page_and_a_dump_line_beats_the_manifest(tmp_path):
    shutil.copy(CORPUS / "coastal-herald" / "harbour-bridge-closure.html", tmp_path / "page.html")
    _dump(tmp_path, "dump.jsonl", LINES)
    (tmp_path / "manifest.csv").write_text(
        "path,outlet,published_at\npage.html,Herald Archive,2025-03-01\n"
        "dumps/dump.jsonl,Dump Outlet,2024-01-01\n"
    )
    docs, rejects = _read(tmp_path)
    assert rejects == []
    got = {d.source: (d.outlet, d.published_at) for d in docs}
    assert got["page.html"] == ("Herald Archive", datetime(2025, 3, 1))
    assert got["dumps/dump.jsonl#1"] == ("Dump Outlet", datetime(2025, 2, 20, 8, 0))
    assert got["dumps/dump.jsonl#2"] == ("Coastline Business", datetime(2024, 1, 1))


def test_html_page_becomes_a_document_with_its_metadata():
    [doc], rejects = _read(CORPUS / "coastal-herald")
    assert rejects == []
    assert (doc.source, doc.input_format, doc.encoding) == ("harbour-bridge-closure.html", "html", "utf-8")
    assert doc.title == "Harbour bridge to close for six weeks over corroded cables"
    assert doc.published_at == datetime(2025, 2, 17, 16, 40)
    assert (doc.outlet, doc.author) == ("The Coastal Herald", "Lena Marsh")
    assert doc.url == "https://www.coastalherald.example/news/2025/02/17/harbour-bridge-close-six-weeks"
    assert doc.text.count("\n\n") == 7


def test_page_time_zones_become_utc():
    [doc], _ = _read(CORPUS / "pages" / "mill-road-flats.html")
    assert doc.published_at == datetime(2025, 1, 9, 10, 20)  # 11:20 at +01:00


def test_repairs_are_recorded_per_document():
    docs, _ = _read(CORPUS / "ccnews", CORPUS / "pages")
    repairs = {d.source: d.repairs for d in docs}
    assert repairs["dump.jsonl#3"] == ("mojibake: utf-8 read as windows-1252",)
    assert repairs["dump.jsonl#1"] == ()
    assert repairs["cafe-lumiere-cp1252.html"] == ()
    assert "mojibake: utf-8 read as windows-1252" in repairs["mill-road-flats.html"]
    lifeboat = next(d for d in docs if d.source == "dump.jsonl#3")
    assert "The crew’s coxswain" in lifeboat.text
    assert "“The tide comes in faster than people think,”" in lifeboat.text


def test_repaired_title_is_recorded(tmp_path):
    path = _dump(tmp_path, "t.jsonl", [{"text": "Plain text.", "title": "Councilâ€™s plan"}])
    [doc], _ = _read(path)
    assert (doc.title, doc.repairs) == ("Council’s plan", ("mojibake: utf-8 read as windows-1252",))


def test_web_archive_pages_become_documents_with_capture_facts():
    docs, rejects = _read(CORPUS / "crawl")
    assert [d.source for d in docs] == ["kestrelfm.warc.gz#2", "kestrelfm.warc.gz#4"]
    article, undated = docs
    assert article.url == "https://kestrelfm.example/news/harbour-bridge"
    assert article.captured_at == datetime(2025, 2, 20, 11, 5, 42)
    assert article.published_at == datetime(2025, 2, 18, 6, 30)
    assert (article.outlet, article.title) == ("Kestrel FM", "Harbour bridge shut for six weeks")
    assert article.input_format == "warc"
    assert undated.published_at is None and undated.captured_at == datetime(2025, 2, 20, 11, 5, 44)
    assert undated.outlet == "kestrelfm.example" and undated.encoding == "cp1252"
    assert "harbour trust’s wardens" in undated.text
    assert [r.source for r in rejects] == ["kestrelfm.warc.gz#7"]
    assert "record 7 (https://kestrelfm.example/news/)" in rejects[0].reason
    assert "no article in the page" in rejects[0].reason


def test_damaged_archive_keeps_the_pages_before_the_damage(tmp_path):
    data = (CORPUS / "crawl" / "kestrelfm.warc.gz").read_bytes()
    item = InputFile(tmp_path / "crawl.warc.gz", "crawl.warc.gz", None)
    docs, rejects = read_warc(item, data[:2000] + b"\x00garbage" * 20 + data[2000:])
    assert [d.source for d in docs] == ["crawl.warc.gz#2"]
    assert [r.source for r in rejects] == ["crawl.warc.gz"]
    assert "not read to the end" in rejects[0].reason


def test_a_page_captured_twice_is_ingested_once(tmp_path):
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    body = (CORPUS / "coastal-herald" / "harbour-bridge-closure.html").read_bytes()
    for url in ("http://www.coastalherald.example/a", "https://www.coastalherald.example/a"):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http
            )
        )
    (tmp_path / "twice.warc.gz").write_bytes(out.getvalue())
    docs, rejects = _read(tmp_path)
    assert [d.source for d in docs] == ["twice.warc.gz#1"]
    assert [r.source for r in rejects] == ["twice.warc.gz#2"]
    assert "the same page as record 1" in rejects[0].reason


def test_archive_without_pages_says_so(tmp_path):
    (tmp_path / "empty.warc").write_bytes(b"")
    (tmp_path / "page.warc").write_bytes(b"<html><body>a saved page</body></html>")
    (tmp_path / "styles.warc").write_bytes(_archive_of_a_stylesheet())
    docs, rejects = _read(tmp_path)
    assert docs == []
    assert {r.source: r.reason for r in rejects} == {
        "empty.warc": "not ingested: the file is empty",
        "page.warc": "not ingested: it is not a readable WARC archive after record 0: Unknown archive format",
        "styles.warc": "the archive holds no HTML page captured with status 200",
    }


def test_reading_is_deterministic():
    first, first_rejects = _read(CORPUS)
    again, again_rejects = _read(CORPUS)
    assert first == again and first_rejects == again_rejects
    assert len({d.doc_id for d in first}) == len(first)


def test_unsupported_single_file_is_a_reject_not_a_crash(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    docs, rejects = _read(tmp_path / "scan.pdf")
    assert docs == [] and "unsupported file type .pdf" in rejects[0].reason


def test_one_story_in_four_formats_links_into_one_story():
    docs, _ = _read(CORPUS)
    doc_table, para_table = prepare_documents(docs)
    members, _ = find_stories(doc_table, para_table)
    source_of = dict(
        zip(doc_table.column("doc_id").to_pylist(), doc_table.column("source").to_pylist(), strict=True)
    )
    stories: dict[str, list[tuple[int, str]]] = {}
    for row in members.to_pylist():
        stories.setdefault(row["story_id"], []).append((row["version"], source_of[row["doc_id"]]))
    shared = [sorted(v) for v in stories.values() if len(v) > 1]
    assert shared == [
        [
            (0, "wire/harbour-bridge.txt"),
            (1, "ccnews/dump.jsonl#2"),
            (2, "coastal-herald/harbour-bridge-closure.html"),
            (3, "crawl/kestrelfm.warc.gz#2"),
        ]
    ]
    rows = {r["source"]: r for r in doc_table.to_pylist()}
    herald = rows["coastal-herald/harbour-bridge-closure.html"]
    assert (herald["outlet"], herald["author"], herald["repairs"]) == ("The Coastal Herald", "Lena Marsh", [])
    assert rows["crawl/kestrelfm.warc.gz#2"]["captured_at"] == datetime(2025, 2, 20, 11, 5, 42)
    assert rows["pages/mill-road-flats.html"]["repairs"][0] == "mojibake: utf-8 read as windows-1252"


def test_read_jsonl_is_still_usable_on_plain_bytes(tmp_path):
    item = InputFile(tmp_path / "d.jsonl", "d.jsonl", "folder")
    docs, rejects = read_jsonl(item, b'{"text": "One paragraph."}\nnot json\n')
    assert [d.outlet for d in docs] == ["folder"] and len(rejects) == 1


def test_a_pages_short_first_paragraph_stays_a_paragraph(tmp_path):
    page = (CORPUS / "coastal-herald" / "harbour-bridge-closure.html").read_text(encoding="utf-8")
    standfirst = "Inspectors found corrosion in four suspension cables"
    (tmp_path / "page.html").write_text(
        page.replace('<div class="story-body">', f'<div class="story-body"><p>{standfirst}</p>')
    )
    docs, _ = _read(tmp_path / "page.html")
    doc_table, para_table = prepare_documents(docs)
    title = "Harbour bridge to close for six weeks over corroded cables"
    assert doc_table.column("title").to_pylist() == [title]
    assert para_table.column("text").to_pylist()[0] == standfirst
