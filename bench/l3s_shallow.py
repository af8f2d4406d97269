"""How html-12's decisions by shallow text features were chosen: on the paragraphs reprint stores from
L3S-GN1's dev half, the features of each (tasks/page_blocks.py), the assessors' class and reprint's flag.

Run: `.venv/bin/python -m bench.l3s_shallow [--keep DIR] [--rows FILE]`. Runs `reprint run` on the dev half
alone (bench.l3s_gn1's `--only dev`: the test half is never read here), finds each stored paragraph's block
in its page and prints:
- a decision tree grown on the dev half's boilerplate and content paragraphs (Gini impurity, depth 4, at
  least 30 paragraphs a leaf), our own few lines after the paper's method: its purest leaves are the two
  decisions of `ShallowRules`;
- each decision's paragraphs at the chosen thresholds and at its neighbours (boilerplate / content, and of
  those the ones the other flags missed / had not flagged): a threshold is taken where precision holds on a
  plateau, not at a peak.
With `--rows` it writes one JSON line a paragraph (features, class, flag, text) for a closer look.
With `--folds N` it prints html-15's sweep instead: the lines `after_the_story` names alone at each setting
near the chosen one, fold by fold (bench.l3s_gn1.fold_of), by class (boilerplate / content / not scored).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

from bench.l3s_gn1 import (
    REPO,
    fold_of,
    load_pages,
    match_paragraph,
    measure,
    paragraph_class,
    read_annotated,
    read_page,
)
from bench.quality import read_warehouse
from bench.real.assemble import DEFAULT_MIRRORS, git_dir

FEATURES = (
    "words",
    "link_share",
    "cur_words",
    "cur_link_density",
    "cur_text_density",
    "prev_words",
    "prev_link_density",
    "prev_text_density",
    "next_words",
    "next_link_density",
    "next_text_density",
    "kept_share",
)


def dev_pages(mirrors: Path, keep: Path) -> list[tuple[list[dict], object]]:
    """Each dev page's stored paragraphs as rows (features, class, flag, text) with the page's blocks."""
    from tasks.html import _load_html, decode_page, mend_cut_markup
    from tasks.page_blocks import line_features, page_blocks

    if not (keep / "warehouse").is_dir():
        measure(mirrors, keep, None, "dev")
    out = read_warehouse(keep / "warehouse")
    where = git_dir(mirrors, REPO)
    stored: dict[str, list[tuple[str, bool]]] = {}
    for source, _, text, flagged in out.paragraphs:
        stored.setdefault(source, []).append((text, flagged))
    pages = []
    for source, paragraphs in sorted(stored.items()):
        uuid = source.removesuffix(".html")
        html, _ = decode_page(read_page(where, "original", uuid))
        tree = _load_html(mend_cut_markup(html)[0])
        if tree is None:
            continue
        annotated = read_annotated(decode_page(read_page(where, "annotated", uuid))[0])
        blocks = page_blocks(tree)
        texts = [text for text, _ in paragraphs]
        rows, start = [], 0
        for (text, flagged), feature in zip(paragraphs, line_features(texts, blocks), strict=True):
            found, start = match_paragraph(annotated, text, start)
            kind = paragraph_class(found.labels) if found else "unscored"
            rows.append({"page": uuid, "text": text, "kind": kind, "flagged": flagged, **feature})
        pages.append((rows, blocks))
    return pages


def grow(rows: list[dict], depth: int, min_leaf: int) -> dict:
    """A decision tree on `rows` (boilerplate or content, found in the page), split by Gini impurity."""
    bp = sum(r["kind"] == "boilerplate" for r in rows)
    node = {"boilerplate": bp, "content": len(rows) - bp}
    if depth == 0:
        return node
    best = None
    for feature in FEATURES:
        ordered = sorted(rows, key=lambda r: r[feature])
        left_bp = 0
        for i in range(len(ordered) - 1):
            left_bp += ordered[i]["kind"] == "boilerplate"
            if ordered[i + 1][feature] == ordered[i][feature]:
                continue
            n_left, n_right = i + 1, len(ordered) - i - 1
            if n_left < min_leaf or n_right < min_leaf:
                continue
            impurity = _gini(left_bp, n_left) * n_left + _gini(bp - left_bp, n_right) * n_right
            if best is None or impurity < best[0]:
                best = (impurity, feature, (ordered[i][feature] + ordered[i + 1][feature]) / 2)
    if best is None or best[0] >= _gini(bp, len(rows)) * len(rows) - 1e-9:
        return node
    _, feature, threshold = best
    node |= {"feature": feature, "threshold": threshold}
    node["le"] = grow([r for r in rows if r[feature] <= threshold], depth - 1, min_leaf)
    node["gt"] = grow([r for r in rows if r[feature] > threshold], depth - 1, min_leaf)
    return node


def _gini(positive: int, n: int) -> float:
    return 1 - (positive / n) ** 2 - ((n - positive) / n) ** 2 if n else 0.0


def tree_lines(node: dict, indent: str = "") -> list[str]:
    if "feature" not in node:
        return [f"{indent}leaf: boilerplate {node['boilerplate']}, content {node['content']}"]
    name, t = node["feature"], node["threshold"]
    return [
        f"{indent}{name} <= {t:.3f}",
        *tree_lines(node["le"], indent + "  "),
        f"{indent}{name} > {t:.3f}",
        *tree_lines(node["gt"], indent + "  "),
    ]


def decision_counts(pages: list, rules) -> Counter:
    """The scored paragraphs `chrome_by_features` takes with `rules`, by class and by the other flags."""
    from tasks.page_blocks import chrome_by_features

    counts: Counter = Counter()
    for rows, blocks in pages:
        taken = set(chrome_by_features([r["text"] for r in rows], blocks, rules))
        for r in rows:
            if r["text"] in taken and r["kind"] != "unscored":
                counts[r["kind"]] += 1
                counts[f"{r['kind']} not flagged"] += not r["flagged"]
    return counts


def after_story_sweep(pages: list, fold: dict[str, int], folds: int) -> list[str]:
    """html-15's rule alone at settings near the chosen one: per fold, the stored lines it names by class."""
    from tasks.html import HtmlConfig
    from tasks.page_blocks import after_the_story

    chosen = HtmlConfig()
    settings = [(10, 0.9), (15, 0.9), (25, 0.9), (15, 0.95), (15, 0.8), (15, 0.7)]
    lines = []
    for words, share in settings:
        counts: Counter = Counter()
        for rows, blocks in pages:
            texts = [r["text"] for r in rows]
            named = set(after_the_story(texts, blocks, words, share, chosen.story_max_kept_share))
            for r in rows:
                if r["text"] in named:
                    counts[(fold[r["page"]], r["kind"])] += 1
        mark = " (chosen)" if (words, share) == (chosen.story_prose_words, chosen.story_share) else ""
        shown = " | ".join(
            f"fold {k}: {counts[(k, 'boilerplate')]} / {counts[(k, 'content')]} / {counts[(k, 'unscored')]}"
            for k in range(folds)
        )
        lines.append(f"{words} words, share {share}{mark}: {shown}")
    return lines


