"""Which HTML pages are read as articles and which are rejected, and how long each takes.

Run: `.venv/bin/python -m bench.html_pages DIR... [--json FILE]`. Every `*.html`, `*.htm` and `*.html.gz`
under each DIR goes through tasks.html.extract_article, the function `reprint run` reads pages with; a
page is `read` (with its paragraph and character counts) or `rejected` (with the reason). Point it at a public
extraction test set (for example the 2008 pages of jnothman/sitescraper or mozilla/readability's test pages)
with the pages a person reads as articles in one folder and the rest in another, and compare the counts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from tasks.decode import NotText
from tasks.html import HTML_VERSION, extract_article


def read_pages(directory: Path) -> list[dict]:
    """One row per page under `directory`: read or rejected, paragraphs, characters, seconds."""
    rows = []
    for path in sorted(directory.rglob("*")):
        if not path.name.endswith((".html", ".htm", ".html.gz")) or path.name.endswith(".expected.html"):
            continue
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        started = time.perf_counter()
        try:
            text = extract_article(data).text
            row = {"page": str(path), "read": True, "paragraphs": len(text.split("\n\n")), "chars": len(text)}
        except NotText as reason:
            row = {"page": str(path), "read": False, "reason": str(reason)}
        row["seconds"] = round(time.perf_counter() - started, 3)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", type=Path, nargs="+")
    parser.add_argument("--json", type=Path, help="also write every page's row here")
    args = parser.parse_args(argv)
    result: dict = {"html": HTML_VERSION}
    print("| folder | pages | read | rejected | seconds (all pages) |")
    print("|---|---:|---:|---:|---:|")
    for directory in args.dirs:
        rows = read_pages(directory)
        read = sum(r["read"] for r in rows)
        seconds = sum(r["seconds"] for r in rows)
        print(f"| {directory} | {len(rows)} | {read} | {len(rows) - read} | {seconds:.1f} |")
        result[str(directory)] = rows
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
