"""Trace benchmark: how fast `reprint trace` answers on a large warehouse, and whether it finds what a scan of
every paragraph's text finds.

For each corpus size, a warehouse is built with `reprint run` (the command users run) from bench/corpus.py's
generated news plus the needles (`make_needles`: 40 stories of text found nowhere else, three copies each).
A warehouse built before the passage index existed gets it from a second `reprint run` (which builds only the
index). Two sets of passages are drawn (seeded 15-40-word runs, every other one with two words replaced, a
retyped quote): from the generated news, whose sentences recur across stories so that a passage has more
versions the larger the corpus, and from the needles, three versions at every size. Each passage is traced
through `tasks.trace.trace` on the warehouse's catalog (what `reprint trace` calls), its index lookup alone
timed through the `trace_hits` macro, and, as the baseline of the same run, looked for by a scan of all
paragraph texts for the verbatim passage (`contains`: what a user without the index would run; it finds
verbatim copies only). For a sample, the rows of `trace_hits` are compared with the paragraphs' stored keys
unnested (what the macro read before the index had its own table). Also timed: the `reprint trace` command
itself, process start included, for a few passages.

    python -m bench.trace_bench --documents 1000 10000 100000 --queries 60 --work /tmp/trace-bench
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
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


def warehouse_for(n: int, work: Path) -> tuple[Path, float, float]:
    """A warehouse of the n-document corpus and the needles made by `reprint run` (reused when already made),
    the run's seconds (0 when reused), and the seconds of a second run that built only the passage index (0
    when the warehouse had it)."""
    from tasks.warehouse import count_rows

    corpus = make_corpus(n, work)
    needles = make_needles(work)
    warehouse = work / f"warehouse-{n}"
    env = {**os.environ, "PREFECT_HOME": str(work / ".prefect")}
    command = [str(REPRINT), "run", str(corpus), str(needles), "--warehouse", str(warehouse), "--no-report"]
    seconds = index_seconds = 0.0
    if not (warehouse / ".complete").exists():
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env)
        seconds = time.perf_counter() - start
        (warehouse / ".complete").write_text(str(seconds))
    if count_rows(warehouse, "passage_index") == 0:  # built by code older than the index table
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env)
        index_seconds = time.perf_counter() - start
    return warehouse, seconds, index_seconds


# The whole index built from a warehouse's stored paragraphs by the commit's own steps (what a run does for a
# warehouse written before the index existed), in a process of its own: its seconds and peak RSS.
INDEX_BUILD = """
import json, resource, sys, time
from pathlib import Path
from tasks.passages import INDEX, index_parts
from tasks.warehouse import ROW_GROUPS, Source, table_files, write_sorted
root, scratch = Path(sys.argv[1]), Path(sys.argv[2])
start = time.perf_counter()
parts = index_parts([Source(p) for p in table_files(root, "paragraphs")], scratch)
out, spill = scratch / "index.parquet", scratch / "spill"
rows = write_sorted(out, INDEX, parts, spill=spill, row_group=ROW_GROUPS[INDEX])
seconds = round(time.perf_counter() - start, 1)
peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps({"rows": rows, "seconds": seconds, "peak_rss_mb": peak}))
"""


def index_build(warehouse: Path, work: Path) -> dict:
    """INDEX_BUILD on the warehouse, into a scratch folder removed afterwards."""
    scratch = work / f"index-build-{warehouse.name}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        done = subprocess.run(
            [sys.executable, "-c", INDEX_BUILD, str(warehouse), str(scratch)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# What the `trace` macro read before the index had a table of its own: every paragraph's stored keys,
# unnested and joined with the passage's. The reference `trace_hits` must answer the same as (also in
# tests/tasks/test_trace.py).
STORED_KEYS_SCAN = """
    with wanted as (
        select distinct passage_key(words, start) as key
        from (select words, unnest(passage_starts(words)) as start from (select passage_words(?) as words))
    )
    select doc_id, para_idx, count(distinct key) as shared
    from (select doc_id, para_idx, unnest(passage_keys) as key from paragraphs) semi join wanted using (key)
    group by all order by all
