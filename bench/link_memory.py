"""What linking the whole corpus costs in memory and seconds, and which arrays hold that memory.

    .venv/bin/python -m bench.link_memory                          # 10k and 50k documents, this checkout
    .venv/bin/python -m bench.link_memory --sizes 10000 --before main   # also an earlier commit, same files
    .venv/bin/python -m bench.link_memory --render       # docs/link-memory.md's figures from the JSON

Corpora are bench.throughput's (bench/corpus.py news prose, `make_corpus`), prepared once by the real prepare
code (`bench.throughput.ingest`: tasks.ingest + tasks.prepare in worker processes, streamed to Parquet) and
reused. Linking then runs in a fresh process per measurement (its peak RSS its own): it reads from the
Parquet only the columns linking needs (`tasks.stories.read_link_tables`: `LINK_DOCUMENT_COLUMNS`,
`LINK_PARAGRAPH_COLUMNS`; a checkout without it reads every column, as its flow loads whole tables) and
calls `find_stories(docs, paras)`, the entry point `reprint run` uses. Each linking stage is traced (seconds,
resident MB, by how much it raised the peak), and every input column's bytes are stated per document and per
paragraph. Results are appended to bench/results/link_memory.json (date, machine, commit, command).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import inspect
import json
import os
import platform
import resource
import subprocess
import sys
import threading
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
    ("tasks.stories", "outlet_revision_pairs"),
    ("tasks.stories", "template_rows"),
    ("tasks.stories", "sketch_file"),
    ("tasks.link", "paragraph_texts"),
    ("tasks.link", "document_sketches"),
    ("tasks.link", "whole_texts"),
    ("tasks.link", "link_documents"),
    ("tasks.link", "document_pairs"),
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


def _anon_mb() -> float:
    """Anonymous resident memory (RssAnon): RSS without file pages, such as the sketch file's that linking
    maps and lets go of (clean pages of the OS's page cache, which the kernel drops under pressure)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


class _AnonPeak(threading.Thread):
    """The largest RssAnon seen, sampled every 10 ms while linking runs (a lower bound: a rise shorter than
    that, or while numpy holds the interpreter, can be missed)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak, self.done = 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, _anon_mb())
            self.done.wait(0.01)


def _cpu_seconds() -> float:
    """This process's CPU time (user and system): on a shared machine, less at the mercy of the others than
    wall seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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
    start = time.perf_counter()
    files = [sorted((folder / table).glob("*.parquet")) for table in ("documents", "paragraphs")]
    # Where find_stories reads the wide columns itself (sketches, names), they are left to it: `evidence`.
    streams = "evidence" in inspect.signature(stories.find_stories).parameters
    if streams:
        docs, paras = stories.read_link_tables(*files, wide=False)
    elif hasattr(stories, "read_link_tables"):
        docs, paras = stories.read_link_tables(*files)
    else:  # a commit before it: whole tables, as its flow loaded them
        docs, paras = pq.read_table(folder / "documents"), pq.read_table(folder / "paragraphs")
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
    # The wide columns find_stories reads itself, a row group at a time: their bytes as it reads them.
    streamed = [c for c in stories.WIDE_COLUMNS if c not in paras.column_names] if streams else []
    for name in streamed:
        size = sum(
            f.read_row_group(k, columns=[name]).nbytes
            for f in map(pq.ParquetFile, files[1])
            for k in range(f.num_row_groups)
        )
        columns[f"paragraphs.{name}"] = {
            "bytes": size,
            "per_document": round(size / max(n_docs, 1), 1),
            "per_paragraph": round(size / max(n_paras, 1), 1),
            "streamed": True,
        }
    read_rss, read_peak = _rss_mb(), _peak_mb()
    start, cpu, anon = time.perf_counter(), _cpu_seconds(), _AnonPeak()
    anon.start()
    members, flagged = stories.find_stories(docs, paras, **({"evidence": files[1]} if streams else {}))
    link_seconds, link_cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    anon.done.set()
    anon.join()
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
        "link_cpu_seconds": round(link_cpu, 2),
        "rss_after_read_mb": round(read_rss),
        "peak_after_read_mb": round(read_peak),
        "peak_rss_mb": round(_peak_mb()),
        "peak_anon_mb": round(max(anon.peak, _anon_mb())),
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
                f"{label:6} {n:>7} docs: link {result['link_seconds']:6.1f} s "
                f"({result['link_cpu_seconds']:.1f} s of CPU), "
                f"read {result['read_seconds']:4.1f} s, peak {result['peak_rss_mb']:5} MB "
                f"(after reading {result['peak_after_read_mb']} MB), {result['stories']} stories, "
                f"members {result['members_sha256']} flags {result['flags_sha256']}",
                flush=True,
            )
    record["load_average_end"] = os.getloadavg()[0]
    return record


