"""The generated parts of the docs, rendered from the code and the benchmark results, never typed by hand.

`python -m docs.generate` (or `make docs`) writes them; `--check` only says which are stale (exit 1), and
tests/test_docs.py fails while any is. Two kinds:
- whole pages: docs/tables.md from the one schema declaration (`tasks.warehouse.SCHEMAS`, the column comments
  of sql/comments.sql that the catalog carries, the report views of sql/), and benchmark pages from their
  results JSON in bench/results/ (date, machine and commit stored in it);
- regions of hand-written pages, between `<!-- generated: NAME -->` and `<!-- end generated -->`, filled by
  `REGIONS[NAME]` (the README's headline figures, the hostile-input results table, the index of results).
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RESULTS = ROOT / "bench" / "results"
REGION = re.compile(r"(<!-- generated: ([\w-]+) -->\n)(.*?)(<!-- end generated -->)", re.S)

# Every results file in bench/results/: the page that shows it and how. A file missing here fails the docs
# test, so a new benchmark cannot land without saying where its figures are read.
RESULT_PAGES: dict[str, tuple[str, str]] = {
    "revisions.json": ("revisions.md", "rendered (the whole page) by `bench.revisions.render_page`"),
    "reuse.json": ("reuse.md", "the region `reuse-results`, by `bench.reuse_bench.markdown_table`"),
    "run-cpu.json": (
        "pipeline.md",
        "hand-written: CPU seconds per step of main and #13's run-fast4 started together (`bench.run_cpu`), "
        "quoted in a table",
    ),
    "run-cpu-fast5.json": (
        "pipeline.md",
        "hand-written: CPU and wall seconds per step of main and #13's run-fast5 (story pages rendered by a "
        "helper process) started together (`bench.run_cpu`), quoted in a table",
    ),
    "run-cpu-cpu1.json": (
        "pipeline.md",
        "hand-written: CPU and wall seconds per step of main and #13's cpu-1 (alignment's score bound, the "
        "workers' collector threshold) started together (`bench.run_cpu`), quoted in a table",
    ),
    "run-cpu-align.json": (
        "pipeline.md",
        "hand-written: CPU and wall seconds per step of main and #13's align (reuse's words kept per range, "
        "look-ups a batch at once, align shards' rows column by column) started together (`bench.run_cpu`), "
        "quoted in a table",
    ),
    "run-cpu-align2.json": (
        "pipeline.md",
        "hand-written: CPU and wall seconds per step of main and #13's align with its ASCII fold of "
        "paragraph words too, started together (`bench.run_cpu`), quoted in prose",
    ),
    "run-cpu-align-matcher.json": (
        "pipeline.md",
        "hand-written: CPU and wall seconds per step of main and #13's align2 (one matcher for a changed "
        "paragraph's similarity and word diff) started together (`bench.run_cpu`), quoted in a table",
    ),
    "run-cpu-speed.json": (
        "pipeline.md",
        "hand-written: CPU and wall seconds per step of main and #13's speed (the strong rules' words in one "
        "Aho-Corasick pass, per-text rule verdicts and word counts kept, ASCII folds by byte, align's bags "
        "and weights built in C) started together (`bench.run_cpu`), quoted in a table",
    ),
    "run-cpu-prep.json": (
        "pipeline.md",
        "hand-written: CPU and wall seconds per step of main and #13's prep (per-text rules' words before "
        "their searches, language words by Arrow, linking's sorts and gathers) started together "
        "(`bench.run_cpu`), quoted in a table",
    ),
    "run-cpu-prep2.json": (
        "pipeline.md",
        "hand-written: CPU and wall seconds per step of main and #13's prep2 (template keys masked over a "
        "paragraph's words at once, tag lists and one-line paragraphs read with less) started together "
        "(`bench.run_cpu`), quoted in a table",
    ),
    "run-cpu-cpu3.json": (
        "pipeline.md",
        "hand-written: CPU and wall seconds per step of main and #13's cpu3 (reuse's one-to-one matching of "
        "runs as intervals, a shingle's equals read from runs of equal keys) started together "
        "(`bench.run_cpu`), quoted in a table",
    ),
    "run-cpu-cpu4.json": (
        "pipeline.md",
        "hand-written: CPU and wall seconds per step of main and #13's cpu4 (linking's paragraphs in common "
        "compared on each step's rows gathered once, equal sketch columns counted 8 bytes at a time) started "
        "together (`bench.run_cpu`), quoted in a table",
    ),
    "quality.json": ("quality.md", "rendered (the whole page) by `bench.quality.render_page`"),
    "quality-heldout-first-look.json": (
        "linking.md",
        "hand-written: the held-out part's first run, kept as evidence and quoted in prose; current figures "
        "are quality.json's",
    ),
    "quality-news-first-look.json": (
        "boilerplate.md",
        "hand-written: the blind news part's first run on main's code, kept as evidence and quoted in prose; "
        "current figures are quality.json's",
    ),
    "quality-news-dev-first-look.json": (
        "real-set.md",
        "hand-written: the news development part's first run on main's code (rule writers read it), quoted "
        "in a table; current figures are quality.json's",
    ),
    "quality-news-dev2-first-look.json": (
        "real-set.md",
        "hand-written: the second news development part's first run on main's code (rule writers read it), "
        "quoted in a table; current figures are quality.json's",
    ),
    "quality-blind-first-look.json": (
        "real-set.md",
        "hand-written: the blind part's first run on main's code (its paragraphs withheld), kept as "
        "evidence and quoted in a table; current figures are quality.json's",
    ),
    "quality-blind2-first-look.json": (
        "real-set.md",
        "hand-written: the second blind part's first run on main's code (both blind parts' paragraphs "
        "withheld), kept as evidence and quoted in a table; current figures are quality.json's",
    ),
    "quality-blind3-first-look.json": (
        "real-set.md",
        "hand-written: the third blind part's first run on main's code (the three blind parts' paragraphs "
        "withheld), kept as evidence and quoted in a table; current figures are quality.json's",
    ),
    "quality-blind4-first-look.json": (
        "real-set.md",
        "hand-written: the fourth blind part's first run on main's code (the third and fourth blind parts' "
        "paragraphs withheld), kept as evidence and quoted in a table; current figures are quality.json's",
    ),
    "quality-blind5-first-look.json": (
        "real-set.md",
        "hand-written: the fifth blind part's first run on main's code (the fourth and fifth blind parts' "
        "paragraphs withheld), kept as evidence and quoted in a table; current figures are quality.json's",
    ),
    "quality-blind6-first-look.json": (
        "real-set.md",
        "hand-written: the sixth blind part's first run on main's code (the fifth and sixth blind parts' "
        "paragraphs withheld), kept as evidence and quoted in a table; current figures are quality.json's",
    ),
    "quality-blind7-first-look.json": (
        "real-set.md",
        "hand-written: the seventh blind part's first run on main's code (the fifth, sixth and seventh blind "
        "parts' paragraphs withheld), kept as evidence and quoted in a table; current figures are "
        "quality.json's",
    ),
    "quality-dev-asf2-first-look.json": (
        "real-set.md",
        "hand-written: the second blogs.apache.org development part's first run on main's code (rule "
        "writers read it; the withheld parts' paragraphs withheld), quoted in prose; current figures are "
        "quality.json's",
    ),
    "quality-dev-xpost-first-look.json": (
        "real-set.md",
        "hand-written: the cross-posted blog posts' development part's first run on main's code (rule "
        "writers read it; the withheld parts' paragraphs withheld), quoted in prose; current figures are "
        "quality.json's",
    ),
    "quality-link-28-on.json": (
        "linking.md",
        "hand-written: link-28 with its derived rule on at 0006437 (real set, generator at 100, 1,000 and "
        "10,000 stories, the real set inside 1,000), quoted in prose; current figures are quality.json's",
    ),
    "quality-link-20.json": (
        "linking.md",
        "hand-written: link-20 and boilerplate-20 at 42e0fe7 (real set with real-dev-wire, generator at 100 "
        "and 1,000 stories), quoted in prose; current figures are quality.json's",
    ),
    "quality-wire-first-look.json": (
        "real-set.md",
        "hand-written: the 1987 Reuters wire development part's first run on main's code (rule writers read "
        "it; the withheld parts' paragraphs withheld), quoted in prose; current figures are quality.json's",
    ),
    "quality-meter-first-look.json": (
        "real-set.md",
        "hand-written: the METER parts' first run on main's code (dev-meter read by rule writers; blind8's "
        "and the other withheld parts' paragraphs withheld), quoted in prose; current figures are "
        "quality.json's",
    ),
    "quality-ocr-first-look.json": (
        "real-set.md",
        "hand-written: the OCR parts' first run on main's code (dev-ocr in full, read by rule writers; "
        "blind9 by its totals only), quoted in prose; current figures are quality.json's",
    ),
    "quality-link-13.json": (
        "linking.md",
        "hand-written: link-15 and html-8 (named link-13 and html-7 on their branch) at 486ff9d (real set "
        "with real-dev-asf2, generator at 100 and 1,000 stories), quoted in a table; current figures are "
        "quality.json's",
    ),
    "quality-html-12.json": (
        "boilerplate.md",
        "hand-written: html-12 (page chrome told by shallow text features) against main 9d7fec4 (real set), "
        "quoted in prose; current figures are quality.json's",
    ),
    "quality-boilerplate-18.json": (
        "boilerplate.md",
        "hand-written: boilerplate-18 (a post's standing notes and a blog theme's lines) against main "
        "f8d1abc (real set), quoted in a table; current figures are quality.json's",
    ),
    "quality-boilerplate-15.json": (
        "boilerplate.md",
        "hand-written: boilerplate-15 (boilerplate-14 on its branch) and ingest-10 against main ffce761 "
        "(real set with real-dev-xpost), "
        "quoted in a table; current figures are quality.json's",
    ),
    "quality-boilerplate-10.json": (
        "boilerplate.md",
        "hand-written: boilerplate-10 against main c8926ea (real set and generator at 100, 1,000 and 10,000 "
        "stories), quoted in a table; current figures are quality.json's",
    ),
    "link_memory.json": ("link-memory.md", "rendered (the whole page) by `bench.link_memory.render_page`"),
    "commit_memory.json": ("memory.md", "hand-written: a commit's peak RSS, streamed against whole tables"),
    "trace.json": ("trace-benchmarks.md", "rendered (the whole page) by `bench.trace_bench.render`"),
    "run.json": ("run-benchmarks.md", "rendered (the whole page) by `bench.run_bench.render`"),
    "scale.json": ("memory.md", "the region `scale-results`, by `bench.scale_run.render`"),
    "scale-rss-200k-d24b0d8.json": (
        "memory.md",
        "hand-written: reprint run at 200k on the merged code of stop 29 (bench.scale_run sizes), quoted",
    ),
    "link-peak-200k-a23c953.json": (
        "memory.md",
        "hand-written: bench.link_peak on the 200k run's 400 prepared shards at a23c953, quoted",
    ),
    "scale-rss-50k-cfcbeb7.json": (
        "memory.md",
        "hand-written: reprint run at 50k at cfcbeb7 (bench.scale_run sizes), beside run_bench's 50k, quoted",
    ),
    "scale-rss-200k-d687724.json": (
        "memory.md",
        "hand-written: reprint run at 10k and 200k, merged code of the 15th session (bench.scale_run sizes)",
    ),
    "scale-rss-200k-64aad37.json": (
        "memory.md",
        "hand-written: reprint run at 10k and 200k, merged code of the 14th session (bench.scale_run sizes)",
    ),
    "scale-rss-200k-474fc60.json": (
        "memory.md",
        "hand-written: reprint run at 10k and 200k, merged code of stop 31 (bench.scale_run sizes), a table",
    ),
    "scale-rss-200k-mem200b.json": (
        "memory.md",
        "hand-written: #13 mem200b, linking 200k alone and the 200k run's link step (reused shards), the 10k "
        "run, main against the branch, the tables compared; tables",
    ),
    "scale-rss-200k-mem200.json": (
        "memory.md",
        "hand-written: #13 mem200, the 200k run's link step (reused shards) and the 10k run, main against "
        "the branch, linking 45k alone, the tables compared; tables",
    ),
    "scale-rss-200k-rss.json": (
        "memory.md",
        "hand-written: #13 rss's second pass, reprint run at 10k and 200k (bench.scale_run sizes), a table",
    ),
    "scale-rss.json": (
        "memory.md",
        "hand-written: #13 rss's reprint run at 10k, 50k and 101k (bench.scale_run sizes), quoted in a table",
    ),
    "run-memory-101k-main.json": (
        "memory.md",
        "hand-written: bench/run_memory.py at 101k on main f8d1abc (#13 rss: the 100k peak), in prose",
    ),
    "link-peak-200k.json": (
        "memory.md",
        "hand-written: linking 101k and 200k documents alone, before and after #13 lrss (bench.link_peak), "
        "and a reprint run at 200k, in tables",
    ),
    "link-peak-100k.json": (
        "memory.md",
        "hand-written: linking 101k documents alone, before and after #13 rss (bench.link_peak), in a table",
    ),
    "run-memory.json": (
        "memory.md",
        "hand-written: peak RSS of reprint run at 10k on #13's link-incr branch, quoted in prose",
    ),
    "mem-flat.json": (
        "memory.md",
        "hand-written: #13 mem-flat's runs at 10k, 50k and 200k before and after, and a run with nothing "
        "new, quoted in tables (also on daily-run.md)",
    ),
    "run-memory-50k.json": (
        "memory.md",
        "hand-written: peak RSS of reprint run at 50k on #13's link-incr branch, quoted in prose",
    ),
    "run-daily.json": (
        "run-daily.md",
        "rendered (the whole page) by `bench.run_bench.render`: a daily run on #13's link-incr branch",
    ),
    "run-before-after.json": (
        "run-before-after.md",
        "rendered (the whole page) by `bench.run_bench.render`: the session's start (c8926ea) and its end, "
        "run one after the other at 10k and 50k documents",
    ),
    "run-startup-before.json": (
        "startup.md",
        "hand-written: a second start-up run of `bench.run_bench`, quoted beside run.json's in one table",
    ),
    "hostile.json": ("hostile-inputs.md", "rendered (Last results) by `bench.hostile.markdown_table`"),
    "hostile-main.json": (
        "hostile-inputs.md",
        "hand-written: the same bench on main before the caps, quoted in prose (Memory) as the comparison",
    ),
    "boilerplate.json": ("boilerplate.md", "rendered (Measured) by `bench.boilerplate_bench.markdown_table`"),
    "l3s-gn1.json": (
        "boilerplate.md",
        "rendered (the region `l3s-gn1-results`) by `bench.l3s_gn1.markdown_table`",
    ),
    "link_cases.json": (
        "linking.md",
        "hand-written: a log of runs on several branches; the page compares chosen pairs of them",
    ),
    "language.json": (
        "benchmarks.md",
        "hand-written: measured in an earlier session on `tasks.language` itself, not on `reprint run`",
    ),
    "throughput.json": (
        "benchmarks.md",
        "hand-written: an earlier session's figures of the throughput bench's own pool, not `reprint run`",
    ),
    "throughput-before-after.json": ("benchmarks.md", "hand-written, as throughput.json"),
    "throughput-language.json": ("benchmarks.md", "hand-written, as throughput.json"),
    "report_page.json": ("reports.md", "rendered (At scale) by `bench.report_page_bench.markdown_table`"),
    "daily-run-10k.json": (
        "daily-run.md",
        "hand-written: bench/daily_run.py at 10k (+1%), the full run timed apart, quoted in a table",
    ),
    "daily-run-100k.json": (
        "daily-run.md",
        "hand-written: bench/daily_run.py at 100k (+1%) with the reuse step, quoted in a table",
    ),
    "daily-run-daily6.json": (
        "daily-run.md",
        "hand-written: #13 daily6, the +1% run at 100k from copies of one full run, main ec9ce4a and the "
        "branch in turn (link and commit CPU in the run's process), the tables compared, quoted",
    ),
    "daily-run-100k-2868ac3.json": (
        "daily-run.md",
        "hand-written: bench/daily_run.py at 100k (+1%), full, idle and daily at 2868ac3, quoted",
    ),
    "daily-run-100k-0c929a8.json": (
        "daily-run.md",
        "hand-written: bench/daily_run.py at 100k (+1%), full, idle and daily at 0c929a8, quoted",
    ),
    "daily-run-100k-02dbac8.json": (
        "daily-run.md",
        "hand-written: bench/daily_run.py at 100k (+1%), full, idle and daily at 02dbac8, quoted",
    ),
    "daily-run-100k-64aad37.json": (
        "daily-run.md",
        "hand-written: bench/daily_run.py at 100k (+1%), every phase (fresh included) at 64aad37, quoted",
    ),
    "daily-run-100k-3885b60.json": (
        "daily-run.md",
        "hand-written: bench/daily_run.py at 100k (+1%), full, nothing new and +1% at 3885b60, quoted",
    ),
    "daily-run-100k-e52b876.json": (
        "daily-run.md",
        "hand-written: bench/daily_run.py at 100k (+1%), every phase (fresh included) at e52b876, quoted",
    ),
    "daily-run-100k-77fd155.json": (
        "daily-run.md",
        "hand-written: bench/daily_run.py at 100k (+1%), every phase (fresh included) at 77fd155, quoted",
    ),
    "daily-run-100k-d629aa2.json": (
        "daily-run.md",
        "hand-written: bench/daily_run.py at 100k (+1%), every phase at d629aa2 on a quiet machine, quoted",
    ),
    "daily-run-dcount.json": (
        "daily-run.md",
        "hand-written: #13 dcount, bench/daily_run.py at 100k (+1%) from copies of one full run, main "
        "5156321 against the branch side by side, the link step's CPU in one process, quoted",
    ),
    "daily-link-state.json": (
        "daily-run.md",
        "hand-written: the link step's passes at 100k + 1,000, CPU, before and after branch dstate, quoted",
    ),
    "daily-run-dtail.json": (
        "daily-run.md",
        "hand-written: bench/daily_run.py at 100k (+1%) before and after branch dtail, CPU s, 10k phases",
    ),
    "daily-run-dcommit.json": (
        "daily-run.md",
        "hand-written: #13 dcommit, main a576861 against the branch: bench/daily_run.py at 100k (nothing "
        "new, +1%) from copies of one full run, and discovery's CPU at 100k files, quoted in prose",
    ),
    "daily-run-dlink.json": (
        "daily-run.md",
        "hand-written: #13 dlink's link step, main 9d7fec4 against the branch: bench/daily_run.py at 10k "
        "(every phase) and 100k (daily), and the link step's CPU in one process, quoted in prose",
    ),
    "run-memory-daily-link-10k.json": (
        "memory.md",
        "hand-written: bench/run_memory.py at 10k with worker pools (#13 daily-link), quoted in a table",
    ),
    "run-memory-daily-link-50k.json": (
        "memory.md",
        "hand-written: bench/run_memory.py at 50k with worker pools (#13 daily-link), quoted in a table",
    ),
    "run_memory.json": (
        "memory.md",
        "hand-written: where the driver's memory peaked, step by step, before and after #13's link-incr work",
    ),
}

# Whole benchmark pages: page -> (results file, module, function rendering the page from the loaded JSON).
# A page is generated once its results file exists.
BENCH_PAGES: dict[str, tuple[str, str, str]] = {
    "quality.md": ("quality.json", "bench.quality", "render_page"),
    "revisions.md": ("revisions.json", "bench.revisions", "render_page"),
    "run-benchmarks.md": ("run.json", "bench.run_bench", "render"),
    "run-daily.md": ("run-daily.json", "bench.run_bench", "render"),
    "run-before-after.md": ("run-before-after.json", "bench.run_bench", "render"),
    "link-memory.md": ("link_memory.json", "bench.link_memory", "render_page"),
    "trace-benchmarks.md": ("trace.json", "bench.trace_bench", "render"),
}


def load_results(name: str) -> dict | list:
    return json.loads((RESULTS / name).read_text())


# -- docs/tables.md --------------------------------------------------------------------------------------


def catalog_columns() -> tuple[dict[str, str], dict[str, list[tuple[str, str, str]]]]:
    """Descriptions of the catalog's views and their columns (name, DuckDB type, comment), from an in-memory
    catalog made by the code that builds corpus.duckdb, over empty tables of the declared schemas."""
    import duckdb

    from tasks.warehouse import SQL_DIR, create_report_views, describe_views, empty_tables, run_sql_file

    con = duckdb.connect()
    try:
        empty_tables(con)
        run_sql_file(con, SQL_DIR / "macros.sql")
        create_report_views(con)
        describe_views(con)
        views = dict(
            con.execute(
                "select view_name, coalesce(comment, '') from duckdb_views() "
                "where not internal and schema_name = 'main' and view_name not like 'empty_%'"
            ).fetchall()
        )
        columns: dict[str, list[tuple[str, str, str]]] = {}
        for view, column, kind, comment in con.execute(
            "select table_name, column_name, data_type, coalesce(comment, '') from duckdb_columns() "
            "where schema_name = 'main' and table_name not like 'empty_%' order by table_name, column_index"
        ).fetchall():
            columns.setdefault(view, []).append((column, kind, comment))
        return views, columns
    finally:
        con.close()


def contract_columns() -> dict[str, set[str]]:
    """The columns docs/CONTRACT.md guarantees, per table (its `### <table> — ...` sections)."""
    found: dict[str, set[str]] = {}
    table = None
    for line in (DOCS / "CONTRACT.md").read_text().splitlines():
        if heading := re.match(r"### (\w+) — ", line):
            table = heading.group(1)
        elif line.startswith("#"):
            table = None
        elif table and (row := re.match(r"\| (\w+) \| [A-Z]", line)):
            found.setdefault(table, set()).add(row.group(1))
    return found


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


def tables_page() -> str:
    """docs/tables.md: every table and report view with its columns, types and meanings."""
    from tasks.warehouse import SCHEMAS, SORT_KEYS, report_files

    views, columns = catalog_columns()
    contract = contract_columns()
    lines = [
        "# Tables and reports",
        "",
        "Generated by `python -m docs.generate` from `tasks.warehouse.SCHEMAS` (the one declaration of",
        "the tables' columns and Parquet types), the comments in `sql/comments.sql` and the report files in",
        "`sql/`, through the code that builds `corpus.duckdb`; do not edit by hand.",
        "",
        "`warehouse/<table>/*.parquet` holds one Parquet dataset per table (explicit schemas, zstd, rows",
        "sorted by the key below); `warehouse/corpus.duckdb` has a view of the same name over each, and one",
        "view per report. The same meanings are comments in the catalog: `.venv/bin/reprint sql --list`, or",
        "`select table_name, column_name, comment from duckdb_columns()`. Columns marked *contract* are the",
        "ones [CONTRACT.md](CONTRACT.md) guarantees; the others are this repository's extensions.",
        "",
        "## Tables",
        "",
    ]
    for name, schema in SCHEMAS.items():
        lines += [
            f"### `{name}`",
            "",
            views[name],
            "",
            f"Sorted by {', '.join(f'`{k}`' for k in SORT_KEYS[name])}.",
            "",
            "| column | type | Parquet type | contract | meaning |",
            "|---|---|---|---|---|",
        ]
        for (column, kind, comment), field in zip(columns[name], schema, strict=True):
            mark = "contract" if column in contract.get(name, ()) else ""
            lines.append(f"| `{column}` | {kind} | {field.type} | {mark} | {cell(comment)} |")
        lines.append("")
    lines += [
        "## Reports",
        "",
        "One SQL file each in `sql/`, named after the view it makes (a report may read another); the",
        "description is the comment the file opens with. How to use them: [reports.md](reports.md).",
        "",
        "| report | what it holds |",
        "|---|---|",
    ]
    reports = [path.stem for path in report_files()]
    lines += [f"| `{name}` | {cell(views[name])} |" for name in reports]
    lines.append("")
    for name in reports:
        lines += [f"### `{name}`", "", views[name], "", "| column | type |", "|---|---|"]
        lines += [f"| `{column}` | {kind} |" for column, kind, _ in columns[name]]
        lines.append("")
    return "\n".join(lines)


# -- regions of hand-written pages ---------------------------------------------------------------------------


def precision_recall(scores: dict) -> str:
    return f"{scores['precision']:.3f} / {scores['recall']:.3f}"


def families_whole(run: dict) -> str:
    return f"{run['families_whole']} of {run['families_total']}"


def hard_negatives_linked(run: dict) -> str:
    return f"{len(run['hard_negatives_linked'])} of {run['hard_negatives']}"


def quality_headline() -> str:
    """The README's quality table: grouping, fates and boilerplate, before and now, from quality.json: the
    whole real set, its withheld parts (the judges of rules written without reading them) and the generator;
    every part in docs/quality.md."""
    from bench.quality import WITHHELD

    results = load_results("quality.json")
    after, before = results["runs"]["after"], results["runs"].get("before", {})

    def pair(name: str, figure: Callable[[dict], str]) -> str:
        return f"{figure(before[name])} → {figure(after[name])}" if name in before else figure(after[name])

    compared = ""
    if before:
        compared = f" (before → now: {results['revisions']['before']} → {results['revisions']['after']})"
    lines = [
        f"Measured {results['date']} on {results['machine']}, commit {results['commit']}, with",
        f"`{results['command']}`{compared}:",
        "",
        "| corpus | documents | grouping P / R | families whole | hard negatives linked | fates "
        "| boilerplate P / R |",
        "|---|---:|---|---|---|---|---|",
    ]
    for name, run in after.items():  # the order bench.quality ran them: the real set(s), then generated
        if name.startswith("real-") and name.removeprefix("real-") not in WITHHELD:
            continue
        if name.startswith("within-"):  # the real set inside generated corpora: quality.md, last section
            continue
        if "fates_macro_f1" in run:
            label = f"generator, {int(name.split('-')[-1]):,} stories"
            fates = f"macro-F1 {pair(name, lambda r: format(r['fates_macro_f1'], '.3f'))}"
            families = negatives = ""
        else:
            part = name.removeprefix("real").strip("-").replace("heldout", "held-out")
            label = f"real set, {part} part (withheld)" if part else "real set"
            fates = f"labelled pairs right: {pair(name, lambda r: format(r['fate_accuracy'], '.3f'))}"
            families, negatives = pair(name, families_whole), pair(name, hard_negatives_linked)
        grouping = pair(name, lambda r: precision_recall(r["grouping"]))
        boilerplate = pair(name, lambda r: precision_recall(r["boilerplate"]))
        cells = [label, f"{run['documents']:,}", grouping, families, negatives, fates, boilerplate]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_headline() -> str:
    """The README's speed and memory lines from run.json: `reprint run` now, and the revision before it."""
    results = load_results("run.json")
    now, before = results["code"]["current"], results["code"].get("before", {})
    targets = results["targets"]
    runs = {r["documents"]: r for r in now["sizes"]["runs"]}
    old = {r["documents"]: r for r in before.get("sizes", {}).get("runs", [])}
    was = f" (at {results['before']['revision']}: " if before else ""
    load = results.get("load_average_start")
    busy = f" (load average {load[0]} on {results['machine']['cpus']} cores at the start)" if load else ""
    lines = [
        f"Measured {results['date'][:16].replace('T', ' ')} UTC at commit {results['commit'][:7]}{busy}, with"
    ]
    lines += [f"`{results['command']}`:", ""]
    for n, r in runs.items():
        if "over_floor" in r:
            then = f"{was}{old[n]['seconds']} s, {old[n]['over_floor']}x)" if n in old and was else ""
            lines.append(
                f"- {n:,} documents: {r['seconds']} s, **{r['over_floor']}x** the DuckDB floor "
                f"(target {targets['over_floor']}x){then}; peak RSS {r['peak_rss_mb']:,} MB."
            )
    if now["sizes"]["rss_spread"]:
        sizes = " and ".join(f"{n:,}" for n in runs)
        lines.append(
            f"- Peak RSS at {sizes} documents: within **{now['sizes']['rss_spread']}x** "
            f"(target {targets['rss_spread']}x)."
        )
    inc = now.get("incremental")
    if inc:
        old_inc = before.get("incremental")
        then = (
            f"{was}{old_inc['idle_over_full']:.1%} and {old_inc['incremental_over_full']:.1%})"
            if old_inc and was
            else ""
        )
        lines.append(
            f"- Daily run on {inc['documents']:,} documents: nothing new "
            f"**{inc['idle_over_full']:.1%}** of a full run, +{inc['new_documents']:,} documents "
            f"**{inc['incremental_over_full']:.1%}** (targets "
            f"{targets['idle_over_full']:.0%}, {targets['incremental_over_full']:.0%}){then}."
        )
    start = now.get("startup")
    if start:
        then = f"{was}{before['startup']['over_import_prefect']}x)" if before.get("startup") else ""
        lines.append(
            f"- `reprint run seeds/`: {start['seeds_seconds']} s, **{start['over_import_prefect']}x** "
            f"`import prefect`{then}."
        )
    return "\n".join(lines)


