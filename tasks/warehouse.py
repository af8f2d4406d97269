"""The Parquet warehouse: explicit schemas, a lock against concurrent runs, crash-safe commits through
immutable versions, and the DuckDB catalog (`corpus.duckdb`) whose views read the Parquet files.

Layout: `DIR/<table>` is a symlink to `.current/<table>`, and `DIR/.current` a symlink to one complete
version `DIR/.versions/<n>-<run>/`. A commit builds the next version beside the current one (files whose rows
did not change are hard-linked, not rewritten), fsyncs it, then switches `.current` with one atomic rename: a
run killed at any moment leaves the previous warehouse or the new one, never a mix, and a reader never sees
half a file.

A table is committed either as a table in memory (the small ones) or as a `Rewrite`: where its next rows are
(the stored files, minus the rows of the keys it drops, and this run's staged Parquet parts), never the rows
themselves. The rows of a Rewrite that are not in a hard-linked file are written as one new file sorted by the
table's keys, a bounded bucket of keys at a time (`write_sorted`), so a commit's memory does not grow with the
table (docs/memory.md); or, for the tables of FILE_ROWS, as several such files of about that many rows, each
ending with a key, so that a later commit touching a few keys writes again only the files holding them.
"""

from __future__ import annotations

import bisect
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks.history import committed_at, keep_days
from tasks.limits import size_text

if TYPE_CHECKING:  # duckdb is imported at use: a run with nothing new queries nothing
    import duckdb

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
CURRENT = ".current"
VERSIONS = ".versions"
LOCK = ".lock"
KEEP_VERSIONS = 2  # the current one and the one before, which a reader may still be reading
MAX_PARTS = 32  # a table with more files than this is compacted into one on the next commit
ROW_GROUP = 100_000
# What write_sorted holds of a table at once (Arrow bytes, before its sort's copy): one bucket of keys' rows.
BUCKET_BYTES = 32 << 20
# Rows a Rewrite's files are read in: a whole row group of paragraphs (100k rows, about 60 MB in Arrow) costs
# its decoder's scratch too, about 230 MB of RSS, where batches of 10k rows read through a 1 MB buffer cost
# about 100 MB (measured on the 10k corpus's paragraphs, 2026-12-06).
READ_ROWS = 10_000
COMMIT_THREADS = 2  # tables written at once by a commit (each holds a bucket of BUCKET_BYTES)
# What a run keeps for the next one (tasks/link_state.py): not tables of the contract, one Parquet file each,
# committed inside the version with the tables (so always the state of the rows beside it).
STATE = "state"
SPILL = ".spill"  # write_sorted's buckets, inside the version being built (a crash leaves them to recover)
# Columns whose values seldom repeat: dictionary-encoding them (and list columns) took half of a commit's
# write time and saved nothing (measured on the 10k corpus's paragraphs: 1.6 -> 0.8 s, 1% larger).
UNIQUE_VALUES = frozenset({"text", "key", "fingerprint"})

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", pa.string()),
            ("source", pa.string()),
            ("outlet", pa.string()),
            ("title", pa.string()),
            ("published_at", pa.timestamp("us")),
            ("language", pa.string()),
            ("n_paragraphs", pa.int32()),
            ("url", pa.string()),
            ("encoding", pa.string()),
            ("input_format", pa.string()),
            ("content_hash", pa.string()),
            ("pipeline_version", pa.string()),
            # Added for real-world inputs (HTML, dumps, web archives): what tasks/repair.py changed, the
            # byline, and when a web archive captured the page.
            ("repairs", pa.list_(pa.string())),
            ("author", pa.string()),
            ("captured_at", pa.timestamp("us")),
            # The input file the document came from, so a changed file replaces exactly its own documents.
            ("input_source", pa.string()),
            # ... and the input root it is relative to: two roots may both hold a `feed.jsonl`.
            ("input_root", pa.string()),
            # Link evidence (tasks/evidence.py): the URL's canonical form, documents at one being one story.
            ("canonical_url", pa.string()),
            # ... and the address its front matter gives its page (a slug under a date, a permalink): an
            # outlet's documents at one are versions of one page, a draft without a URL among them.
            ("page_address", pa.string()),
            # ... and the page's former addresses its front matter gives (`aliases`, `redirect_from`): a page
            # moved to a new address is one page with its versions at the old one.
            ("page_aliases", pa.list_(pa.string())),
            # ... and the day its front matter dates the page (a manifest may date the file by a commit).
            ("page_day", pa.date32()),
        ]
    ),
    "paragraphs": pa.schema(
        [
            ("doc_id", pa.string()),
            ("para_idx", pa.int32()),
            ("text", pa.string()),
            ("fingerprint", pa.uint64()),
            ("is_boilerplate", pa.bool_()),
            ("boilerplate_reason", pa.string()),
            ("language", pa.string()),
            ("n_words", pa.int32()),
            ("minhash", pa.list_(pa.uint32())),
            # Link evidence read from the text when it is prepared (tasks/evidence.py), so that linking never
            # reads the text: its names and numbers in order (word hashes), whether it is a Markdown heading,
            # its release-template key (boilerplate.template_key: numbers masked; 0 none) and the facts it
            # carries (boilerplate.template_facts: its numbers but versions; 0 none).
            ("names", pa.list_(pa.uint64())),
            ("is_heading", pa.bool_()),
            # A line of at most 25 words ending in a colon, introducing what follows (tasks/evidence.py).
            ("is_lead_in", pa.bool_()),
            # A paragraph opening with a list's bullet or number (tasks/evidence.py).
            ("is_list_item", pa.bool_()),
            ("template_key", pa.int64()),
            ("template_facts", pa.int64()),
            # The passage index (tasks/passages.py): winnowed keys of its 5-word shingles (`reprint trace`).
            ("passage_keys", pa.list_(pa.uint64())),
        ]
    ),
    "story_members": pa.schema(
        [
            ("story_id", pa.string()),
            ("doc_id", pa.string()),
            ("version", pa.int32()),
            ("n_members", pa.int32()),
            ("link_version", pa.string()),
            ("align_key", pa.string()),
            (
                "copied_from",
                pa.string(),
            ),  # the earlier version this one most likely copied (null for the origin)
        ]
    ),
    "paragraph_fates": pa.schema(
        [
            ("story_id", pa.string()),
            ("base_doc_id", pa.string()),
            ("base_para_idx", pa.int32()),
            ("doc_id", pa.string()),
            ("para_idx", pa.int32()),
            ("fate", pa.string()),
            ("similarity", pa.float64()),
            ("diff", pa.string()),
            ("align_version", pa.string()),
        ]
    ),
    "rejects": pa.schema(
        [
            ("source", pa.string()),
            ("reason", pa.string()),
            ("input_source", pa.string()),
            ("input_root", pa.string()),
            # error: what `source` names was not ingested; warning: it was, without what the reason names
            ("severity", pa.string()),
        ]
    ),
    # The passage index sorted by key (tasks/passages.py): one row per stored passage key of a paragraph, so
    # `trace` reads only the row groups its keys fall in, not every paragraph's keys.
    "passage_index": pa.schema([("key", pa.uint64()), ("doc_id", pa.string()), ("para_idx", pa.int32())]),
    # One row per input file ingested: what it held when read, so an unchanged file is never prepared again.
    "inputs": pa.schema(
        [
            ("source", pa.string()),
            ("content_hash", pa.string()),
            ("metadata_hash", pa.string()),
            ("pipeline_version", pa.string()),
            ("size", pa.int64()),
            ("n_documents", pa.int32()),
            ("n_rejects", pa.int32()),
            ("root", pa.string()),  # the input root `source` is relative to (null: written before roots were)
            # Modified when read (null: too recent to trust, or written before times were): a file whose size
            # and time still equal these is not hashed again (tasks/changes.py, unchanged_by_stat).
            ("mtime_ns", pa.int64()),
        ]
    ),
    # Reuse outside stories (tasks/reuse.py): a passage of 12 or more words two documents share, whichever
    # stories they are in; b1/e1 and b2/e2 are passim's character offsets into each document's text
    # (the view `document_texts`: its paragraphs joined by a blank line): text[b1:e1] is the span.
    "reuse_pairs": pa.schema(
        [
            ("doc_id1", pa.string()),  # the pair's documents, doc_id1 < doc_id2
            ("doc_id2", pa.string()),
            ("story_id1", pa.string()),
            ("story_id2", pa.string()),
            ("same_story", pa.bool_()),
            ("b1", pa.int32()),
            ("e1", pa.int32()),
            ("b2", pa.int32()),
            ("e2", pa.int32()),
            ("matches", pa.int32()),  # words matched word for word (passim's matches)
            ("score", pa.float64()),  # matches over the longer side's words: 1.0 is verbatim
            ("share1", pa.float64()),  # of each document's words, the share the pair's spans cover
            ("share2", pa.float64()),
            ("boilerplate", pa.bool_()),  # in a paragraph flagged boilerplate in either document
            ("reuse_version", pa.string()),
        ]
    ),
}
TABLES = tuple(SCHEMAS)