def save(record: dict) -> None:
    records = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps(records + [record], indent=1) + "\n")


# --- docs/link-memory.md ---------------------------------------------------------------------------------

PAGE = ROOT / "docs" / "link-memory.md"


def _fit(runs: list[dict], field: str) -> tuple[float, float]:
    """Least-squares line `field` (MB) = fixed + per_document * documents over the runs."""
    import numpy as np

    x = np.array([r["documents"] for r in runs], dtype=float)
    y = np.array([r[field] for r in runs], dtype=float)
    if len(set(x.tolist())) < 2:
        return float(y.mean()), 0.0
    slope, fixed = np.polyfit(x, y, 1)
    return float(fixed), float(slope)


def _cpu(run: dict) -> str:
    return f"{run['link_cpu_seconds']:.1f}" if "link_cpu_seconds" in run else "not measured"


def _anon_line(runs: list[dict]) -> list[str]:
    """The model's line for the anonymous peak, when the runs measured it."""
    if not all("peak_anon_mb" in r for r in runs):
        return []
    fixed, per_doc = _fit(runs, "peak_anon_mb")
    return [
        f"The anonymous peak (RssAnon, sampled) ≈ {fixed:,.0f} MB + {per_doc * 1e6:,.0f} MB per million"
        f" documents ({per_doc * 2**20:,.0f} bytes per document): the rest of the peak RSS is file pages"
        " of the sketch file, which a random gather maps 64 KiB at a time (the kernel's fault-around) until"
        " the block's pages are let go of.",
    ]


def _anon(run: dict) -> str:
    return f"{run['peak_anon_mb']:,}" if "peak_anon_mb" in run else "not measured"


def _load_at_end(record: dict) -> str:
    return f", {record['load_average_end']:.1f} at the end" if "load_average_end" in record else ""


