"""The story of a run, as plain functions: find the inputs → read and prepare the files that changed, a shard
at a time → link stories over the whole corpus → align the stories whose text changed, a shard at a time →
commit a new warehouse version → write the report pages of what changed.

Shard steps (prepare, align) write their output as Parquet parts into the warehouse's staging area
(`WAREHOUSE/.staging/<step>/<key>`) and hand back only small metadata. One rule decides what is redone: a
shard step whose part for the same inputs and the same step configuration is already on disk is not run
again (the key hashes both; see docs/pipeline.md). So a run killed anywhere resumes with the shards its killed
predecessor finished, and a changed threshold changes every key it shapes.

`run` is the whole run; a `Runner` says how each step is carried out: `Runner` itself calls them in this
process (tests, benchmarks), flows/pipeline.py's makes each a Prefect task (logs beside the run, a Dask
cluster). CPU-bound shard steps run in a pool of worker processes on a local run (`worker_processes`).
"""

from __future__ import annotations

import contextvars
import dataclasses
import gc
import hashlib
import json
import logging
import os
import shutil
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from multiprocessing import forkserver, get_context
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks.align import AlignConfig
from tasks.boilerplate import BoilerplateConfig
from tasks.changes import (
    InputKey,
    adopt_unrooted,
    combined_documents,
    file_hash,
    input_key,
    known_inputs,
    links_current,
    merge_inputs,
    merge_rejects,
    metadata_hash,
    prepare_isolated,
    printable_names,
    read_changed,
    refreshed_inputs,
    stored_stats,
    unchanged_by_stat,
    with_owner,
    without_repeated_flags,
)
from tasks.clean import CleanConfig
from tasks.evidence import PARAGRAPH_EVIDENCE
from tasks.fingerprint import SketchConfig
from tasks.html import HtmlConfig
from tasks.ingest import InputFile, Reject, discover_inputs, input_root
from tasks.language import LanguageConfig
from tasks.limits import DEFAULT_LIMITS, ReadLimits
from tasks.link import row_dtype
from tasks.link_state import TITLE_SERIES, TitleReadings
from tasks.outlet_repeats import DOCUMENT_GROUPS, REPEATS, KeptRepeats
from tasks.passages import index_rewrite
from tasks.prepare import PIPELINE_VERSION, StageClock, prepare_documents
from tasks.report_page import pages_current, write_report_pages
from tasks.reuse import reuse_current, reuse_rewrite
from tasks.run_summary import MAX_ROWS
from tasks.stories import (
    WIDE_COLUMNS,
    align_stories,
    alignment_inputs,
    changed_documents,
    find_stories,
    keyed_members,
    read_link_tables,
    release_freed_memory,
    stored_stories,
    stories_to_align,
)
from tasks.warehouse import (
    SCHEMAS,
    TABLES,
    Rewrite,
    Source,
    commit,
    count_rows,
    crash_point,
    current_version,
    distinct_values,
    fsync_path,
    locked,
    may_hold,
    parquet_writer,
    read_columns,
    read_state,
    read_table,
    sort_table,
    table_files,
    write_sorted,
)

STAGING = ".staging"
# What a staged part holds and how it is named; change it when that changes, so no older part is reused.
STAGING_FORMAT = "staged-1"
SHARD_ROWS = 20_000  # row group of a staged body file: an align shard reads the groups its documents are in


def step_version(step: str, *config: object) -> str:
    """A step's version from everything that shapes its output: code version strings, the schemas of what it
    writes and the fields of its configuration dataclasses, so a changed threshold or a new column is a new
    version (and every staged part a new key)."""
    h = hashlib.sha256(f"{STAGING_FORMAT}\n{step}\n".encode())
    for part in config:
        given = dataclasses.asdict(part) if dataclasses.is_dataclass(part) else part
        h.update(f"{type(part).__name__}:{json.dumps(given, sort_keys=True, default=str)}\n".encode())
    return f"{step}-{h.hexdigest()[:16]}"


# Preparing uses each module's default configuration (tasks/prepare.py), so those are what its version hashes.
PREPARE_STEP = step_version(
    "prepare",
    PIPELINE_VERSION,
    str(SCHEMAS["documents"]),  # the shape of what a staged part holds
    str(SCHEMAS["paragraphs"]),
    CleanConfig(),
    BoilerplateConfig(),
    SketchConfig(),
    LanguageConfig(),
    HtmlConfig(),
)
ALIGN_STEP = step_version("align", str(SCHEMAS["paragraph_fates"]), AlignConfig())


# --- the staging area -------------------------------------------------------------------------------------


def staging_dir(root: Path, step: str) -> Path:
    return root.resolve() / STAGING / step


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """A folder written under a temporary name and renamed to `target` once complete and fsynced: a staged
    part exists under its key whole or not at all (a killed writer leaves only a `*.tmp-*` folder)."""
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir(parents=True)
    try:
        yield tmp
        for path in tmp.iterdir():
            fsync_path(path)
        fsync_path(tmp)
        try:
            os.rename(tmp, target)
        except OSError:  # another worker finished the same key first: its part is the same
            if not target.is_dir():
                raise
        fsync_path(target.parent)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_part(path: Path, table: pa.Table, name: str | None = None, row_group: int = SHARD_ROWS) -> None:
    schema = SCHEMAS[name] if name else table.schema
    with parquet_writer(path, schema) as writer:
        writer.write_table(table.cast(schema), row_group_size=row_group)


def prune_staging(root: Path) -> int:
    """After a commit every staged part is in the committed version or no longer wanted: empty the staging
    area (bytes freed). A run killed before its commit leaves its parts for the next run to reuse."""
    folder = root.resolve() / STAGING
    if not folder.is_dir():
        return 0
    freed = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    return freed


# --- shard step: read and prepare the files that changed ---------------------------------------------------


def _no_inputs() -> pa.Table:
    return SCHEMAS["inputs"].empty_table()


