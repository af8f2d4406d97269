"""Where `reprint run`'s driver holds its memory: the run's own steps (tasks/run.py, as flows/local.py calls
them, no Prefect) in this process, with the resident memory sampled every 20 ms and charged to the innermost
traced step running at that moment. The shard steps run in worker processes, as in `reprint run`; their
memory is not this process's and is not counted here (bench/run_bench.py measures the whole process tree).

    .venv/bin/python -m bench.run_memory CORPUS WAREHOUSE [--json OUT]

Prints one line per traced step: calls, seconds, the largest RSS seen while it was the innermost step running,
and the RSS when it was first entered. The warehouse is used as given (empty: a first run; a copy of a
warehouse: a run adding what CORPUS has that it lacks).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import resource
import sys
import threading
import time
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
)


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20


class Sampler(threading.Thread):
    def __init__(self, stack: list[str], charged: dict) -> None:
        super().__init__(daemon=True)
        self.stack, self.charged, self.done = stack, charged, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            rss, name = rss_mb(), (self.stack[-1] if self.stack else "(between steps)")
            entry = self.charged.setdefault(name, {"calls": 0, "seconds": 0.0, "peak_mb": 0.0})
            entry["peak_mb"] = max(entry["peak_mb"], rss)
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
    args = parser.parse_args(argv)
    stack: list[str] = []
    charged: dict = {}
    trace(stack, charged)
    from flows.local import TerminalRunner
    from tasks.run import RunOptions, run

    sampler = Sampler(stack, charged)
    sampler.start()
    start = time.perf_counter()
    outcome = run([args.corpus], args.warehouse, RunOptions(), TerminalRunner())
    sampler.done.set()
    sampler.join()
    result = {
        "corpus": args.corpus,
        "seconds": round(time.perf_counter() - start, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "summary": outcome.summary,
        "steps": {k: {f: round(v, 1) for f, v in e.items()} for k, e in charged.items()},
    }
    for name, entry in sorted(charged.items(), key=lambda kv: -kv[1]["peak_mb"]):
        print(
            f"{name:28s} calls {entry['calls']:3d}  {entry['seconds']:7.1f} s peak {entry['peak_mb']:7.0f} MB"
            f"  entered at {entry.get('entered_mb', 0):7.0f} MB",
            file=sys.stderr,
        )
    print(f"peak RSS {result['peak_rss_mb']} MB in {result['seconds']} s", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
