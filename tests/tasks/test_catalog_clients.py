"""corpus.duckdb as users open it: the `duckdb` command set-up installs (duckdb-cli 1.5.6) and the Python
driver, from another working directory, after the warehouse was copied elsewhere and the original deleted;
the user's own views (schema `mine`) kept when reprint writes the catalog again."""

import csv
import io
import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from tests.conftest import SEEDS, build_warehouse

DUCKDB_CLI = Path(sys.executable).parent / "duckdb"


def cli(catalog: Path, sql: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DUCKDB_CLI), str(catalog), "-readonly", "-csv", "-noheader", "-c", sql],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )


def python_count(catalog: Path, table: str) -> int:
    con = duckdb.connect(str(catalog), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchall()[0][0]
    finally:
        con.close()


def test_the_duckdb_command_opens_the_catalog_from_anywhere(corpus_warehouse: Path, tmp_path: Path):
    catalog = corpus_warehouse / "corpus.duckdb"
    for table in ("documents", "paragraph_fates", "story_summary"):
        done = cli(catalog, f"select count(*) from {table}", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert int(done.stdout) == python_count(catalog, table) > 0


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """A warehouse copied to another folder (as `cp -r` does: links kept), the original deleted."""
    original = build_warehouse([SEEDS], tmp_path / "original")
    copy = tmp_path / "elsewhere" / "copy"
    shutil.copytree(original, copy, symlinks=True)
    shutil.rmtree(original)
    return copy


def test_a_copied_warehouse_reads_its_own_files(copied: Path, tmp_path: Path):
    catalog = copied / "corpus.duckdb"
    # Untouched by reprint, the copy's catalog still names the deleted folder: an error that says so, never
    # the original's rows; one variable tells a client where the warehouse is now (a read-only mount).
    assert cli(catalog, "select count(*) from documents", cwd=tmp_path).returncode != 0
    here = f"set variable reprint_warehouse = '{copied}'; select count(*) from documents"
    assert cli(catalog, here, cwd=tmp_path).stdout.strip() == "2"
    # Any reprint command writes the catalog again for where it now is.
    assert main(["sql", "--list", "--warehouse", str(copied)]) == 0
    done = cli(catalog, "select count(*) from documents", cwd=tmp_path)
    assert done.stdout.strip() == "2", done.stderr
    assert python_count(catalog, "paragraph_fates") > 0


def test_user_views_are_carried_into_a_rewritten_catalog(copied: Path, tmp_path: Path):
    assert main(["sql", "--list", "--warehouse", str(copied)]) == 0
    con = duckdb.connect(str(copied / "corpus.duckdb"))
    con.execute("create table mine.notes as select 'seed pair' as note")
    con.execute("create view mine.dated as select source, published_at from documents")
    con.execute("create view mine.dated_count as select count(*) as n from mine.dated")  # reads another
    con.close()
    assert main(["report", "--warehouse", str(copied)]) == 0
    moved = tmp_path / "moved"
    copied.rename(moved)
    assert main(["report", "--warehouse", str(moved)]) == 0  # the catalog is written again here
    done = cli(
        moved / "corpus.duckdb", "select n, (select note from mine.notes) from mine.dated_count", tmp_path
    )
    assert done.stdout.strip() == "2,seed pair", done.stderr


def test_sql_output_for_scripts(corpus_warehouse: Path, capsys):
    query = "select doc_id, outlet, published_at from documents order by doc_id"
    assert main(["sql", query, "--csv", "--warehouse", str(corpus_warehouse)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    expected = (
        duckdb.connect(str(corpus_warehouse / "corpus.duckdb"), read_only=True).execute(query).fetchall()
    )
    assert [(r["doc_id"], r["outlet"]) for r in rows] == [(d, o) for d, o, _ in expected]
    assert rows[0]["published_at"] == expected[0][2].isoformat()
    assert main(["sql", query, "--json", "--warehouse", str(corpus_warehouse)]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [(r["doc_id"], r["outlet"]) for r in records] == [(d, o) for d, o, _ in expected]
    assert main(["sql", "select 1 as a where false", "--csv", "--warehouse", str(corpus_warehouse)]) == 0
    assert capsys.readouterr().out == "a\n"  # the header, even with no rows


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"reprint {version('reprint')}"
