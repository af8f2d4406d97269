"""The shallow text features of the paragraphs reprint stores from L3S-GN1's dev half, with the assessors'
class and reprint's flag: what html-12's thresholds were fitted on (tasks/page_blocks.py).

Run: `.venv/bin/python -m bench.l3s_shallow [--keep DIR] [--rows FILE]`. Runs `reprint run` on the dev half
alone (bench.l3s_gn1, `--only dev`: the test half is never read here), finds each stored paragraph's block
in the page, and prints, for each candidate rule of the search below, the boilerplate paragraphs it finds
that the flags missed, the content paragraphs it flags, and those of each kind the flags already had; with
`--rows` it writes one JSON line a paragraph (features, class, flag) for a closer look. Dev half only.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench.l3s_gn1 import (
    REPO,
    match_paragraph,
    measure,
    paragraph_class,
    read_annotated,
    read_page,
)
from bench.quality import read_warehouse
from bench.real.assemble import DEFAULT_MIRRORS, git_dir


def paragraph_rows(mirrors: Path, keep: Path) -> list[dict]:
    """One row a stored paragraph of the dev half: its features (tasks.page_blocks.line_features), the
    assessors' class and whether reprint flagged it."""
    from tasks.html import _load_html, decode_page, mend_cut_markup
    from tasks.page_blocks import line_features, page_blocks

    if not (keep / "warehouse").is_dir():
        measure(mirrors, keep, None, "dev")
    out = read_warehouse(keep / "warehouse")
    where = git_dir(mirrors, REPO)
    stored: dict[str, list[tuple[str, bool]]] = {}
    for source, _, text, flagged in out.paragraphs:
        stored.setdefault(source, []).append((text, flagged))
    rows = []
    for source, paragraphs in sorted(stored.items()):
        uuid = source.removesuffix(".html")
        html, _ = decode_page(read_page(where, "original", uuid))
        tree = _load_html(mend_cut_markup(html)[0])
        page = read_annotated(decode_page(read_page(where, "annotated", uuid))[0])
        if tree is None:
            continue
        texts = [text for text, _ in paragraphs]
        features = line_features(texts, page_blocks(tree))
        start = 0
        for (text, flagged), feature in zip(paragraphs, features, strict=True):
            found, start = match_paragraph(page, text, start)
            kind = paragraph_class(found.labels) if found else "unscored"
            rows.append({"page": uuid, "text": text, "kind": kind, "flagged": flagged, **feature})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    parser.add_argument("--keep", type=Path, help="an earlier `--only dev` run to read, or keep")
    parser.add_argument("--rows", type=Path, help="write one JSON line a paragraph here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="l3s-shallow-") as tmp:
        rows = paragraph_rows(args.mirrors, args.keep or Path(tmp))
    if args.rows:
        args.rows.write_text("".join(json.dumps(row) + "\n" for row in rows))
    print(f"{len(rows)} paragraphs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
