"""Where the generator's whole-pipeline fates macro-F1 is lost, by cause (issue 12: it must hold as the corpus
grows, within 0.01 at 1,000 stories of its value at 100).

Run: `.venv/bin/python -m bench.fate_losses --stories 100 1000 [--keep DIR]` (`reprint run` on each generated
corpus, as bench.quality runs it; `--keep` leaves the corpora and warehouses there). Per size it prints the
per-fate table and, for each cause below, the republications it holds and the macro-F1 the run would reach
were their rows right; then the pairs with the most wrong rows and the body paragraphs flagged boilerplate.
Causes, the first that holds for a (origin, republication) pair of gold:
- unlinked: not aligned against its origin (left apart, or linked under another origin);
- paragraphs: either document's stored paragraphs are not as many as gold's (its first line set aside as the
  file's title, say), so every index after the difference is off;
- flags: a body paragraph of either document is flagged boilerplate (a rule, or `repeated`: text its outlet
  printed under two stories);
- alignment: the rest, the aligner's own errors.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

from bench.quality import Warehouse, read_warehouse, run_reprint, write_generated
from bench.score import Score

CAUSES = ("unlinked", "paragraphs", "flags", "alignment")


def pair_causes(gold: list[dict], out: Warehouse) -> dict[str, str]:
    """{republication doc_id: cause} for every republication of gold (the generator's .gold.jsonl rows)."""
    rows: dict[str, list[tuple[int, bool]]] = {}
    for source, k, _, flag in out.paragraphs:
        rows.setdefault(Path(source).stem, []).append((k, flag))
    by_doc = {g["doc_id"]: g for g in gold}
    shifted = {d for d, g in by_doc.items() if len(rows.get(d, ())) != len(g["boilerplate"])}
    flagged = {
        d
        for d, r in rows.items()
        if d not in shifted and any(f and not by_doc[d]["boilerplate"][k] for k, f in r)
    }
    source = {Path(s).stem: s for s in out.story}
    causes = {}
    for g in gold:
        if not g["version"]:
            continue
        both = {g["doc_id"], g["base_doc_id"]}
        if (source.get(g["base_doc_id"]), source.get(g["doc_id"])) not in out.fates:
            causes[g["doc_id"]] = "unlinked"
        elif both & shifted:
            causes[g["doc_id"]] = "paragraphs"
        elif both & flagged:
            causes[g["doc_id"]] = "flags"
        else:
            causes[g["doc_id"]] = "alignment"
    return causes


def scores(gold: list[dict], out: Warehouse, right: set[str] = frozenset()) -> tuple[Score, dict[str, Score]]:
    """The whole score and each republication's, counting the republications in `right` as aligned as gold."""
    source = {Path(s).stem: s for s in out.story}
    whole, each = Score(), {}
    for g in gold:
        if g["version"]:
            expected = [tuple(f) for f in g["fates"]]
            found = out.fates.get((source.get(g["base_doc_id"]), source.get(g["doc_id"])), [])
            whole.add(expected, expected if g["doc_id"] in right else found)
            each[g["doc_id"]] = Score()
            each[g["doc_id"]].add(expected, found)
    return whole, each


def wrong_rows(score: Score) -> int:
    return sum(n for (g, p), n in score.confusion.items() if g != p)


def losses_page(name: str, gold: list[dict], out: Warehouse, top: int = 15) -> str:
    """The per-fate table, each cause with the macro-F1 were its pairs right, the worst pairs, the flags."""
    causes = pair_causes(gold, out)
    whole, each = scores(gold, out)
    lines = [
        f"## {name}",
        "",
        whole.table("fate"),
        "",
        "| cause | republications | with wrong rows | wrong rows | macro-F1 were they right |",
        "|---|---:|---:|---:|---:|",
    ]
    for cause in CAUSES:
        docs = {d for d, c in causes.items() if c == cause}
        wrong = [wrong_rows(each[d]) for d in docs]
        fixed = scores(gold, out, docs)[0].macro_f1()
        lines.append(f"| {cause} | {len(docs)} | {sum(w > 0 for w in wrong)} | {sum(wrong)} | {fixed:.4f} |")
    lines += ["", f"macro-F1 {whole.macro_f1():.4f}; the pairs with the most wrong rows:", ""]
    worst = sorted(((wrong_rows(s), d) for d, s in each.items() if wrong_rows(s)), reverse=True)[:top]
    for n, d in worst:
        errors = Counter({f"{g}->{p}": k for (g, p), k in each[d].confusion.items() if g != p})
        lines.append(
            f"- {d} ({causes[d]}): {n} wrong rows, " + ", ".join(f"{e} {k}" for e, k in errors.most_common())
        )
    body = {g["doc_id"]: g["boilerplate"] for g in gold}
    flagged = [
        (Path(s).stem, k, text)
        for s, k, text, flag in out.paragraphs
        if flag
        and k < len(body[Path(s).stem])
        and not body[Path(s).stem][k]
        and causes.get(Path(s).stem) != "paragraphs"
    ]
    lines += [
        "",
        f"{len(flagged)} body paragraphs flagged boilerplate (documents with gold's paragraphs):",
        "",
    ]
    lines += [f"- {d} #{k}: {text[:100]}" for d, k, text in flagged[:top]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="leave the corpora and warehouses in this folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fate-losses-") as scratch:
        root = args.keep or Path(scratch)
        for n in args.stories:
            folder = write_generated(n, root / f"generated-{n}" / "corpus", args.seed)
            run_reprint([folder], root / f"generated-{n}" / "warehouse")
            gold = [json.loads(line) for line in (folder / ".gold.jsonl").read_text().splitlines()]
            print(
                losses_page(f"{n} stories", gold, read_warehouse(root / f"generated-{n}" / "warehouse"))
                + "\n"
            )


if __name__ == "__main__":
    main()
