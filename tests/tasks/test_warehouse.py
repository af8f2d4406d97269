"""The warehouse: schemas, staged commits, recovery of an interrupted swap, the lock, the DuckDB catalog."""

import json
import os

import duckdb
import pytest

from tasks.warehouse import SCHEMAS, TABLES, WarehouseBusy, commit, ensure_tables, locked, read_table, recover


def rejects_table(*rows):
    return (
        SCHEMAS["rejects"]
        .empty_table()
        .from_pylist([{"source": s, "reason": r} for s, r in rows], schema=SCHEMAS["rejects"])
    )


def test_empty_warehouse_has_every_table_and_a_catalog(tmp_path):
    ensure_tables(tmp_path)
    assert all(read_table(tmp_path, t).num_rows == 0 for t in TABLES)
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    assert con.execute("select count(*) from paragraph_fates").fetchall() == [(0,)]
    con.close()


def test_catalog_works_from_another_working_directory(tmp_path, monkeypatch):
    ensure_tables(tmp_path / "wh")
    commit(tmp_path / "wh", {"rejects": rejects_table(("a.txt", "empty"))}, "r1")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    con = duckdb.connect(str(tmp_path / "wh" / "corpus.duckdb"), read_only=True)
    assert con.execute("select source from rejects").fetchall() == [("a.txt",)]
    con.close()


def test_interrupted_swap_is_rolled_forward(tmp_path):
    ensure_tables(tmp_path)
    run = tmp_path / ".staging" / "crashed"
    (run / "rejects").mkdir(parents=True)
    # A journal is written only after every staged file is complete: simulate a crash right after it.
    import pyarrow.parquet as pq

    pq.write_table(rejects_table(("b.txt", "binary")), run / "rejects" / "part-0.parquet")
    (run / "COMMIT.json").write_text(json.dumps({"tables": ["rejects"]}))
    recover(tmp_path)
    assert read_table(tmp_path, "rejects").to_pylist() == [{"source": "b.txt", "reason": "binary"}]
    assert not run.exists()


def test_staging_without_journal_is_discarded(tmp_path):
    ensure_tables(tmp_path)
    commit(tmp_path, {"rejects": rejects_table(("a.txt", "empty"))}, "r1")
    run = tmp_path / ".staging" / "half"
    (run / "rejects").mkdir(parents=True)
    (run / "rejects" / "part-0.parquet").write_bytes(b"PAR1 half written")
    recover(tmp_path)
    assert read_table(tmp_path, "rejects").num_rows == 1 and not run.exists()


def test_second_run_on_a_locked_warehouse_refuses(tmp_path):
    with locked(tmp_path):
        with pytest.raises(WarehouseBusy, match="in use by another reprint run"):
            with locked(tmp_path):
                pass
    with locked(tmp_path):  # released
        assert os.path.exists(tmp_path / ".lock")


def test_staged_parquet_streams_batches_and_appears_only_when_complete(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks.warehouse import SCHEMAS, StagedParquet

    path = tmp_path / "rejects" / "part-0.parquet"
    batch = pa.Table.from_pylist([{"source": "a.txt", "reason": "empty"}], schema=SCHEMAS["rejects"])
    with StagedParquet(path, "rejects") as out:
        out.write(batch)
        out.write(batch)
        assert not path.exists() and not list(path.parent.glob("*.parquet"))
    assert pq.read_table(path).num_rows == 2 and pq.ParquetFile(path).metadata.num_row_groups == 2
    broken = tmp_path / "rejects" / "part-1.parquet"
    try:
        with StagedParquet(broken, "rejects") as out:
            out.write(batch)
            raise RuntimeError("killed mid-run")
    except RuntimeError:
        pass
    assert sorted(p.name for p in path.parent.iterdir()) == ["part-0.parquet"]
