"""The report page's open time in Chromium at 1,000 and 10,000 stories (issue 15), against a baseline page
measured in the same run on the same warehouse.

Each page is written by the code `reprint run` calls (`tasks.report_page.write_report_pages`, in a fresh
process, with `PageConfig(max_stories=N)`): this checkout's, and the baseline revision's (default main at
ac291ec, whose index holds every story as a table row). Each index is then opened from disk in headless
Chromium (selenium), several times in turn, and its navigation timing read: `loadEventEnd - navigationStart`,
the page's own script included (it runs before the load event). Results go to bench/results/report_page.json
(date, machine, load average, commit); docs/reports.md shows them (`markdown_table`).

    python -m bench.report_page_bench --warehouse DIR [--corpus DIR] [--sizes 1000 10000] [--repeats 5]

DIR is a warehouse with at least max(sizes) stories with republications; with --corpus and no warehouse there
yet, `reprint run CORPUS --warehouse DIR` builds it first (a generated corpus of 50,000 documents,
/work/tmp13/corpus-50000 or `bench.throughput.make_corpus`, has about 14,000).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.link_memory import _commit, machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "report_page.json"
BASELINE = "ac291ec"  # main before issue 15's report page: every story a row of one table
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1400",
]

# Run in the code's own folder, so `tasks` is that revision's; prints the seconds write_report_pages took.
WRITE = """
import sys, time
from pathlib import Path
from tasks.report_page import PageConfig, write_report_pages
start = time.perf_counter()
write_report_pages(Path(sys.argv[1]), PageConfig(max_stories=int(sys.argv[2])))
print(time.perf_counter() - start)
"""


def build_warehouse(corpus: Path, warehouse: Path) -> None:
    reprint = Path(sys.executable).parent / "reprint"
    command = [str(reprint), "run", str(corpus), "--warehouse", str(warehouse), "--no-report"]
    print("building the warehouse:", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)


def catalog_counts(warehouse: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        documents, stories, shared, outlets = con.execute(
            "select (select count(*) from documents), (select count(distinct story_id) from story_members), "
            "(select count(distinct story_id) from story_members where n_members > 1), "
            "(select count(distinct doc_label(outlet, source)) from documents)"
        ).fetchone()
    finally:
        con.close()
    return {
        "documents": documents,
        "stories": stories,
        "stories_with_republications": shared,
        "outlets": outlets,
    }


def write_pages(code: Path, warehouse: Path, stories: int, out: Path) -> dict:
    """Write the pages with `code`'s page writer, move them to `out`; what it took and how big they are."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-c", WRITE, str(warehouse), str(stories)],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"writing pages with {code} failed:\n{done.stderr[-3000:]}")
    shutil.rmtree(out, ignore_errors=True)
    shutil.move(warehouse / "report", out)
    pages = list((out / "stories").glob("*.html"))
    return {
        "write_seconds": round(float(done.stdout.strip().splitlines()[-1]), 2),
        "index_bytes": (out / "index.html").stat().st_size,
        "story_pages": len(pages),
        "story_pages_bytes": sum(p.stat().st_size for p in pages),
    }


def start_chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='reprint-bench-chromium-')}")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


TIMING = """
const t = performance.timing;
return [t.loadEventEnd - t.navigationStart, t.domContentLoadedEventEnd - t.navigationStart,
        document.querySelectorAll('tr.story').length];
"""


def open_once(driver, index: Path) -> tuple[int, int, int]:
    """Open the index from disk; (load ms, DOMContentLoaded ms, story rows in the DOM)."""
    driver.get("about:blank")
    driver.get(index.as_uri())  # returns after the load event
    for _ in range(100):
        load, ready, rows = driver.execute_script(TIMING)
        if load > 0:
            return load, ready, rows
        time.sleep(0.05)
    raise RuntimeError(f"{index} never finished loading")


def run(warehouse: Path, sizes: list[int], baseline: str, repeats: int, work: Path) -> dict:
    from bench.throughput import checkout
    from tasks.warehouse import refresh_catalog

    refresh_catalog(warehouse)  # the catalog of this code's views (a warehouse built by an older run)
    counts = catalog_counts(warehouse)
    if counts["stories_with_republications"] < max(sizes):
        raise SystemExit(
            f"{warehouse} has {counts['stories_with_republications']} stories, fewer than {max(sizes)}"
        )
    base_code = checkout(baseline, work)
    codes = [("current", ROOT, _commit(ROOT)), ("baseline", base_code, baseline)]
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "command": "python -m bench.report_page_bench " + " ".join(sys.argv[1:]),
        "commit": _commit(ROOT),
        "baseline": baseline,
        "warehouse": counts,
        "runs": [],
    }
    folders = []
    for n in sizes:
        for label, code, commit in codes:
            out = work / f"pages-{label}-{n}"
            written = write_pages(code, warehouse, n, out)
            print(f"{label:8} {n:>6} stories: written in {written['write_seconds']} s", flush=True)
            run = {"label": label, "commit": commit, "max_stories": n, **written}
            record["runs"].append(run)
            folders.append((run, out / "index.html"))
    driver = start_chromium()
    try:
        timings: dict[int, list] = {id(run): [] for run, _ in folders}
        for _ in range(repeats):  # in turn, so a busy moment of the shared machine falls on every page
            for run, index in folders:
                timings[id(run)].append(open_once(driver, index))
    finally:
        driver.quit()
    for run, _ in folders:
        loads = [t[0] for t in timings[id(run)]]
        run["open_ms"] = loads
        run["open_ms_median"] = statistics.median(loads)
        run["dom_content_loaded_ms_median"] = statistics.median(t[1] for t in timings[id(run)])
        run["story_rows_in_dom"] = timings[id(run)][0][2]
        print(
            f"{run['label']:8} {run['max_stories']:>6} stories: opens in {run['open_ms_median']} ms "
            f"(median of {loads}), {run['story_rows_in_dom']} rows in the DOM",
            flush=True,
        )
    record["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return record


def markdown_table(results: dict) -> str:
    """The runs as a Markdown table: page, stories, open time, rows drawn, sizes, write time."""
    lines = [
        "| page | stories listed | opens in (median) | fastest | rows in the DOM | index | story pages "
        "| written in |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in results["runs"]:
        cells = [
            "this page" if run["label"] == "current" else f"baseline ({run['commit']})",
            f"{run['max_stories']:,}",
            f"{run['open_ms_median']:,.0f} ms",
            f"{min(run['open_ms']):,} ms",
            f"{run['story_rows_in_dom']:,}",
            f"{run['index_bytes'] / 2**20:.1f} MiB",
            f"{run['story_pages']:,} ({run['story_pages_bytes'] / 2**20:.0f} MiB)",
            f"{run['write_seconds']:.0f} s",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True, help="a warehouse with enough stories")
    parser.add_argument(
        "--corpus", type=Path, help="build the warehouse from this folder when it is not there"
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="stories on the page")
    parser.add_argument("--baseline", default=BASELINE, help="the revision whose page writer is the baseline")
    parser.add_argument("--repeats", type=int, default=5, help="opens of each page")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "reprint-report-page-bench"
    )
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not (args.warehouse / "corpus.duckdb").exists():
        if not args.corpus:
            parser.error(f"{args.warehouse} is not a warehouse yet; give --corpus to build it")
        build_warehouse(args.corpus, args.warehouse)
    args.work.mkdir(parents=True, exist_ok=True)
    results = run(args.warehouse.resolve(), args.sizes, args.baseline, args.repeats, args.work)
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    print(markdown_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
