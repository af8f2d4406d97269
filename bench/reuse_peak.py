"""Where reuse outside stories peaks: find a warehouse's `reuse_pairs` whole in this process, as a first run
finds them (every paragraph pair the passage index pairs), with the resident memory sampled every 10 ms and,
at each new peak, the lines of tasks/ the step was in (bench.link_peak's sampler).

    .venv/bin/python -m bench.reuse_peak WAREHOUSE --scratch DIR [--json OUT]

The input is a warehouse a run committed (its `paragraphs` files, their committed flags, and its
`story_members`); nothing is written into it, the rows go to a file under DIR. In a run the step runs in a
thread of the run's process beside the align workers (tasks/run.py), so its peak adds to theirs. Printed and
stored: the peak RSS, the CPU seconds, the rows' digest (the same digest between two checkouts: the same
rows), and the last peaks with their stacks.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import threading
import time
from pathlib import Path

from bench.link_peak import Sampler, _rss_mb, report


def rows_digest(path: Path) -> tuple[int, str]:
    """The rows of a reuse_pairs file, sorted by every column, hashed: (rows, digest)."""
    import duckdb

    con = duckdb.connect()
    digest = hashlib.sha256()
    rows = 0
    query = con.sql(f"select * from read_parquet('{path}') order by all")
    for batch in query.to_arrow_reader():
        for column in batch.columns:
            digest.update(repr(column.to_pylist()).encode())
        rows += batch.num_rows
    con.close()
    return rows, digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", type=Path, help="a warehouse a run committed")
    parser.add_argument("--scratch", type=Path, required=True, help="where the step writes its files")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    import pyarrow as pa

    from tasks.reuse import ReuseInputs, find_reuse
    from tasks.warehouse import Source, read_columns, table_files

    load = os.getloadavg()
    sampler = Sampler(threading.get_ident())
    sampler.start()
    stories = table_files(args.warehouse, "story_members")
    members = read_columns(stories, "story_members", ["doc_id", "story_id"])
    paragraphs = [Source(f) for f in table_files(args.warehouse, "paragraphs")]
    inputs = ReuseInputs(paragraphs, None, paragraphs, members, [], pa.array([], pa.string()))
    before = _rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    found = find_reuse(inputs, args.scratch)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    sampler.done.set()
    sampler.join()
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    rows, digest = rows_digest(found.path)
    shutil.rmtree(found.path.parent, ignore_errors=True)
    figures = {
        "stories_rows": members.num_rows,
        "before_mb": round(before),
        "peak_rss_mb": peak,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "rows": rows,
        "rows_sha256": digest,
    }
    return report("bench.reuse_peak", argv, load, figures, sampler, args.json)


if __name__ == "__main__":
    main()