def hostile_results() -> str:
    from bench.hostile import markdown_table

    return markdown_table(load_results("hostile.json"))


def boilerplate_results() -> str:
    from bench.boilerplate_bench import markdown_table

    results = load_results("boilerplate.json")
    stamp = (
        f"Measured {results['date']} on {results['machine']}, commit {results['commit']}, rules "
        f"`{results['rules']}`, seed {results['seed']} (`rules`: the rules alone; `pipeline`: `reprint run`):"
    )
    return stamp + "\n\n" + markdown_table(results)


def l3s_gn1_results() -> str:
    from bench.l3s_gn1 import markdown_table

    results = load_results("l3s-gn1.json")
    stamp = (
        f"Measured {results['date']} on {results['machine']}, commit {results['commit']}, reader "
        f"`{results['versions']['html']}`, rules `{results['versions']['boilerplate']}`"
        f" (`{results['command']}`):"
    )
    return stamp + "\n\n" + markdown_table(results)


def report_page_results() -> str:
    from bench.report_page_bench import markdown_table

    results = load_results("report_page.json")
    w, load = results["warehouse"], results["load_average_start"][0]
    stamp = (
        f"Measured {results['date']} on {results['machine']} (load average {load} "
        f"at the start: a shared machine), commit {results['commit']}, `{results['command']}`, on "
        f"{w['documents']:,} documents, {w['stories_with_republications']:,} stories with republications, "
        f"{w['outlets']} outlets; median of {len(results['runs'][0]['open_ms'])} opens each:"
    )
    return stamp + "\n\n" + markdown_table(results)