# How each table is ordered on disk, and the column that groups rows that change together.
SORT_KEYS: dict[str, list[str]] = {
    "documents": ["source", "doc_id"],
    "paragraphs": ["doc_id", "para_idx"],
    "story_members": ["story_id", "version"],
    "paragraph_fates": ["story_id", "doc_id", "base_para_idx", "para_idx", "fate"],
    "rejects": ["source", "reason", "input_root"],
    "passage_index": ["key", "doc_id", "para_idx"],
    "inputs": ["source", "root"],
    "reuse_pairs": ["doc_id1", "doc_id2", "b1", "b2", "e1", "e2"],
}
GROUP_KEY = {
    "documents": "doc_id",
    "paragraphs": "doc_id",
    "story_members": "story_id",
    "paragraph_fates": "story_id",
    "passage_index": "doc_id",
    "reuse_pairs": "doc_id1",
}
# Tables written in smaller row groups than ROW_GROUP, so that a reader filtering on the sort key reads only
# the row groups its values fall in (Parquet's min/max statistics): a trace query reads the index's groups
# holding its keys, then the paragraphs' groups holding the documents found (docs/trace.md).
ROW_GROUPS = {"passage_index": 8_192, "paragraphs": 10_000}
# Tables whose rewritten rows are cut into files of about this many rows, each ending where its first sort key
# (the group key) changes from that many rows on: a daily run re-flags the rows of a few dozen stored
# documents, hash ids spread over the whole table, and only the files holding them are written again; the
# others are hard-linked. One file (930 MB at 100k generated documents) was decoded and encoded whole for them
# (docs/daily-run.md).
FILE_ROWS = {"paragraphs": 10_000}


class WarehouseBusy(RuntimeError):
    """Another reprint run holds the warehouse."""


class WarehouseFull(OSError):
    """A commit ran out of disk space; what it had built is removed, the message says how much it needed."""


# Faults of the warehouse's file system that trying again a second later cannot mend.
LASTING_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


def lasting_fault(error: object) -> bool:
    """Whether `error` is a full disk, a read-only file system or a refused permission."""
    if not isinstance(error, OSError):
        return False
    return error.errno in LASTING_ERRNOS or "No space left on device" in str(error)


def _disk_full(error: OSError) -> bool:
    return error.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left on device" in str(error)


