"""Finding unchanged inputs cheaply, as rsync and make do: a file whose size and modification time equal its
`inputs` row is taken as unchanged without being read; --checksum (RunOptions.checksum) hashes every file; a
warehouse written before modification times were stored hashes as before."""

import os
from pathlib import Path

import pyarrow.parquet as pq

import tasks.changes
from tasks.changes import RACY_NS, trusted_stat
from tasks.run import RunOptions, run
from tasks.warehouse import current_version, read_table

ORIGINAL = "The harbour board approved the ferry timetable after a long debate on Monday evening.\n"
SAME_SIZE = "The harbour board rejected the ferry timetable after a long debate on Monday evening.\n"
DAY_NS = 86_400 * 10**9


def write(path: Path, text: str, mtime_ns: int | None = None) -> None:
    """Write `text`, and give the file a modification time a day ago (or `mtime_ns`): old enough to trust."""
    path.write_text(text)
    mtime_ns = mtime_ns or path.stat().st_mtime_ns - DAY_NS
    os.utime(path, ns=(mtime_ns, mtime_ns))


def body(warehouse: Path) -> list[str]:
    return sorted(p["text"] for p in read_table(warehouse, "paragraphs").to_pylist())


def hashed_files(monkeypatch) -> list[Path]:
    """The files the run hashes from now on (in this process: one shard, no worker processes; tasks.run
    hashes through tasks.changes.hash_or_error)."""
    seen: list[Path] = []
    real = tasks.changes.file_hash

    def counting(path):
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(tasks.changes, "file_hash", counting)
    return seen


def test_same_size_and_restored_time_is_skipped_unless_checksum(tmp_path, monkeypatch):
    folder, wh = tmp_path / "in", str(tmp_path / "wh")
    folder.mkdir()
    write(folder / "a.txt", ORIGINAL)
    write(folder / "b.txt", ORIGINAL.replace("harbour", "airport"))
    run([str(folder)], wh)
    rows = {r["source"]: r for r in read_table(Path(wh), "inputs").to_pylist()}
    assert rows["a.txt"]["mtime_ns"] == (folder / "a.txt").stat().st_mtime_ns
    assert rows["a.txt"]["size"] == len(ORIGINAL)

    # Rewritten with the same size, its time put back: the stored size and time say unchanged.
    stamp = (folder / "a.txt").stat().st_mtime_ns
    write(folder / "a.txt", SAME_SIZE, mtime_ns=stamp)
    hashed = hashed_files(monkeypatch)
    version = current_version(Path(wh))
    run([str(folder)], wh)
    assert hashed == [] and current_version(Path(wh)) == version
    assert ORIGINAL.strip() in body(Path(wh))

    # --checksum hashes every file and finds the edit.
    run([str(folder)], wh, RunOptions(checksum=True))
    assert {p.name for p in hashed} == {"a.txt", "b.txt"}
    assert SAME_SIZE.strip() in body(Path(wh)) and ORIGINAL.strip() not in body(Path(wh))


def test_an_ordinary_edit_is_caught_without_checksum(tmp_path, monkeypatch):
    folder, wh = tmp_path / "in", str(tmp_path / "wh")
    folder.mkdir()
    write(folder / "a.txt", ORIGINAL)
    write(folder / "b.txt", ORIGINAL.replace("harbour", "airport"))
    run([str(folder)], wh)
    hashed = hashed_files(monkeypatch)
    (folder / "a.txt").write_text(SAME_SIZE)  # same size, a new modification time (now)
    run([str(folder)], wh)
    # Hashed once (the shard key and its inputs row share the hash); b.txt was not looked into.
    assert [p.name for p in hashed] == ["a.txt"]
    assert SAME_SIZE.strip() in body(Path(wh)) and ORIGINAL.strip() not in body(Path(wh))
    # Just written: its time is too recent to trust (a second edit within the same tick of the clock would
    # keep it), so the row stores none and the next run hashes it again.
    rows = {r["source"]: r for r in read_table(Path(wh), "inputs").to_pylist()}
    assert rows["a.txt"]["mtime_ns"] is None and rows["b.txt"]["mtime_ns"] is not None
    hashed.clear()
    run([str(folder)], wh)
    assert [p.name for p in hashed] == ["a.txt"]


def test_a_warehouse_without_stored_times_hashes_and_learns_them_with_its_next_commit(tmp_path, monkeypatch):
    folder, wh = tmp_path / "in", tmp_path / "wh"
    folder.mkdir()
    write(folder / "a.txt", ORIGINAL)
    run([str(folder)], str(wh))
    for path in (current_version(wh) / "inputs").glob("*.parquet"):
        old = pq.read_table(path).drop_columns(["mtime_ns"])  # as a warehouse of the previous release
        path.unlink()  # hard-linked between versions: write a new file, never into the old one
        pq.write_table(old, path)
    hashed = hashed_files(monkeypatch)
    version = current_version(wh)
    run([str(folder)], str(wh))
    assert [p.name for p in hashed] == ["a.txt"]  # hashed as before: unchanged, nothing committed
    assert current_version(wh) == version
    write(folder / "b.txt", ORIGINAL.replace("harbour", "airport"))
    run([str(folder)], str(wh))  # a commit anyway: a.txt's row learns its time
    rows = {r["source"]: r for r in read_table(wh, "inputs").to_pylist()}
    assert rows["a.txt"]["mtime_ns"] == (folder / "a.txt").stat().st_mtime_ns
    hashed.clear()
    run([str(folder)], str(wh))
    assert hashed == []


def test_a_time_is_trusted_only_when_older_than_the_racy_window():
    now = 10 * RACY_NS
    assert trusted_stat(5, now - RACY_NS, now) == (5, now - RACY_NS)
    assert trusted_stat(5, now - RACY_NS + 1, now) == (5, None)
