"""The warehouse: every table and a catalog from the start, versions switched atomically, unchanged files
reused, crashes leave the previous state, the lock refuses or waits, old layouts migrate, and the catalog
reads from any directory."""

import os
import threading
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from tasks import warehouse as wh
from tasks.warehouse import (
    SCHEMAS,
    TABLES,
    WarehouseBusy,
    commit,
    current_version,
    ensure_tables,
    locked,
    read_table,
    recover,
)


def docs(*ids: str) -> pa.Table:
    return pa.Table.from_pylist(
        [{"doc_id": d, "source": f"{d}.txt", "n_paragraphs": 1} for d in ids], schema=SCHEMAS["documents"]
    )


def paras(*ids: str) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "doc_id": d,
                "para_idx": 0,
                "text": f"text of {d}",
                "fingerprint": 1,
                "is_boilerplate": False,
                "minhash": [1, 2],
            }
            for d in ids
        ],
        schema=SCHEMAS["paragraphs"],
    )


def snapshot(root: Path) -> dict:
    return {name: wh.sort_table(read_table(root, name), name) for name in wh.TABLES}


def test_commit_then_read_back_through_the_table_links(tmp_path):
    with locked(tmp_path):
        commit(tmp_path, {"documents": docs("a", "b"), "paragraphs": paras("a", "b")}, "run1")
    assert read_table(tmp_path, "documents").column("doc_id").to_pylist() == ["a", "b"]
    assert (tmp_path / "documents").is_symlink() and (tmp_path / ".current").is_symlink()
    assert read_table(tmp_path, "story_members").num_rows == 0  # every table exists, empty when never given


def test_second_commit_reuses_unchanged_files_by_hard_link(tmp_path):
    with locked(tmp_path):
        commit(tmp_path, {"paragraphs": paras("a", "b")}, "run1")
        first = wh.table_files(tmp_path, "paragraphs")
        commit(tmp_path, {"paragraphs": paras("a", "b", "c")}, "run2")
        second = wh.table_files(tmp_path, "paragraphs")
    assert len(second) == 2  # the old file, linked, plus one holding only the new document
    assert os.stat(first[0]).st_ino in {os.stat(f).st_ino for f in second}
    assert read_table(tmp_path, "paragraphs").column("doc_id").to_pylist() == ["a", "b", "c"]


def test_changed_rows_rewrite_only_their_file(tmp_path):
    with locked(tmp_path):
        commit(tmp_path, {"documents": docs("a")}, "run1")
        commit(tmp_path, {"documents": docs("a", "b")}, "run2")
        changed = docs("a", "b").set_column(6, "n_paragraphs", pa.array([1, 5], pa.int32()))
        commit(tmp_path, {"documents": changed}, "run3")
    table = read_table(tmp_path, "documents")
    assert sorted(
        zip(table.column("doc_id").to_pylist(), table.column("n_paragraphs").to_pylist(), strict=True)
    ) == [
        ("a", 1),
        ("b", 5),
    ]
    assert len(wh.table_files(tmp_path, "documents")) == 2


def test_many_files_are_compacted(tmp_path, monkeypatch):
    monkeypatch.setattr(wh, "MAX_PARTS", 3)
    ids = []
    with locked(tmp_path):
        for k in range(6):
            ids.append(f"d{k}")
            commit(tmp_path, {"documents": docs(*ids)}, f"run{k}")
    assert len(wh.table_files(tmp_path, "documents")) <= 4
    assert read_table(tmp_path, "documents").column("doc_id").to_pylist() == ids