@dataclass
class PreparedShard:
    """What a prepare shard did; its documents and paragraphs are Parquet files in `folder`."""

    files: int
    folder: str | None = None  # None: nothing in the shard was new or changed
    documents: int = 0
    paragraphs: int = 0
    reused: bool = False
    # Rows of the `inputs` table, one per file read, as Arrow: the run keeps every shard's to the commit, and
    # as Python dicts (about 600 bytes a file) they were the largest part of what the run's process carried
    # from preparing into linking, and pinned the freed file list's memory (docs/memory.md).
    inputs: pa.Table = field(default_factory=_no_inputs)
    rejects: list[Reject] = field(default_factory=list)
    failed: list[InputKey] = field(default_factory=list)  # read or prepared, and failed
    unchanged: list[InputKey] = field(default_factory=list)
    read: int = 0  # documents read from new or changed files
    stage_seconds: dict = field(default_factory=dict)  # what preparing took, stage by stage (benchmarks)
    stage_counts: dict = field(default_factory=dict)


def input_state(item: InputFile, known: dict) -> tuple:
    """What a file's documents depend on now, or why it cannot be read (part of its shard's key)."""
    try:
        content, size, _ = file_hash(item.path)
    except Exception as err:  # noqa: BLE001 - read_changed says why; here it only has to change the key
        return (item.root, item.source, "unreadable", repr(err))
    mark = (content, metadata_hash(item), PIPELINE_VERSION)
    return (item.root, item.source, "unchanged" if known.get(input_key(item)) == mark else mark, size)


def prepare_shard(
    staging: Path, items: list[InputFile], known: dict, limits: ReadLimits = DEFAULT_LIMITS
) -> PreparedShard:
    """Read the shard's new or changed files and prepare their documents into `staging/<key>`, the key
    hashing the files' states and this step's version; a part already there for the key is reused."""
    states = [input_state(item, known) for item in items]
    if all(state[2] == "unchanged" for state in states):
        return PreparedShard(len(items), unchanged=[(s[0], s[1]) for s in states])
    given = json.dumps([PREPARE_STEP, dataclasses.asdict(limits), states], default=str)
    target = staging / hashlib.sha256(given.encode()).hexdigest()[:32]
    if (target / "meta.json").exists():
        return replace(load_meta(target), reused=True)
    clock = StageClock()
    with clock("read"):
        read = read_changed(items, known, PIPELINE_VERSION, limits)
    docs, paras, rejects, failed = prepare_isolated(read, lambda raws: prepare_documents(raws, clock=clock))
    done = PreparedShard(
        len(items),
        str(target),
        docs.num_rows,
        paras.num_rows,
        inputs=pa.Table.from_pylist(read.inputs, schema=SCHEMAS["inputs"]),
        rejects=read.rejects + rejects,
        failed=read.failed + failed,
        unchanged=read.unchanged,
        read=len(read.raws),
        stage_seconds=dict(clock.seconds),
        stage_counts=dict(clock.counts),
    )
    with staged_folder(target) as tmp:
        write_part(tmp / "documents.parquet", with_owner(docs, read.owner), "documents")
        write_part(tmp / "paragraphs.parquet", paras, "paragraphs")
        (tmp / "meta.json").write_text(json.dumps(shard_meta(done)))
    return done


def shard_meta(done: PreparedShard) -> dict:
    """A prepared shard as its folder's meta.json holds it (load_meta reads it back)."""
    meta = dataclasses.asdict(replace(done, inputs=_no_inputs()))
    return meta | {"inputs": done.inputs.to_pylist()}


def load_meta(folder: Path) -> PreparedShard:
    meta = json.loads((folder / "meta.json").read_text())
    meta["inputs"] = pa.Table.from_pylist(meta["inputs"], schema=SCHEMAS["inputs"])
    meta["rejects"] = [Reject(**r) for r in meta["rejects"]]
    for name in ("failed", "unchanged"):
        meta[name] = [tuple(key) for key in meta[name]]
    return PreparedShard(**{**meta, "folder": str(folder)})


def read_inputs_of(shards: list[PreparedShard], failed: set[InputKey]) -> pa.Table:
    """The `inputs` rows of the files the shards read, less those that failed."""
    read = pa.concat_tables([_no_inputs(), *(s.inputs for s in shards if s.inputs.num_rows)])
    if not failed:
        return read
    keys = zip(read.column("root").to_pylist(), read.column("source").to_pylist(), strict=True)
    return read.filter(pa.array([key not in failed for key in keys], pa.bool_()))


def staged_files(shards: list[PreparedShard], name: str) -> list[Path]:
    """The staged `documents` or `paragraphs` files of the prepared shards, in shard order."""
    return [Path(s.folder) / f"{name}.parquet" for s in shards if s.folder]


# --- whole-corpus step: link ------------------------------------------------------------------------------


@dataclass
class Linked:
    """Stories over the whole corpus, what alignment has to redo, and where the next version's rows are."""

    members: pa.Table
    todo: dict[str, list[str]]  # stories to align: {story_id: doc_ids in version order}
    changed: int  # documents whose body changed
    n_documents: int
    relinked: int  # documents linked again (a daily run: those the changed ones reach; else all)
    documents: Rewrite  # the stored documents less the replaced ones, plus the staged ones
    paragraphs: Rewrite  # likewise, with the flags and evidence linking set laid over them
    fates_drop: pa.Array  # stories whose stored fates no longer hold
    state: dict[str, pa.Table] = dataclasses.field(default_factory=dict)  # kept for the next run (link_state)


# Besides what linking reads: which input file a stored document came from, so a changed file replaces them.
OWNER_COLUMNS = ["input_format", "input_source", "input_root"]


