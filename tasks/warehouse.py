"""The Parquet warehouse: explicit schemas, a lock against concurrent runs, crash-safe commits, and the
DuckDB catalog (`corpus.duckdb`) whose views read the Parquet files.

A commit stages every table under `DIR/.staging/`, writes a journal, then swaps each table folder into place.
A run killed before the journal leaves the old warehouse untouched; one killed during the swap is rolled
forward by the next run (the journal lists complete, fsynced files only).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
STAGING = ".staging"
JOURNAL = "COMMIT.json"

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", pa.string()), ("source", pa.string()), ("outlet", pa.string()), ("title", pa.string()),
        ("published_at", pa.timestamp("us")), ("language", pa.string()), ("n_paragraphs", pa.int32()),
        ("url", pa.string()), ("encoding", pa.string()), ("input_format", pa.string()),
        ("content_hash", pa.string()), ("pipeline_version", pa.string()),
        # Added for real-world inputs (HTML, dumps, web archives): what tasks/repair.py changed, the byline,
        # and when a web archive captured the page.
        ("repairs", pa.list_(pa.string())), ("author", pa.string()), ("captured_at", pa.timestamp("us")),
    ]),
    "paragraphs": pa.schema([
        ("doc_id", pa.string()), ("para_idx", pa.int32()), ("text", pa.string()), ("fingerprint", pa.uint64()),
        ("is_boilerplate", pa.bool_()), ("boilerplate_reason", pa.string()), ("language", pa.string()),
        ("n_words", pa.int32()), ("minhash", pa.list_(pa.uint32())),
    ]),
    "story_members": pa.schema([
        ("story_id", pa.string()), ("doc_id", pa.string()), ("version", pa.int32()),
        ("n_members", pa.int32()), ("link_version", pa.string()), ("align_key", pa.string()),
        ("copied_from", pa.string()),  # the earlier version this one most likely copied (null for the origin)
    ]),
    "paragraph_fates": pa.schema([
        ("story_id", pa.string()), ("base_doc_id", pa.string()), ("base_para_idx", pa.int32()),
        ("doc_id", pa.string()), ("para_idx", pa.int32()), ("fate", pa.string()), ("similarity", pa.float64()),
        ("diff", pa.string()), ("align_version", pa.string()),
    ]),
    "rejects": pa.schema([("source", pa.string()), ("reason", pa.string())]),
}
TABLES = tuple(SCHEMAS)


class WarehouseBusy(RuntimeError):
    """Another reprint run holds the warehouse."""


@contextmanager
def locked(root: Path):
    """Hold the warehouse's write lock for a run; a second run refuses at once with a clear message."""
    root.mkdir(parents=True, exist_ok=True)
    handle = open(root / ".lock", "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise WarehouseBusy(f"{root} is in use by another reprint run; try again when it has finished") from err
        recover(root)
        yield
    finally:
        handle.close()


def table_files(root: Path, table: str) -> list[Path]:
    return sorted((root / table).glob("*.parquet"))


def read_table(root: Path, table: str) -> pa.Table:
    """The committed table, or an empty one with its schema."""
    files = table_files(root, table)
    if not files:
        return SCHEMAS[table].empty_table()
    return pa.concat_tables([pq.read_table(f, schema=SCHEMAS[table]) for f in files])


def recover(root: Path) -> None:
    """Finish a commit that a crash interrupted mid-swap, and clear abandoned staging folders."""
    staging = root / STAGING
    if not staging.exists():
        return
    for run_dir in sorted(p for p in staging.iterdir() if p.is_dir()):
        journal = run_dir / JOURNAL
        if journal.exists():
            _swap_in(root, run_dir, json.loads(journal.read_text())["tables"])
        shutil.rmtree(run_dir, ignore_errors=True)


def commit(root: Path, tables: dict[str, pa.Table], run_id: str) -> None:
    """Replace the given tables with new contents, all or nothing, then rebuild the catalog."""
    run_dir = root / STAGING / run_id
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    for name, table in tables.items():
        folder = run_dir / name
        folder.mkdir()
        path = folder / "part-0.parquet"
        pq.write_table(table.cast(SCHEMAS[name]), path, compression="zstd")
        _fsync(path)
    journal = run_dir / JOURNAL
    tmp = run_dir / (JOURNAL + ".tmp")
    tmp.write_text(json.dumps({"tables": sorted(tables)}))
    _fsync(tmp)
    os.replace(tmp, journal)  # from here on the commit happens, even across a crash
    _fsync(run_dir)
    _swap_in(root, run_dir, sorted(tables))
    shutil.rmtree(run_dir, ignore_errors=True)
    build_catalog(root)


class StagedParquet:
    """One Parquet file of a table written batch by batch (a row group each) with the table's explicit schema,
    so memory holds one batch, not the table; it appears under its name only once complete and fsynced."""

    def __init__(self, path: Path, table: str) -> None:
        self.path = path
        self.schema = SCHEMAS[table]
        self.rows = 0
        self._tmp = path.with_name(path.name + ".tmp")  # not *.parquet: globs and views never see it
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(self._tmp, self.schema, compression="zstd")

    def write(self, batch: pa.Table) -> None:
        self._writer.write_table(batch.cast(self.schema))
        self.rows += batch.num_rows

    def close(self) -> None:
        self._writer.close()
        _fsync(self._tmp)
        os.replace(self._tmp, self.path)

    def __enter__(self) -> StagedParquet:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
        else:
            self._writer.close()
            self._tmp.unlink(missing_ok=True)


def _swap_in(root: Path, run_dir: Path, names: list[str]) -> None:
    for name in names:
        staged = run_dir / name
        if not staged.exists():
            continue  # swapped in before the crash
        target = root / name
        old = run_dir / f"old-{name}"
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
        os.replace(staged, target)
    _fsync(root)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_tables(root: Path) -> None:
    """Give every table a (possibly empty) Parquet file, so views and globs always resolve."""
    missing = {name: SCHEMAS[name].empty_table() for name in TABLES if not table_files(root, name)}
    if missing:
        commit(root, missing, "init")


def build_catalog(root: Path) -> Path:
    """(Re)write corpus.duckdb: one view per table over absolute Parquet paths, plus the macros and reports."""
    root = root.resolve()
    target = root / "corpus.duckdb"
    tmp = root / STAGING / "corpus.duckdb.tmp"
    tmp.parent.mkdir(exist_ok=True)
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for name in TABLES:
            pattern = (root / name / "*.parquet").as_posix().replace("'", "''")
            con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{pattern}')")
        run_sql_file(con, SQL_DIR / "macros.sql")
        create_report_views(con)
        describe_views(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, target)
    return target


def create_report_views(con: duckdb.DuckDBPyConnection) -> None:
    """One view per sql/ report; a report may read another, so each pass creates those whose inputs exist."""
    pending = report_files()
    while pending:
        failed: list[tuple[Path, duckdb.Error]] = []
        for path in pending:
            try:
                con.execute(f"CREATE OR REPLACE VIEW {path.stem} AS {path.read_text().strip().rstrip(';')}")
                description = report_description(path).replace("'", "''")
                con.execute(f"COMMENT ON VIEW {path.stem} IS '{description}'")
            except duckdb.CatalogException as err:
                failed.append((path, err))
        if len(failed) == len(pending):
            raise failed[0][1]
        pending = [path for path, _ in failed]


def report_files() -> list[Path]:
    """The report queries in sql/, one relation per file."""
    return sorted(p for p in SQL_DIR.glob("*.sql") if p.name not in ("macros.sql", "comments.sql"))


def report_description(path: Path) -> str:
    """A report's description: the comment its file opens with, as one line."""
    lines = []
    for line in path.read_text().splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines)


def describe_views(con: duckdb.DuckDBPyConnection) -> None:
    """Comments on the tables and columns, from sql/comments.sql. A comment on a column that is gone must not
    stop a run: it is skipped here, and tests/tasks/test_warehouse_catalog.py names it."""
    for statement in (SQL_DIR / "comments.sql").read_text().split(";\n"):
        if statement.strip() and not all(line.startswith("--") for line in statement.strip().splitlines()):
            try:
                con.execute(statement)
            except duckdb.CatalogException:
                pass


def run_sql_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    con.execute(path.read_text())