@pytest.mark.parametrize("point", ["after-table-documents", "mid-file-paragraphs", "before-switch"])
def test_a_commit_interrupted_before_the_switch_leaves_the_previous_warehouse(tmp_path, monkeypatch, point):
    with locked(tmp_path):
        commit(tmp_path, {"documents": docs("a"), "paragraphs": paras("a")}, "run1")
    before = snapshot(tmp_path)

    def die(name):
        if name == point:
            raise KeyboardInterrupt  # stands in for SIGKILL here; tests/flows kills real runs

    monkeypatch.setattr(wh, "crash_point", die)
    with pytest.raises(KeyboardInterrupt), locked(tmp_path):
        commit(tmp_path, {"documents": docs("a", "b"), "paragraphs": paras("a", "b")}, "run2")
    assert snapshot(tmp_path) == before
    with locked(tmp_path):  # the next run clears the half-built version
        pass
    assert [p.name for p in (tmp_path / wh.VERSIONS).iterdir()] == [current_version(tmp_path).name]


def test_an_interruption_after_the_switch_is_the_new_warehouse(tmp_path, monkeypatch):
    def die(name):
        if name == "after-switch":
            raise KeyboardInterrupt

    monkeypatch.setattr(wh, "crash_point", die)
    with pytest.raises(KeyboardInterrupt), locked(tmp_path):
        commit(tmp_path, {"documents": docs("a")}, "run1")
    monkeypatch.undo()
    with locked(tmp_path):
        pass
    assert read_table(tmp_path, "documents").column("doc_id").to_pylist() == ["a"]
    assert (tmp_path / "corpus.duckdb").exists()


def test_a_second_run_refuses_with_a_clear_message(tmp_path):
    with locked(tmp_path):
        with pytest.raises(WarehouseBusy, match="in use by another reprint run"), locked(tmp_path):
            pass


def test_a_waiting_run_starts_when_the_first_finishes(tmp_path):
    order = []
    with locked(tmp_path):

        def second():
            with locked(tmp_path, wait=True):
                order.append("second")

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.2)
        order.append("first")
    thread.join(timeout=10)
    assert order == ["first", "second"]


def test_an_old_layout_warehouse_becomes_version_zero(tmp_path):
    (tmp_path / "documents").mkdir()
    old = docs("a").drop_columns(["input_source"])  # written before the column existed
    pq.write_table(old, tmp_path / "documents" / "part-0.parquet")
    with locked(tmp_path):
        pass
    table = read_table(tmp_path, "documents")
    assert table.column("doc_id").to_pylist() == ["a"] and table.column("input_source").to_pylist() == [None]
    assert (tmp_path / "documents").is_symlink()
    with locked(tmp_path):
        commit(tmp_path, {"documents": docs("a", "b")}, "run1")
    assert read_table(tmp_path, "documents").num_rows == 2
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)  # old and new files in one view
    assert con.execute("select doc_id, input_source from documents order by doc_id").fetchall() == [
        ("a", None),
        ("b", None),
    ]
    con.close()


def test_the_catalog_reads_from_any_directory(tmp_path, monkeypatch):
    root = tmp_path / "odd ware'house ü"
    with locked(root):
        commit(root, {"documents": docs("a", "b")}, "run1")
    monkeypatch.chdir(tmp_path.parent)
    con = duckdb.connect(str(root / "corpus.duckdb"), read_only=True)
    assert con.execute("select count(*) from documents").fetchall() == [(2,)]
    assert con.execute("select count(*) from inputs").fetchall() == [(0,)]
    con.close()


def test_recover_keeps_only_recent_versions(tmp_path):
    with locked(tmp_path):
        for k in range(4):
            commit(tmp_path, {"documents": docs(*[f"d{i}" for i in range(k + 1)])}, f"run{k}")
    recover(tmp_path)
    assert len(list((tmp_path / wh.VERSIONS).iterdir())) == wh.KEEP_VERSIONS


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