def link(
    stored: StoredTables,
    new_documents: list[Path],
    new_paragraphs: list[Path],
    replaced: set,
    adopted: pa.Table | None = None,
    scratch: Path | None = None,
) -> Linked:
    """Stories over the stored corpus with the replaced inputs' documents swapped for the staged ones. Reads
    only what linking reads (tasks.stories.read_link_tables) and which input each document came from, from
    the stored files and the staged parts, never the text; align keys only from paragraph fingerprints, so the
    stories to align are known without their text. new_documents, new_paragraphs: the staged parts
    (staged_files); adopted: the stored documents' owner columns when this run gave rows stored without a
    root theirs (changes.adopt_unrooted); scratch: where linking writes what it holds out of core (the
    warehouse's staging area)."""
    root = stored.root
    old_files = {n: table_files(root, n) for n in ("documents", "paragraphs")}
    new_files = {"documents": new_documents, "paragraphs": new_paragraphs}
    # Narrow: the wide columns (sketches, names) are read by find_stories from the same files, a row group
    # at a time and only the groups it needs rows of; files without their evidence are read wide (it is
    # computed from their text).
    old_docs, old_paras = read_link_tables(old_files["documents"], old_files["paragraphs"], wide=False)
    wide = set(WIDE_COLUMNS) <= set(old_paras.column_names)
    new_docs, new_paras = read_link_tables(new_files["documents"], new_files["paragraphs"], wide=wide)
    if not wide and set(WIDE_COLUMNS) <= set(new_paras.column_names):
        wide = True
        old_docs, old_paras = read_link_tables(old_files["documents"], old_files["paragraphs"])
    owners = (
        adopted if adopted is not None else read_columns(old_files["documents"], "documents", OWNER_COLUMNS)
    )
    old_docs = _with_columns(old_docs, owners.select(OWNER_COLUMNS))
    new_docs = _with_columns(new_docs, read_columns(new_files["documents"], "documents", OWNER_COLUMNS))
    # Each paragraph row read is numbered, so that linking finds its sketch and names where it was read from,
    # in whatever order the files hold the corpus's rows (tasks.stories.WideColumns): nothing is rewritten.
    n_old, n_read = old_paras.num_rows, old_paras.num_rows + new_paras.num_rows
    old_paras = old_paras.append_column("read_row", pa.array(np.arange(n_old, dtype=np.int64)))
    new_paras = new_paras.append_column("read_row", pa.array(np.arange(n_old, n_read, dtype=np.int64)))
    docs, paras = combined_documents(old_docs, old_paras, new_docs, new_paras, replaced)
    read_row = paras.column("read_row").to_numpy()
    # Held through linking (tasks.stories.WideColumns.rows): 4 bytes a row read where the rows' count fits.
    evidence_rows = np.full(n_read, -1, dtype=row_dtype(n_read))
    evidence_rows[read_row] = np.arange(paras.num_rows, dtype=evidence_rows.dtype)
    stored_row = pa.array(read_row < n_old)  # the row is a stored one, kept as it is
    paras = paras.drop_columns(["read_row"])
    del new_paras, read_row
    # Stored rows of documents that are gone or replaced; a document staged twice (one file under two roots)
    # comes from its first part.
    old_ids, new_ids = old_docs.column("doc_id"), new_docs.column("doc_id")
    gone = pc.or_(
        pc.invert(pc.is_in(old_ids, value_set=docs.column("doc_id"))), pc.is_in(old_ids, value_set=new_ids)
    )
    drop = pc.unique(old_ids.filter(gone))
    # Only their ids are read past here: the rest of the documents' columns (the stored ones' and the staged
    # ones', each a copy of what `docs` holds) is let go before linking (about 200 bytes a document).
    del old_docs, new_docs, owners, old_ids, gone
    # Of the stored rows, only those of the documents this run replaces are kept through linking, to say
    # which bodies changed (changed_bodies); the other stored rows are in the corpus as they are.
    old_paras = old_paras.select(["doc_id", "para_idx", "fingerprint", "is_boilerplate"])
    old_paras = old_paras.filter(pc.is_in(old_paras.column("doc_id"), value_set=drop))
    again = _staged_again(new_files["documents"])
    # What the files hold of what linking sets, to lay over the rows only what it changes.
    missing = pa.array(np.zeros(paras.num_rows, dtype=bool))
    for column in (c for c in PARAGRAPH_EVIDENCE if c in paras.column_names):
        missing = pc.or_(missing, pc.is_null(paras.column(column)))
    as_stored = paras.select(["is_boilerplate", "boilerplate_reason"]).append_column("missing", missing)
    release_freed_memory()  # what reading and combining the columns freed
    # A daily run links again only what the changed documents reach (tasks.relink); others keep their stories.
    daily = stored_stories(stored["story_members"], docs.column("doc_id"), pc.unique(new_ids), drop)
    # The title rules' readings the last run kept: only new titles are read (tasks/link_state.py).
    readings = TitleReadings.from_table(read_state(root, TITLE_SERIES))
    # The outlet-text counts the last run kept: only the texts a changed document prints are counted again
    # (tasks/outlet_repeats.py); the texts of the dropped documents' stored rows are among them.
    gone_texts = old_paras.column("fingerprint").to_numpy(zero_copy_only=False)
    gone_texts = gone_texts.astype(np.uint64).view(np.int64)
    counts = KeptRepeats((read_state(root, REPEATS), read_state(root, DOCUMENT_GROUPS)), drop, gone_texts)
    members, paras = find_stories(
        docs,
        without_repeated_flags(paras),
        evidence=None if wide else old_files["paragraphs"] + new_files["paragraphs"],
        scratch=scratch,
        evidence_rows=None if wide else evidence_rows,
        stored=daily,
        readings=readings,
        kept=counts,
    )
    del evidence_rows
    # Linking made the kept file of the corpus's titles when it read them (series_apart), and let their
    # readings go before its peak; a corpus linking read no title of (an empty one) keeps an empty file.
    title_series = readings.kept if readings.kept is not None else readings.settle([])
    changed = changed_bodies(old_paras, paras, as_stored.column("is_boilerplate"), stored_row)
    del old_paras, stored_row
    # A story's key hashes its members' body fingerprints, never their text: keying reads no text column.
    keying = paras.select(["doc_id", "para_idx", "fingerprint", "is_boilerplate"])
    keying = keying.append_column("text", pa.nulls(keying.num_rows, pa.string()))
    members, _ = keyed_members(members, keying, stored["story_members"], changed, with_body=False)
    todo, _ = stories_to_align(members, stored["story_members"], SCHEMAS["paragraph_fates"].empty_table())
    kept = set(members.column("story_id").to_pylist()) - set(todo)
    stale = distinct_values(table_files(root, "paragraph_fates"), "story_id") - kept
    patch = _linking_patch(as_stored, paras)
    return Linked(
        members,
        todo,
        len(changed),
        docs.num_rows,
        docs.num_rows if daily is None else daily.relinked,
        Rewrite([Source(f, again.get(k)) for k, f in enumerate(new_files["documents"])], drop),
        Rewrite([Source(f, again.get(k)) for k, f in enumerate(new_files["paragraphs"])], drop, patch),
        pa.array(sorted(s for s in stale if s is not None), pa.string()),
        {TITLE_SERIES: title_series, **counts.tables()},
    )