def reuse_results() -> str:
    from bench.reuse_bench import markdown_table

    results = load_results("reuse.json")
    stamp = (
        f"Measured {results['date']} on {stamp_text(results['machine'])} (load average "
        f"{results['load_average_at_start']} at the start, {results['load_average_at_end']} at the end: a "
        f"shared machine), commit {results['commit']}, `{results['command']}`:"
    )
    return stamp + "\n\n" + markdown_table(results)


def stamp_text(value: object) -> str:
    """A stored date, machine or commit as text: a machine stored as a dict reads `key value, ...`."""
    if isinstance(value, dict):
        return ", ".join(f"{key} {item}" for key, item in value.items())
    return str(value)


def results_index() -> str:
    """Every file in bench/results/, its date, machine and commit, and the page that shows it."""
    lines = [
        "| results file | measured | machine | commit | shown in | how |",
        "|---|---|---|---|---|---|",
    ]
    for path in sorted(RESULTS.glob("*.json")):
        data = json.loads(path.read_text())
        record = data[-1] if isinstance(data, list) else data  # a log of runs: its newest
        page, how = RESULT_PAGES.get(path.name, ("", "**shown on no page yet**"))
        link = f"[{page}]({page})" if page else ""
        stamp = [cell(stamp_text(record.get(key, "not stored"))) for key in ("date", "machine", "commit")]
        lines.append(f"| `{path.name}` | {' | '.join(stamp)} | {link} | {how} |")
    return "\n".join(lines)