def test_a_current_catalog_is_known_unopened_and_one_written_since_is_checked(tmp_path, monkeypatch):
    ensure_tables(tmp_path)
    target = tmp_path / "corpus.duckdb"
    opened = []
    real = wh.stored_catalog_key
    monkeypatch.setattr(wh, "stored_catalog_key", lambda path: opened.append(path) or real(path))
    with locked(tmp_path):  # what every run does first: recover, which builds the catalog when it is stale
        pass
    assert opened == []  # its stamp says it holds this code's key: not opened
    # A user's view added: the file changes, so the catalog is opened and checked (its key still holds).
    con = duckdb.connect(str(target))
    con.execute("create view mine.answer as select 42 as x")
    con.close()
    with locked(tmp_path):
        pass
    assert opened == [target]
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("select x from mine.answer").fetchall() == [(42,)]
    con.close()
    with locked(tmp_path):  # stamped again after that check
        pass
    assert opened == [target]
    # Moved (or new code): another key, so the catalog is written again.
    moved = tmp_path.parent / f"{tmp_path.name}-moved"
    os.rename(tmp_path, moved)
    with locked(moved):
        pass
    con = duckdb.connect(str(moved / "corpus.duckdb"), read_only=True)
    assert con.execute("select count(*) from rejects").fetchall() == [(0,)]
    assert con.execute("select x from mine.answer").fetchall() == [(42,)]  # carried over
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


def many_paras(ids: list[str], n: int = 3, flag: bool = False) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "doc_id": d,
                "para_idx": k,
                "text": f"paragraph {k} of {d}",
                "fingerprint": len(d) * 100 + k,
                "is_boilerplate": flag,
                "minhash": [k, 2],
                "names": [k],
            }
            for d in ids
            for k in range(n)
        ],
        schema=SCHEMAS["paragraphs"],
    )


def part(path: Path, table: pa.Table) -> wh.Source:
    pq.write_table(table, path, row_group_size=7)  # row groups out of step with the buckets
    return wh.Source(path)


def test_a_rewrite_is_written_in_key_order_a_bucket_at_a_time(tmp_path, monkeypatch):
    """Rows from several unsorted parts come out as one file in key order, whatever the buckets are: the same
    table as sorting them all in memory, in row groups of the given size."""
    ids = [f"{k * 7919 % 1000:03x}{k}" for k in range(60)]
    parts = [part(tmp_path / f"p{k}.parquet", many_paras(ids[k::3])) for k in range(3)]
    whole = wh.sort_table(pa.concat_tables(pq.read_table(p.path) for p in parts), "paragraphs")
    monkeypatch.setattr(wh, "BUCKET_BYTES", 2_000)  # dozens of buckets, spilled to disk
    out = tmp_path / "out.parquet"
    assert wh.write_sorted(out, "paragraphs", parts, spill=tmp_path / "spill", row_group=25) == 180
    assert len(list((tmp_path / "spill").iterdir())) == 0  # the buckets are gone
    assert wh.read_file(out, "paragraphs").equals(whole)
    assert [pq.ParquetFile(out).metadata.row_group(k).num_rows for k in range(8)] == [25] * 7 + [5]
    monkeypatch.setattr(wh, "BUCKET_BYTES", 1 << 30)  # one bucket, in memory: the same file
    wh.write_sorted(tmp_path / "one.parquet", "paragraphs", parts, spill=tmp_path / "spill", row_group=25)
    assert wh.read_file(tmp_path / "one.parquet", "paragraphs").equals(whole)


