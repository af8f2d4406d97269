"""Where `reprint run`'s driver holds its memory: the run's own steps (tasks/run.py, as flows/local.py calls
them, no Prefect) in this process, with the resident memory sampled every 20 ms and charged to the innermost
traced step running at that moment. The shard steps run in worker processes, as in `reprint run`; their
memory is not this process's and is not counted here (bench/run_bench.py measures the whole process tree).

    .venv/bin/python -m bench.run_memory CORPUS WAREHOUSE [--json OUT]

Prints one line per traced step: calls, seconds, the largest RSS seen while it was the innermost step running,
the RSS when it was first entered, and the largest RSS of the whole process tree (this process and its
worker processes, summed) while it ran. Then each pool of worker processes (the prepare pool, the align
pool): its workers' own peak RSS (the kernel's high-water mark, VmHWM, read while they live, so no peak
between two samples is missed). The warehouse is used as given (empty: a first run; a copy of a warehouse:
a run adding what CORPUS has that it lacks).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import resource
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

# (module, function) pairs traced as steps; a step inside another is charged to the inner one.
STEPS = (
    ("tasks.run", "discover"),
    ("tasks.run", "load_warehouse"),
    ("tasks.run", "link"),
    ("tasks.run", "align_jobs"),
    ("tasks.run", "commit_version"),
    ("tasks.run", "report_pages"),
    ("tasks.run", "_wide_file"),
    ("tasks.run", "_linking_patch"),
    ("tasks.run", "read_link_tables"),
    ("tasks.run", "combined_documents"),
    ("tasks.run", "find_stories"),
    ("tasks.run", "changed_documents"),
    ("tasks.run", "keyed_members"),
    ("tasks.run", "stories_to_align"),
    ("tasks.run", "write_sorted"),
    ("tasks.stories", "link_corpus"),
    ("tasks.stories", "template_rows"),
    ("tasks.stories", "repeated_in_outlet_rows"),
    ("tasks.stories", "document_names"),
    ("tasks.stories", "name_candidate_pairs"),
    ("tasks.stories", "with_evidence"),
    ("tasks.stories", "sketch_file"),
    ("tasks.stories", "outlet_revision_pairs"),
    ("tasks.stories", "outlet_version_pairs"),
    ("tasks.stories", "url_versions"),
    ("tasks.stories", "body_rows"),
    ("tasks.stories", "furniture_headings"),
    ("tasks.stories", "relinked_documents"),
    ("tasks.run", "changed_bodies"),
    ("tasks.run", "_linking_patch"),
    ("tasks.run", "index_rewrite"),
    ("tasks.run", "align_shard"),
)


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def child_pids() -> tuple[list[int], list[int]]:
    """(every process this one started, directly or not; the worker processes of its pools among them: the
    children of the forkserver it started, which is its own child and lives on between pools)."""
    import psutil

    every, workers = [], []
    for child in psutil.Process().children():
        every.append(child.pid)
        try:
            below = [p.pid for p in child.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        every += below
        workers += below
    return every, workers


class Sampler(threading.Thread):
    def __init__(self, stack: list[str], charged: dict) -> None:
        super().__init__(daemon=True)
        self.stack, self.charged, self.done = stack, charged, threading.Event()
        # pid -> {"step": the driver's step when first seen, "peak_mb": VmHWM, "pool": pool number}
        self.workers: dict[int, dict] = {}
        self.pools = 0

    def run(self) -> None:
        tick = 0
        while not self.done.is_set():
            rss, name = rss_mb(), (self.stack[-1] if self.stack else "(between steps)")
            entry = self.charged.setdefault(name, {"calls": 0, "seconds": 0.0, "peak_mb": 0.0})
            entry["peak_mb"] = max(entry["peak_mb"], rss)
            if tick % 10 == 0:  # the workers every 0.2 s: listing processes costs more than statm
                tree = rss
                every, workers = child_pids()
                if any(pid not in self.workers for pid in workers) and not any(
                    w["alive"] for w in self.workers.values()
                ):
                    self.pools += 1  # workers where none lived: a new pool
                for worker in self.workers.values():
                    worker["alive"] = False
                for pid in every:
                    try:
                        own, high = _status_mb(pid, "VmRSS"), _status_mb(pid, "VmHWM")
                    except (FileNotFoundError, ProcessLookupError):
                        continue
                    tree += own
                    if pid in workers:
                        worker = self.workers.setdefault(
                            pid, {"step": name, "peak_mb": 0.0, "pool": self.pools}
                        )
                        worker["peak_mb"], worker["alive"] = max(worker["peak_mb"], high), True
                entry["tree_peak_mb"] = max(entry.get("tree_peak_mb", 0.0), tree)
            tick += 1
            self.done.wait(0.02)


def trace(stack: list[str], charged: dict) -> None:
    for module_name, name in STEPS:
        module = importlib.import_module(module_name)
        function = getattr(module, name, None)
        if function is None:
            continue

        def traced(*args, __function=function, __name=name, **kwargs):
            entry = charged.setdefault(__name, {"calls": 0, "seconds": 0.0, "peak_mb": 0.0})
            entry.setdefault("entered_mb", rss_mb())
            stack.append(__name)
            start = time.perf_counter()
            try:
                return __function(*args, **kwargs)
            finally:
                stack.pop()
                entry["calls"] += 1
                entry["seconds"] += time.perf_counter() - start

        functools.update_wrapper(traced, function)
        setattr(module, name, traced)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("warehouse")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--skip-reuse",
        action="store_true",
        help="leave `reuse_pairs` as stored (the reuse step is measured apart: bench/reuse_bench.py)",
    )
    args = parser.parse_args(argv)
    stack: list[str] = []
    charged: dict = {}
    trace(stack, charged)
    if args.skip_reuse:
        import tasks.run
        from tasks.warehouse import Rewrite

        tasks.run.reuse_rewrite = lambda *a, **k: Rewrite()
    from flows.local import TerminalRunner
    from tasks.run import RunOptions, run

    sampler = Sampler(stack, charged)
    sampler.start()
    load = os.getloadavg()
    start = time.perf_counter()
    outcome = run([args.corpus], args.warehouse, RunOptions(), TerminalRunner())
    sampler.done.set()
    sampler.join()
    from bench.run_bench import ROOT, _git, machine

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "commit": _git("rev-parse", "HEAD", cwd=ROOT),
        "command": " ".join(["python -m bench.run_memory", *(argv if argv is not None else sys.argv[1:])]),
        "load_average": [list(load), list(os.getloadavg())],
        "corpus": args.corpus,
        "reuse_step": "skipped" if args.skip_reuse else "run",
        "seconds": round(time.perf_counter() - start, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "summary": outcome.summary,
        "steps": {k: {f: round(v, 1) for f, v in e.items()} for k, e in charged.items()},
        "tree_peak_mb": round(max((e.get("tree_peak_mb", 0.0) for e in charged.values()), default=0.0), 1),
        "worker_pools": pools(sampler.workers),
    }
    for name, entry in sorted(charged.items(), key=lambda kv: -kv[1]["peak_mb"]):
        print(
            f"{name:28s} calls {entry['calls']:3d}  {entry['seconds']:7.1f} s peak {entry['peak_mb']:7.0f} MB"
            f"  entered at {entry.get('entered_mb', 0):7.0f} MB",
            file=sys.stderr,
        )
    for pool in result["worker_pools"]:
        print(
            f"worker pool {pool['pool']} (started in {pool['step']}): {pool['workers']} processes, "
            f"peak RSS of each {pool['peak_mb']} MB",
            file=sys.stderr,
        )
    print(
        f"peak RSS {result['peak_rss_mb']} MB (process tree {result['tree_peak_mb']} MB) in "
        f"{result['seconds']} s",
        file=sys.stderr,
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return result


def pools(workers: dict[int, dict]) -> list[dict]:
    """Per pool of worker processes: the driver's step when it started, its processes and their peaks."""
    out: dict[int, dict] = {}
    for worker in workers.values():
        pool = out.setdefault(worker["pool"], {"pool": worker["pool"], "step": worker["step"], "peak_mb": []})
        pool["peak_mb"].append(round(worker["peak_mb"], 1))
    for pool in out.values():
        pool["workers"] = len(pool["peak_mb"])
        pool["peak_mb"] = sorted(pool["peak_mb"], reverse=True)
    return [out[k] for k in sorted(out)]


if __name__ == "__main__":
    main()
