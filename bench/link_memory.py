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
    start, cpu = time.perf_counter(), _cpu_seconds()
    members, flagged = stories.find_stories(docs, paras, **({"evidence": files[1]} if streams else {}))
    link_seconds, link_cpu = time.perf_counter() - start, _cpu_seconds() - cpu
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
        "imported).",
        "",
        "| documents | paragraphs | "
        + " | ".join(
            f"{label}: link s (CPU s) | {label}: peak MB | {label}: after reading MB" for label in labels
        )
        + " | same stories and flags |",
        "|---:|---:|" + "---:|---:|---:|" * len(labels) + "---|",
    ]
    for n in sizes:
        row = [by[(label, n)] for label in labels if (label, n) in by]
        same = len({(r["members_sha256"], r.get("flags_sha256")) for r in row}) == 1
        cells = " | ".join(
            f"{r['link_seconds']:.1f} ({_cpu(r)}) | {r['peak_rss_mb']:,} | {r['peak_after_read_mb']:,}"
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
## What grows with the corpus, and what does not

Linking is over the whole corpus on every run (a link's weight depends on corpus-wide counts:
docs/linking.md), so what it holds grows with the corpus: the line above, not a flat one. What changed here
is what it grows by. Before, linking read every column (the paragraph text, 243 bytes a paragraph in Arrow,
then again as Python strings, and every body paragraph's names and numbers as Python lists:
`document_names` in the before run's stages above); now the text is read once, when a document is prepared
(tasks/evidence.py), and linking holds no text and no Python object per paragraph. What grows, per
paragraph row (25 per generated document):

- **Read from Parquet** (table above, about 350 bytes): the sketch (`minhash`, 64 x uint32 plus offsets,
  260) is most of it; the names and numbers as word hashes (about 50: 8 per name), `doc_id` as a string
  (20), fingerprint (8), word count, flags. Reading the files whole holds the Parquet decoder's scratch for
  all of them at once (the list columns' repetition and definition levels); `read_link_tables` reads one
  row group at a time.
- **Derived per row** in `find_stories`: document position, outlet, fingerprint, shingle count and flags
  as numpy arrays (about 45 bytes), and the body rows' sketches gathered once (256 bytes per body row; the
  Arrow column stays with the caller, who writes the flags back with it).
- **In `link_corpus`**, per distinct body text: its sketch while paragraph pairs are found (256 bytes, let
  go of once paired) and one LSH band's keys at a time while they are sorted (about 24 bytes with the sort
  order: `candidate_paragraph_pairs` sorts band by band, where sorting all 16 at once held about 400
  bytes, the peak at 50k documents); per document: its body sketch (256 bytes), ids, dates and sources as
  Python lists, one `Member`; per matched paragraph row pair (a text printed k times, k up to `max_copies`
  50, makes k(k-1)/2): 8 bytes as two int32 row positions plus 2 naming its pass, kept while linking; per
  row, its spread and weight (16 bytes). The document pairs sharing any matched paragraph (stock text a
  few dozen documents print pairs them all: about 170 per document at 10k) are never all held:
  `tasks.link.DocumentPairs` makes them in passes of about 1M matched row pairs (the pairs whose first
  document's position is the pass number modulo the passes; every pair's figures depend only on
  corpus-wide counts, computed once), so a pass holds about 100 bytes per pair of its own; `link_corpus`
  keeps the links of one sweep (what heavy rewrites and the linked groups read), then of a second sweep
  only the pairs inside a linked group (what clustering reads), which are identical to what clustering
  every pair gives (tests/tasks/test_link.py). Sketches are compared 65,536 pairs at a time (16 MB per
  gather), and each document pair's similarity is estimated once per sweep.

What does not grow: the imported code (about 120 MB), the comparison buffers (bounded by the step size),
and nothing per distinct word or name beyond the names' hashes. RSS also keeps memory numpy has freed but
the allocator has not returned, so the fitted line is an upper bound on what is live.

The figures at 200k documents are not measured: preparing a 200k corpus takes over an hour on this shared
machine.

## What flat memory would need

At 50k documents the peak is no longer reached while pairs are made but before `link_corpus` (its rise is
small in the stage table above): the per-row arrays, the gathered sketches and the names are the peak now.
What still grows with the corpus: the input (the sketch, 260 bytes a paragraph, is most of it) and the body
rows' gathered sketches (256 bytes), the per-row arrays of `find_stories` and `DocumentPairs` (about 60
bytes), each document's names as word hashes, and the matched paragraph row pairs (10 bytes each). To make
linking flat (bounded whatever the corpus), their rules unchanged:

- band keys (16 per distinct text) written to Parquet per prepared shard and grouped by key in DuckDB (a
  sort-based GROUP BY that spills to disk), candidate pairs coming out as a Parquet file, not an array;
- verification by streaming candidate pairs, sorted by shard, against sketches read one shard at a time
  (no sketch column held whole, neither read nor gathered);
- the matched row pairs written per `DocumentPairs` pass to Parquet (their pass is already a partition of
  the document-pair space), and their per-document-pair sums (`document_overlaps`) and per-row counts
  (`paragraph_spread`) as DuckDB aggregations over those files;
- clustering and version order on the link graph only (a few links per linked document); per document an
  id and a story label stay in memory (O(documents), tens of bytes each: flat enough up to ~100M).

The document-pair step is done (passes); the candidate, verification and row-pair steps are not.
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