def test_a_rewrite_of_some_columns_reads_only_those_and_writes_every_columns_rows(tmp_path, monkeypatch):
    """The align step's body file (`columns`, with `keep`, `where`, a dropped document and linking's patch)
    holds the rows and values writing every column gives, those columns selected; the sketches and names it
    does not write are never read."""
    ids = [f"{k * 7919 % 1000:03x}{k}" for k in range(60)]
    parts = [part(tmp_path / f"p{k}.parquet", many_paras(ids[k::3])) for k in range(3)]
    parts[0] = wh.Source(parts[0].path, pa.array([ids[0], ids[3]]))  # replaced documents: their rows dropped
    # Linking flags a row of a kept document and lets one go: the flag decides `where` after the patch.
    patch = pa.table(
        {
            "doc_id": [ids[6], ids[9]],
            "para_idx": pa.array([1, 0], pa.int32()),
            "is_boilerplate": [True, False],
            "boilerplate_reason": ["repeated", None],
        }
    )
    keep = pa.array(sorted([ids[0], ids[6], ids[9], ids[10], ids[31]]))
    body = ["doc_id", "para_idx", "text", "fingerprint", "is_boilerplate"]

    def unflagged(rows: pa.Table) -> pa.Array:
        return pc.invert(rows.column("is_boilerplate"))

    monkeypatch.setattr(wh, "BUCKET_BYTES", 500)  # spilled buckets
    whole, some = tmp_path / "whole.parquet", tmp_path / "some.parquet"
    options = {"spill": tmp_path / "spill", "keep": keep, "where": unflagged, "row_group": 4}
    wh.write_sorted(whole, "paragraphs", parts, patch, **options)
    read = []
    real = wh._source_batches
    monkeypatch.setattr(wh, "_source_batches", lambda *a: read.append(a[2]) or real(*a))
    assert wh.write_sorted(some, "paragraphs", parts, patch, columns=body, **options) == 11
    assert pq.read_table(some).equals(pq.read_table(whole).select(body))
    assert set(pq.read_table(some).column("doc_id").to_pylist()) == {ids[6], ids[9], ids[10], ids[31]}
    assert read and all(set(columns) == set(body) for columns in read)


def test_a_rewrite_of_the_passage_index_with_an_empty_part_is_in_key_order(tmp_path, monkeypatch):
    """Keys above 2**63 (uint64) cut into buckets, and a table's part-empty.parquet (an empty row group) among
    the sources, as when more than MAX_PARTS files are compacted."""
    rng = np.random.default_rng(5)
    rows = pa.table(
        {
            "key": pa.array(rng.integers(0, 2**64 - 1, 3000, dtype=np.uint64)),
            "doc_id": pa.array([f"d{k % 97}" for k in range(3000)]),
            "para_idx": pa.array([k % 11 for k in range(3000)], pa.int32()),
        }
    )
    empty = tmp_path / "part-empty.parquet"
    wh._write_file(empty, SCHEMAS["passage_index"].empty_table(), "passage_index")
    sources = [part(tmp_path / "a.parquet", rows.slice(0, 1700)), wh.Source(empty)]
    sources.append(part(tmp_path / "b.parquet", rows.slice(1700)))
    monkeypatch.setattr(wh, "BUCKET_BYTES", 4_000)
    out = tmp_path / "out.parquet"
    assert wh.write_sorted(out, "passage_index", sources, spill=tmp_path / "spill", row_group=64) == 3000
    assert wh.read_file(out, "passage_index").equals(wh.sort_table(rows, "passage_index"))


def test_a_rewrite_drops_patches_and_links_what_it_does_not_touch(tmp_path, monkeypatch):
    monkeypatch.setattr(wh, "BUCKET_BYTES", 2_000)
    with locked(tmp_path):
        commit(tmp_path, {"paragraphs": many_paras(["a", "b"])}, "run1")
        commit(tmp_path, {"paragraphs": many_paras(["a", "b", "c", "d"])}, "run2")
        first, second = wh.table_files(tmp_path, "paragraphs")  # a and b; c and d
        new = part(tmp_path / "new.parquet", many_paras(["e", "c"], n=2))
        patch = many_paras(["d"], n=1, flag=True).select(["doc_id", "para_idx", "is_boilerplate"])
        rewrite = wh.Rewrite([new], drop=pa.array(["c"]), patch=patch)
        assert rewrite.changes(current_version(tmp_path), "paragraphs")
        commit(tmp_path, {"paragraphs": rewrite}, "run3")
        files = wh.table_files(tmp_path, "paragraphs")
    assert len(files) == 2 and os.stat(files[0]).st_ino == os.stat(first).st_ino  # a and b untouched: linked
    rows = read_table(tmp_path, "paragraphs").to_pylist()
    assert [(r["doc_id"], r["para_idx"]) for r in rows] == [
        *[(d, k) for d in "ab" for k in range(3)],
        *[("c", k) for k in range(2)],  # c's stored rows dropped, its new ones in
        *[("d", k) for k in range(3)],
        *[("e", k) for k in range(2)],
    ]
    flagged = [(r["doc_id"], r["para_idx"]) for r in rows if r["is_boilerplate"]]
    assert flagged == [("d", 0)]  # the patch's column laid over its row only
    assert all(r["text"] for r in rows) and rows[-1]["names"] == [1]