def scale_results() -> str:
    from bench.scale_run import render

    return render(load_results("scale.json"))


def docs_index() -> str:
    """The README's links to every page in docs/, so a new page is linked once the docs are regenerated."""
    links = [f"[{page.stem}](docs/{page.name})" for page in sorted(DOCS.glob("*.md"))]
    lines, line = [], ""
    for link in links:
        if line and len(line) + len(link) + 3 > 110:
            lines.append(line + " ·")
            line = ""
        line = f"{line} · {link}" if line else link
    return "\n".join([*lines, line])


def judges_headline() -> str:
    """The README's lines on the judges nobody on the project labelled: revision histories of public blogs
    (bench.revisions) and L3S-GN1's assessor labels (bench.l3s_gn1), each with its command."""
    lines = []
    if (RESULTS / "revisions.json").exists():
        rev = load_results("revisions.json")
        sizes = "; ".join(
            f"{r['documents']:,} documents: P {r['scores']['precision']:.3f} / R {r['scores']['recall']:.3f}"
            for r in rev["runs"]
        )
        lines.append(
            f"- Revision histories of five public blogs (`{rev['command']}`, commit {rev['commit'][:7]}): "
            f"pairs of one blog in one story, {sizes} ([docs/revisions.md](docs/revisions.md))."
        )
    if (RESULTS / "l3s-gn1.json").exists():
        l3s = load_results("l3s-gn1.json")
        halves = "; ".join(
            f"{half} half ({run['pages']} pages): boilerplate P {run['boilerplate']['precision']:.3f} / "
            f"R {run['boilerplate']['recall']:.3f}, {run['pages_rejected']} rejected"
            for half, run in l3s["runs"].items()
        )
        lines.append(
            f"- L3S-GN1's assessor-labelled news pages of 2008 (`{l3s['command']}`, commit "
            f"{l3s['commit'].split()[0]}): {halves} ([docs/boilerplate.md](docs/boilerplate.md))."
        )
    return "\n".join(lines)


