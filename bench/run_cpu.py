"""CPU seconds of `reprint run` per step for two checkouts started together on one corpus, and whether the two
warehouses hold the same rows and report pages (docs/pipeline.md, Where a run's seconds go).

    .venv/bin/python -m bench.run_cpu /work/tmp13/corpus-10000 --before 6f07a27 --work /work/tmp-x/cpu

Each run is `reprint run CORPUS --warehouse W --verbose` with a fresh PREFECT_HOME. The CPU seconds (user and
system) of its whole process tree are read from the kernel every 0.25 s (psutil; a process's last reading
counts once it is gone, so a worker's final quarter second may be missed) and cut into steps at the log
lines bench/run_bench.py cuts wall seconds at. On a shared machine both runs meet the same load, so their CPU
seconds compare where their walls do not. The warehouses are compared table by table (DuckDB `except all`
both ways) and the report pages byte for byte, the `.made-from` marker aside (it names each run's version).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.run_bench import ROOT, Code, _git, before_code, cli_env, machine, step_ends, tree_processes

SAMPLE_SECONDS = 0.25


def timed_run(code: Code, corpus: Path, warehouse: Path, home: Path, log: Path) -> dict:
    """`reprint run` to its end: wall seconds, CPU seconds of its process tree, and both per step."""
    import psutil

    env = cli_env(home)
    shutil.rmtree(warehouse, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    started = time.time()
    series: list[tuple[float, float]] = []
    with open(log, "w", encoding="utf-8") as out:
        args = ["run", str(corpus), "--warehouse", str(warehouse), "--verbose"]
        # In the code's own folder: a worker process imports `tasks` from its working folder first.
        proc = subprocess.Popen(
            code.command(*args), cwd=code.folder, stdout=out, stderr=subprocess.STDOUT, env=env
        )
        last: dict[int, float] = {}
        while proc.poll() is None:
            for p in tree_processes(proc.pid):
                try:
                    times = p.cpu_times()
                    last[p.pid] = times.user + times.system
                except psutil.NoSuchProcess:
                    continue
            series.append((time.time(), sum(last.values())))
            time.sleep(SAMPLE_SECONDS)
    ended = time.time()
    total = series[-1][1] if series else 0.0

    def cpu_at(moment: float) -> float:
        return max((cpu for at, cpu in series if at <= moment), default=0.0)

    steps, before = {}, started
    for step, offset in step_ends(log, started).items():
        end = started + offset
        steps[step] = {"wall": round(end - before, 2), "cpu": round(cpu_at(end) - cpu_at(before), 2)}
        before = end
    steps["terminal report and shutdown"] = {
        "wall": round(ended - before, 2),
        "cpu": round(total - cpu_at(before), 2),
    }
    return {
        "returncode": proc.returncode,
        "wall": round(ended - started, 2),
        "cpu": round(total, 2),
        "steps": steps,
    }


def same_warehouses(a: Path, b: Path) -> dict:
    """Rows of each table in one warehouse and not the other (both ways); whether the report pages match."""
    import duckdb

    con = duckdb.connect()
    out: dict = {"tables": {}}
    for table in sorted(
        p.name for p in a.iterdir() if p.is_dir() and p.name != "report" and p.name[0] != "."
    ):
        scans = [f"read_parquet('{w / table}/*.parquet', union_by_name = true)" for w in (a, b)]
        rows = con.sql(f"select count(*) from {scans[0]}").fetchall()[0][0]
        only = [
            con.sql(f"select count(*) from (select * from {x} except all select * from {y})").fetchall()[0][0]
            for x, y in (scans, scans[::-1])
        ]
        out["tables"][table] = {"rows": rows, "only_first": only[0], "only_second": only[1]}

    def pages(root: Path) -> list[str]:
        return sorted(
            str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != ".made-from"
        )

    first, second = pages(a / "report"), pages(b / "report")
    out["report_pages"] = len(first)
    out["report_identical"] = first == second and all(
        filecmp.cmp(a / "report" / f, b / "report" / f, shallow=False) for f in first
    )
    out["equal"] = out["report_identical"] and not any(
        t["only_first"] or t["only_second"] for t in out["tables"].values()
    )
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.run_cpu", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--before", metavar="REV", required=True, help="the checkout run beside this one")
    parser.add_argument("--work", type=Path, default=Path("/tmp/reprint-cpu"))
    parser.add_argument("--json", type=Path, help="where to store the figures (default: WORK/cpu.json)")
    opts = parser.parse_args(argv)
    opts.work, opts.corpus = opts.work.resolve(), opts.corpus.resolve()
    opts.work.mkdir(parents=True, exist_ok=True)
    codes = [before_code(opts.before, opts.work), Code(ROOT, Path(sys.executable), "current")]
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "commit": _git("rev-parse", "HEAD"),
        "before": _git("rev-parse", f"{opts.before}^{{commit}}"),
        "corpus": str(opts.corpus),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "runs": {},
    }
    warehouses = {code.label: opts.work / f"warehouse-{code.label}" for code in codes}

    def one(code: Code) -> None:
        home, log = opts.work / f"home-{code.label}", opts.work / f"{code.label}.log"
        results["runs"][code.label] = timed_run(code, opts.corpus, warehouses[code.label], home, log)

    threads = [threading.Thread(target=one, args=(code,)) for code in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results["compared"] = same_warehouses(*warehouses.values())
    target = opts.json or opts.work / "cpu.json"
    target.write_text(json.dumps(results, indent=1) + "\n")
    before, now = (results["runs"][code.label] for code in codes)
    print(f"{'step':40} {'wall before':>12} {'wall now':>9} {'CPU before':>11} {'CPU now':>8}")
    for step in before["steps"]:
        b, n = before["steps"][step], now["steps"][step]
        print(f"{step:40} {b['wall']:12.1f} {n['wall']:9.1f} {b['cpu']:11.1f} {n['cpu']:8.1f}")
    print(f"{'total':40} {before['wall']:12.1f} {now['wall']:9.1f} {before['cpu']:11.1f} {now['cpu']:8.1f}")
    print(f"tables and report pages equal: {results['compared']['equal']} (stored in {target})")
    return results


if __name__ == "__main__":
    main()
