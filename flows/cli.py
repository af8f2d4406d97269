"""The `reprint` command: `reprint run INPUT... [--warehouse DIR]`, `reprint report [--warehouse DIR]`,
`reprint page` (rewrite the HTML report), `reprint sql --list | QUERY` (the catalog's reports, a query) and
`reprint export --passim DIR` (reuse in passim's layout)."""

from __future__ import annotations

import argparse
import errno
import logging
import os
import re
import sys
from dataclasses import replace
from pathlib import Path

from rich.console import Console

from flows.prefect_api import api_configured_here, start_api
from tasks.limits import DEFAULT_LIMITS
from tasks.terminal import inert

PROJECT = Path(__file__).resolve().parent.parent
DASK_ADDRESS_ENV = "REPRINT_DASK_ADDRESS"  # flows/pipeline.py reads the same variable


def _version() -> str:
    """The installed package's version (pyproject.toml's)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reprint")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


class _Version(argparse.Action):
    """--version, the package's version looked up only when asked (importlib.metadata is 14 ms of every
    run's start-up otherwise)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {_version()}")  # to stdout, as argparse's own version action prints
        parser.exit()


def _prefect_home() -> None:
    """The project's `.prefect/` unless PREFECT_HOME is set: where a run as the flow keeps its files, and
    so where its profile (an API URL set with `prefect config set`) is read from."""
    os.environ.setdefault("PREFECT_HOME", str(PROJECT / ".prefect"))


def _quiet_prefect(verbose: bool) -> None:
    """Prefect settings that must be in place before prefect is imported."""
    _prefect_home()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The temporary local server needs more than Prefect's default 20 s on a busy or fresh machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if not verbose:
        if "PREFECT_LOGGING_LEVEL" not in os.environ:
            # Quiet the terminal, not the run: the run logger's lines still reach the server and its UI.
            # CRITICAL, not ERROR: Prefect logs a failed task with its traceback at ERROR, and reprint says
            # what went wrong itself, in one line.
            os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "ERROR")
        os.environ.setdefault("PREFECT_LOGGING_SERVER_LEVEL", "ERROR")
        logging.getLogger("uvicorn").setLevel(logging.ERROR)


