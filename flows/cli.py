"""The `reprint` command: `reprint run INPUT... [--warehouse DIR]`, `reprint report [--warehouse DIR]`,
`reprint page` (rewrite the HTML report) and `reprint sql --list | QUERY` (the catalog's reports, a query)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from rich.console import Console

PROJECT = Path(__file__).resolve().parent.parent


def _version() -> str:
    """The installed package's version (pyproject.toml's)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reprint")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def _quiet_prefect(verbose: bool) -> None:
    """Prefect settings that must be in place before prefect is imported."""
    os.environ.setdefault("PREFECT_HOME", str(PROJECT / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The temporary local server needs more than Prefect's default 20 s on a busy or fresh machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if not verbose:
        if "PREFECT_LOGGING_LEVEL" not in os.environ:
            # Quiet the terminal, not the run: the run logger's lines still reach the server and its UI.
            os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "ERROR")
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "ERROR")
        os.environ.setdefault("PREFECT_LOGGING_SERVER_LEVEL", "ERROR")
        logging.getLogger("uvicorn").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="reprint", description="Track what happens to a text when republished."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="ingest INPUT files/folders, then link, align, report")
    run.add_argument("inputs", nargs="+", metavar="INPUT")
    run.add_argument("--warehouse", default="warehouse", help="warehouse folder (default: ./warehouse)")
    run.add_argument("--verbose", action="store_true", help="show Prefect's own logs")
    run.add_argument("--no-report", action="store_true", help="skip printing the report after the run")
    run.add_argument(
        "--dask-address",
        default=None,
        help="run the shards on the Dask cluster at this address (default: $REPRINT_DASK_ADDRESS)",
    )
    run.add_argument("--files-per-shard", type=int, default=500, help="input files per read/prepare task")
    run.add_argument(
        "--wait", action="store_true", help="wait for a run holding the warehouse instead of refusing"
    )
    report = commands.add_parser("report", help="print the survival report of what is in the warehouse")
    report.add_argument("--warehouse", default="warehouse")
    page = commands.add_parser("page", help="(re)write the HTML report, DIR/report/index.html")
    page.add_argument("--warehouse", default="warehouse")
    sql = commands.add_parser("sql", help="list the catalog's tables and reports, or run a query on them")
    sql.add_argument("query", nargs="?", help="a SQL query over the catalog's views")
    sql.add_argument("--list", action="store_true", help="list tables and reports with one-line descriptions")
    sql.add_argument("--warehouse", default="warehouse")
    formats = sql.add_mutually_exclusive_group()
    formats.add_argument(
        "--csv", dest="output", action="store_const", const="csv", help="print the rows as CSV, header first"
    )
    formats.add_argument(
        "--json", dest="output", action="store_const", const="json", help="print the rows as a JSON array"
    )
    args = parser.parse_args(argv)

    from tasks.report import render_report
    from tasks.warehouse import build_catalog

    warehouse = Path(args.warehouse)
    if args.command in ("report", "page", "sql"):
        if not (warehouse / "corpus.duckdb").exists():
            print(
                f"reprint: {warehouse} holds no warehouse yet; run `reprint run INPUT...` first",
                file=sys.stderr,
            )
            return 2
        build_catalog(warehouse)  # written again only when the folder moved or the code changed
    if args.command == "report":
        render_report(warehouse)
        return 0
    if args.command == "page":
        from tasks.report_page import write_report_pages

        print(write_report_pages(warehouse))
        return 0
    if args.command == "sql":
        from tasks.report import list_catalog, print_query

        if args.list or not args.query:
            list_catalog(warehouse)
            return 0
        return print_query(warehouse, args.query, output=args.output or "table")

    _quiet_prefect(args.verbose)
    from flows.pipeline import run as run_flow
    from flows.progress import progress_bars
    from tasks.report import render_run_summary
    from tasks.warehouse import WarehouseBusy

    errors = Console(stderr=True)
    try:
        with progress_bars(errors):
            summary = run_flow(
                [str(p) for p in args.inputs],
                str(warehouse),
                args.dask_address,
                wait=args.wait,
                files_per_shard=args.files_per_shard,
            )
    except WarehouseBusy as err:
        print(f"reprint: {err}", file=sys.stderr)
        return 3
    _print_rejects(warehouse)
    if not args.no_report:
        render_report(warehouse)
    render_run_summary(summary, warehouse, errors)
    if summary["unchanged_inputs"]:
        print(
            f"reprint: {summary['unchanged_inputs']} input files unchanged since the last run were skipped",
            file=sys.stderr,
        )
    return 0


def _print_rejects(warehouse: Path) -> None:
    from tasks.warehouse import read_table

    for row in read_table(warehouse, "rejects").to_pylist():
        kind = "warning for" if row["severity"] == "warning" else "rejected"  # a warning: it was ingested
        print(f"reprint: {kind} {row['source']}: {row['reason']}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
