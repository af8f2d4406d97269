"""What a commit costs in memory: the peak RSS of committing a warehouse's tables anew, streamed (a Rewrite
per table, written sorted a bucket of keys at a time: tasks.warehouse.write_sorted) against holding them (each
table read whole, sorted and written: how the commit worked before, and what `commit(root, {name: table})`
still does for the small tables).

    .venv/bin/python -m bench.commit_memory WAREHOUSE [WAREHOUSE ...]

Each WAREHOUSE is one `reprint run` made (e.g. of /work/tmp13/corpus-10000). Every measurement runs in a fresh
process, so its peak RSS is its own: the committed rows are the source warehouse's `documents`, `paragraphs`
and `paragraph_fates`, each a Rewrite whose parts are the source's files (every row new, as on a first run:
the most a commit writes), into an empty warehouse. The peak is stated above the process's RSS once the code
is imported. Results are appended to bench/results/commit_memory.json (date, machine, commit, command).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "commit_memory.json"
TABLES = ("documents", "paragraphs", "paragraph_fates")


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure_one(source: str, mode: str) -> dict:
    """In this process: commit the source warehouse's big tables into a new warehouse, `mode` streamed or
    whole; seconds, RSS before and peak (MB)."""
    import pyarrow.parquet as pq

    from tasks.warehouse import Rewrite, Source, commit, locked, read_table, table_files

    files = {name: table_files(Path(source), name) for name in TABLES}
    rows = {name: sum(pq.read_metadata(f).num_rows for f in files[name]) for name in TABLES}
    target = Path(tempfile.mkdtemp(prefix="commit-memory-"))
    try:
        base = _rss_mb()
        started = time.perf_counter()
        with locked(target):
            if mode == "streamed":
                tables = {name: Rewrite([Source(f) for f in files[name]]) for name in TABLES}
            else:
                tables = {name: read_table(Path(source), name) for name in TABLES}
            commit(target, tables, "bench")
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        written = {
            name: sum(pq.read_metadata(f).num_rows for f in table_files(target, name)) for name in TABLES
        }
        assert written == rows, (written, rows)
    finally:
        shutil.rmtree(target, ignore_errors=True)
    return {
        "mode": mode,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rss_before_mb": round(base, 1),
        "peak_rss_mb": round(peak, 1),
        "raised_peak_by_mb": round(peak - base, 1),
    }


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouses", nargs="+")
    parser.add_argument("--one", nargs=2, metavar=("WAREHOUSE", "MODE"), help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.one:
        print(json.dumps(measure_one(*opts.one)))
        return {}
    runs = []
    for warehouse in opts.warehouses:
        for mode in ("whole", "streamed"):
            out = subprocess.run(
                [sys.executable, "-m", "bench.commit_memory", "-", "--one", warehouse, mode],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            run = json.loads(out.stdout.strip().splitlines()[-1]) | {"warehouse": warehouse}
            print(json.dumps(run), flush=True)
            runs.append(run)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "load_average": round(os.getloadavg()[0], 1),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "command": "python -m bench.commit_memory " + " ".join(opts.warehouses),
        "runs": runs,
    }
    history = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps(history + [result], indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