def test_a_rewrite_that_changes_nothing_makes_no_version(tmp_path):
    from tasks.run import commit_version

    with locked(tmp_path):
        commit(tmp_path, {"paragraphs": many_paras(["a", "b"])}, "run1")
        stored = {"paragraphs": read_table(tmp_path, "paragraphs")}
        unchanged = wh.Rewrite(drop=pa.array(["z"], pa.string()))  # a key no stored row has
        assert commit_version(tmp_path, {"paragraphs": unchanged}, stored) is None
        assert commit_version(tmp_path, {"paragraphs": wh.Rewrite(drop=pa.array(["a"]))}, stored)
    assert read_table(tmp_path, "paragraphs").column("doc_id").to_pylist() == ["b"] * 3


def test_a_warehouse_written_before_a_column_existed_gets_it_in_its_views(tmp_path):
    """A column added to the schema since (e.g. paragraphs.passage_keys, which a macro names) is in the
    catalog's view, null in the old rows: the first run after the upgrade builds its catalog."""
    with locked(tmp_path):
        commit(tmp_path, {"paragraphs": paras("a")}, "run1")
    folder = current_version(tmp_path) / "paragraphs"
    for path in folder.glob("*.parquet"):  # as an older reprint wrote it
        pq.write_table(pq.read_table(path).drop_columns(["passage_keys"]), path)
    (tmp_path / "corpus.duckdb").unlink()
    with locked(tmp_path):  # recover() runs here, and writes the catalog
        pass
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    assert con.execute("select doc_id, passage_keys from paragraphs").fetchall() == [("a", None)]
    con.close()


def test_distinct_values_read_a_group_only_when_its_statistics_allow_two_values(tmp_path, monkeypatch):
    """A run asks for the version columns' values every time; a row group whose statistics show one value is
    not read, and every other (two values, nulls, no statistics, a list column before it) still is."""
    rows = pa.table(
        {
            "minhash": pa.array([[1], [2, 3], None, [4]], pa.list_(pa.uint32())),  # a leaf before the column
            "version": pa.array(["v1", "v1", "v2", None]),
            "n": pa.array([1, 1, 2, 2], pa.int32()),
        }
    )
    path = tmp_path / "a.parquet"
    pq.write_table(rows, path, row_group_size=1)
    plain = tmp_path / "b.parquet"
    pq.write_table(rows.slice(0, 2), plain, write_statistics=False)
    reads = []
    real = pq.ParquetFile.read_row_group
    monkeypatch.setattr(
        pq.ParquetFile, "read_row_group", lambda f, k, **kw: reads.append(k) or real(f, k, **kw)
    )
    assert wh.distinct_values([path], "version") == {"v1", "v2", None}
    assert reads == [3]  # the null one: its statistics do not say it holds one value
    assert wh.distinct_values([plain], "version") == {"v1"} and reads == [3, 0]  # no statistics: read
    assert wh.distinct_values([path], "n") == {1, 2} and len(reads) == 6  # not a string column: read
    assert wh.distinct_values([path], "missing") == {None}