"""
NEEDLES = "select doc_id from documents where outlet like 'needle-%'"


def passages(
    con: duckdb.DuckDBPyConnection, count: int, seed: int, needles: bool = False
) -> list[tuple[str, str, bool]]:
    """(passage, doc_id it was drawn from, whether it was retyped), deterministic for a seed: from the
    generated news, or from the needles' origins."""
    where = (
        "doc_id in (select doc_id from documents where outlet = 'needle-wire')"
        if needles
        else f"doc_id not in ({NEEDLES})"
    )
    rows = con.execute(
        f"select doc_id, text from paragraphs where not is_boilerplate and n_words >= 40 and {where} "
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


def ms(values: list[float]) -> dict:
    """Median and 90th percentile (nearest rank) in milliseconds."""
    ranked = sorted(values)
    return {
        "median_ms": round(1000 * statistics.median(ranked), 1),
        "p90_ms": round(1000 * ranked[max(math.ceil(0.9 * len(ranked)) - 1, 0)], 1),
    }


def time_set(con: duckdb.DuckDBPyConnection, wanted: list[tuple[str, str, bool]], compare: int) -> dict:
    """Trace, index lookup and scan of each passage, in turn (a busy moment of the shared machine falls on
    all three); what was found."""
    from tasks.trace import trace

    traced, looked, scanned = [], [], []
    scan_docs_missed, versions, differ = 0, 0, 0
    found_source = {False: 0, True: 0}
    for n, (passage, doc_id, retyped) in enumerate(wanted):
        start = time.perf_counter()
        result = trace(con, passage)
        traced.append(time.perf_counter() - start)
        start = time.perf_counter()
        hits = con.execute("select * from trace_hits(?) order by all", [passage]).fetchall()
        looked.append(time.perf_counter() - start)
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
        if n < compare:
            differ += con.execute(STORED_KEYS_SCAN, [passage]).fetchall() != hits
    return {
        "queries": len(wanted),
        "trace": ms(traced),
        "lookup": ms(looked),
        "scan": ms(scanned),
        "scan_over_trace": round(statistics.median(scanned) / statistics.median(traced), 2),
        "source_found_verbatim": round(found_source[False] / max(sum(not r for _, _, r in wanted), 1), 4),
        "source_found_retyped": round(found_source[True] / max(sum(r for _, _, r in wanted), 1), 4),
        "verbatim_scan_documents_missed": scan_docs_missed,
        "versions_per_query": round(versions / max(len(wanted), 1), 2),
        "compared_with_stored_keys": min(compare, len(wanted)),
        "differ_from_stored_keys": differ,
    }


def measure(warehouse: Path, queries: int, seed: int, compare: int) -> dict:
    from tasks.trace import trace
    from tasks.warehouse import refresh_catalog

    refresh_catalog(warehouse)  # this code's macros on a warehouse an earlier run wrote
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    index = str(warehouse / "passage_index" / "*.parquet")
    try:
        counts = con.execute("select count(*) from documents").fetchall()[0][0]
        paragraphs = con.execute("select count(*) from paragraphs").fetchall()[0][0]
        keys = con.execute("select count(*) from passage_index").fetchall()[0][0]
        groups = con.execute(
            "select count(distinct (file_name, row_group_id)) from parquet_metadata(?)", [index]
        ).fetchall()[0][0]
        news = passages(con, queries, seed)
        needles = passages(con, queries, seed, needles=True)
        trace(con, news[0][0])  # the first query pays for opening the files: not a user's every query
        result = {
            "documents": counts,
            "paragraphs": paragraphs,
            "index_rows": keys,
            "index_row_groups": groups,
            "load_average_start": round(os.getloadavg()[0], 2),
            "news": time_set(con, news, compare),
            "needles": time_set(con, needles, compare),
        }
    finally:
        con.close()
    command = []
    for passage, _, _ in news[:5]:
        start = time.perf_counter()
        subprocess.run(
            [str(REPRINT), "trace", passage, "--warehouse", str(warehouse), "--json"],
            check=True,
            capture_output=True,
        )
        command.append(time.perf_counter() - start)
    result["command_median_s"] = round(statistics.median(command), 2)
    result["load_average_end"] = round(os.getloadavg()[0], 2)
    return result


def _growth(runs: list[dict], part: str, what: str) -> str:
    first, last = runs[0], runs[-1]
    return f"{last[part][what]['median_ms'] / max(first[part][what]['median_ms'], 0.1):.1f}x"


def render(record: dict) -> str:
    runs = record["runs"]
    lines = [
        "# Trace benchmarks",
        "",
        "<!-- Generated by `make docs` from bench/results/trace.json (`bench.trace_bench.render`). -->",
        "",
        f"Measured {record['date']} on {record['machine']} (load average {record['load_average']:.1f} at "
        f"the start: a shared machine), commit {record['commit']}, with `{record['command']}`. What "
        "`reprint trace` does and how the passage index works: [trace.md](trace.md).",
        "",
        "Each warehouse was built by `reprint run` from bench/corpus.py's generated news plus 40 *needle*"
        " stories (text found nowhere else, printed by three outlets: verbatim, and with two words of "
        "each paragraph changed). Passages are 15-40-word runs drawn from body paragraphs, every other "
        "one retyped (two words replaced). **trace** is `tasks.trace.trace` on the catalog (what `reprint"
        " trace` calls, process start not included; the word diffs included); **lookup** is the index "
        "lookup alone (the `trace_hits` macro: the paragraphs sharing keys with the passage); the "
        "**baseline** in the same run is a scan of every paragraph's text for the verbatim passage "
        "(`contains`), which finds verbatim copies only. Times are median / p90 per query. **source "
        "found**: the share of passages whose document of origin was listed, verbatim / retyped. "
        "**missed**: documents the scan found for a verbatim passage that trace did not list. **same "
        "rows**: queries whose `trace_hits` rows equal those of the paragraphs' stored keys unnested "
        "(what the macro read before the index table).",
        "",
        "**Needles**: a passage with three versions at every size, like a quote a few outlets print.",
        "",
        "| documents | index rows (row groups) | trace | lookup | scan | scan / trace | versions per passage "
        "| source found | missed | same rows |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def row(r: dict, part: str) -> str:
        p = r[part]
        cells = [
            f"{r['documents']:,}",
            f"{r['index_rows']:,} ({r['index_row_groups']:,})",
            *(f"{p[k]['median_ms']:,} / {p[k]['p90_ms']:,} ms" for k in ("trace", "lookup", "scan")),
            f"{p['scan_over_trace']}x",
            f"{p['versions_per_query']:,}",
            f"{p['source_found_verbatim']:.3f} / {p['source_found_retyped']:.3f}",
            f"{p['verbatim_scan_documents_missed']}",
            f"{p['compared_with_stored_keys'] - p['differ_from_stored_keys']} of "
            f"{p['compared_with_stored_keys']}",
        ]
        return "| " + " | ".join(cells) + " |"

    lines += [row(r, "needles") for r in runs]
    lines += [
        "",
        "**Generated news**: its sentences recur across stories (the news text it is cut from has about 350 "
        "articles), so a passage has more versions the larger the corpus, and trace must read and diff the "
        "text of every one of them.",
        "",
        "| documents | index rows (row groups) | trace | lookup | scan | scan / trace | versions per passage "
        "| source found | missed | same rows |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [row(r, "news") for r in runs]
    if len(runs) > 1:
        factor = runs[-1]["documents"] / runs[0]["documents"]
        more = runs[-1]["news"]["versions_per_query"] / max(runs[0]["news"]["versions_per_query"], 0.01)
        lines += [
            "",
            f"From {runs[0]['documents']:,} to {runs[-1]['documents']:,} documents ({factor:.0f}x): a "
            f"needle's trace took {_growth(runs, 'needles', 'trace')} as long, its lookup "
            f"{_growth(runs, 'needles', 'lookup')}, the scan {_growth(runs, 'needles', 'scan')}; a news "
            f"passage's trace {_growth(runs, 'news', 'trace')} (its versions {more:.0f}x), its lookup "
            f"{_growth(runs, 'news', 'lookup')}. The `reprint trace` command, process start included, took "
            + ", ".join(f"{r['command_median_s']} s at {r['documents']:,}" for r in runs)
            + " (median of 5 news passages). Load average at the start and end of each size: "
            + ", ".join(f"{r['load_average_start']} / {r['load_average_end']}" for r in runs)
            + ".",
        ]
    growth = runs[-1]["index_build"]["peak_rss_mb"] / runs[0]["index_build"]["peak_rss_mb"]
    lines += [
        "",
        "**Building the index** from a warehouse's stored paragraphs, by the commit's own steps (what a run "
        "does once for a warehouse written before the index existed; a run otherwise indexes only the "
        "documents it prepared), in a process of its own: "
        + "; ".join(
            f"{r['index_build']['rows']:,} keys of {r['documents']:,} documents in "
            f"{r['index_build']['seconds']} s, peak RSS {r['index_build']['peak_rss_mb']:,} MB"
            for r in runs
        )
        + ". The keys are sorted a bucket of keys at a time (`write_sorted`, as every table is committed), "
        f"yet the peak grew {growth:.1f}x from {runs[0]['documents']:,} to {runs[-1]['documents']:,} "
        "documents: what grows is not yet looked into.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[10000])
    parser.add_argument("--queries", type=int, default=60, help="passages of each set (news, needles)")
    parser.add_argument("--compare", type=int, default=20, help="of them, compared with the stored keys")
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
        warehouse, seconds, index_seconds = warehouse_for(n, args.work)
        result = {
            "requested": n,
            "run_seconds": round(seconds, 1),
            "index_run_seconds": round(index_seconds, 1),
            **measure(warehouse, args.queries, args.seed, args.compare),
            "index_build": index_build(warehouse, args.work),
        }
        print(json.dumps(result))
        record["runs"].append(result)
    args.out.write_text(json.dumps(record, indent=2) + "\n")
    print(render(record))


if __name__ == "__main__":
    main()
