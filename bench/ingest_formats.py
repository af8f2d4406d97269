"""Reading speed per input format, in documents per second, against plain text measured in the same run.

The same articles are written as .txt files, HTML pages with the chrome of a news site, one JSONL dump
(plain, gzip, zstd) and one gzipped web archive; each is read with tasks.ingest.read_inputs (decoding,
extraction, Unicode repair, metadata), best of `--repeat` rounds in which the formats take turns.

    .venv/bin/python bench/ingest_formats.py [--docs 300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tasks.html import extract_article  # noqa: E402
from tasks.ingest import discover_inputs, read_inputs  # noqa: E402

TEMPLATE = ROOT / "tests" / "fixtures" / "corpus" / "coastal-herald" / "harbour-bridge-closure.html"
# A real news page carries far more chrome than the fixture: menus, a long most-read list, inline scripts.
CHROME = "\n".join(
    [
        f'<li><a href="/news/2025/02/{k:02d}/story-{k}">Headline number {k} of the most read list</a></li>'
        for k in range(60)
    ]
    + [
        "<script>"
        + "window.__STATE__ = "
        + json.dumps({"ads": [{"slot": k, "size": [300, 250]} for k in range(200)]})
        + ";</script>"
    ]
)


def articles(n: int) -> list[tuple[str, str]]:
    """n distinct (html page, plain text) pairs built from the fixture page."""
    page = TEMPLATE.read_text(encoding="utf-8")
    page = page.replace("<footer", f"<aside><ul>{CHROME}</ul></aside>\n<footer", 1)
    body = extract_article(TEMPLATE.read_bytes()).text
    pairs = []
    for k in range(n):
        marker = f"Update {k}: the county published its {k}th notice on the closure."
        html = page.replace("<p>Councillor Ruth Ellery", f"<p>{marker}</p>\n<p>Councillor Ruth Ellery")
        pairs.append((html, f"Harbour bridge to close\n\n{body}\n\n{marker}\n"))
    return pairs


def write_inputs(folder: Path, pairs: list[tuple[str, str]]) -> dict[str, Path]:
    """One folder per format, holding the same articles."""
    formats = {name: folder / name for name in ("txt", "html", "jsonl", "jsonl.gz", "jsonl.zst", "warc.gz")}
    for path in formats.values():
        path.mkdir(parents=True)
    lines = []
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for k, (html, text) in enumerate(pairs):
        (formats["txt"] / f"{k:05d}.txt").write_text(text, encoding="utf-8")
        (formats["html"] / f"{k:05d}.html").write_text(html, encoding="utf-8")
        url = f"https://example.org/{k}"
        lines.append(json.dumps({"text": text, "url": url, "published_at": "2025-02-17"}))
        body = html.encode("utf-8")
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http
        )
        writer.write_record(record)
    dump = ("\n".join(lines) + "\n").encode("utf-8")
    (formats["jsonl"] / "dump.jsonl").write_bytes(dump)
    (formats["jsonl.gz"] / "dump.jsonl.gz").write_bytes(gzip.compress(dump))
    (formats["jsonl.zst"] / "dump.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(dump))
    (formats["warc.gz"] / "crawl.warc.gz").write_bytes(out.getvalue())
    return formats


def seconds_to_read(folder: Path, expected: int) -> float:
    items, _ = discover_inputs([folder])
    start = time.perf_counter()
    docs, rejects = read_inputs(items)
    elapsed = time.perf_counter() - start
    if len(docs) != expected or rejects:
        raise SystemExit(
            f"{folder.name}: read {len(docs)} documents and {len(rejects)} rejects, "
            f"expected {expected} documents"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pairs = articles(args.docs)
    with tempfile.TemporaryDirectory(prefix="reprint-bench-") as tmp:
        formats = write_inputs(Path(tmp), pairs)
        seconds_to_read(formats["html"], args.docs)  # warm-up: imports, trafilatura's first parse
        best = {name: float("inf") for name in formats}
        # Formats take turns within each round, so a busy moment on the machine does not fall on one format.
        for _ in range(args.repeat):
            for name, path in formats.items():
                best[name] = min(best[name], seconds_to_read(path, args.docs))
        rates = {name: args.docs / seconds for name, seconds in best.items()}
    page_kb = sum(len(h.encode()) for h, _ in pairs) / len(pairs) / 1024
    text_kb = sum(len(t.encode()) for _, t in pairs) / len(pairs) / 1024
    print(
        f"{args.docs} articles; HTML pages {page_kb:.1f} KiB, article text {text_kb:.1f} KiB; "
        f"best of {args.repeat}; 1 process"
    )
    print(f"{'format':<10} {'docs/s':>9} {'vs txt':>8}")
    for name, rate in rates.items():
        print(f"{name:<10} {rate:>9.1f} {rate / rates['txt']:>7.2f}x")


if __name__ == "__main__":
    main()
