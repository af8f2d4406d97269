"""A daily run against a full one, on `reprint run` itself (docs/daily-run.md): a full run of N documents, a
run with nothing new, a run after 1% new documents were added, and a check that the daily run's stories and
flags are what linking the whole corpus again gives.

    .venv/bin/python -m bench.daily_run GROWN N WORK [--skip-reuse] [--phases full,idle,daily,fresh,check]
        [--full-time-log LOG] [--json OUT]

GROWN: a generated corpus of N + new documents (bench.throughput.make_corpus); the run's folder WORK/corpus
holds hard links to its first N files, then all of them, with their manifest rows, as a daily drop adds
them. Each phase's figures are saved to OUT as it ends (a long run killed keeps them); a phase left out
reuses the warehouse an earlier call left in WORK. --full-time-log: the full run was timed apart by
`/usr/bin/time -v` (its log), not by this script. --skip-reuse: the runs leave `reuse_pairs` as stored (the
reuse step, tasks/reuse.py, is measured apart: bench/reuse_bench.py); every other step runs as users run it.
The fresh phase runs every file again into a warehouse of its own and compares the two table by table
(against_fresh): the contract's measure. The check links the committed warehouse again over the whole corpus
(tasks.stories.find_stories, no stored stories) from the text-less columns only, and compares story_members
and the paragraphs' flags with what the daily run committed; the rules that read text are off in it, so it
differs from a fresh run by itself (at 100k it said 7,080 documents where a fresh run differs in 41).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.run_bench import ROOT, Code, _link_documents, machine, run_cli, step_seconds

# The CLI as users run it, optionally with the reuse step left out (its stored table kept).
_LAUNCH = (
    "import sys, os; sys.path.insert(0, sys.argv.pop(1))\n"
    "if os.environ.get('BENCH_SKIP_REUSE'):\n"
    "    import tasks.run; from tasks.warehouse import Rewrite\n"
    "    tasks.run.reuse_rewrite = lambda *a, **k: Rewrite()\n"
    "from flows.cli import main; sys.exit(main())"
)


class Launched(Code):
    def command(self, *args: str) -> list[str]:
        return [str(self.python), "-c", _LAUNCH, str(self.folder), *args]


def _rows(folder: Path) -> tuple[list[str], list[list[str]]]:
    with open(folder / "manifest.csv", newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def reprint(code: Code, work: Path, label: str, warehouse: Path, skip_reuse: bool) -> dict:
    if skip_reuse:
        os.environ["BENCH_SKIP_REUSE"] = "1"
    log = work / f"{label}.log"
    load = os.getloadavg()
    args = ["run", str(work / "corpus"), "--warehouse", str(warehouse), "--verbose", "--no-report"]
    out = run_cli(code, args, work / "home", log)
    out["load_average"] = [list(load), list(os.getloadavg())]
    out["steps"] = step_seconds(log, out["started_at"], out["seconds"])
    found = re.findall(r"linked (\d+) documents into (\d+) stories \((\d+) linked again\)", log.read_text())
    if found:
        out["documents"], out["stories"], out["linked_again"] = map(int, found[-1])
    print(f"  {label}: {out}", file=sys.stderr)
    return out


def from_time_log(log: Path) -> dict:
    """The figures `/usr/bin/time -v` printed for a run."""
    text = log.read_text()
    h, m, s = (
        ["0"] + re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)[1].split(":")
    )[-3:]
    return {
        "seconds": round(int(h) * 3600 + int(m) * 60 + float(s), 2),
        "largest_process_rss_mb": round(
            int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)[1]) / 1e3, 1
        ),
        "user_seconds": float(re.search(r"User time \(seconds\): (\S+)", text)[1]),
        "timed_by": f"/usr/bin/time -v ({log})",
    }


def check(warehouse: Path) -> dict:
    """Whole-corpus linking of the committed warehouse against its committed stories and flags."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from tasks.changes import without_repeated_flags
    from tasks.stories import find_stories, read_link_tables
    from tasks.warehouse import read_table, sort_table, table_files

    started = time.perf_counter()
    docs, paras = read_link_tables(table_files(warehouse, "documents"), table_files(warehouse, "paragraphs"))
    members, flagged = find_stories(
        docs, without_repeated_flags(paras), scratch=warehouse / ".staging" / "check"
    )
    stored = read_table(warehouse, "story_members")
    columns = ["story_id", "doc_id", "version", "n_members", "copied_from"]
    same_members = (
        sort_table(members, "story_members")
        .select(columns)
        .equals(sort_table(stored, "story_members").select(columns))
    )
    keys = ["doc_id", "para_idx"]
    flags = ["is_boilerplate", "boilerplate_reason"]
    ours = flagged.select(keys + flags).sort_by([(k, "ascending") for k in keys])
    theirs = paras.select(keys + flags).sort_by([(k, "ascending") for k in keys])
    differ = pc.invert(
        pc.and_(
            pc.fill_null(pc.equal(ours.column("is_boilerplate"), theirs.column("is_boilerplate")), False),
            pc.fill_null(
                pc.equal(ours.column("boilerplate_reason"), theirs.column("boilerplate_reason")), True
            ),
        )
    )
    story_of = dict(
        zip(stored.column("doc_id").to_pylist(), stored.column("story_id").to_pylist(), strict=True)
    )
    fresh_of = dict(
        zip(members.column("doc_id").to_pylist(), members.column("story_id").to_pylist(), strict=True)
    )
    moved = sorted(d for d in fresh_of if fresh_of[d] != story_of.get(d))
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "same_story_members": bool(same_members),
        "documents_in_another_story": len(moved),
        "documents_in_another_story_sample": moved[:20],
        "paragraph_flags_differing": int(pc.sum(differ.cast(pa.int64())).as_py() or 0),
        "paragraphs": paras.num_rows,
    }