def test_stored_files_in_key_order_are_merged_not_spilled_and_give_the_same_file(tmp_path, monkeypatch):
    """A commit's stored files (each in key order) less their dropped documents, with a patch and new parts:
    merged a batch at a time (batches smaller than a document's rows, so a document's rows span batches and
    rounds), the file equals the one sorting every row gives, and no stored file's rows are spilled."""
    ids = [f"{k * 7919 % 1000:03x}{k}" for k in range(60)]
    drop = pa.array(ids[5:60:9])
    stored = []
    for k in range(2):
        rows = wh.sort_table(many_paras(ids[k:40:2], n=4), "paragraphs")
        stored.append(wh.Source(part(tmp_path / f"s{k}.parquet", rows).path, drop))
    parts = [part(tmp_path / f"p{k}.parquet", many_paras(ids[40 + k :: 2], n=2)) for k in range(2)]
    patch = many_paras([ids[2], ids[45]], n=2, flag=True).select(["doc_id", "para_idx", "is_boilerplate"])
    sources = stored + parts
    spilled = []
    real = wh._spill_buckets
    monkeypatch.setattr(wh, "_spill_buckets", lambda s, *a, **k: spilled.extend(s) or real(s, *a, **k))
    monkeypatch.setattr(wh, "READ_ROWS", 3)
    monkeypatch.setattr(wh, "BUCKET_BYTES", 2_000)
    merged, whole = tmp_path / "merged.parquet", tmp_path / "whole.parquet"
    options = {"spill": tmp_path / "spill", "row_group": 25}
    n = wh.write_sorted(merged, "paragraphs", sources, patch, in_order=2, **options)
    assert spilled == parts  # the new rows only
    assert wh.write_sorted(whole, "paragraphs", sources, patch, **options) == n
    assert wh.read_file(merged, "paragraphs").equals(wh.read_file(whole, "paragraphs"))
    rows = wh.read_file(merged, "paragraphs")
    assert not set(drop.to_pylist()[:4]) & set(rows.column("doc_id").to_pylist())  # (the others are new)
    assert sorted(r["doc_id"] for r in rows.to_pylist() if r["is_boilerplate"]) == sorted(
        [ids[2]] * 2 + [ids[45]] * 2
    )
    assert [pq.ParquetFile(merged).metadata.row_group(k).num_rows for k in range(2)] == [25, 25]


def test_a_stored_file_out_of_key_order_is_sorted_as_any_other(tmp_path, monkeypatch):
    monkeypatch.setattr(wh, "READ_ROWS", 4)
    rows = many_paras(["b", "a", "c"])  # b's rows before a's: not in key order
    stored = part(tmp_path / "s.parquet", rows)
    out = tmp_path / "out.parquet"
    assert wh.write_sorted(out, "paragraphs", [stored], spill=tmp_path / "spill", in_order=1) == 9
    assert wh.read_file(out, "paragraphs").equals(wh.sort_table(rows, "paragraphs"))