def changed_bodies(
    replaced: pa.Table, linked: pa.Table, stored_flags: pa.ChunkedArray, stored_row: pa.Array
) -> set[str]:
    """What tasks.stories.changed_documents(stored paragraphs, linked) says, without joining the corpus's
    rows: a stored row kept in the corpus has its stored fingerprint, so its document's body changed only if
    linking set another flag on it (`stored_flags`, as the files hold them, against `linked`'s); the other
    documents are those this run replaced or added, compared with `replaced` (the stored rows of the
    documents it drops or staged again) as changed_documents compares them.

    linked: the corpus's paragraphs after linking; stored_row: per row of it, whether it is a stored row."""
    same = pc.fill_null(pc.equal(stored_flags, linked.column("is_boilerplate")), False)
    differs = pc.and_(stored_row, pc.invert(same))
    changed = set(pc.unique(linked.column("doc_id").filter(differs)).to_pylist())
    staged = linked.filter(pc.invert(stored_row)).select(replaced.column_names)
    if replaced.num_rows == 0:  # a first run, or only new documents: each staged one is a changed body
        return changed | set(pc.unique(staged.column("doc_id")).to_pylist())
    return changed | changed_documents(replaced, staged)


def _with_columns(table: pa.Table, more: pa.Table) -> pa.Table:
    for name in more.column_names:
        table = table.append_column(more.schema.field(name), more.column(name))
    return table


def _staged_again(files: list[Path]) -> dict[int, pa.Array]:
    """{part: doc ids an earlier part holds too}: those rows of the part are not committed (the same file
    given twice in one run is stored once, as combined_documents keeps it)."""
    seen: set[str] = set()
    again: dict[int, pa.Array] = {}
    for k, path in enumerate(files):
        ids = pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist()
        twice = sorted(seen.intersection(ids))
        if twice:
            again[k] = pa.array(twice, pa.string())
        seen.update(ids)
    return again


def _linking_patch(as_stored: pa.Table, linked: pa.Table) -> pa.Table:
    """The paragraph rows whose flags or link evidence linking set to other values than their file holds
    (both tables in the same row order), with those columns: what the commit lays over the stored rows."""
    same_flag = pc.fill_null(
        pc.equal(as_stored.column("is_boilerplate"), linked.column("is_boilerplate")), False
    )
    a, b = as_stored.column("boilerplate_reason"), linked.column("boilerplate_reason")
    same_reason = pc.or_(pc.fill_null(pc.equal(a, b), False), pc.and_(pc.is_null(a), pc.is_null(b)))
    missing = as_stored.column("missing")  # stored before the evidence was prepared: linking computed it
    columns = ["doc_id", "para_idx", "is_boilerplate", "boilerplate_reason"]
    if pc.any(missing).as_py():
        columns += list(PARAGRAPH_EVIDENCE)
    differs = pc.or_(pc.invert(pc.and_(same_flag, same_reason)), missing)
    return linked.select(columns).filter(differs)


def align_jobs(
    root: Path, linked: Linked, stories_per_shard: int
) -> list[tuple[Path, Path, dict[str, list[str]]]]:
    """The stories to align in shards, each (its staged part, the staged body file, its stories). A shard's
    key hashes this step's version and its stories' align keys (members in order and their body paragraphs'
    fingerprints); the body file holds the body paragraphs of every story to align, sorted by document,
    written from the stored files and the staged parts a bucket of documents at a time (write_sorted)."""
    keys = dict(
        zip(
            linked.members.column("story_id").to_pylist(),
            linked.members.column("align_key").to_pylist(),
            strict=True,
        )
    )
    ids = sorted(linked.todo)
    shards = [ids[k : k + stories_per_shard] for k in range(0, len(ids), stories_per_shard)]
    staging = staging_dir(root, "align")
    named = [
        (
            staging
            / (hashlib.sha256(f"{ALIGN_STEP}\n{[(s, keys[s]) for s in shard]}".encode()).hexdigest()[:32]),
            {s: linked.todo[s] for s in shard},
        )
        for shard in shards
    ]
    if not named:
        return []
    body = (
        staging_dir(root, "body")
        / hashlib.sha256("".join(p.name for p, _ in named).encode()).hexdigest()[:32]
    )
    if not all((path / "fates.parquet").exists() for path, _ in named) and not body.is_dir():
        wanted = pa.array(sorted({d for docs in linked.todo.values() for d in docs}), pa.string())
        rewrite = linked.paragraphs
        sources = [Source(f, rewrite.drop) for f in table_files(root, "paragraphs")] + rewrite.parts
        with staged_folder(body) as tmp:
            write_sorted(
                tmp / "body.parquet",
                "paragraphs",
                sources,
                rewrite.patch,
                spill=tmp / "spill",
                keep=wanted,
                where=lambda rows: pc.invert(rows.column("is_boilerplate")),
                columns=["doc_id", "para_idx", "text", "fingerprint", "is_boilerplate"],
                row_group=SHARD_ROWS,
            )
            shutil.rmtree(tmp / "spill", ignore_errors=True)
    return [(path, body / "body.parquet", stories) for path, stories in named]