def positive(text: str) -> int:
    """An argument that must be a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


_SIZE = re.compile(r"(\d+)\s*([KMG]?)I?B?", re.IGNORECASE)


def byte_size(text: str) -> int:
    """A size such as 33554432, 32MB, 32MiB or 512K."""
    found = _SIZE.fullmatch(text.strip())
    if not found or int(found.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size (e.g. 32MB, 512K or 1048576)")
    return int(found.group(1)) * 1024 ** " KMG".index(found.group(2).upper() or " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="reprint", description="Track what happens to a text when republished."
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
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
    run.add_argument(
        "--files-per-shard", type=positive, default=500, help="input files per read/prepare task"
    )
    run.add_argument(
        "--max-document-bytes",
        type=byte_size,
        default=DEFAULT_LIMITS.max_document_bytes,
        help="reject a document (file, JSONL line, archive record) larger than this "
        "(default 32MB; see docs/hostile-inputs.md)",
    )
    run.add_argument(
        "--wait", action="store_true", help="wait for a run holding the warehouse instead of refusing"
    )
    run.add_argument(
        "--checksum",
        action="store_true",
        help="hash every input file to find what changed, instead of trusting a file whose size and "
        "modification time are those stored by the last run",
    )
    run.add_argument(
        "--prefect",
        action="store_true",
        help="run as a Prefect flow even when no Prefect API is configured (a temporary local server "
        "records it); with PREFECT_API_URL set or --dask-address, runs are Prefect flows anyway",
    )
    run.add_argument(
        "--keep-days",
        type=float,
        default=None,
        help="keep committed versions this many days, besides the two newest (default: $REPRINT_KEEP_DAYS "
        "or 0; see `reprint history`)",
    )
    report = commands.add_parser("report", help="print the survival report of what is in the warehouse")
    report.add_argument("--warehouse", default="warehouse")
    page = commands.add_parser("page", help="(re)write the HTML report, DIR/report/index.html")
    page.add_argument("--warehouse", default="warehouse")
    history = commands.add_parser("history", help="list the warehouse's kept versions, oldest first")
    history.add_argument("--warehouse", default="warehouse")
    history.add_argument("--json", action="store_true", help="print one JSON object per version")
    sql = commands.add_parser("sql", help="list the catalog's tables and reports, or run a query on them")
    sql.add_argument("query", nargs="?", help="a SQL query over the catalog's views")
    sql.add_argument("--list", action="store_true", help="list tables and reports with one-line descriptions")
    sql.add_argument("--warehouse", default="warehouse")
    trace = commands.add_parser("trace", help="find every document that carries a passage, earliest first")
    trace.add_argument("passage", nargs="?", help="the passage (a quote of a sentence or more)")
    trace.add_argument("--file", help="read the passage from this file")
    trace.add_argument(
        "--min-share",
        type=float,
        default=0.5,
        help="how much of the passage's words a version must hold, in order (default 0.5)",
    )
    trace.add_argument("--warehouse", default="warehouse")
    trace.add_argument("--json", action="store_true", help="print one JSON object per version")
    export = commands.add_parser("export", help="write the warehouse's reuse in another tool's layout")
    export.add_argument(
        "--passim",
        metavar="DIR",
        required=True,
        help="write passim's cluster output (DIR/out.json) and pairwise alignments (DIR/align.json)",
    )
    export.add_argument("--warehouse", default="warehouse")
    for command in (report, page, sql, trace, history, export):
        command.add_argument("--verbose", action="store_true", help="show a traceback when something fails")
    formats = sql.add_mutually_exclusive_group()
    formats.add_argument(
        "--csv", dest="output", action="store_const", const="csv", help="print the rows as CSV, header first"
    )
    formats.add_argument(
        "--json", dest="output", action="store_const", const="json", help="print the rows as a JSON array"
    )
    args = parser.parse_args(argv)
    try:
        return _command(args)
    except Exception as err:
        if args.verbose:
            raise
        print(f"reprint: {fault_message(err, Path(args.warehouse))}", file=sys.stderr)
        return 4 if lasting_fault(err) else 1


def fault_message(err: BaseException, warehouse: Path) -> str:
    """A fault of the run itself (not of one input) as one line saying what to do."""
    from tasks.warehouse import WarehouseFull

    if isinstance(err, WarehouseFull):
        return inert(err.strerror or err)
    if isinstance(err, OSError) and lasting_fault(err):
        where = f" ({inert(err.filename)})" if err.filename else ""
        if err.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(err):
            return (
                f"no space left on the disk holding {inert(warehouse)}{where}: free some space and run again"
            )
        return (
            f"cannot write to the warehouse {inert(warehouse)}{where}: {inert(err.strerror or err)}; "
            "check its permissions, or pass --warehouse DIR for a folder you may write to"
        )
    return (
        f"the run failed: {inert(type(err).__name__)}: {inert(str(err), 300)}; "
        "run again with --verbose for the details"
    )


def lasting_fault(err: BaseException) -> bool:
    from tasks.warehouse import lasting_fault as lasting

    return lasting(err)


def _command(args: argparse.Namespace) -> int:
    warehouse = Path(args.warehouse)
    if args.command == "run":
        return _run(args, warehouse)
    from tasks.report import render_report
    from tasks.warehouse import refresh_catalog

    if args.command in ("report", "page", "sql", "trace", "history", "export"):
        if not (warehouse / "corpus.duckdb").exists():
            print(
                f"reprint: {inert(warehouse)} holds no warehouse yet; run `reprint run INPUT...` first",
                file=sys.stderr,
            )
            return 2
        refresh_catalog(warehouse)  # written again only when the folder moved or the code changed
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
    if args.command == "trace":
        return _trace(args, warehouse)
    if args.command == "history":
        from tasks.history import render_history, versions

        render_history(versions(warehouse), Console(emoji=False), "json" if args.json else "table")
        return 0
    if args.command == "export":
        from tasks.passim import export_passim

        counts = export_passim(warehouse / "corpus.duckdb", Path(args.passim))
        print(
            f"reprint: wrote {counts['passages']} passages in {counts['clusters']} clusters to "
            f"{inert(Path(args.passim) / 'out.json')} and {counts['pairs']} pairs to "
            f"{inert(Path(args.passim) / 'align.json')}",
            file=sys.stderr,
        )
        return 0
    raise AssertionError(f"unknown command {args.command}")  # argparse allows only the commands above


def _run(args: argparse.Namespace, warehouse: Path) -> int:
    """`reprint run`: in this process, or as the Prefect flow when a Prefect API is configured, a Dask cluster
    is asked for or --prefect is given (docs/pipeline.md, Run modes)."""
    from flows.progress import progress_bars
    from tasks.warehouse import WarehouseBusy

    if args.keep_days is not None:
        if args.keep_days < 0:
            print("reprint: --keep-days must be 0 or more", file=sys.stderr)
            return 2
        from tasks.history import KEEP_DAYS_ENV

        os.environ[KEEP_DAYS_ENV] = str(args.keep_days)  # read where old versions are let go (recover)
    dask = args.dask_address or os.environ.get(DASK_ADDRESS_ENV)
    _prefect_home()
    recorded = args.prefect or bool(dask) or api_configured_here()
    errors = Console(stderr=True, emoji=False)
    inputs = [str(p) for p in args.inputs]
    try:
        if recorded:
            summary = _run_flow(args, inputs, warehouse, dask, errors)
        else:
            from flows import local
            from tasks.run import RunOptions

            options = RunOptions(
                args.files_per_shard,
                wait=args.wait,
                limits=replace(DEFAULT_LIMITS, max_document_bytes=args.max_document_bytes),
                checksum=args.checksum,
            )
            with progress_bars(errors):
                summary = local.run(inputs, str(warehouse), options, verbose=args.verbose)
    except WarehouseBusy as err:
        print(f"reprint: {inert(err)}", file=sys.stderr)
        return 3
    if summary["version"] == "unchanged":
        # Nothing differs from the last run: its report still holds, and printing it again costs seconds.
        print(
            f"reprint: nothing changed: {summary['new_documents']} documents read, "
            f"{summary['unchanged_inputs']} input files unchanged since the last run, "
            f"{summary['rejects']} inputs rejected; {inert(warehouse)} keeps its version "
            "(`reprint report` prints its report)",
            file=sys.stderr,
        )
    else:
        from tasks.report import render_report, render_run_summary

        _print_rejects(warehouse)
        if not args.no_report:
            render_report(warehouse, changed=summary.get("changed_stories"))
        render_run_summary(summary, warehouse, errors)
        if summary["unchanged_inputs"]:
            unchanged = summary["unchanged_inputs"]
            skipped = f"{unchanged} input files unchanged since the last run were skipped"
            print(f"reprint: {skipped}", file=sys.stderr)
    if args.verbose and not recorded:
        print(
            "reprint: this run was not recorded in Prefect (no Prefect API is configured); to record runs, "
            "set PREFECT_API_URL to a server (`prefect server start`) or pass --prefect",
            file=sys.stderr,
        )
    return 0


def _run_flow(args: argparse.Namespace, inputs: list[str], warehouse: Path, dask: str | None, errors) -> dict:
    """The run as the Prefect flow (flows/pipeline.py), recorded by the configured API or, with none, by a
    temporary local server started here."""
    _quiet_prefect(args.verbose)
    # First, so that the server starts on the other core while this process imports Prefect and the pipeline.
    server = start_api()
    from flows.pipeline import run as run_flow
    from flows.progress import progress_bars

    if server:
        server.wait_ready(float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
    with progress_bars(errors):
        return run_flow(
            inputs,
            str(warehouse),
            dask,
            wait=args.wait,
            files_per_shard=args.files_per_shard,
            max_document_bytes=args.max_document_bytes,
            checksum=args.checksum,
        )


def _trace(args: argparse.Namespace, warehouse: Path) -> int:
    import duckdb

    from tasks.passages import SHINGLE
    from tasks.trace import NoPassageIndex, read_passage, render_trace, trace

    passage = read_passage(args.passage, args.file)
    if len(passage.split()) < SHINGLE:
        print(f"reprint: a passage needs {SHINGLE} words or more to be traced", file=sys.stderr)
        return 2
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        versions = trace(con, passage, args.min_share)
    except NoPassageIndex as err:
        print(f"reprint: {inert(warehouse)}: {err}", file=sys.stderr)
        return 2
    finally:
        con.close()
    render_trace(versions, passage, Console(emoji=False), "json" if args.json else "table")
    return 0


def _print_rejects(warehouse: Path) -> None:
    from tasks.warehouse import read_table

    for row in read_table(warehouse, "rejects").to_pylist():
        kind = "warning for" if row["severity"] == "warning" else "rejected"  # a warning: it was ingested
        print(f"reprint: {kind} {inert(row['source'])}: {inert(row['reason'])}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
