"""Where linking's peak is: link a prepared corpus whole in this process, as a first run links, with the
resident memory sampled every 10 ms and, at each new peak, the lines of tasks/ the run's thread was in.

    .venv/bin/python -m bench.link_peak WAREHOUSE_OR_STAGING [--json OUT] [--scratch DIR]

The input is a warehouse (its `documents` and `paragraphs` files) or a run's staging folder of prepared
shards (`WAREHOUSE/.staging/prepare`, each shard's `documents.parquet` and `paragraphs.parquet`, as a run
killed after preparing leaves it). Linking reads what `reprint run` reads (`read_link_tables(...,
wide=False)`, the sketches, names and texts from the files) and calls `find_stories`. Printed and stored:
the peak RSS, the stories' and flags' digests (to compare two checkouts on the same files: the same
digests are the same stories and flags), and the last peaks with their stacks. bench/link_memory.py fits
linking's memory over generated corpora it prepares itself; this takes a corpus a run prepared.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import threading
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

_PAGE = resource.getpagesize()


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * _PAGE / 2**20


def _anon_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    """RSS every 10 ms; at each rise of over 5 MB above the peak so far, the main thread's tasks/ frames."""

    def __init__(self, thread: int) -> None:
        super().__init__(daemon=True)
        self.thread, self.peak, self.done = thread, 0.0, threading.Event()
        self.peaks: list[tuple] = []  # (seconds, RSS MB, anonymous MB, stack)
        self.timeline: list[tuple] = []  # (seconds, RSS MB), about once a second
        self.start_time = time.perf_counter()

    def run(self) -> None:
        last = -1.0
        while not self.done.is_set():
            rss, at = _rss_mb(), time.perf_counter() - self.start_time
            if rss > self.peak + 5:
                self.peak = rss
                frame = sys._current_frames().get(self.thread)
                stack = [
                    f"{Path(f.filename).name}:{f.lineno} {f.name}"
                    for f in traceback.extract_stack(frame)
                    if "/tasks/" in f.filename
                ]
                self.peaks.append((round(at, 2), round(rss), round(_anon_mb()), stack))
            if at - last >= 1:
                last = at
                self.timeline.append((round(at, 1), round(rss)))
            self.done.wait(0.01)


def files_of(folder: Path) -> tuple[list[Path], list[Path]]:
    """The documents' and paragraphs' files of a warehouse, or of a staging folder of prepared shards."""
    from tasks.warehouse import table_files

    if (folder / "documents").exists():
        return table_files(folder, "documents"), table_files(folder, "paragraphs")
    documents = sorted(folder.glob("*/documents.parquet"))
    return documents, [p.parent / "paragraphs.parquet" for p in documents]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a warehouse, or a staging folder of prepared shards")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--scratch", type=Path, default=None, help="where linking writes its files")
    args = parser.parse_args(argv)
    from tasks import stories

    load = os.getloadavg()
    sampler = Sampler(threading.get_ident())
    sampler.start()
    documents, paragraphs = files_of(args.corpus)
    docs, paras = stories.read_link_tables(documents, paragraphs, wide=False)
    after_read = _rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    members, flagged = stories.find_stories(docs, paras, evidence=paragraphs, scratch=args.scratch)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    sampler.done.set()
    sampler.join()
    digest = hashlib.sha256()
    for row in members.sort_by([("doc_id", "ascending")]).to_pylist():
        digest.update(repr((row["doc_id"], row["story_id"], row["version"], row["copied_from"])).encode())
    flags = hashlib.sha256()
    for column in ("doc_id", "is_boilerplate", "boilerplate_reason"):
        flags.update(repr(flagged.column(column).to_pylist()).encode())
    figures = {
        "documents": docs.num_rows,
        "paragraphs": paras.num_rows,
        "after_read_mb": round(after_read),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "link_seconds": round(seconds, 1),
        "link_cpu_seconds": round(cpu, 1),
        "members_sha256": digest.hexdigest()[:16],
        "flags_sha256": flags.hexdigest()[:16],
    }
    return report("bench.link_peak", argv, load, figures, sampler, args.json)


def report(
    name: str, argv: list[str] | None, load: tuple, figures: dict, sampler: Sampler, out: Path | None
) -> dict:
    """The measure with its date, machine, commit, command and load average, and the sampler's peaks and
    timeline: printed (the last peaks with their stacks) and written to `out`."""
    from bench.run_bench import ROOT, _git, machine

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "commit": _git("rev-parse", "HEAD", cwd=ROOT),
        "command": " ".join([f"python -m {name}", *(argv if argv is not None else sys.argv[1:])]),
        "load_average": [list(load), list(os.getloadavg())],
        **figures,
        "peaks": sampler.peaks,
        "timeline": sampler.timeline,
    }
    print(json.dumps({k: v for k, v in result.items() if k not in ("peaks", "timeline")}))
    for at, rss, anon, stack in sampler.peaks[-8:]:
        print(f"{at:8.1f} s {rss:6d} MB (anonymous {anon}): {' > '.join(stack[-4:])}")
    if out:
        out.write_text(json.dumps(result, indent=1) + "\n")
    return result


if __name__ == "__main__":
    main()
