"""Trace benchmark: how fast `reprint trace` answers on a large warehouse, and whether it finds what a scan of
every paragraph's text finds.

For each corpus size, a warehouse is built with `reprint run` (the command users run) from bench/corpus.py's
generated news, then passages are drawn from its paragraphs (a seeded sample of 15-40-word runs; every other
one with two words replaced, a retyped quote). Each is traced through `tasks.trace.trace` on the
warehouse's catalog (what `reprint trace` calls), and, as the baseline of the same run, looked for by a scan
of all paragraph texts for the verbatim passage (`contains`: what a user without the index would run; it finds
verbatim copies only). Also timed: the `reprint trace` command itself, process start included, for a few
passages.

    python -m bench.trace_bench --documents 10000 100000 --queries 200 --work /tmp/trace-bench
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from bench.link_memory import machine
from bench.throughput import make_corpus

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "trace.json"
REPRINT = Path(sys.executable).parent / "reprint"
NEEDLE_STORIES = 40
NEEDLE_OUTLETS = ("needle-wire", "needle-post", "needle-times")


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return head.stdout.strip()


def make_needles(work: Path, stories: int = NEEDLE_STORIES, seed: int = 7) -> Path:
    """A folder of `stories` small stories of text found nowhere else (words drawn at random from the news
    corpus's vocabulary), each printed by three outlets: the origin, a verbatim copy and a copy with two words
    of each paragraph changed. A passage of one of them has three versions at every warehouse size, where a
    passage of the generated news has more the larger the corpus (its sentences recur across stories), so
    these measure what an index lookup costs when the answer stays the same size."""
    from bench.corpus import Document, _vocabulary, write_folder

    folder = work / "needles"
    stamp = folder / ".complete"
    wanted = json.dumps({"stories": stories, "seed": seed})
    if stamp.exists() and stamp.read_text() == wanted:
        return folder
    rng = random.Random(seed)
    words = _vocabulary()[0]
    docs = []
    for s in range(stories):
        paragraphs = [" ".join(rng.choices(words, k=rng.randint(40, 60))) + "." for _ in range(6)]
        at = datetime(2025, 3, 1, 8, 0) + timedelta(hours=s)
        for version, outlet in enumerate(NEEDLE_OUTLETS):
            text = list(paragraphs)
            if version == 2:
                for k, paragraph in enumerate(text):
                    cut = paragraph.split()
                    for w in rng.sample(range(len(cut) - 1), 2):
                        cut[w] = rng.choice(words)
                    text[k] = " ".join(cut)
            docs.append(
                Document(
                    doc_id=f"needle-{s:03d}-{version}",
                    story=f"needle-{s:03d}",
                    outlet=outlet,
                    title=f"Needle {s}",
                    published_at=at + timedelta(hours=version),
                    version=version,
                    paragraphs=text,
                    boilerplate=[False] * len(text),
                )
            )
    write_folder(docs, folder)
    stamp.write_text(wanted)
    return folder


def warehouse_for(n: int, work: Path) -> tuple[Path, float]:
    """A warehouse of the n-document corpus and the needles made by `reprint run` (reused when already made),
    and the run's seconds (0 when reused)."""
    corpus = make_corpus(n, work)
    needles = make_needles(work)
    warehouse = work / f"warehouse-{n}"
    if (warehouse / ".complete").exists():
        return warehouse, 0.0
    env = {**os.environ, "PREFECT_HOME": str(work / ".prefect")}
    start = time.perf_counter()
    subprocess.run(
        [str(REPRINT), "run", str(corpus), str(needles), "--warehouse", str(warehouse), "--no-report"],
        check=True,
        env=env,
    )
    seconds = time.perf_counter() - start
    (warehouse / ".complete").write_text(str(seconds))
    return warehouse, seconds


def passages(con: duckdb.DuckDBPyConnection, count: int, seed: int) -> list[tuple[str, str, bool]]:
    """(passage, doc_id it was drawn from, whether it was retyped), deterministic for a seed."""
    rows = con.execute(
        "select doc_id, text from paragraphs where not is_boilerplate and n_words >= 40 "
        "order by hash(doc_id || para_idx::varchar || ?) limit ?",
        [str(seed), count],
    ).fetchall()
    rng = random.Random(seed)
    out = []
    for i, (doc_id, text) in enumerate(rows):
        words = text.split()
        length = rng.randint(15, min(40, len(words)))
        start = rng.randint(0, len(words) - length)
        chosen = words[start : start + length]
        retyped = i % 2 == 1
        if retyped:
            for k in rng.sample(range(len(chosen)), 2):
                chosen[k] = "retyped"
        out.append((" ".join(chosen), doc_id, retyped))
    return out


def measure(warehouse: Path, queries: int, seed: int) -> dict:
    from tasks.trace import trace

    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        counts = con.execute("select count(*) from documents").fetchall()[0][0]
        paragraphs = con.execute("select count(*) from paragraphs").fetchall()[0][0]
        keys = con.execute("select sum(len(passage_keys)) from paragraphs").fetchall()[0][0]
        wanted = passages(con, queries, seed)
        trace(con, wanted[0][0])  # the first query pays for opening the files: not a user's every query
        traced, scanned, scan_docs_missed, versions = [], [], 0, 0
        found_source = {False: 0, True: 0}
        for passage, doc_id, retyped in wanted:
            start = time.perf_counter()
            result = trace(con, passage)
            traced.append(time.perf_counter() - start)
            found = {v.doc_id for v in result}
            versions += len(found)
            found_source[retyped] += doc_id in found
            start = time.perf_counter()
            scan = {
                d
                for (d,) in con.execute(
                    "select distinct doc_id from paragraphs where contains(text, ?)", [passage]
                ).fetchall()
            }
            scanned.append(time.perf_counter() - start)
            if not retyped:
                scan_docs_missed += len(scan - found)
    finally:
        con.close()
    command = []
    for passage, _, _ in wanted[:5]:
        start = time.perf_counter()
        subprocess.run(
            [str(REPRINT), "trace", passage, "--warehouse", str(warehouse), "--json"],
            check=True,
            capture_output=True,
        )
        command.append(time.perf_counter() - start)
    return {
        "documents": counts,
        "paragraphs": paragraphs,
        "passage_keys": keys,
        "queries": len(wanted),
        "trace_median_ms": round(1000 * statistics.median(traced), 1),
        "trace_p95_ms": round(1000 * sorted(traced)[int(0.95 * (len(traced) - 1))], 1),
        "scan_median_ms": round(1000 * statistics.median(scanned), 1),
        "scan_over_trace": round(statistics.median(scanned) / statistics.median(traced), 2),
        "command_median_s": round(statistics.median(command), 2),
        "source_found_verbatim": round(found_source[False] / sum(not r for _, _, r in wanted), 4),
        "source_found_retyped": round(found_source[True] / sum(r for _, _, r in wanted), 4),
        "verbatim_scan_documents_missed": scan_docs_missed,
        "versions_per_query": round(versions / len(wanted), 2),
    }


def render(record: dict) -> str:
    lines = [
        "# Trace benchmarks",
        "",
        "<!-- Generated by `make docs` from bench/results/trace.json (`bench.trace_bench.render`). -->",
        "",
        f"Measured {record['date']} on {record['machine']} (load average {record['load_average']:.1f}), "
        f"commit {record['commit']}, with `{record['command']}`. What `reprint trace` does and how the "
        "passage index works: [trace.md](trace.md).",
        "",
        "Each warehouse was built by `reprint run` from bench/corpus.py's generated news. Passages are "
        "15-40-word runs drawn from its body paragraphs, every other one retyped (two words replaced). "
        "**trace** is `tasks.trace.trace` on the catalog (what `reprint trace` calls, process start not "
        "included); the **baseline** in the same run is a scan of every paragraph's text for the verbatim "
        "passage (`contains`), which finds verbatim copies only. **source found**: the share of passages "
        "whose document of origin was listed, verbatim / retyped. **missed**: documents the scan found for a "
        "verbatim passage that trace did not list.",
        "",
        "| documents | paragraphs | stored keys | trace median (p95) | scan median | scan / trace "
        "| `reprint trace` command | source found | missed | versions per passage |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in record["runs"]:
        lines.append(
            f"| {r['documents']:,} | {r['paragraphs']:,} | {r['passage_keys']:,} | {r['trace_median_ms']} ms "
            f"({r['trace_p95_ms']} ms) | {r['scan_median_ms']} ms | {r['scan_over_trace']}x | "
            f"{r['command_median_s']} s | {r['source_found_verbatim']:.3f} / "
            f"{r['source_found_retyped']:.3f} | {r['verbatim_scan_documents_missed']} | "
            f"{r['versions_per_query']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[10000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/reprint-trace-bench"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average": os.getloadavg()[0],
        "command": "python -m bench.trace_bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "commit": commit(),
        "runs": [],
    }
    for n in args.documents:
        warehouse, seconds = warehouse_for(n, args.work)
        result = {
            "requested": n,
            "run_seconds": round(seconds, 1),
            **measure(warehouse, args.queries, args.seed),
        }
        print(json.dumps(result))
        record["runs"].append(result)
    args.out.write_text(json.dumps(record, indent=2) + "\n")
    print(render(record))


if __name__ == "__main__":
    main()