def render_page(records: list[dict]) -> str:
    """docs/link-memory.md from bench/results/link_memory.json: its last record's figures and the model."""
    record = records[-1]
    runs = record["runs"]
    labels = sorted(dict.fromkeys(r["label"] for r in runs), key=lambda label: label != "before")
    sizes = sorted({r["requested"] for r in runs})
    by = {(r["label"], r["requested"]): r for r in runs}
    after = [by[(labels[-1], n)] for n in sizes if (labels[-1], n) in by]
    out = [
        "# Linking's memory: what it reads, what it holds, what grows with the corpus",
        "",
        "Rendered from bench/results/link_memory.json by `bench.link_memory.render_page`; do not edit by",
        f"hand. Measured {record['date']} on {record['machine']} (load average",
        f"{record['load_average']:.1f} at the start{_load_at_end(record)}: the machine is shared, so wall",
        "seconds are loose; CPU seconds are this process's own, and memory is not shared), commit",
        f"{record['commit']}, with `{record['command']}`.",
        "",
        "Each run links a corpus of generated documents (`bench.throughput.make_corpus`, bench/corpus.py)",
        "that the real prepare code wrote to Parquet once, in a fresh process: it reads from the Parquet",
        "what linking needs (`tasks.stories.read_link_tables`: `LINK_DOCUMENT_COLUMNS`,",
        "`LINK_PARAGRAPH_COLUMNS`, row group by row group; a commit without it reads every column, as its",
        "flow loaded whole tables) and calls `find_stories(docs, paras)`. Where `find_stories` takes",
        "`evidence` (the files), the wide columns (`WIDE_COLUMNS`: sketch, names) are left in the files",
        "(`read_link_tables(..., wide=False)`) and `find_stories` reads them a row group at a time.",
        "Peak is the process's peak RSS (Python, numpy, pyarrow and the input included: about 120 MB once",
        "imported); in parentheses, the largest anonymous resident memory (RssAnon) sampled every 10 ms",
        "while linking runs: RSS without file pages, such as those of the sketch file linking maps (below),",
        "which are the OS's page cache and which the kernel drops under pressure without writing anything.",
        "",
        "| documents | paragraphs | "
        + " | ".join(
            f"{label}: link s (CPU s) | {label}: peak MB (anonymous) | {label}: after reading MB"
            for label in labels
        )
        + " | same stories and flags |",
        "|---:|---:|" + "---:|---:|---:|" * len(labels) + "---|",
    ]
    for n in sizes:
        row = [by[(label, n)] for label in labels if (label, n) in by]
        same = len({(r["members_sha256"], r.get("flags_sha256")) for r in row}) == 1
        cells = " | ".join(
            f"{r['link_seconds']:.1f} ({_cpu(r)}) | {r['peak_rss_mb']:,} ({_anon(r)}) | "
            f"{r['peak_after_read_mb']:,}"
            for r in row
        )
        first = row[0]
        out.append(
            f"| {first['documents']:,} | {first['paragraphs']:,} | {cells} | {'yes' if same else 'NO'} |"
        )
    fixed, per_doc = _fit(after, "peak_rss_mb")
    read_fixed, read_per_doc = _fit(after, "peak_after_read_mb")
    largest = after[-1]
    fitted = ", ".join(f"{r['documents']:,}" for r in after)
    per_para = per_doc * largest["documents"] / largest["paragraphs"]
    out += [
        "",
        f"## The model ({labels[-1]}, fitted over {fitted} documents)",
        "",
        f"Peak RSS of linking ≈ {fixed:,.0f} MB + {per_doc * 1e6:,.0f} MB per million documents"
        f" ({per_doc * 2**20:,.0f} bytes per document, {per_para * 2**20:,.0f} per paragraph at"
        f" {largest['paragraphs'] / largest['documents']:.1f} paragraphs a document); the peak once the"
        f" input is read from Parquet ≈ {read_fixed:,.0f} MB + {read_per_doc * 1e6:,.0f} MB per million"
        " documents.",
        f"Extrapolated by that line (not measured): {fixed + per_doc * 1e6:,.0f} MB at 1M documents,"
        f" {fixed + per_doc * 1e7:,.0f} MB at 10M; by it, 24 GiB hold linking up to about"
        f" {(24 * 1024 - fixed) / max(per_doc, 1e-9) / 1e6:,.1f}M documents.",
        *_anon_line(after),
        "",
        f"What linking reads, per paragraph and per document ({largest['documents']:,} documents,"
        " Arrow bytes in memory):",
        "",
        "| column | bytes per paragraph | bytes per document | held |",
        "|---|---:|---:|---|",
    ]
    for name, c in largest["columns_read"].items():
        held = "a row group at a time" if c.get("streamed") else "whole"
        out.append(f"| {name} | {c['per_paragraph']:,.1f} | {c['per_document']:,.1f} | {held} |")
    out += [
        "",
        f"Where linking's seconds and memory go ({largest['documents']:,} documents; a stage inside another"
        " counts in both, e.g. every stage linking the documents is in its own row and in `link_corpus`'s):",
        "",
        "| stage | calls | seconds | raised the peak by MB | resident MB before | resident MB after |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, st in sorted(largest["stages"].items(), key=lambda kv: -kv[1]["peak_rise_mb"]):
        out.append(
            f"| `{name}` | {st['calls']:.0f} | {st['seconds']:.1f} | {st['peak_rise_mb']:,.0f} | "
            f"{st.get('rss_before_mb', 0):,.0f} | {st['rss_mb']:,.0f} |"
        )
    before = [by[(label, sizes[-1])] for label in labels[:-1] if (label, sizes[-1]) in by]
    for run in before:
        out += [
            "",
            f"The {run['label']} run's costliest stages at {run['documents']:,} documents:",
            "",
            "| stage | seconds | raised the peak by MB |",
            "|---|---:|---:|",
        ]
        top = sorted(run["stages"].items(), key=lambda kv: -kv[1]["peak_rise_mb"])[:5]
        out += [f"| `{name}` | {st['seconds']:.1f} | {st['peak_rise_mb']:,.0f} |" for name, st in top]
    out += ["", *MODEL.strip().splitlines()]
    return "\n".join(out).rstrip() + "\n"


MODEL = """
## What is read a part at a time, and what is still held

Linking here is over the whole corpus, as a first run links (a link's weight depends on corpus-wide
counts: docs/linking.md; a daily run links only what its new documents reach: docs/daily-run.md). What
used to make most of its memory is now read or grouped a bounded part at a time
(tasks/link.py, tasks/stories.py); the stories and flags are the same (the last column of the first table:
members and flags hashed over every document, as `reprint run` would store them).

- **Sketches** (`minhash`, 260 bytes a paragraph in Arrow, most of what linking reads): `find_stories`
  reads the column a row group at a time (from the Parquet files, `evidence`; from the table's chunks when
  the caller holds the table), writes the body rows' sketches to a file in its scratch folder
  (`sketch_file`: 256 bytes a body row, on disk) and maps it. Every step reads it a block of 16,384 rows or
  pairs at a time (`tasks.link.sketch_blocks`, `verify_paragraph_pairs`, `document_sketches`) and then lets
  the pages go (`madvise(MADV_DONTNEED)`): they stay in the OS's page cache, which the kernel reclaims, and
  leave this process's memory. No sketch column is held, read whole or gathered into a copy. A random
  gather (verifying candidate pairs) maps the file 64 KiB around each row it reads (the kernel's
  fault-around), so while a block is read the RSS can hold up to the whole file's pages: the part of the
  peak RSS above the anonymous peak in the first table.
- **LSH band keys and candidate pairs** (`tasks.link.candidate_pair_batches`): beyond 2M keys (16 per
  distinct text), each band's keys go to files split by key, a part of about 2M keys is grouped into
  buckets at a time, its pairs go to files split by the first text's range (as many parts as the keys'),
  and each part of pairs is made distinct, sorted and verified in turn; only the pairs that verify (near
  texts) are kept. DuckDB was tried for this grouping (a GROUP BY and self-join with `memory_limit` and a
  spill folder): the same pairs, about three times slower than numpy sorting on this machine, so the parts
  are numpy arrays in files. The scratch folder is `reprint run`'s staging area (`.staging/link`), removed
  after.
- **Names and numbers**: read a row group at a time and gathered for body rows only (8 bytes a name,
  `document_names`); rare names are told apart a part of 2M names at a time by hash, each part's sketch
  folded into one 128-byte sketch per document (`name_candidate_pairs`).
- **Furniture and templates**: `repeated_in_outlet_rows` takes the rows a part of 1M at a time by
  fingerprint, `template_rows` a run of template keys of about 262,144 rows at a time (a row's answer
  depends only on the rows of its text or key; `release_template_rows` counts in numpy, about 100 bytes a
  row (Python sets per key before, which at 50k documents set the peak).
- **Matched paragraph row pairs** are made a step of about 1M at a time (`matched_rows`), the document
  pairs from them a pass of about 1M at a time (`DocumentPairs`).

What is still held grows with the corpus as fixed-width arrays (25 paragraph rows a generated document):

- per paragraph row: the narrow columns read (the table above: `doc_id` as a string is most of it) and
  `find_stories`' arrays (document position, outlet, fingerprint, shingle count, flags: about 40 bytes);
  per body row, linking's (position, fingerprint, shingle count, text number, spread, weight: about 50
  bytes); the names and numbers as hashes (8 bytes a name);
- per matched paragraph row pair (a text printed k times makes k(k-1)/2): 10 bytes, kept while linking;
- per document: its whole-text sketch (256 bytes) and names sketch (128), and its id, date and source as
  Python objects and one `Member` (a few hundred bytes).

RSS also keeps memory numpy has freed but the allocator has not returned, so the fitted line is an upper
bound on what is live. To make linking flat as well, the per-row arrays would go the way of the sketches:
`find_stories`' steps before linking partitioned by fingerprint (as `repeated_in_outlet_rows` is now), the
matched row pairs written per `DocumentPairs` pass, and the per-document arrays kept as the only state
(about 1 kB a document).

The figures at 200k documents are not measured: preparing the 50k corpus took 22 minutes on this machine
at a load average near 20 (other sessions' runs), and 200k would take about four times that.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--before", help="also measure this commit's linking on the same prepared files")
    parser.add_argument("--label", default="after", help="what to call this checkout's runs")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--render", action="store_true", help="only write docs/link-memory.md from the JSON")
    parser.add_argument("--link-once", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.link_once:
        print(json.dumps(link_once(args.link_once)))
        return
    if not args.render:
        record = run(args.sizes, args.before, args.label)
        if args.no_save:
            return
        save(record)
    PAGE.write_text(render_page(json.loads(RESULTS.read_text())))


if __name__ == "__main__":
    main()