REGIONS: dict[str, Callable[[], str]] = {
    "quality-headline": quality_headline,
    "judges-headline": judges_headline,
    "run-headline": run_headline,
    "hostile-results": hostile_results,
    "boilerplate-results": boilerplate_results,
    "l3s-gn1-results": l3s_gn1_results,
    "report-page-results": report_page_results,
    "reuse-results": reuse_results,
    "scale-results": scale_results,
    "results-index": results_index,
    "docs-index": docs_index,
}


# -- all of it -------------------------------------------------------------------------------------------


def hand_written_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def fill_regions(text: str, where: Path) -> str:
    def fill(found: re.Match) -> str:
        name = found.group(2)
        if name not in REGIONS:
            raise KeyError(f"{where}: no generator for region {name!r} (docs.generate.REGIONS)")
        return found.group(1) + REGIONS[name]().rstrip("\n") + "\n" + found.group(4)

    return REGION.sub(fill, text)


def render_all() -> dict[Path, str]:
    """Every generated file's text as the code and results render it now (whole pages and filled regions)."""
    pages: dict[Path, str] = {DOCS / "tables.md": tables_page()}
    for page, (results, module, function) in BENCH_PAGES.items():
        if (RESULTS / results).exists():
            render = getattr(importlib.import_module(module), function)
            pages[DOCS / page] = render(load_results(results))
    for path in hand_written_pages():
        if path in pages or not path.exists():
            continue
        text = path.read_text()
        if REGION.search(text):
            pages[path] = fill_regions(text, path)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a page is stale")
    args = parser.parse_args(argv)
    stale = []
    for path, text in render_all().items():
        if not path.exists() or path.read_text() != text:
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(text)
    verb = "stale" if args.check else "written"
    print(f"{verb}: {', '.join(map(str, stale))}" if stale else "every generated page is current")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
