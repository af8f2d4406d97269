"""Boilerplate flags against the generator's gold: precision and recall at several corpus sizes.

Run: `.venv/bin/python -m bench.boilerplate_bench [--stories 100 1000 10000] [--pipeline 100 1000]
[--json bench/results/boilerplate.json]`.
`--stories`: the rules alone (tasks.boilerplate.flag_documents on each document split as ingestion splits it),
fast enough for 10,000 stories. `--pipeline`: `reprint run` on a generated folder, scored on the warehouse's
`is_boilerplate` (rules and repetition across an outlet's stories), broken down by `boilerplate_reason`.
Precision on the generator is precision on real news prose (its body text is the Lee news corpus): every
false positive is a sentence of news flagged as furniture. Up to five misses and false flags are printed.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from bench.corpus import iter_documents, write_folder
from bench.quality import run_reprint
from tasks.boilerplate import BOILERPLATE_VERSION, flag_documents
from tasks.clean import split_document


def _summary(counts: Counter, wrong: list[str], missed: list[str]) -> dict:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {
        "paragraphs": counts["paragraphs"],
        "gold_boilerplate": tp + fn,
        "flagged": tp + fp,
        "false_flags": fp,
        "misses": fn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "false_flag_examples": wrong[:5],
        "miss_examples": missed[:5],
    }


def _count(counts: Counter, wrong: list, missed: list, text: str, gold: bool, ours: bool) -> None:
    counts["paragraphs"] += 1
    counts["tp" if gold and ours else "fp" if ours else "fn" if gold else "tn"] += 1
    if ours and not gold:
        wrong.append(text[:160])
    elif gold and not ours:
        missed.append(text[:160])


def score_rules(stories: int, seed: int = 0, batch: int = 2000) -> dict:
    """The rules' flags on every generated document, split into paragraphs as ingestion does."""
    counts: Counter = Counter()
    wrong: list[str] = []
    missed: list[str] = []
    docs = list(iter_documents(stories, seed=seed))
    for start in range(0, len(docs), batch):
        chunk = docs[start : start + batch]
        split = [split_document(doc.text)[1] for doc in chunk]
        for doc, paragraphs, flags in zip(chunk, split, flag_documents(split), strict=True):
            if len(paragraphs) != len(doc.paragraphs):  # a paragraph taken as a title: not comparable
                counts["unaligned_documents"] += 1
                continue
            for text, gold, ours in zip(paragraphs, doc.boilerplate, flags, strict=True):
                _count(counts, wrong, missed, text, gold, ours)
    out = _summary(counts, wrong, missed)
    out["documents"] = len(docs)
    out["unaligned_documents"] = counts["unaligned_documents"]
    return out


def score_pipeline(stories: int, seed: int = 0) -> dict:
    """`reprint run` on a generated folder; is_boilerplate of every stored paragraph against gold."""
    with tempfile.TemporaryDirectory(prefix="reprint-bench-") as tmp:
        folder, warehouse = Path(tmp) / "in", Path(tmp) / "warehouse"
        write_folder(iter_documents(stories, seed=seed), folder)
        seconds = run_reprint([folder], warehouse)
        gold = {}
        for line in (folder / ".gold.jsonl").read_text().splitlines():
            row = json.loads(line)
            gold[row["doc_id"]] = row["boilerplate"]
        con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
        rows = con.sql(
            "select d.source, d.n_paragraphs, p.para_idx, p.text, p.is_boilerplate, p.boilerplate_reason "
            "from paragraphs p join documents d using (doc_id) order by d.source, p.para_idx"
        ).fetchall()
        con.close()
    counts: Counter = Counter()
    by_reason: dict[str, Counter] = {}
    wrong: list[str] = []
    missed: list[str] = []
    wrong_by_rule: list[str] = []
    unaligned = set()
    for source, n, k, text, flag, reason in rows:
        flags = gold[Path(source).stem]
        if n != len(flags):  # a first paragraph taken as the title: indices do not match gold
            unaligned.add(source)
            continue
        _count(counts, wrong, missed, text, flags[k], flag)
        if flag:
            by_reason.setdefault(reason or "?", Counter())["right" if flags[k] else "wrong"] += 1
            if reason == "rule" and not flags[k]:
                wrong_by_rule.append(text[:160])
    out = _summary(counts, wrong, missed)
    out["rule_false_flag_examples"] = wrong_by_rule[:10]
    out["unaligned_documents"] = len(unaligned)
    out["by_reason"] = {reason: dict(c) for reason, c in sorted(by_reason.items())}
    out["run_seconds"] = round(seconds, 1)
    return out


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def markdown_table(result: dict) -> str:
    """A results file as a markdown table (printed by a run; docs/boilerplate.md shows bench/results')."""
    lines = [
        "| corpus | stories | paragraphs | gold boilerplate | flagged | false flags | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, s in result.items():
        if isinstance(s, dict) and "-" in key:
            kind, n = key.rsplit("-", 1)
            lines.append(
                f"| {kind} | {n} | {s['paragraphs']} | {s['gold_boilerplate']} | {s['flagged']} | "
                f"{s['false_flags']} | {s['precision']:.4f} | {s['recall']:.4f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--pipeline", type=int, nargs="*", default=[])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args(argv)
    result: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} ({platform.machine()}, {platform.python_version()})",
        "commit": _commit(),
        "rules": BOILERPLATE_VERSION,
        "seed": args.seed,
    }
    runs = (("rules", args.stories, score_rules), ("pipeline", args.pipeline, score_pipeline))
    for kind, sizes, score in runs:
        for n in sizes:
            result[f"{kind}-{n}"] = score(n, args.seed)
    print(markdown_table(result))
    for key, s in result.items():
        if isinstance(s, dict):
            extra = (
                f" by reason {s['by_reason']}, by rule {s['rule_false_flag_examples']}"
                if "by_reason" in s
                else ""
            )
            print(f"\n{key}:{extra}\n  false flags: {s['false_flag_examples']}")
            print(f"  misses: {s['miss_examples']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