# --- shard step: align ------------------------------------------------------------------------------------


@dataclass
class AlignedShard:
    part: str
    stories: int
    fates: int
    reused: bool = False


def align_shard(target: Path, body_file: Path, stories: dict[str, list[str]]) -> AlignedShard:
    """Fates of the shard's stories into `target`, reading only their members' paragraphs from the body
    file."""
    part = target / "fates.parquet"
    if part.exists():
        return AlignedShard(str(part), len(stories), pq.read_metadata(part).num_rows, reused=True)
    docs = sorted({d for members in stories.values() for d in members})
    paras = rows_of_documents(body_file, docs)
    body = alignment_inputs(pa.table({"doc_id": pa.array(docs, pa.string())}), paras)
    fates = align_stories(stories, body)
    with staged_folder(target) as tmp:
        write_part(tmp / "fates.parquet", fates, "paragraph_fates")
    del paras, body
    release_freed_memory()  # a worker aligns shard after shard: what this one read is given back
    return AlignedShard(str(part), len(stories), fates.num_rows)


def rows_of_documents(path: Path, docs: list[str]) -> pa.Table:
    """The rows of a Parquet file sorted by `doc_id` of the documents `docs` (sorted), a row group at a
    time: pq.read_table with a filter reads up to 16 row groups ahead, so an align worker held more of the
    body file the larger the corpus (docs/memory.md); this holds one group, and skips a group whose doc_id
    range holds none of `docs`."""
    f = pq.ParquetFile(path)
    column = f.schema_arrow.get_field_index("doc_id")
    wanted = pa.array(docs, pa.string())
    parts = [f.schema_arrow.empty_table()]
    for k in range(f.num_row_groups):
        if not may_hold(f.metadata.row_group(k).column(column).statistics, docs):
            continue
        mask = pc.is_in(f.read_row_group(k, columns=["doc_id"]).column(0), value_set=wanted)
        if pc.any(mask).as_py():
            parts.append(f.read_row_group(k).filter(mask))
    return pa.concat_tables(parts)


# --- worker processes -------------------------------------------------------------------------------------

_pool: ProcessPoolExecutor | None = None


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie does not: a killed run stays one while its caller waits
    for the pipes the workers hold)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _exit_with_run(run_pid: int) -> None:
    """In a worker: end when the run that started the pool is gone. A run killed by SIGKILL must not leave
    workers holding its terminal or its caller's pipes; their parent is the forkserver, which itself waits for
    them, so the run's process is what they watch."""

    def watch() -> None:
        while _alive(run_pid):
            threading.Event().wait(0.5)
        os._exit(1)

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C is the run's to handle
    threading.Thread(target=watch, daemon=True).start()


# A shard step allocates millions of small objects (paragraph rows, word counts, fates) beside the large
# per-text caches a worker keeps; with CPython's default first-generation threshold (700) the cyclic collector
# ran about a thousand times per 10,000 documents, the older collections walking those caches: 5% of
# preparing's and 9% of aligning's CPU in one process. Almost everything is freed by reference counting as
# it goes, so the collector runs a seventieth as often (what it finds waits a little longer).
WORKER_GC_THRESHOLD = 50_000


def _worker_start(run_pid: int) -> None:
    """A worker process's start: it watches the run (_exit_with_run) and collects cycles less often."""
    _exit_with_run(run_pid)
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


def _forkserver():
    """The one forkserver every worker process of a run starts from (the first pool started sets it up)."""
    context = get_context("forkserver")
    # What the shard steps import at use, once here rather than in every worker (tasks.run itself imports
    # them at use, so that a run with nothing new does not).
    context.set_forkserver_preload(["tasks.run", "scipy.sparse", "ftfy", "courlan", "trafilatura"])
    return context


def stop_forkserver() -> None:
    """End the forkserver between two pools: it holds what it preloads (about 100 MB) through linking, which
    starts no process. multiprocessing has no public call for it; a Python without this one keeps it."""
    stop = getattr(forkserver._forkserver, "_stop", None)
    if stop is not None and _pool is None:  # a pool's workers report their end through it
        stop()


def start_forkserver() -> None:
    """Start the forkserver now, so that its preloading runs on a core the run's process leaves free (while
    the align step writes its body file) rather than when a pool first asks it for a worker."""
    _forkserver()
    forkserver.ensure_running()


