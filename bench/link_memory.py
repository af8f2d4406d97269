"""What linking the whole corpus costs in memory and seconds, and which arrays hold that memory.

    .venv/bin/python -m bench.link_memory                          # 10k and 50k documents, this checkout
    .venv/bin/python -m bench.link_memory --sizes 10000 --before main   # also an earlier commit, same files
    .venv/bin/python -m bench.link_memory --render       # docs/link-memory.md's figures from the JSON

Corpora are bench.throughput's (bench/corpus.py news prose, `make_corpus`), prepared once by the real prepare
code (`bench.throughput.ingest`: tasks.ingest + tasks.prepare in worker processes, streamed to Parquet) and
reused. Linking then runs in a fresh process per measurement (its peak RSS its own): it reads from the
Parquet only the columns `tasks.stories` says linking needs (`LINK_DOCUMENT_COLUMNS`,
`LINK_PARAGRAPH_COLUMNS`; a checkout without them reads every column, as its flow loads whole tables) and
calls `find_stories(docs, paras)`, the entry point `reprint run` uses. Each linking stage is traced (seconds,
resident MB, by how much it raised the peak), and every input column's bytes are stated per document and per
paragraph. Results are appended to bench/results/link_memory.json (date, machine, commit, command).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "link_memory.json"
WORK = ROOT / "bench" / "out" / "link-memory"
# Functions whose calls are traced as stages, where the checkout has them (module, name).
STAGES = (
    ("tasks.stories", "url_groups"),
    ("tasks.stories", "body_rows"),
    ("tasks.stories", "outlet_version_pairs"),
    ("tasks.stories", "document_names"),
    ("tasks.stories", "name_candidate_pairs"),
    ("tasks.stories", "link_corpus"),
    ("tasks.stories", "repeated_in_outlet_rows"),
    ("tasks.link", "whole_texts"),
    ("tasks.link", "link_documents"),
    ("tasks.link", "candidate_paragraph_pairs"),
    ("tasks.link", "verify_paragraph_pairs"),
    ("tasks.link", "matched_rows"),
    ("tasks.link", "paragraph_spread"),
    ("tasks.link", "document_overlaps"),
    ("tasks.link", "stock_document_pairs"),
    ("tasks.link", "document_similarity"),
    ("tasks.link", "paragraphs_in_common"),
    ("tasks.link", "rewrite_pairs"),
    ("tasks.link", "cluster_stories"),
    ("tasks.link", "group_stories"),
)


# --- the prepared corpus ---------------------------------------------------------------------------------


# Modules that never run while a document is prepared: changing them keeps the prepared corpus.
NOT_PREPARING = {"link.py", "stories.py", "align.py", "changes.py", "report.py", "report_page.py"}


def prepare_code_hash(code: Path) -> str:
    """The preparing code's hash: a prepared corpus is reused only by the code that made it."""
    files = [p for p in sorted((code / "tasks").glob("*.py")) if p.name not in NOT_PREPARING]
    files += [code / "bench" / "corpus.py", code / "bench" / "throughput.py"]
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:12]


def prepared(n_docs: int, work: Path = WORK) -> Path:
    """Documents and paragraphs of `n_docs` generated documents as Parquet, prepared by this checkout."""
    from bench.throughput import make_corpus, run_ingest

    out = work / f"prepared-{n_docs}-{prepare_code_hash(ROOT)}"
    if not (out / "complete").exists():
        folder = make_corpus(n_docs, work)
        start = time.perf_counter()
        run_ingest(folder, out, 2)
        (out / "complete").write_text(f"{time.perf_counter() - start:.1f} s")
    return out


# --- one linking run, in its own process -----------------------------------------------------------------


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _trace(stages: dict) -> None:
    """Wrap each stage function (where it exists) so every call adds its seconds and peak rise to `stages`.
    A stage called inside another counts in both."""
    import importlib

    for module_name, name in STAGES:
        module = importlib.import_module(module_name)
        function = getattr(module, name, None)
        if function is None:
            continue

        def traced(*args, __function=function, __name=name, **kwargs):
            before_peak, before_rss = _peak_mb(), _rss_mb()
            start = time.perf_counter()
            out = __function(*args, **kwargs)
            entry = stages.setdefault(__name, {"calls": 0, "seconds": 0.0, "peak_rise_mb": 0.0, "rss_mb": 0})
            entry["calls"] += 1
            entry["seconds"] += time.perf_counter() - start
            entry["peak_rise_mb"] = max(entry["peak_rise_mb"], _peak_mb() - before_peak)
            entry["rss_before_mb"] = before_rss
            entry["rss_mb"] = _rss_mb()
            return out

        functools.update_wrapper(traced, function)
        # Patch the name where callers look it up: its own module and tasks.stories (which imports from link).
        for holder in ("tasks.stories", "tasks.link"):
            held = importlib.import_module(holder)
            if getattr(held, name, None) is function:
                setattr(held, name, traced)


