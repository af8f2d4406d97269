"""What finding reuse outside stories costs `reprint run`: a full run of a generated corpus, a run with
nothing new and a run after 1% new documents, each timed end to end with its peak RSS (the run and its worker
processes), and the reuse step's own seconds from the run's log with the peak RSS while it ran; the same on
the real set, and a full run of a larger corpus (`--larger`). Results: bench/results/reuse.json.

    .venv/bin/python -m bench.reuse_bench --corpus /work/tmp13/corpus-10100 --documents 10000 \\
        --larger /work/tmp13/corpus-50000 --work /work/tmp-reuse/bench

The corpus folder holds a manifest.csv; its first `--documents` rows are the full run, the rest the +1% run
(hard links, so the input roots and paths stay those of one folder, as a daily drop would add files).
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
from pathlib import Path

import duckdb

from bench.run_bench import _git, _link_documents, _tree_rss, machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "reuse.json"
REPRINT = ROOT / ".venv" / "bin" / "reprint"
STEP = re.compile(
    r"(\d\d):(\d\d):(\d\d(?:\.\d+)?) \| INFO\s*\| "
    r"found (\d+) passages shared by pairs of documents in ([\d.]+) s"
)


def timed_run(inputs: list[Path], warehouse: Path, home: Path) -> dict:
    """`reprint run --verbose` as a user runs it: wall seconds, peak RSS of its process tree, the reuse
    step."""
    env = os.environ | {"PREFECT_HOME": str(home)}
    command = [
        str(REPRINT),
        "run",
        *map(str, inputs),
        "--warehouse",
        str(warehouse),
        "--no-report",
        "--verbose",
    ]
    started = time.monotonic()
    log_file = warehouse.parent / f"{warehouse.name}-run.log"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "w+", encoding="utf-8") as err:  # a file, not a pipe: a long log cannot block the run
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, text=True, env=env)
        samples = []  # (seconds since midnight, local time as the log prints it; bytes resident)
        while process.poll() is None:
            now = time.time()
            samples.append((now - _midnight(now), _tree_rss(process.pid)))
            time.sleep(0.2)
        seconds = time.monotonic() - started
        err.seek(0)
        log = err.read()
    if process.returncode:
        raise RuntimeError(f"reprint run failed ({process.returncode}): {log[-2000:]}")
    step = STEP.search(log)
    step_peak = None
    if step:
        # The step ran from its log line's time less its seconds to that time: the run's peak RSS then.
        ended = int(step.group(1)) * 3600 + int(step.group(2)) * 60 + float(step.group(3))
        during = [rss for at, rss in samples if ended - float(step.group(5)) - 0.3 <= at <= ended + 0.3]
        step_peak = round(max(during) / 2**20, 1) if during else None
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(max((rss for _, rss in samples), default=0) / 2**20, 1),
        "reuse_seconds": float(step.group(5)) if step else None,
        "reuse_peak_rss_mb": step_peak,
        "reuse_rows": int(step.group(4)) if step else None,
    }


def _midnight(now: float) -> float:
    """The epoch seconds of the local midnight before `now` (the run's log prints local times)."""
    local = time.localtime(now)
    return now - (local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec + (now % 1))


def table_figures(warehouse: Path) -> dict:
    """What the table holds: rows, pairs, pairs across stories, boilerplate spans."""
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        rows, pairs, across, across_pairs, boilerplate = con.sql(
            "select count(*), count(distinct (doc_id1, doc_id2)), count(*) filter (not same_story), "
            "count(distinct (doc_id1, doc_id2)) filter (not same_story), count(*) filter (boilerplate) "
            "from reuse_pairs"
        ).fetchall()[0]
        documents = con.sql("select count(*) from documents").fetchall()[0][0]
    finally:
        con.close()
    return {
        "documents": documents,
        "rows": rows,
        "pairs": pairs,
        "rows_across_stories": across,
        "pairs_across_stories": across_pairs,
        "boilerplate_rows": boilerplate,
    }


def measure_generated(corpus: Path, n: int, work: Path) -> dict:
    with open(corpus / "manifest.csv", newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    folder = work / "generated" / "corpus"
    shutil.rmtree(folder.parent, ignore_errors=True)
    folder.mkdir(parents=True)
    _link_documents(corpus, folder, rows[:n], header)
    warehouse, home = folder.parent / "warehouse", folder.parent / "prefect"
    full = timed_run([folder], warehouse, home)
    full["table"] = table_figures(warehouse)
    idle = timed_run([folder], warehouse, home)
    _link_documents(corpus, folder, rows, header)
    added = timed_run([folder], warehouse, home)
    added["table"] = table_figures(warehouse)
    # The same corpus in one run: what the incremental warehouse must equal.
    once = folder.parent / "once"
    timed_run([folder], once, home)
    same = _rows(warehouse) == _rows(once)
    shutil.rmtree(folder.parent, ignore_errors=True)
    return {
        "documents": n,
        "new_documents": len(rows) - n,
        "full": full,
        "idle": idle,
        "incremental": added,
        "reuse_share_of_full_run": round(full["reuse_seconds"] / full["seconds"], 3),
        "reuse_share_of_incremental_run": round(added["reuse_seconds"] / added["seconds"], 3),
        "incremental_equals_one_run": same,
    }


def _rows(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        return con.sql("select * exclude (reuse_version) from reuse_pairs order by all").fetchall()
    finally:
        con.close()


def measure_larger(corpus: Path, work: Path) -> dict:
    """One full run of a larger generated corpus (read in place): what the step costs as the corpus grows."""
    return _full_run(corpus, work / "larger")


def measure_real(work: Path) -> dict:
    """The real set (bench/real/corpus, built by `python -m bench.real.assemble`): one full run."""
    corpus = ROOT / "bench" / "real" / "corpus"
    if not corpus.is_dir():
        subprocess.run([sys.executable, "-m", "bench.real.assemble"], check=True, cwd=ROOT)
    return _full_run(corpus, work / "real")


def _full_run(corpus: Path, where: Path) -> dict:
    """One timed `reprint run` of `corpus` into a fresh warehouse under `where`, its reuse table's figures,
    and the warehouse removed after."""
    shutil.rmtree(where, ignore_errors=True)
    result = timed_run([corpus], where / "warehouse", where / "prefect")
    result["table"] = table_figures(where / "warehouse")
    shutil.rmtree(where, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, required=True, help="a generated corpus folder with manifest.csv"
    )
    parser.add_argument("--documents", type=int, default=10_000, help="documents of the full run")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder (warehouses, copies)")
    parser.add_argument("--larger", type=Path, help="a larger generated corpus: one full run of it")
    parser.add_argument("--skip-real", action="store_true")
    opts = parser.parse_args(argv)
    opts.work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    out = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "load_average_at_start": round(load, 2),
        "command": "python -m bench.reuse_bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "generated": measure_generated(opts.corpus, opts.documents, opts.work),
    }
    if opts.larger:
        out["larger"] = measure_larger(opts.larger, opts.work)
    if not opts.skip_real:
        out["real"] = measure_real(opts.work)
    out["load_average_at_end"] = round(os.getloadavg()[0], 2)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()


def markdown_table(results: dict) -> str:
    """The page's table (docs/reuse.md, region `reuse-results`): each run's time, its reuse step, its peak
    RSS and the table's rows."""
    g = results["generated"]
    lines = [
        "| corpus | run | documents | `reprint run` | reuse step | share | peak RSS | peak RSS in the step "
        "| rows (across stories) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]

    def row(corpus: str, name: str, run: dict, documents: int) -> str:
        step = run.get("reuse_seconds")
        table = run.get("table")
        share = f"{step / run['seconds']:.0%}" if step is not None else ""
        rows = f"{table['rows']:,} ({table['rows_across_stories']:,})" if table else ""
        took = f"{step:.1f} s" if step is not None else "not run"
        during = run.get("reuse_peak_rss_mb")
        during = f"{during:,.0f} MB" if during is not None else ""
        return (
            f"| {corpus} | {name} | {documents:,} | {run['seconds']:.1f} s | {took} | {share} | "
            f"{run['peak_rss_mb']:,.0f} MB | {during} | {rows} |"
        )

    n = g["documents"]
    lines += [
        row("generated", "full", g["full"], n),
        row("generated", "nothing new", g["idle"], n),
        row("generated", f"+{g['new_documents']} documents", g["incremental"], n + g["new_documents"]),
    ]
    if "larger" in results:
        larger = results["larger"]
        lines.append(row("generated", "full", larger, larger["table"]["documents"]))
    if "real" in results:
        real = results["real"]
        lines.append(row("real set", "full", real, real["table"]["documents"]))
    same = "equal" if g["incremental_equals_one_run"] else "**not equal**"
    lines += [
        "",
        f"After the +{g['new_documents']} run, `reuse_pairs` is {same} to one run's on all "
        f"{n + g['new_documents']:,} documents.",
    ]
    return "\n".join(lines)