def test_rows_cut_into_files_end_each_where_a_document_ends_and_read_in_turn_are_the_one_file(
    tmp_path, monkeypatch
):
    """file_rows: the files hold the rows of the one file in turn, each ending with the first document that
    ends from file_rows rows on, and no document's rows in two files; the bucket way and the merge alike."""
    ids = [f"{k * 7919 % 1000:03x}{k}" for k in range(60)]
    sizes = {d: 1 + k % 5 for k, d in enumerate(ids)}
    sizes[ids[7]] = 23  # a document longer than a file
    rows = pa.concat_tables(many_paras([d], n=sizes[d]) for d in ids)
    parts = [part(tmp_path / f"p{k}.parquet", rows.slice(k * 60, 60)) for k in range(-(-rows.num_rows // 60))]
    whole = wh.sort_table(rows, "paragraphs")
    monkeypatch.setattr(wh, "BUCKET_BYTES", 2_000)
    monkeypatch.setattr(wh, "READ_ROWS", 7)
    stored = wh.sort_table(rows, "paragraphs")
    halves = [stored.slice(0, 90), stored.slice(90)]
    merged_sources = [part(tmp_path / f"s{k}.parquet", h) for k, h in enumerate(halves)]
    for label, sources, in_order in (("bucket", parts, 0), ("merged", merged_sources, 2)):
        target = tmp_path / label / "part-000001.parquet"
        target.parent.mkdir()
        written = wh.write_sorted(
            target,
            "paragraphs",
            sources,
            spill=tmp_path / "spill",
            row_group=4,
            in_order=in_order,
            file_rows=10,
        )
        files = sorted(target.parent.iterdir())
        assert written == rows.num_rows and [f.name for f in files][:2] == [
            "part-000001-00000.parquet",
            "part-000001-00001.parquet",
        ]
        held = [pq.read_table(f) for f in files]
        assert pa.concat_tables(held).equals(whole)
        documents = [set(t.column("doc_id").to_pylist()) for t in held]
        assert all(not (a & b) for k, a in enumerate(documents) for b in documents[k + 1 :])
        # Each file but the last ends at the first document ending from 10 rows on.
        ends = [t.filter(pc.equal(t.column("doc_id"), t.column("doc_id")[-1])).num_rows for t in held]
        assert all(t.num_rows - last < 10 <= t.num_rows for t, last in zip(held[:-1], ends, strict=False))
        assert 2 < len(files) <= rows.num_rows // 10 + 1 and len(rows) > 10 * 10


def test_a_daily_commit_rewrites_only_the_files_holding_the_documents_it_touches(tmp_path, monkeypatch):
    """A table cut by FILE_ROWS: a commit flagging one stored document's rows and adding new documents writes
    the file holding that document again (with the new rows) and hard-links every other; the stored files,
    one run of key ranges, are merged (not spilled) however many they are, and a file whose statistics hold
    none of the touched documents is not read to know it."""
    monkeypatch.setattr(wh, "FILE_ROWS", {"paragraphs": 9})
    monkeypatch.setattr(wh, "MERGED_FILES", 2)
    ids = [f"{k * 7919 % 1000:03x}{k}" for k in range(40)]
    with locked(tmp_path):
        commit(
            tmp_path, {"paragraphs": wh.Rewrite([part(tmp_path / "first.parquet", many_paras(ids))])}, "run1"
        )
        stored = wh.table_files(tmp_path, "paragraphs")
        assert len(stored) == -(-40 * 3 // 9)  # three documents a file of 9 rows
        inodes = {os.stat(f).st_ino for f in stored}
        new = part(tmp_path / "new.parquet", many_paras(["zzz1", "000a"], n=2))
        touched = sorted(ids)[20]
        patch = many_paras([touched], n=1, flag=True).select(["doc_id", "para_idx", "is_boilerplate"])
        spilled, reads = [], []
        real_spill, real_read = wh._spill_buckets, pq.ParquetFile.read_row_group
        monkeypatch.setattr(
            wh, "_spill_buckets", lambda s, *a, **k: spilled.extend(s) or real_spill(s, *a, **k)
        )
        monkeypatch.setattr(
            pq.ParquetFile, "read_row_group", lambda f, k, **kw: reads.append(k) or real_read(f, k, **kw)
        )
        commit(tmp_path, {"paragraphs": wh.Rewrite([new], patch=patch)}, "run2")
        assert len(reads) == 1  # only the file whose range holds the touched document
        assert spilled == [new]
        files = wh.table_files(tmp_path, "paragraphs")
        linked = [f for f in files if os.stat(f).st_ino in inodes]
        kept = {os.stat(f).st_ino for f in files}
    assert len(linked) == len(stored) - 1
    rows = read_table(tmp_path, "paragraphs")
    expected = pa.concat_tables([many_paras(ids), many_paras(["zzz1", "000a"], n=2)])
    assert (
        wh.sort_table(rows, "paragraphs")
        .select(["doc_id", "para_idx"])
        .equals(wh.sort_table(expected, "paragraphs").select(["doc_id", "para_idx"]))
    )
    flagged = [(r["doc_id"], r["para_idx"]) for r in rows.to_pylist() if r["is_boilerplate"]]
    assert flagged == [(touched, 0)]
    # Files past MAX_PARTS beyond the rows' share of FILE_ROWS are compacted: every row written again.
    monkeypatch.setattr(wh, "MAX_PARTS", 0)
    with locked(tmp_path):
        commit(tmp_path, {"paragraphs": wh.Rewrite(patch=patch.slice(0, 0), drop=pa.array(["000a"]))}, "run3")
    again = wh.table_files(tmp_path, "paragraphs")
    assert not {os.stat(f).st_ino for f in again} & kept
    assert sum(pq.read_metadata(f).num_rows >= 9 for f in again) == len(again) - 1