def link_once(folder: Path) -> dict:
    """Read what linking needs from the prepared Parquet and run find_stories; what it cost."""
    import pyarrow.parquet as pq

    from tasks import stories

    stages: dict = {}
    _trace(stages)
    doc_columns = getattr(stories, "LINK_DOCUMENT_COLUMNS", None)
    para_columns = getattr(stories, "LINK_PARAGRAPH_COLUMNS", None)
    start = time.perf_counter()
    docs = pq.read_table(folder / "documents", columns=doc_columns)
    paras = pq.read_table(folder / "paragraphs", columns=para_columns)
    read_seconds = time.perf_counter() - start
    n_docs, n_paras = docs.num_rows, paras.num_rows
    columns = {
        f"{table}.{name}": {
            "bytes": column.nbytes,
            "per_document": round(column.nbytes / max(n_docs, 1), 1),
            "per_paragraph": round(column.nbytes / max(n_paras, 1), 1),
        }
        for table, data in (("documents", docs), ("paragraphs", paras))
        for name, column in zip(data.column_names, data.columns, strict=True)
    }
    read_rss, read_peak = _rss_mb(), _peak_mb()
    start = time.perf_counter()
    members, flagged = stories.find_stories(docs, paras)
    link_seconds = time.perf_counter() - start
    flags = hashlib.sha256()
    for column in ("doc_id", "is_boilerplate", "boilerplate_reason"):
        flags.update(repr(flagged.column(column).to_pylist()).encode())
    story_ids = members.column("story_id").to_pylist()
    digest = hashlib.sha256()
    for row in members.sort_by([("doc_id", "ascending")]).to_pylist():
        digest.update(repr((row["doc_id"], row["story_id"], row["version"], row["copied_from"])).encode())
    return {
        "documents": n_docs,
        "paragraphs": n_paras,
        "stories": len(set(story_ids)),
        "members_sha256": digest.hexdigest()[:16],
        "flags_sha256": flags.hexdigest()[:16],
        "read_seconds": round(read_seconds, 2),
        "link_seconds": round(link_seconds, 2),
        "rss_after_read_mb": round(read_rss),
        "peak_after_read_mb": round(read_peak),
        "peak_rss_mb": round(_peak_mb()),
        "columns_read": columns,
        "stages": {k: {f: round(v, 2) for f, v in s.items()} for k, s in stages.items()},
    }


def measure(folder: Path, code: Path) -> dict:
    """link_once in a fresh interpreter running `code`'s tasks package (this file's runner)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, str(Path(__file__).resolve()), "--link-once", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=code, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"linking {folder} with {code} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the results -----------------------------------------------------------------------------------------


def _commit(code: Path) -> str:
    stamp = code / ".commit"
    if stamp.exists():
        return stamp.read_text().strip()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=code)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "tasks"], capture_output=True, text=True, cwd=code
    )
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def _checkout(revision: str) -> Path:
    from bench.throughput import checkout

    folder = checkout(revision, WORK)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", f"{revision}^{{commit}}"], capture_output=True, text=True, cwd=ROOT
    )
    (folder / ".commit").write_text(commit.stdout.strip())
    return folder


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.python_version()}"


def run(sizes: list[int], before: str | None, label: str = "after") -> dict:
    codes = [(label, ROOT)] + ([("before", _checkout(before))] if before else [])
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average": os.getloadavg()[0],
        "command": "python -m bench.link_memory " + " ".join(sys.argv[1:]),
        "commit": _commit(ROOT),
        "runs": [],
    }
    for n in sizes:
        folder = prepared(n)
        for label, code in codes:
            result = measure(folder, code)
            record["runs"].append({"label": label, "commit": _commit(code), "requested": n, **result})
            print(
                f"{label:6} {n:>7} docs: link {result['link_seconds']:6.1f} s, "
                f"read {result['read_seconds']:4.1f} s, peak {result['peak_rss_mb']:5} MB "
                f"(after reading {result['peak_after_read_mb']} MB), {result['stories']} stories, "
                f"members {result['members_sha256']} flags {result['flags_sha256']}",
                flush=True,
            )
    return record


def save(record: dict) -> None:
    records = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps(records + [record], indent=1) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--before", help="also measure this commit's linking on the same prepared files")
    parser.add_argument("--label", default="after", help="what to call this checkout's runs")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--link-once", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.link_once:
        print(json.dumps(link_once(args.link_once)))
        return
    record = run(args.sizes, args.before, args.label)
    if not args.no_save:
        save(record)


if __name__ == "__main__":
    main()