def main(argv: list[str] | None = None) -> int:
    from tasks.page_blocks import ShallowRules

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    parser.add_argument("--keep", type=Path, help="an earlier `--only dev` run to read, or keep")
    parser.add_argument("--rows", type=Path, help="write one JSON line a paragraph here")
    parser.add_argument("--folds", type=int, help="print html-15's sweep by this many folds of sites")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="l3s-shallow-") as tmp:
        pages = dev_pages(args.mirrors, args.keep or Path(tmp))
    if args.folds:
        fold = {uuid: fold_of(site, args.folds) for uuid, _, site in load_pages(args.mirrors)["dev"]}
        print("\n".join(after_story_sweep(pages, fold, args.folds)))
        return 0
    rows = [r for page_rows, _ in pages for r in page_rows]
    if args.rows:
        args.rows.write_text("".join(json.dumps(row) + "\n" for row in rows))
    scored = [r for r in rows if r["kind"] != "unscored" and r["block"] >= 0]
    print("\n".join(tree_lines(grow(scored, 4, 30))))
    chosen = ShallowRules()
    # Each decision's thresholds with the other decision off; the page's gate with both.
    alone = {"short": {"between_words": 0}, "between": {"short_words": 0}, "max": {}}
    sweeps = {
        "short_link_density": (0.03, 0.05, 0.1, 0.2, 0.3),
        "short_words": (8, 10, 12, 16, 25),
        "between_words": (12, 25, 40),
        "max_kept_share": (0.7, 0.75, 0.8, 0.85, 0.9, 1.01),
    }
    for name, values in sweeps.items():
        for value in values:
            rules = replace(chosen, **{name: value, **alone[name.split("_")[0]]})
            counts = decision_counts(pages, rules)
            mark = " (chosen)" if getattr(chosen, name) == value else ""
            print(
                f"{name} = {value}{mark}: boilerplate {counts['boilerplate']} "
                f"({counts['boilerplate not flagged']} missed by the other flags), "
                f"content {counts['content']} ({counts['content not flagged']} not flagged by them)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