def against_fresh(warehouse: Path, fresh: Path) -> dict:
    """The daily run's warehouse against a fresh run's over the same files, table by table (the contract: a
    run on top of stored stories gives a fresh run's tables). Stories are compared as each document's set of
    co-members (a story's id is derived from its members), paragraphs by their flags, fates row by row."""
    import duckdb

    def read(catalog: Path, query: str) -> set:
        con = duckdb.connect(str(catalog / "corpus.duckdb"), read_only=True)
        try:
            return set(con.execute(query).fetchall())
        finally:
            con.close()

    def co_members(catalog: Path) -> dict[str, frozenset]:
        stories: dict[str, set] = {}
        for story, doc in read(catalog, "select story_id, doc_id from story_members"):
            stories.setdefault(story, set()).add(doc)
        return {doc: frozenset(members) for members in stories.values() for doc in members}

    ours, theirs = co_members(warehouse), co_members(fresh)
    out = {"documents_whose_story_differs": sum(ours[d] != theirs.get(d) for d in ours)}
    for table, columns in (
        ("documents", "doc_id"),
        ("paragraphs", "doc_id, para_idx, is_boilerplate, boilerplate_reason"),
        ("paragraph_fates", "story_id, doc_id, base_doc_id, para_idx, base_para_idx, fate"),
    ):
        a, b = (
            read(warehouse, f"select {columns} from {table}"),
            read(fresh, f"select {columns} from {table}"),
        )
        out[table] = {"rows": len(a), "only_daily": len(a - b), "only_fresh": len(b - a)}
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("grown", type=Path)
    parser.add_argument("documents", type=int)
    parser.add_argument("work", type=Path)
    parser.add_argument("--skip-reuse", action="store_true")
    parser.add_argument("--phases", default="full,idle,daily,fresh")
    parser.add_argument("--full-time-log", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    phases = args.phases.split(",")
    code = Launched(ROOT, Path(sys.executable), "current")
    work, warehouse = args.work, args.work / "warehouse"
    out = json.loads(args.json.read_text()) if args.json and args.json.exists() else {}
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    out |= {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "commit": commit,
        "command": " ".join(["python -m bench.daily_run", *(argv if argv is not None else sys.argv[1:])]),
        "documents": args.documents,
        "reuse_step": "skipped (reuse_pairs kept as stored)" if args.skip_reuse else "run",
    }

    def save() -> None:
        if args.json:
            args.json.write_text(json.dumps(out, indent=1) + "\n")

    header, rows = _rows(args.grown)
    (work / "corpus").mkdir(parents=True, exist_ok=True)
    (work / "home").mkdir(exist_ok=True)
    if "full" in phases:
        shutil.rmtree(warehouse, ignore_errors=True)
        _link_documents(args.grown, work / "corpus", rows[: args.documents], header)
        out["full"] = reprint(code, work, "full", warehouse, args.skip_reuse)
        save()
    if args.full_time_log:
        out["full"] = from_time_log(args.full_time_log)
        save()
    if "idle" in phases:
        out["idle"] = reprint(code, work, "idle", warehouse, args.skip_reuse)
        save()
    if "daily" in phases:
        _link_documents(args.grown, work / "corpus", rows, header)
        out["new_documents"] = len(rows) - args.documents
        out["daily"] = reprint(code, work, "daily", warehouse, args.skip_reuse)
        save()
    if "check" in phases:
        out["check"] = check(warehouse)
        save()
    if "fresh" in phases:
        # A fresh run over every file into a warehouse of its own: what the daily run's tables must equal.
        shutil.rmtree(work / "fresh", ignore_errors=True)
        out["fresh"] = reprint(code, work, "fresh", work / "fresh", args.skip_reuse)
        out["against_fresh"] = against_fresh(warehouse, work / "fresh")
        save()
    if "full" in out:
        for name in ("idle", "daily"):
            if name in out:
                out[f"{name}_over_full"] = round(out[name]["seconds"] / out["full"]["seconds"], 4)
    save()
    print(
        json.dumps(
            {k: v for k, v in out.items() if k.endswith("over_full") or k in ("check", "against_fresh")}
        ),
        file=sys.stderr,
    )
    return out


if __name__ == "__main__":
    main()