def _folder_bytes(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            info = path.lstat()
        except OSError:
            continue
        if info.st_nlink == 1 and path.is_file():  # hard links to the current version cost no new space
            total += info.st_size
    return total


def crash_point(name: str) -> None:
    """Fault injection for the crash and lock tests: at the point named by REPRINT_CRASH_AT this process kills
    itself with SIGKILL; at the one named by REPRINT_PAUSE_AT it touches the file REPRINT_PAUSE_MARK and waits
    until a file of that name with the suffix `.release` appears (or REPRINT_PAUSE_SECONDS pass)."""
    if os.environ.get("REPRINT_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("REPRINT_PAUSE_AT") == name:
        mark = Path(os.environ["REPRINT_PAUSE_MARK"])
        mark.touch()
        deadline = time.monotonic() + float(os.environ.get("REPRINT_PAUSE_SECONDS", "60"))
        while time.monotonic() < deadline and not mark.with_suffix(".release").exists():
            time.sleep(0.1)


@contextmanager
def locked(root: Path, wait: bool = False) -> Iterator[None]:
    """Hold the warehouse's write lock for a run.

    A second run refuses at once with WarehouseBusy, or with `wait` blocks until the first has finished.
    The lock is an flock, so the kernel drops it when its holder dies, even by SIGKILL.
    """
    root.mkdir(parents=True, exist_ok=True)
    handle = open(root / LOCK, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            if not wait:
                raise WarehouseBusy(
                    f"{root} is in use by another reprint run (it holds {root / LOCK}); "
                    "try again when it has finished, or pass --wait"
                ) from err
            print(
                f"reprint: {root} is in use by another reprint run; waiting for it to finish", file=sys.stderr
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        recover(root)
        yield
    finally:
        handle.close()


def current_version(root: Path) -> Path | None:
    """The folder of the committed version, or None for a new warehouse."""
    link = root / CURRENT
    return root / VERSIONS / os.readlink(link).split("/")[-1] if link.is_symlink() else None


def table_files(root: Path, table: str) -> list[Path]:
    return sorted((root / table).glob("*.parquet"))


def read_file(path: Path, table: str) -> pa.Table:
    """One Parquet file of `table`, with columns added since it was written filled with nulls."""
    data = pq.read_table(path)
    schema = SCHEMAS[table]
    columns = [
        data.column(f.name).cast(f.type) if f.name in data.column_names else pa.nulls(len(data), f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def read_parts(root: Path, table: str) -> dict[str, pa.Table]:
    """The committed table's files by name."""
    return {f.name: read_file(f, table) for f in table_files(root, table)}


def read_table(root: Path, table: str) -> pa.Table:
    """The committed table, or an empty one with its schema."""
    parts = list(read_parts(root, table).values())
    return pa.concat_tables(parts) if parts else SCHEMAS[table].empty_table()


def sort_table(table: pa.Table, name: str) -> pa.Table:
    """The table in its on-disk order, so the same rows are always stored the same way."""
    return table.cast(SCHEMAS[name]).sort_by([(k, "ascending") for k in SORT_KEYS[name]])


def recover(root: Path) -> None:
    """Bring the folder to a clean committed state: move an old-layout warehouse into a version, restore the
    table links, and delete versions a crashed run left half-built and ones no reader needs any more."""
    days = keep_days()  # first: a bad $REPRINT_KEEP_DAYS stops the run before it does anything
    versions = root / VERSIONS
    legacy = [t for t in TABLES if (root / t).is_dir() and not (root / t).is_symlink()]
    if legacy:
        # Warehouses written before versions existed: their table folders become version 0 as they are.
        first = versions / "000000-legacy"
        (first).mkdir(parents=True, exist_ok=True)
        for name in legacy:
            shutil.rmtree(first / name, ignore_errors=True)
            os.replace(root / name, first / name)
        if not (root / CURRENT).is_symlink():
            _switch(root, first)
    # .staging is left as it is: parts a killed run staged are reused by the next (tasks/run.py).
    current = current_version(root)
    if current is None:
        return
    for name in TABLES:
        if not (current / name).is_dir():
            # A table added to the schema after this version was written: an empty file keeps views valid.
            (current / name).mkdir()
            _write_file(current / name / "part-empty.parquet", SCHEMAS[name].empty_table(), name)
            continue
        have = set().union(*(pq.read_schema(f).names for f in (current / name).glob("*.parquet")))
        if not set(SCHEMAS[name].names) <= have:
            # Columns added to the schema after every file of this version was written: an empty file that
            # has them gives the catalog's views (union_by_name) those columns, null in the older rows, so the
            # macros and reports that name them work on a warehouse written before they existed.
            tmp = current / name / "part-columns.parquet.tmp"
            _write_file(tmp, SCHEMAS[name].empty_table(), name)
            os.replace(tmp, current / name / "part-columns.parquet")
    _link_tables(root)
    older = sorted(
        (p for p in versions.iterdir() if version_number(p) <= version_number(current)), key=version_number
    )
    keep = {p.name for p in older[-KEEP_VERSIONS:]} | {current.name}
    if days:
        # Versions committed within the last `days` are kept too, to compare with (tasks/history.py).
        cutoff = time.time() - days * 86400
        keep |= {p.name for p in older if committed_at(p).timestamp() >= cutoff}
    for path in versions.iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    build_catalog(root)  # written again only when missing, moved, or made by other code


def version_number(path: Path) -> int:
    match = re.match(r"(\d+)-", path.name)
    return int(match.group(1)) if match else -1


def commit(
    root: Path, tables: dict[str, pa.Table | Rewrite], run_id: str, state: dict[str, pa.Table] | None = None
) -> Path:
    """Make `tables` the warehouse's contents, all or nothing; tables not given are carried over unchanged.
    Each is a table in memory or a Rewrite (where its rows are; see the module's docstring). state: files of
    the run's kept counts (STATE, by name) written into the version with them; those not given are carried
    over.

    Returns the new version's folder. Call it holding `locked(root)`.
    """
    current = current_version(root)
    number = version_number(current) + 1 if current else 1
    target = root / VERSIONS / f"{number:06d}-{run_id[:12]}"
    shutil.rmtree(target, ignore_errors=True)
    try:
        _build_version(target, current, tables, number)
        _store_state(target, current, state or {})
    except OSError as err:
        # Nothing points at the half-built version: remove it so a full disk is not left fuller.
        full = _disk_full(err)
        written = _folder_bytes(target) if full and target.exists() else 0  # (only a full disk says it)
        shutil.rmtree(target, ignore_errors=True)
        if not full:
            raise
        needed = sum(t.nbytes if isinstance(t, pa.Table) else t.nbytes(current, n) for n, t in tables.items())
        free = shutil.disk_usage(root).free
        raise WarehouseFull(
            errno.ENOSPC,
            f"no space left on the disk holding {root}: the new warehouse version needs up to "
            f"{size_text(needed)} (its tables before compression; {size_text(written)} had been written "
            f"when the disk filled, {size_text(free)} is free now). The half-built version was removed and "
            "the warehouse is as before: free some space and run again",
        ) from err
    _fsync(target)
    _fsync(target.parent)
    crash_point("before-switch")
    _switch(root, target)  # the commit point
    crash_point("after-switch")
    _link_tables(root)
    build_catalog(root)
    return target


def _build_version(
    target: Path, current: Path | None, tables: dict[str, pa.Table | Rewrite], number: int
) -> None:
    """Write version `number` into `target`: given tables stored, the others linked from `current`.

    The tables are written by two threads (Arrow's sorting, encoding and compression leave the GIL): a
    first run's commit is mostly `paragraphs` beside `passage_index` and `reuse_pairs`."""
    target.mkdir(parents=True)

    def store(name: str) -> None:
        folder = target / name
        folder.mkdir()
        old = {f.name: f for f in (current / name).glob("*.parquet")} if current else {}
        given = tables.get(name)
        if given is None:
            for file in old.values():
                _link_or_copy(file, folder / file.name)
            if not old:
                _write_file(folder / "part-empty.parquet", SCHEMAS[name].empty_table(), name)
            return
        if isinstance(given, Rewrite):
            _store_rewrite(folder, given, name, old, number, target / SPILL / name)
        else:
            _store_table(folder, sort_table(given, name), name, old, number)
        crash_point(f"after-table-{name}")
        _fsync(folder)

    # The rewrites first, so the largest is not left to run alone at the end.
    order = sorted(TABLES, key=lambda n: not isinstance(tables.get(n), Rewrite))
    with ThreadPoolExecutor(COMMIT_THREADS) as pool:
        for done in [pool.submit(store, name) for name in order]:
            done.result()
    shutil.rmtree(target / SPILL, ignore_errors=True)


def _store_state(target: Path, current: Path | None, state: dict[str, pa.Table]) -> None:
    """The version's STATE folder: the given files written, the stored others hard-linked."""
    folder = target / STATE
    folder.mkdir()
    old = current / STATE if current else None
    if old is not None and old.is_dir():
        for path in old.glob("*.parquet"):
            if path.stem not in state:
                _link_or_copy(path, folder / path.name)
    for name, table in sorted(state.items()):
        path = folder / f"{name}.parquet"
        pq.write_table(table, path)
        _fsync(path)
    crash_point("after-state")
    _fsync(folder)


def read_state(root: Path, name: str) -> pa.Table | None:
    """The committed state file `name` (STATE), or None when the current version has none."""
    current = current_version(root)
    path = current / STATE / f"{name}.parquet" if current else None
    return pq.read_table(path) if path is not None and path.exists() else None


@dataclass
class Source:
    """A Parquet file of a table's rows, less the rows whose group key (GROUP_KEY) is in `drop`."""

    path: Path
    drop: pa.Array | None = None


@dataclass
class Rewrite:
    """A table's next rows, given by where they are, never held whole: the stored rows whose group key is not
    in `drop`, the rows of this run's `parts`, and `patch` (rows keyed by the table's SORT_KEYS) laid over the
    rows it names: the columns it has replace theirs (paragraphs: the flags and link evidence linking set).

    A stored file none of whose rows is dropped or patched is hard-linked into the next version; the other
    stored files' remaining rows and the parts' rows are written as one new file in key order (write_sorted),
    or files of FILE_ROWS rows.
    """

    parts: list[Source] = field(default_factory=list)
    drop: pa.Array | None = None
    patch: pa.Table | None = None

    def touched_keys(self, name: str) -> pa.Array | None:
        """Group keys whose stored rows do not stay as they are: dropped or patched."""
        keys = [] if self.drop is None else [self.drop]
        if self.patch is not None and self.patch.num_rows:
            keys.append(pc.unique(self.patch.column(GROUP_KEY[name])))
        keys = [k.cast(pa.string()) for k in keys if len(k)]
        return pa.concat_arrays(keys) if keys else None

    def plan(self, old: list[Path], name: str) -> tuple[list[Path], list[Source]]:
        """The stored files kept as they are, and the sources of the new file."""
        touched = self.touched_keys(name)
        if len(old) > MAX_PARTS + _cut_files(old, name):  # compacted: every row goes into the new file(s)
            return [], [Source(p, self.drop) for p in old] + self.parts
        kept, rewritten = [], []
        keys = None if touched is None else sorted(set(touched.to_pylist()) - {None})
        for path in sorted(old):
            if keys and _holds_any(path, GROUP_KEY[name], keys):
                rewritten.append(Source(path, self.drop))
            else:
                kept.append(path)
        return kept, rewritten + self.parts

    def changes(self, current: Path | None, name: str) -> bool:
        """Whether the next version of the table differs from the stored one."""
        old = table_files(current, name) if current else []
        kept, sources = self.plan(old, name)
        return len(kept) != len(old) or any(pq.read_metadata(s.path).num_rows for s in sources)

    def nbytes(self, current: Path | None, name: str) -> int:
        """Its rows' size in Arrow, about (Parquet's uncompressed sizes): for the full-disk message."""
        old = table_files(current, name) if current else []
        return sum(_uncompressed_bytes(s.path) for s in self.plan(old, name)[1])


def _cut_files(old: list[Path], name: str) -> int:
    """The files a table cut by FILE_ROWS holds at least (its rows over FILE_ROWS): what compaction allows
    beyond MAX_PARTS; 0 for a table written as one file."""
    if name not in FILE_ROWS:
        return 0
    return -(-sum(pq.read_metadata(path).num_rows for path in old) // FILE_ROWS[name])


def _holds_any(path: Path, column: str, keys: list[str]) -> bool:
    """Whether the Parquet file has a row whose (string) `column` is in `keys` (sorted), read a row group at a
    time; a group whose statistics range holds none of the keys is not read (a file cut by FILE_ROWS holds
    a narrow range of its first sort key, and most files hold none of a daily run's few touched keys)."""
    f = pq.ParquetFile(path)
    at = _leaf(f, column)
    wanted = None
    for k in range(f.num_row_groups):
        if at is not None and not may_hold(f.metadata.row_group(k).column(at).statistics, keys):
            continue
        wanted = pa.array(keys, pa.string()) if wanted is None else wanted
        values = f.read_row_group(k, columns=[column]).column(0)
        if pc.any(pc.is_in(values, value_set=wanted)).as_py():
            return True
    return False


def may_hold(stats: pq.Statistics | None, keys: list) -> bool:
    """Whether a row group whose column has these statistics may hold one of `keys` (sorted): False only
    when its min/max range holds none of them."""
    if not keys:
        return False
    if stats is None or not stats.has_min_max or type(stats.min) is not type(keys[0]):
        return True
    at = bisect.bisect_left(keys, stats.min)
    return at < len(keys) and keys[at] <= stats.max


def _leaf(f: pq.ParquetFile, column: str) -> int | None:
    """The index of a top-level column among the file's leaf columns (its statistics), or None."""
    leaves = [f.metadata.schema.column(j).path for j in range(f.metadata.num_columns)]
    return leaves.index(column) if column in leaves else None


def read_columns(paths: list[Path], name: str, columns: list[str]) -> pa.Table:
    """These columns of a table's files, a row group at a time (columns a file lacks as nulls)."""
    schema = pa.schema([SCHEMAS[name].field(c) for c in columns])
    parts = [rows for path in paths for rows in _source_batches(Source(path), name, columns)]
    return pa.concat_tables([schema.empty_table(), *parts])


def distinct_values(paths: list[Path], column: str) -> set:
    """The distinct values of one column of Parquet files (None for a file without it), a row group at a
    time."""
    seen: set = set()
    for path in paths:
        f = pq.ParquetFile(path)
        if column not in f.schema_arrow.names:
            seen |= {None} if f.metadata.num_rows else set()
            continue
        leaves = [f.metadata.schema.column(j).path for j in range(f.metadata.num_columns)]
        text = pa.types.is_string(f.schema_arrow.field(column).type)  # statistics' values as read: str
        at = leaves.index(column) if text and column in leaves else None
        for k in range(f.num_row_groups):
            one = None if at is None else _only_value(f.metadata.row_group(k), at)
            if one is not None:  # the group's statistics say it holds one value: nothing read
                seen.update(one)
            else:
                seen.update(pc.unique(f.read_row_group(k, columns=[column]).column(0)).to_pylist())
    return seen


def _only_value(group: pq.RowGroupMetaData, at: int) -> set | None:
    """The values of (string) column `at` of a row group when its statistics show there is one (its minimum
    equals its maximum, no nulls) or none (no rows); None when the column must be read. A version column
    (`align_version`, `reuse_version`) holds one value in each group, and every run asks for its values (at
    100k documents 5.8M rows read, 0.16 s CPU, for a set of one)."""
    if group.num_rows == 0:
        return set()
    stats = group.column(at).statistics
    if stats is None or not stats.has_min_max or not stats.has_null_count or stats.null_count != 0:
        return None
    return {stats.min} if stats.min == stats.max else None


def count_rows(root: Path, name: str) -> int:
    """Rows of the committed table, from its files' metadata."""
    return sum(pq.read_metadata(path).num_rows for path in table_files(root, name))


def _uncompressed_bytes(path: Path, columns: list[str] | None = None) -> int:
    """The file's rows' size before compression: of these columns only, when given."""
    meta = pq.read_metadata(path)
    if columns is None:
        return sum(meta.row_group(k).total_byte_size for k in range(meta.num_row_groups))
    wanted = set(columns)
    return sum(
        group.column(j).total_uncompressed_size
        for group in (meta.row_group(k) for k in range(meta.num_row_groups))
        for j in range(group.num_columns)
        if group.column(j).path_in_schema.split(".")[0] in wanted
    )


def _store_rewrite(folder: Path, rewrite: Rewrite, name: str, old: dict[str, Path], number: int, spill: Path):
    kept, sources = rewrite.plan(list(old.values()), name)
    for path in kept:
        _link_or_copy(path, folder / path.name)
    if sources or not kept:
        write_sorted(
            folder / f"part-{number:06d}.parquet",
            name,
            sources,
            rewrite.patch,
            spill=spill,
            row_group=ROW_GROUPS.get(name, ROW_GROUP),
            in_order=len(sources) - len(rewrite.parts),  # stored files are in key order
            file_rows=FILE_ROWS.get(name),
        )


def parquet_writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    """A zstd Parquet writer, dictionary-encoding the columns whose values repeat (UNIQUE_VALUES)."""
    repeating = [f.name for f in schema if f.name not in UNIQUE_VALUES and not pa.types.is_list(f.type)]
    return pq.ParquetWriter(path, schema, compression="zstd", use_dictionary=repeating)


def write_sorted(
    target: Path,
    name: str,
    sources: list[Source],
    patch: pa.Table | None = None,
    *,
    spill: Path,
    keep: pa.Array | None = None,
    where: Callable[[pa.Table], pa.Array] | None = None,
    columns: list[str] | None = None,
    row_group: int = ROW_GROUP,
    in_order: int = 0,
    file_rows: int | None = None,
) -> int:
    """Write the rows of `sources` (with `patch` laid over them) into one Parquet file in the table's key
    order (SORT_KEYS), holding one bucket of keys at a time, not the table: the rows are first split by ranges
    of the first sort key into buckets of about BUCKET_BYTES (Arrow IPC files under `spill`), then each bucket
    is read, sorted and written in turn. The ranges only decide memory: the file is in key order, in row
    groups of `row_group` rows, whatever they are.

    in_order: the first this many sources are files of the table, each in key order already (a commit's
    stored files, less their dropped rows): they are merged with the others (sorted apart first), a batch at
    a time, neither spilled nor sorted again (`_write_merged`). The file is the same.

    file_rows: the rows go into files `<target's stem>-<k>.parquet` (k from 0) of about this many rows
    instead, each ending at the first change of the first sort key from file_rows rows on: read one after
    another they are the one file's rows (FILE_ROWS).

    keep: only rows whose group key is in it; where: only rows it says yes to (after the patch); columns: only
    these. Returns the rows written.
    """
    schema = SCHEMAS[name]
    out_schema = pa.schema([schema.field(c) for c in columns]) if columns else schema
    keys, first = SORT_KEYS[name], SORT_KEYS[name][0]
    read = None
    if columns:
        # Only the columns written, and the keys that order and filter the rows, are read: the body file for
        # alignment wants 5 of the paragraphs' columns, and the sketches alone are 40% of their bytes.
        read = list(dict.fromkeys([*columns, *keys, GROUP_KEY[name]]))
        if patch is not None:
            patch = patch.select([c for c in patch.column_names if c in read])
    chains = _chains(sources[:in_order], first) if in_order else []
    if 0 < len(chains) <= MERGED_FILES:
        try:
            return _write_merged(
                target,
                name,
                chains,
                sources[in_order:],
                patch,
                spill,
                keep,
                where,
                read,
                out_schema,
                row_group,
                file_rows,
            )
        except _Unordered:  # a file not in key order after all (written by other code): sorted as any source
            for path in _SortedFile.paths_of(target, file_rows):
                path.unlink()
    total = sum(_uncompressed_bytes(s.path, read) for s in sources)
    bounds = _bucket_bounds(sources, first, -(-total // BUCKET_BYTES))
    buckets = _spill_buckets(sources, name, bounds, keep, spill / target.name, read)
    patch_bucket = (
        np.searchsorted(bounds, patch.column(first).to_numpy(zero_copy_only=False), side="right")
        if patch is not None and patch.num_rows and bounds
        else None
    )
    with _SortedFile(target, name, out_schema, row_group, where, file_rows) as out:
        for k, bucket in enumerate(buckets):
            # One chunk: a take from a table of many chunks (a bucket is read in batches) costs a pass over
            # the whole bucket each time (passage_index: 1.6 s of takes, 0.05 s once combined).
            rows = bucket().combine_chunks()
            # The bucket in key order READ_ROWS at a time: a sorted copy of it is never held whole.
            order = pc.sort_indices(rows.select(keys), sort_keys=[(c, "ascending") for c in keys])
            mine = None
            if patch is not None and patch.num_rows:
                mine = patch if patch_bucket is None else patch.filter(pa.array(patch_bucket == k))
                mine = (mine, _row_keys(mine, keys))
            for start in range(0, len(order), READ_ROWS):
                out.write(rows.take(order.slice(start, READ_ROWS)), mine)
            del rows, order
    shutil.rmtree(spill / target.name, ignore_errors=True)
    return out.written


class _SortedFile:
    """The Parquet file write_sorted writes: rows given in key order, a patch laid over them, filtered, out in
    whole row groups of `row_group` rows (the rest held until more come). With `file_rows`, the files
    `<target's stem>-<k>.parquet` instead: a file ends at the first change of the first sort key from
    file_rows rows on, so no key's rows span two files."""

    def __init__(
        self, target: Path, name: str, schema: pa.Schema, row_group: int, where, file_rows: int | None = None
    ) -> None:
        self.name, self.schema, self.row_group, self.where = name, schema, row_group, where
        self.keys = SORT_KEYS[name]
        self.target, self.file_rows = target, file_rows
        self.paths: list[Path] = []
        self.writer: pq.ParquetWriter | None = None
        self.pending: list[pa.Table] = []
        self.written = 0
        self.in_file = 0  # rows in the file being written
        self.last = None  # the first sort key of its last row

    @staticmethod
    def paths_of(target: Path, file_rows: int | None) -> list[Path]:
        """The files a write to `target` made (to remove them)."""
        if file_rows is None:
            return [target] if target.exists() else []
        return sorted(target.parent.glob(f"{target.stem}-*{target.suffix}"))

    def __enter__(self) -> _SortedFile:
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                rest = pa.concat_tables([self.schema.empty_table(), *self.pending])
                if rest.num_rows or not self.written:
                    self._flush(rest)
        finally:
            if self.writer is not None:
                self.writer.close()
        if kind is None:
            for path in self.paths:
                _fsync(path)

    def write(self, chunk: pa.Table, patch: tuple[pa.Table, pa.Array] | None) -> None:
        if patch is not None:
            chunk = _laid_over(chunk, *patch, self.keys)
        if self.where is not None:
            chunk = chunk.filter(self.where(chunk))
        self.pending.append(chunk.select(self.schema.names).cast(self.schema))
        size = sum(t.num_rows for t in self.pending)
        if self.file_rows is not None and self.in_file + size >= self.file_rows:
            rows = pa.concat_tables(self.pending)
            cut = self._cut(rows)
            while cut is not None:
                self._flush(rows.slice(0, cut))
                self._close()
                rows = rows.slice(cut)
                cut = self._cut(rows) if rows.num_rows >= self.file_rows else None
            self.pending, size = [rows], rows.num_rows
        if size >= self.row_group:  # whole row groups out, the rest waits (all of them before any cut)
            whole = pa.concat_tables(self.pending)
            cut = size - size % self.row_group
            self._flush(whole.slice(0, cut))
            self.pending = [whole.slice(cut)]

    def _cut(self, rows: pa.Table) -> int | None:
        """Where in `rows` (what follows the file's rows) the file ends: the first change of the first sort
        key at or after file_rows rows; None while `rows` says none yet (one key's rows run to their end)."""
        column = rows.column(self.keys[0])
        n, room = rows.num_rows, self.file_rows - self.in_file
        if n == 0:
            return None
        if room <= 0 and self.in_file and not pc.equal(column[0], self.last).as_py():
            return 0  # the file's last key ended with its rows
        start = max(room, 1)
        if start >= n:
            return None
        changes = pc.not_equal(column.slice(start), column.slice(start - 1, n - start))
        at = np.flatnonzero(changes.to_numpy(zero_copy_only=False))
        return start + int(at[0]) if len(at) else None

    def _flush(self, rows: pa.Table) -> None:
        if self.writer is None:
            path = self.target
            if self.file_rows is not None:
                path = self.target.with_name(f"{self.target.stem}-{len(self.paths):05d}{self.target.suffix}")
            self.paths.append(path)
            self.writer = parquet_writer(path, self.schema)
        elif not rows.num_rows:
            return  # (a file's first write makes it, rows or none)
        self.writer.write_table(rows, row_group_size=self.row_group)
        self.written += rows.num_rows
        self.in_file += rows.num_rows
        if rows.num_rows:
            self.last = rows.column(self.keys[0])[-1]
        crash_point(f"mid-file-{self.name}")

    def _close(self) -> None:
        """End the file being written: the next rows go into a new one."""
        if self.writer is not None:
            self.writer.close()
        self.writer, self.in_file, self.last = None, 0, None


# Files in key order merged by _write_merged at most (each holds a batch of READ_ROWS rows in memory).
MERGED_FILES = 8


class _Unordered(ValueError):
    """A file given as in key order is not."""


def _chains(sources: list[Source], column: str) -> list[list[Source]]:
    """Sources each in key order, as runs of sources to read one after the other, each run in key order: a
    source follows one whose largest value of `column` (the first sort key) is at most its least, by the
    files' statistics. The files a commit cut by FILE_ROWS are one run, so a merge reads a stream per commit
    that wrote some, not one per file. A source whose statistics do not say is a run of its own."""
    ranged, alone = [], []
    for source in sources:
        bounds = _key_range(source.path, column)
        if bounds is None:
            alone.append([source])
        else:
            ranged.append((bounds, source))
    chains: list[list[Source]] = []
    ends: list = []
    for (least, most), source in sorted(ranged, key=lambda item: item[0]):
        free = next((k for k, end in enumerate(ends) if end <= least), None)
        if free is None:
            chains.append([source])
            ends.append(most)
        else:
            chains[free].append(source)
            ends[free] = most
    return chains + alone


def _key_range(path: Path, column: str) -> tuple | None:
    """(least, largest) value of `column` in a Parquet file by its row groups' statistics; None when a group
    has none, or nulls, or the file no rows."""
    f = pq.ParquetFile(path)
    at = _leaf(f, column)
    if at is None or f.metadata.num_rows == 0:
        return None
    least, most = [], []
    for k in range(f.num_row_groups):
        group = f.metadata.row_group(k)
        if group.num_rows == 0:
            continue
        stats = group.column(at).statistics
        if stats is None or not stats.has_min_max or not stats.has_null_count or stats.null_count:
            return None
        least.append(stats.min)
        most.append(stats.max)
    return (min(least), max(most)) if least else None


def _write_merged(
    target: Path,
    name: str,
    chains: list[list[Source]],
    rest: list[Source],
    patch: pa.Table | None,
    spill: Path,
    keep: pa.Array | None,
    where,
    read: list[str] | None,
    out_schema: pa.Schema,
    row_group: int,
    file_rows: int | None,
) -> int:
    """write_sorted of sources in key order, read as `chains` (_chains), and the `rest`: those are sorted
    into a file of their own first (the bucket way: a daily run's new rows, a few), then the runs are merged
    a batch at a time. A daily run's commit rewrote a stored file whole, spilling it into buckets and sorting
    them, to drop or patch the rows of a few documents; merged, the stored rows are read and written once, in
    the order they are in."""
    keys = SORT_KEYS[name]
    if rest:
        (spill / "sorted").mkdir(parents=True, exist_ok=True)
        apart = spill / "sorted" / target.name  # (its buckets go to spill / target.name)
        write_sorted(apart, name, rest, spill=spill, keep=keep, columns=read, row_group=READ_ROWS)
        chains = [*chains, [Source(apart)]]
    mine = (patch, _row_keys(patch, keys)) if patch is not None and patch.num_rows else None
    with _SortedFile(target, name, out_schema, row_group, where, file_rows) as out:
        for chunk in _merged(chains, name, read, keep):
            out.write(chunk, mine)
    if rest:
        apart.unlink()
    return out.written


def _merged(chains: list[list[Source]], name: str, columns: list[str] | None, keep: pa.Array | None):
    """The rows of runs of sources each in key order, in key order, a few batches at a time: each round gives
    every row whose first sort key is below the least of the last first keys the runs' held batches reach (all
    of theirs are held), sorted. A run whose first keys go down raises _Unordered."""
    keys, first = SORT_KEYS[name], SORT_KEYS[name][0]
    streams = [
        (rows for source in chain for rows in _source_batches(source, name, columns)) for chain in chains
    ]
    held: list[pa.Table | None] = [None] * len(streams)
    ended = [False] * len(streams)
    last: list = [None] * len(streams)  # the last first key read of each source

    def more(k: int) -> None:
        """Add the next batch of source k to what is held of it (or mark it ended)."""
        for rows in streams[k]:
            if keep is not None:
                rows = rows.filter(pc.is_in(rows.column(GROUP_KEY[name]), value_set=keep))
            if not rows.num_rows:
                continue
            column = rows.column(first)
            if column.null_count or (last[k] is not None and pc.less(column[0], last[k]).as_py()):
                raise _Unordered(chains[k][0].path)
            if (
                rows.num_rows > 1
                and not pc.all(pc.greater_equal(column.slice(1), column.slice(0, rows.num_rows - 1))).as_py()
            ):
                raise _Unordered(chains[k][0].path)
            last[k] = column[-1]
            held[k] = rows if held[k] is None else pa.concat_tables([held[k], rows])
            return
        ended[k] = True

    for k in range(len(streams)):
        more(k)
    while any(h is not None and h.num_rows for h in held) or not all(ended):
        open_ = [k for k in range(len(streams)) if not ended[k]]
        bound = min((last[k] for k in open_), key=lambda v: v.as_py()) if open_ else None
        out = []
        for k, rows in enumerate(held):
            if rows is None or not rows.num_rows:
                continue
            if bound is None:
                out.append(rows)
                held[k] = None
                continue
            below = pc.less(rows.column(first), bound)
            n = int(pc.sum(below.cast(pa.int64())).as_py() or 0)  # a prefix: the rows are in order
            if n:
                out.append(rows.slice(0, n))
                held[k] = rows.slice(n)
        if out:
            rows = pa.concat_tables(out).combine_chunks()
            yield rows.take(pc.sort_indices(rows.select(keys), sort_keys=[(c, "ascending") for c in keys]))
        for k in open_:
            if last[k] is not None and bound is not None and last[k].as_py() == bound.as_py():
                more(k)  # its held rows reach the bound: read on


def _source_batches(source: Source, name: str, columns: list[str] | None = None) -> Iterator[pa.Table]:
    """A source's rows READ_ROWS at a time, with the table's schema (columns it lacks as nulls)."""
    f = pq.ParquetFile(source.path, buffer_size=1 << 20, pre_buffer=False)
    schema = SCHEMAS[name]
    wanted = columns or schema.names
    present = [c for c in wanted if c in f.schema_arrow.names]
    for batch in f.iter_batches(batch_size=READ_ROWS, columns=present):
        arrays = [
            batch.column(present.index(c)).cast(schema.field(c).type)
            if c in present
            else pa.nulls(batch.num_rows, schema.field(c).type)
            for c in wanted
        ]
        rows = pa.Table.from_arrays(arrays, schema=pa.schema([schema.field(c) for c in wanted]))
        if source.drop is not None and len(source.drop):
            rows = rows.filter(pc.invert(pc.is_in(rows.column(GROUP_KEY[name]), value_set=source.drop)))
        yield rows


def _bucket_bounds(sources: list[Source], column: str, buckets: int) -> list:
    """Values of `column` that cut the sources' rows into about `buckets` ranges of equal size, from a sample
    (every 64th row's value)."""
    if buckets < 2:
        return []
    sample = []
    for source in sources:
        f = pq.ParquetFile(source.path)
        for k in range(f.num_row_groups):
            values = f.read_row_group(k, columns=[column]).column(0)
            sample += values.take(pa.array(range(0, len(values), 64), pa.int64())).to_pylist()  # (0 rows too)
    sample = sorted(v for v in sample if v is not None)
    cuts = sorted({sample[len(sample) * i // buckets] for i in range(1, buckets)}) if sample else []
    return cuts


def _spill_buckets(
    sources: list[Source],
    name: str,
    bounds: list,
    keep: pa.Array | None,
    folder: Path,
    columns: list[str] | None = None,
) -> list[Callable[[], pa.Table]]:
    """The sources' rows split into len(bounds) + 1 buckets by their first sort key; with no bounds, in memory
    (the rows are one bucket's size), else each in an Arrow IPC file under `folder`. Each bucket is a function
    reading it (null keys go to the first). columns: only these (the first sort key among them)."""
    schema, first = SCHEMAS[name], SORT_KEYS[name][0]
    if columns:
        schema = pa.schema([schema.field(c) for c in columns])

    def batches() -> Iterator[pa.Table]:
        for source in sources:
            for rows in _source_batches(source, name, columns):
                if keep is not None:
                    rows = rows.filter(pc.is_in(rows.column(GROUP_KEY[name]), value_set=keep))
                yield rows

    if not bounds:
        held = pa.concat_tables([schema.empty_table(), *batches()])
        return [lambda: held]
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"bucket-{k:05d}.arrow" for k in range(len(bounds) + 1)]
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    writers = [pa.ipc.new_stream(p, schema, options=options) for p in paths]
    try:
        for rows in batches():
            column = rows.column(first)
            which = np.searchsorted(
                bounds, pc.fill_null(column, bounds[0]).to_numpy(zero_copy_only=False), "right"
            )
            which[pc.is_null(column).to_numpy(zero_copy_only=False)] = len(
                bounds
            )  # sorted last, as Arrow does
            for k in np.unique(which):
                writers[k].write_table(rows.filter(pa.array(which == k)))
    finally:
        for w in writers:
            w.close()

    def read(path: Path) -> Callable[[], pa.Table]:
        return lambda: pa.ipc.open_stream(path).read_all()

    return [read(p) for p in paths]


def _row_keys(table: pa.Table, keys: list[str]) -> pa.Array:
    """One string per row naming it by its key columns."""
    parts = [pc.cast(table.column(k), pa.string()) for k in keys]
    return pc.binary_join_element_wise(*parts, "\x1f")


def _laid_over(rows: pa.Table, patch: pa.Table, patch_keys: pa.Array, keys: list[str]) -> pa.Table:
    """`rows` with the columns of `patch` taken from it where its keys (`patch_keys`) name the row."""
    if not patch.num_rows or not rows.num_rows:
        return rows
    at = pc.index_in(_row_keys(rows, keys), value_set=patch_keys).cast(pa.int64())  # its patch row, or null
    if not pc.any(pc.is_valid(at)).as_py():
        return rows
    order = pc.if_else(pc.is_valid(at), pc.add(at, rows.num_rows), pa.array(np.arange(rows.num_rows)))
    for column in patch.column_names:
        if column in keys:
            continue
        both = pa.concat_arrays(
            [
                rows.column(column).combine_chunks(),
                patch.column(column).cast(rows.schema.field(column).type).combine_chunks(),
            ]
        )
        rows = rows.set_column(rows.schema.get_field_index(column), column, both.take(order))
    return rows


class StagedParquet:
    """One Parquet file of a table written batch by batch (a row group each) with the table's explicit schema,
    so memory holds one batch, not the table; it appears under its name only once complete and fsynced."""

    def __init__(self, path: Path, table: str) -> None:
        self.path = path
        self.schema = SCHEMAS[table]
        self.rows = 0
        self._tmp = path.with_name(path.name + ".tmp")  # not *.parquet: globs and views never see it
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = parquet_writer(self._tmp, self.schema)

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


def _store_table(folder: Path, table: pa.Table, name: str, old: dict[str, Path], number: int) -> None:
    """Hard-link each old file whose rows are unchanged; write the remaining rows as one new file."""
    key = GROUP_KEY.get(name)
    kept_keys: list[pa.Array] = []
    if key and len(old) <= MAX_PARTS:
        for file_name, path in sorted(old.items()):
            part = read_file(path, name)
            if part.num_rows == 0:
                continue
            keys = pc.unique(part.column(key))
            mine = table.filter(pc.is_in(table.column(key), value_set=keys))
            if mine.equals(part):
                _link_or_copy(path, folder / file_name)
                kept_keys.append(keys)
    if kept_keys:
        covered = pc.is_in(
            table.column(key), value_set=pa.concat_arrays([k.cast(pa.string()) for k in kept_keys])
        )
        table = table.filter(pc.invert(covered))
    if table.num_rows or not kept_keys:
        _write_file(folder / f"part-{number:06d}.parquet", table, name)


def _write_file(path: Path, table: pa.Table, name: str) -> None:
    """Write in row groups (a kill between them tears a file of an uncommitted version only), then fsync."""
    with parquet_writer(path, SCHEMAS[name]) as writer:
        if table.num_rows == 0:
            writer.write_table(table.cast(SCHEMAS[name]))
        size = ROW_GROUPS.get(name, ROW_GROUP)
        for start in range(0, table.num_rows, size):
            writer.write_table(table.slice(start, size).cast(SCHEMAS[name]))
            crash_point(f"mid-file-{name}")
    _fsync(path)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a filesystem without hard links: a copy is slower but as safe
        shutil.copy2(source, target)
        _fsync(target)


def _switch(root: Path, version: Path) -> None:
    """Point `.current` at `version` with one atomic rename."""
    tmp = root / f"{CURRENT}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    os.symlink(f"{VERSIONS}/{version.name}", tmp)
    os.replace(tmp, root / CURRENT)
    _fsync(root)


def _link_tables(root: Path) -> None:
    """`DIR/<table>` -> `.current/<table>`: fixed links, so readers' paths never change between versions."""
    for name in TABLES:
        link = root / name
        if not link.is_symlink():
            link.unlink(missing_ok=True)
            os.symlink(f"{CURRENT}/{name}", link)


def fsync_path(path: Path) -> None:
    """fsync a file or a folder (its entries), so what was written survives a power cut."""
    _fsync(path)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_tables(root: Path) -> None:
    """Give a new warehouse its first (empty) version, so views and globs always resolve."""
    with locked(root):
        if current_version(root) is None:
            commit(root, {}, "init")


def refresh_catalog(root: Path) -> None:
    """build_catalog (which writes only when the catalog is stale); when it cannot be written (a read-only
    warehouse), read it as it is and say so."""
    import duckdb  # at use: a run with nothing new queries nothing

    try:
        build_catalog(root)
    except (OSError, duckdb.IOException, duckdb.PermissionException) as err:
        print(
            f"reprint: could not refresh {root / 'corpus.duckdb'} ({str(err).splitlines()[0]}); "
            "reading it as it is",
            file=sys.stderr,
        )


# The oldest storage format DuckDB 2.0 writes; every 1.x client (1.1.3 of late 2024 on, the CLI 1.5.6, the
# drivers dashboards embed) opens it, where 2.0's default (storage version 69) is refused by all of them. The
# catalog holds only views and macros, so an older format costs nothing.
CATALOG_STORAGE = "v1.0.0"
CATALOG_FORMAT = (
    "catalog-3"  # catalog-3: table_at. What build_catalog writes; a catalog of another format is rebuilt
)
# The schema for the user's own views, macros and tables: reprint carries it into every catalog it writes.
USER_SCHEMA = "mine"
# `SET VARIABLE reprint_warehouse = '/where/it/is'` lets a client read a copied or moved warehouse that
# reprint has not seen since (a read-only mount): views read the files under it, not the recorded folder.
LOCATION_VARIABLE = "reprint_warehouse"


class CatalogInUse(RuntimeError):
    """Another program holds corpus.duckdb open for writing, so it can be neither read nor replaced."""


def catalog_key(root: Path) -> str:
    """What a catalog for `root` holds: its format, its folder, the tables' columns, the sql/ files."""
    h = hashlib.sha256(f"{CATALOG_FORMAT}\n{root.resolve()}\n".encode())
    for name, schema in SCHEMAS.items():
        h.update(f"{name}:{schema}\n".encode())
    for path in sorted(SQL_DIR.glob("*.sql")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:16]


def stored_catalog_key(target: Path) -> str | None:
    """The key a catalog file was written with; None when there is no file or it predates keys."""
    import duckdb  # at use: a run with nothing new queries nothing

    if not target.exists():
        return None
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.IOException as err:
        raise CatalogInUse(f"{target} is open in another program ({err})") from err
    except duckdb.Error:
        return None  # damaged or of a newer format than this DuckDB reads: written again
    try:
        return con.execute("select reprint_catalog_key()").fetchall()[0][0]
    except duckdb.Error:
        return None
    finally:
        con.close()


def build_catalog(root: Path) -> Path:
    """Write corpus.duckdb unless it is current: a view per table over the warehouse's fixed table links
    (`DIR/<table>`, which every commit keeps), the macros and reports, the user's schema carried over.

    A run does not need to rewrite it for new rows; a moved warehouse, new code or a new format does. When
    another program holds it open for writing it is left as it is (its views still read the newest rows).
    """
    root = root.resolve()
    target = root / "corpus.duckdb"
    key = catalog_key(root)
    if _stamped(target, key):  # every run asks: known current without opening it (nor importing DuckDB)
        return target
    import duckdb  # at use: a run with nothing new queries nothing

    try:
        if stored_catalog_key(target) == key:
            _stamp(target, key)
            return target
    except CatalogInUse as err:
        print(f"reprint: the catalog was not refreshed: {err}", file=sys.stderr)
        return target
    tmp = root / f".corpus.duckdb.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp), config={"storage_compatibility_version": CATALOG_STORAGE})
    try:
        for name in TABLES:
            folder = (root / name).as_posix().replace("'", "''")
            # Files kept from older versions may lack columns added since: union_by_name reads them as nulls.
            source = (
                f"read_parquet(coalesce(getvariable('{LOCATION_VARIABLE}') || '/{name}', '{folder}') "
                "|| '/*.parquet', union_by_name = true)"
            )
            con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM {source}")
        run_sql_file(con, SQL_DIR / "macros.sql")
        # A table as a kept version held it (`reprint history` lists them): table_at('story_members', 3).
        quoted_root = root.as_posix().replace("'", "''")
        con.execute(
            "CREATE MACRO table_at(name, version) AS TABLE SELECT * FROM read_parquet("
            f"coalesce(getvariable('{LOCATION_VARIABLE}'), '{quoted_root}') "
            f"|| '/{VERSIONS}/' || lpad(version::varchar, 6, '0') || '-*/' || name || '/*.parquet', "
            "union_by_name = true)"
        )
        create_report_views(con)
        describe_views(con)
        con.execute(f"CREATE MACRO reprint_catalog_key() AS '{key}'")
        con.execute(f"CREATE SCHEMA {USER_SCHEMA}")
        if target.exists():
            try:
                carry_user_schema(con, target)
            except duckdb.IOException as err:
                print(f"reprint: the catalog was not refreshed: {target} is in use ({err})", file=sys.stderr)
                return target
            except duckdb.Error as err:  # a damaged catalog: nothing in it can be carried over
                print(f"reprint: {target} could not be read ({err}); it is written anew", file=sys.stderr)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    if tmp.exists():
        os.replace(tmp, target)
        _stamp(target, key)
    return target


# Beside the catalog: the key build_catalog found in it, with the file's size and modification time then. A
# catalog file with that size and time holds that key; one written since (a user's views added) is opened.
CATALOG_STAMP = ".corpus.duckdb.key"


def _stamped(target: Path, key: str) -> bool:
    try:
        info = os.stat(target)
        stamp = json.loads((target.parent / CATALOG_STAMP).read_text())
        return stamp == [key, info.st_size, info.st_mtime_ns]
    except (OSError, ValueError):
        return False


def _stamp(target: Path, key: str) -> None:
    try:
        info = os.stat(target)
        tmp = target.parent / f"{CATALOG_STAMP}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps([key, info.st_size, info.st_mtime_ns]))
        os.replace(tmp, target.parent / CATALOG_STAMP)
    except OSError:
        pass  # a read-only warehouse: the catalog is opened to be checked, as before


def carry_user_schema(con: duckdb.DuckDBPyConnection, old: Path) -> None:
    """Copy the user's views, macros and tables (schema `mine`) from the catalog being replaced."""
    import duckdb  # at use: a run with nothing new queries nothing

    con.execute(f"ATTACH '{old.as_posix().replace(chr(39), chr(39) * 2)}' AS previous (READ_ONLY)")
    try:
        tables = con.execute(
            "select table_name from duckdb_tables() where database_name = 'previous' and schema_name = ?",
            [USER_SCHEMA],
        ).fetchall()
        for (name,) in tables:
            quoted = '"' + name.replace('"', '""') + '"'
            con.execute(f"CREATE TABLE {USER_SCHEMA}.{quoted} AS FROM previous.{USER_SCHEMA}.{quoted}")
        macros = con.execute(
            "select function_name, function_type, parameters, macro_definition from duckdb_functions() "
            "where database_name = 'previous' and schema_name = ? and function_type like '%macro'",
            [USER_SCHEMA],
        ).fetchall()
        views = con.execute(
            "select sql from duckdb_views() where database_name = 'previous' and schema_name = ? "
            "order by view_oid",
            [USER_SCHEMA],
        ).fetchall()
    finally:
        con.execute("DETACH previous")
    statements = [
        f"CREATE MACRO {USER_SCHEMA}.{name}({', '.join(params)}) AS "
        f"{'TABLE ' if kind == 'table_macro' else ''}{definition}"
        for name, kind, params, definition in macros
    ] + [sql for (sql,) in views]
    stuck = in_dependency_order(statements, con.execute, duckdb.Error)
    if stuck:
        names = "; ".join(statement.split(" AS ")[0] for statement, _ in stuck)
        print(f"reprint: could not carry over to the new catalog: {names}", file=sys.stderr)


def create_report_views(con: duckdb.DuckDBPyConnection) -> None:
    """One view per sql/ report (a report may read another)."""
    import duckdb  # at use: a run with nothing new queries nothing

    def create(path: Path) -> None:
        con.execute(f"CREATE OR REPLACE VIEW {path.stem} AS {path.read_text().strip().rstrip(';')}")
        description = report_description(path).replace("'", "''")
        con.execute(f"COMMENT ON VIEW {path.stem} IS '{description}'")

    stuck = in_dependency_order(report_files(), create, duckdb.CatalogException)
    if stuck:
        raise stuck[0][1]


def in_dependency_order(items: list, create: Callable, errors: type[Exception]) -> list[tuple]:
    """Create each item, where one may read another: each pass creates those whose inputs exist, until a pass
    creates none. The (item, error) pairs that could not be created."""
    pending = list(items)
    while pending:
        failed = []
        for item in pending:
            try:
                create(item)
            except errors as err:
                failed.append((item, err))
        if len(failed) == len(pending):
            return failed
        pending = [item for item, _ in failed]
    return []


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
    import duckdb  # at use: a run with nothing new queries nothing

    for statement in (SQL_DIR / "comments.sql").read_text().split(";\n"):
        if statement.strip() and not all(line.startswith("--") for line in statement.strip().splitlines()):
            try:
                con.execute(statement)
            except (duckdb.CatalogException, duckdb.BinderException):
                pass


def empty_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Views of empty tables of every schema, for SQL that binds to the warehouse's tables without one (the
    macros run at prepare time, the generated docs)."""
    for name, schema in SCHEMAS.items():
        con.register(f"empty_{name}", schema.empty_table())
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM empty_{name}")


def run_sql_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    con.execute(path.read_text())