@contextmanager
def worker_processes(n: int) -> Iterator[None]:
    """Shard steps run in `n` worker processes while the block runs (n < 2: in this process).

    forkserver: workers start from a clean process with this module imported once, not forked from one
    running Prefect's threads; each keeps its language cache across the shards it prepares.
    """
    global _pool
    if n < 2:
        yield
        return
    pool = ProcessPoolExecutor(
        n, mp_context=_forkserver(), initializer=_worker_start, initargs=(os.getpid(),)
    )
    _pool = pool
    try:
        yield
    finally:
        _pool = None
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def page_helper() -> Iterator[ProcessPoolExecutor | None]:
    """One worker process that renders story pages while the run's process queries their rows
    (tasks.report_page.write_report_pages): the report is written after the commit, when the other core is
    idle. None with one core."""
    if cores() < 2:
        yield None
        return
    pool = ProcessPoolExecutor(
        1, mp_context=_forkserver(), initializer=_worker_start, initargs=(os.getpid(),)
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def in_worker(step: Callable, *args):
    """Run a shard step in a worker process when a pool is open here, else in this process (on a Dask
    worker, which is the worker process)."""
    pool = _pool
    return pool.submit(step, *args).result() if pool is not None else step(*args)


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# --- how steps are carried out ----------------------------------------------------------------------------


class Runner:
    """Carries out the steps of a run in this process; flows/pipeline.py's PrefectRunner makes them tasks."""

    def __init__(self, in_flight: int | None = None) -> None:
        # Each shard in flight holds its working set in memory: twice the cores keeps them busy.
        self.in_flight = in_flight or 2 * cores()

    def call(self, name: str, step: Callable, *args, io: bool = False):
        return step(*args)

    def map(self, name: str, step: Callable, jobs: Iterable[tuple]) -> Iterator:
        """`step(*job)` for each job, results in order; in the worker processes when they are open, at most
        `in_flight` jobs submitted and not yet done."""
        pool = _pool
        if pool is None:
            return (step(*job) for job in jobs)
        return windowed((partial(pool.submit, step, *job) for job in jobs), self.in_flight)

    def log(self, message: str, *args) -> None:
        logging.getLogger("reprint").info(message, *args)

    def warn(self, message: str, *args) -> None:
        logging.getLogger("reprint").warning(message, *args)

    def expect(self, step: str, n: int) -> None:
        pass

    def advance(self, step: str, n: int) -> None:
        pass

    def workers(self, shards: int):
        """Worker processes for a run with this many shards to prepare or align (one shard: none)."""
        return worker_processes(min(cores(), shards))

    @contextmanager
    def beside(self, name: str, step: Callable, *args) -> Iterator[Future]:
        """`call(name, step, *args)` in a thread of this process while the block goes on (the run's process
        only waits on its worker processes while they align); the block's end waits for it, so no step
        outlives the run's lock, whatever the block raised."""
        pool = ThreadPoolExecutor(1, thread_name_prefix=f"reprint-{name}")
        # The caller's context (a Prefect flow run's, for its task runs) goes with the step.
        future = pool.submit(contextvars.copy_context().run, self.call, name, step, *args)
        try:
            yield future
        finally:
            wait_for([future])
            pool.shutdown()


def windowed(submissions: Iterable[Callable[[], Future]], window: int) -> Iterator:
    """The results of the submissions in order, with at most `window` of them submitted and not yet done."""
    pending: deque = deque()
    for submit in submissions:
        pending.append(submit())
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# --- the run ----------------------------------------------------------------------------------------------


@dataclass
class RunOptions:
    files_per_shard: int = 500
    stories_per_shard: int = 500
    wait: bool = False
    limits: ReadLimits = DEFAULT_LIMITS
    checksum: bool = False  # hash every input, not only those whose size or modification time changed


SHOWN_REJECTS = 50  # rejects logged one by one; all of them are in the `rejects` table


def discover(inputs: list[str], warehouse: str | None = None) -> tuple[list[InputFile], list[Reject]]:
    items, rejects = [], []
    for given in inputs:  # one at a time, so each reject is known to be about this root
        found, bad = discover_inputs([given], warehouse)
        items += found
        rejects += [dataclasses.replace(r, root=str(input_root(Path(given)))) for r in bad]
    items, unnamed = printable_names(items)
    return items, rejects + unnamed


class StoredTables(Mapping):
    """The committed small tables (`inputs`, `rejects`, `story_members`), each read when a step first asks for
    it. `documents`, `paragraphs` and `paragraph_fates` are never read whole by a run: linking reads their
    columns it needs, the commit streams them (docs/memory.md); reading them here is for tests and
    warehouses written before input roots were stored (changes.adopt_unrooted)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.read: dict[str, pa.Table] = {}

    def __getitem__(self, name: str) -> pa.Table:
        if name not in TABLES:
            raise KeyError(name)
        if name not in self.read:
            self.read[name] = read_table(self.root, name)
        return self.read[name]

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def forget(self, name: str) -> None:
        """Let go of a table read earlier (read again if asked for once more)."""
        self.read.pop(name, None)

    def rows(self, name: str) -> int:
        """The table's rows, from its files' metadata (nothing read)."""
        return count_rows(self.root, name)

    def __len__(self) -> int:
        return len(TABLES)


def load_warehouse(root: Path) -> StoredTables:
    return StoredTables(root)


def commit_version(
    root: Path,
    tables: dict[str, pa.Table | Rewrite],
    stored: Mapping[str, pa.Table],
    state: dict[str, pa.Table] | None = None,
) -> str | None:
    """Commit when anything differs from what is stored; an idle run leaves the warehouse as it was (a new
    warehouse gets its first version even when empty, so its catalog and report exist). Tables not in
    `tables` are carried over as they are; a small table given whole is compared with the stored one, a
    Rewrite says itself whether it changes anything (Rewrite.changes), reading no table whole. state: the
    files kept for the next run (tasks.warehouse.STATE), committed with the tables when they are."""
    current = current_version(root)

    def same(name: str, table: pa.Table | Rewrite) -> bool:
        if isinstance(table, Rewrite):
            return not table.changes(current, name)
        return (
            table is stored[name]
            or table.num_rows == stored[name].num_rows
            and sort_table(table, name).equals(sort_table(stored[name], name))
        )

    if current and all(same(n, t) for n, t in tables.items()):
        return None
    return commit(root, tables, uuid.uuid4().hex, state).name


def shown_fates(parts: list[Path], stories: list[str]) -> pa.Table:
    """`story_id` and `fate` of the fates of these stories in the staged parts: what the run's artifact counts
    (tasks.run_summary.fate_counts shows at most MAX_ROWS stories)."""
    wanted = pa.array(stories, pa.string())
    schema = pa.schema([SCHEMAS["paragraph_fates"].field(c) for c in ("story_id", "fate")])
    rows = [
        table.filter(pc.is_in(table.column("story_id"), value_set=wanted))
        for table in (pq.read_table(p, columns=schema.names).cast(schema) for p in parts)
    ]
    return pa.concat_tables([schema.empty_table(), *rows])


def report_pages(root: Path, touched: set[str] | None, since: str | None) -> Path:
    return write_report_pages(root, touched=touched, since=since, helper=page_helper)


def _shards(items: list, size: int) -> list[list]:
    return [items[k : k + size] for k in range(0, len(items), size)]


def run(
    inputs: list[str], warehouse: str, options: RunOptions = RunOptions(), runner: Runner | None = None
) -> Outcome:  # noqa: B008
    """Ingest what is new or changed in `inputs` into `warehouse`, then re-align the stories it touches."""
    runner = runner or Runner()
    if options.files_per_shard < 1 or options.stories_per_shard < 1:
        raise ValueError("files_per_shard and stories_per_shard must be 1 or more")
    root = Path(warehouse)
    with locked(root, wait=options.wait), ExitStack() as pending:
        # 1. What is there: the input files, and the warehouse as the last run left it.
        items, rejects = runner.call("discover", discover, inputs, warehouse, io=True)
        runner.log("found %d input files in %s", len(items), ", ".join(inputs))
        on_disk = runner.call("load_warehouse", load_warehouse, root, io=True)
        stored = adopt_unrooted(on_disk, items)  # rows of a warehouse written before roots were stored
        before = current_version(root)
        known = known_inputs(stored["inputs"])
        # Files with the size and modification time stored for them are unchanged without being read.
        to_hash, unread, seen = unchanged_by_stat(
            items, known, stored_stats(stored["inputs"]), PIPELINE_VERSION, trust=not options.checksum
        )
        if unread:
            runner.log("%d input files have the size and modification time stored: unchanged", len(unread))

        # 2. Read and prepare the files that are new or changed, shard by shard, into staged parts.
        shards = _shards(to_hash, options.files_per_shard)
        staging = staging_dir(root, "prepare")
        runner.expect("files", len(items))
        runner.advance("files", len(unread))
        prepared: list[PreparedShard] = []
        with runner.workers(len(shards)):
            jobs = (
                (
                    staging,
                    shard,
                    {input_key(i): known[input_key(i)] for i in shard if input_key(i) in known},
                    options.limits,
                )
                for shard in shards
            )
            for done in runner.map("prepare_shard", prepare_shard, jobs):
                prepared.append(done)
                runner.advance("files", done.files)
                runner.log(
                    "read %d files: %d new or changed (%d documents), %d unchanged, %d could not be read",
                    done.files,
                    done.inputs.num_rows,
                    done.read,
                    len(done.unchanged),
                    len(done.failed),
                )
                if done.folder:
                    runner.expect("documents", done.documents)
                    runner.advance("documents", done.documents)
                    runner.log(
                        "%s %d documents, %d paragraphs",
                        "reused the staged shard of" if done.reused else "prepared",
                        done.documents,
                        done.paragraphs,
                    )
                crash_point("after-prepare-shard")  # while the workers run other shards
        stop_forkserver()  # idle through linking; started again for the align step's pool
        crash_point("after-prepare")
        failed = {tuple(k) for s in prepared for k in s.failed}
        read_inputs = read_inputs_of(prepared, failed)
        rejects = rejects + [r for s in prepared for r in s.rejects]
        unchanged = {tuple(k) for s in prepared for k in s.unchanged} | set(unread)
        kept_old = failed & set(known)
        # The file list is not read past preparing: let it go before linking, which needs the memory (about
        # 1.8 kB a file with its manifest row, docs/memory.md); `seen` is read only for the files hashed and
        # found unchanged (refreshed_inputs); the stored inputs' states (`known`) only by preparing.
        del items, to_hash, shards, jobs, known
        seen = {key: stat for key, stat in seen.items() if key in unchanged}
        # Given back before the keys of the files read are made, so that they do not fill (and keep) the
        # freed file list's memory: at 200k files the run carried 300 MB more into linking (docs/memory.md).
        # A run that read nothing seldom links (stories of older code only): it skips this (0.2 s at 200k).
        if read_inputs.num_rows:
            gc.collect()
            release_freed_memory()
        replaced = set(
            zip(read_inputs.column("root").to_pylist(), read_inputs.column("source").to_pylist(), strict=True)
        )

        # 3. Link over the whole corpus; 4. align the stories whose text changed, shard by shard.
        linked = None
        adopted = stored["documents"] if stored is not on_disk else None
        current_links = links_current(
            stored["story_members"],
            distinct_values(table_files(root, "paragraph_fates"), "align_version"),
            on_disk.rows("documents"),
        )
        fate_parts: list[Source] = []
        if replaced or not current_links:
            linked = runner.call(
                "link_stories",
                link,
                on_disk,
                staged_files(prepared, "documents"),
                staged_files(prepared, "paragraphs"),
                replaced,
                adopted,
                staging_dir(root, "link"),
            )
            runner.log(
                "linked %d documents into %d stories (%d linked again); %d documents changed",
                linked.n_documents,
                len(set(linked.members.column("story_id").to_pylist())),
                linked.relinked,
                linked.changed,
            )
            crash_point("after-link")
            release_freed_memory()  # linking's working set, before aligning, the commit and the pages
            if cores() > 1:
                start_forkserver()
            # Reuse outside stories needs only what linking decided: it is found beside the alignment, on the
            # core the run's process leaves free while it waits on the workers (docs/pipeline.md, The cores).
            reuse_started = time.monotonic()
            found_reuse = pending.enter_context(
                runner.beside(
                    "find_reuse",
                    reuse_rewrite,
                    root,
                    linked.paragraphs,
                    linked.members,
                    staging_dir(root, "reuse"),
                )
            )
            jobs = align_jobs(root, linked, options.stories_per_shard)
            runner.expect("stories", len(linked.todo))
            # A pool of its own: the preparing workers were ended before linking, which needs the memory.
            with runner.workers(len(jobs)):
                for done in runner.map("align_shard", align_shard, jobs):
                    fate_parts.append(Source(Path(done.part)))
                    runner.advance("stories", done.stories)
                    runner.log(
                        "%s %d stories: %d paragraph fates",
                        "reused the staged fates of" if done.reused else "aligned",
                        done.stories,
                        done.fates,
                    )
            members, todo = linked.members, linked.todo
            crash_point("after-align")
        else:  # no document changed, stories made by this code: linking again would change nothing
            members, todo = stored["story_members"], {}

        # 5. Commit a new version when anything differs; the staged parts are then no longer needed.
        roots = [input_root(Path(i)) for i in inputs]
        tables: dict[str, pa.Table | Rewrite] = {
            "rejects": merge_rejects(
                stored["rejects"], rejects, replaced | failed, unchanged, roots, kept_old
            ),
            # Files hashed unchanged but touched get their new time, when the inputs table is written anyway.
            "inputs": merge_inputs(
                stored["inputs"],
                read_inputs.to_pylist()
                + (refreshed_inputs(stored["inputs"], seen, unchanged) if read_inputs.num_rows else []),
            ),
        }
        if linked is not None:
            tables |= {
                "documents": linked.documents,
                "paragraphs": linked.paragraphs,
                "story_members": members,
                "paragraph_fates": Rewrite(fate_parts, linked.fates_drop),
            }
        elif adopted is not None:  # rows given the root of this run's inputs (adopt_unrooted)
            tables["documents"] = Rewrite(patch=adopted.select(["source", "doc_id", "input_root"]))
        # The passage index follows the paragraphs committed (built whole once for a warehouse without it).
        index = index_rewrite(root, linked.paragraphs if linked else None, staging_dir(root, "passages"))
        if index is not None:
            tables["passage_index"] = index
        # Reuse outside stories: pairs of documents sharing a passage, whichever stories they are in.
        if linked is not None or not reuse_current(root):
            if linked is not None:
                reuse = found_reuse.result()
            else:
                reuse_started = time.monotonic()
                reuse = runner.call(
                    "find_reuse", reuse_rewrite, root, None, members, staging_dir(root, "reuse")
                )
            tables["reuse_pairs"] = reuse
            rows = sum(pq.read_metadata(part.path).num_rows for part in reuse.parts)
            runner.log(
                "found %d passages shared by pairs of documents in %.1f s",
                rows,
                time.monotonic() - reuse_started,
            )
            crash_point("after-reuse")
        state = linked.state if linked is not None else None
        version = runner.call("commit_version", commit_version, root, tables, on_disk, state, io=True)
        if version:
            runner.log(
                "committed version %s of %s: %s",
                version,
                root,
                ", ".join(f"{count_rows(root, n)} {n}" for n in tables),
            )
        else:
            runner.log("nothing changed: %s keeps its version", root)
        fates = shown_fates([Path(p.path) for p in fate_parts], sorted(todo)[:MAX_ROWS])
        freed = prune_staging(root)
        if freed:
            runner.log("removed %.1f MB of staged parts", freed / 1e6)

        # 6. The report pages: only those of the stories this run aligned are written again.
        release_freed_memory()  # what the commit's buckets freed
        page = root / "report" / "index.html"
        if version:
            page = runner.call(
                "write_report_page", report_pages, root, set(todo), before.name if before else None, io=True
            )
        elif not pages_current(root):  # a run killed after its commit, or pages of another page version
            page = runner.call("write_report_page", report_pages, root, None, None, io=True)
        n_documents = count_rows(root, "documents")
    summary = {
        "documents": n_documents,
        "new_documents": sum(s.documents for s in prepared),
        "read_inputs": len(replaced),
        "unchanged_inputs": sum(len(s.unchanged) for s in prepared) + len(unread),
        "stories": len(set(members.column("story_id").to_pylist())),
        "aligned_stories": len(todo),
        # What the terminal report shows of a run into a warehouse that held stories already: the stories this
        # run aligned, not the warehouse's largest again (the same every day, and most of a small run's time).
        "changed_stories": changed_stories(members, todo) if before is not None and version else None,
        "linked_documents": linked.relinked if linked is not None else 0,
        # A warning names what was dropped from a document that was ingested: it is no rejected input.
        "rejects": sum(r.severity != "warning" for r in rejects),
        "warnings": sum(r.severity == "warning" for r in rejects),
        "version": version or "unchanged",
        "report_page": str(page.resolve()),
    }
    for reject in rejects[:SHOWN_REJECTS]:
        kind = "warning for" if reject.severity == "warning" else "rejected"
        runner.warn("%s %s: %s", kind, reject.source, reject.reason)
    if len(rejects) > SHOWN_REJECTS:
        runner.warn("... and %d more rejects: see the `rejects` table", len(rejects) - SHOWN_REJECTS)
    runner.log(
        "%s: %d documents (%d added or replaced) in %d stories, %d aligned in this run; %d rejects",
        warehouse,
        summary["documents"],
        summary["new_documents"],
        summary["stories"],
        summary["aligned_stories"],
        summary["rejects"],
    )
    return Outcome(summary, fates, members, sorted(todo))


def changed_stories(members: pa.Table, todo: Mapping | set, shown: int = 20) -> dict:
    """Of the stories a run aligned (`todo`), those with republications: how many, and the `shown` with most
    members (then by id), for the terminal report (tasks.report.render_report's `changed`)."""
    aligned = members.filter(pc.is_in(members.column("story_id"), pa.array(sorted(todo), pa.string())))
    sizes = aligned.group_by("story_id").aggregate([("story_id", "count")])
    shared = sizes.filter(pc.greater(sizes.column("story_id_count"), 1))
    ranked = shared.sort_by([("story_id_count", "descending"), ("story_id", "ascending")])
    return {"shared": shared.num_rows, "shown": ranked.column("story_id").to_pylist()[:shown]}


@dataclass
class Outcome:
    """What a run did (the summary the command prints) and what its artifacts show."""

    summary: dict
    fates: pa.Table
    members: pa.Table
    aligned: list[str]
