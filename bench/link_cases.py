"""Story grouping on the harder linking cases, through `reprint run` (the code path users run): pairwise
precision, recall and F1 of the stories found against the generator's, per case.

    python -m bench.link_cases                       # 300 stories per case, this checkout's reprint
    python -m bench.link_cases --reprint /work/main/.venv/bin/reprint   # the same corpora, another build

Cases (bench/corpus.py LinkingCases, each on its own corpus; every story republished 1-4 times, a fifth of
stories quoting one paragraph of an earlier one): default (none), recut (half the republications re-cut at
other sentence boundaries, a third of those into one paragraph), same-outlet (half are revisions by the
origin's own outlet at the origin's URL), rewrite (half are heavy rewrites keeping names and numbers and
about half of the 5-word shingles, as churnalism does), write-through (the same keeping a quarter),
hard-negative (a quarter of the stories are independent reports printing three paragraphs of an earlier
story verbatim), cut (half the republications are short rewrites: 3-5 paragraphs cut to a sentence each and
reworded, among the hard negatives), churn (half the stories carry quotes: their first republication is
churnalism keeping the quotes and a few phrases of the rest in a reordered story, and an independent report
prints the same quotes beside it: link-10; among the hard negatives), all (every case at once). Results:
bench/results/link_cases.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np

from bench.corpus import LinkingCases, iter_documents, write_jsonl
from bench.score import pairwise_scores

CASES = {
    "default": LinkingCases(),
    "recut": LinkingCases(recut=0.5),
    "same-outlet": LinkingCases(same_outlet=0.5),
    "rewrite": LinkingCases(rewrite=0.5),
    "write-through": LinkingCases(rewrite=0.5, rewrite_share=0.3),
    "hard-negative": LinkingCases(hard_negative=0.25),
    "cut": LinkingCases(cut=0.5, hard_negative=0.25),
    "churn": LinkingCases(churn=0.5, hard_negative=0.25),
    "all": LinkingCases(recut=0.2, same_outlet=0.2, rewrite=0.2, hard_negative=0.2),
}
RESULTS = Path(__file__).resolve().parent / "results" / "link_cases.json"


def measure(case: LinkingCases, stories: int, seed: int, reprint: Path) -> dict:
    """Generate, run reprint on the JSONL, and score its story_members against the gold stories."""
    with tempfile.TemporaryDirectory(prefix="reprint-cases-") as tmp:
        path, warehouse = Path(tmp) / "in.jsonl", Path(tmp) / "warehouse"
        docs = list(iter_documents(stories, seed=seed, distractors=0.2, cases=case))
        write_jsonl(docs, path)
        start = time.perf_counter()
        subprocess.run(
            [str(reprint), "run", str(path), "--warehouse", str(warehouse)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
        con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
        found = con.sql(
            "select d.source, m.story_id from story_members m join documents d using (doc_id)"
        ).fetchall()
        con.close()
    # A JSONL line's source is <file>#<line number>; the gold story is known by the document's position.
    by_line = {int(source.rsplit("#", 1)[-1]): story for source, story in found}
    gold = [d.story for d in docs]
    ours = [by_line.get(k + 1, f"missing-{k}") for k in range(len(docs))]
    return {
        "documents": len(docs),
        "seconds": round(seconds, 1),
        **pairwise_scores(np.array(gold), np.array(ours)),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument("--reprint", type=Path, default=Path(sys.executable).with_name("reprint"))
    args = parser.parse_args(argv)
    rows = {}
    print("| case | documents | precision | recall | F1 | seconds |\n|---|---:|---:|---:|---:|---:|")
    for name in args.cases:
        r = rows[name] = measure(CASES[name], args.stories, args.seed, args.reprint)
        print(
            f"| {name} | {r['documents']} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} "
            f"| {r['seconds']} |",
            flush=True,
        )
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.node(),
        "commit": commit.strip(),
        "reprint": str(args.reprint),
        "stories": args.stories,
        "seed": args.seed,
        "results": rows,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps(previous + [record], indent=1) + "\n")
    return rows


if __name__ == "__main__":
    main()
