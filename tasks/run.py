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

import dataclasses
import hashlib
import json
import logging
import os
import shutil
import signal
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from multiprocessing import get_context
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks.align import AlignConfig
from tasks.boilerplate import BoilerplateConfig
from tasks.changes import (
    InputKey,
    adopt_unrooted,
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
    replace_documents,
    stored_stats,
    unchanged_by_stat,
    with_owner,
)
from tasks.clean import CleanConfig
from tasks.fingerprint import SketchConfig
from tasks.html import HtmlConfig
from tasks.ingest import InputFile, Reject, discover_inputs, input_root
from tasks.language import LanguageConfig
from tasks.limits import DEFAULT_LIMITS, ReadLimits
from tasks.prepare import PIPELINE_VERSION, StageClock, prepare_documents
from tasks.report_page import pages_current, write_report_pages
from tasks.stories import (
    align_stories,
    alignment_inputs,
    changed_documents,
    find_stories,
    keyed_members,
    stories_to_align,
)
from tasks.warehouse import (
    SCHEMAS,
    TABLES,
    commit,
    crash_point,
    current_version,
    fsync_path,
    locked,
    read_table,
    sort_table,
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
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
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


@dataclass
class PreparedShard:
    """What a prepare shard did; its documents and paragraphs are Parquet files in `folder`."""

    files: int
    folder: str | None = None  # None: nothing in the shard was new or changed
    documents: int = 0
    paragraphs: int = 0
    reused: bool = False
    inputs: list[dict] = field(default_factory=list)  # rows of the `inputs` table, one per file read
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
        inputs=read.inputs,
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
        (tmp / "meta.json").write_text(json.dumps(dataclasses.asdict(done)))
    return done


def load_meta(folder: Path) -> PreparedShard:
    meta = json.loads((folder / "meta.json").read_text())
    meta["rejects"] = [Reject(**r) for r in meta["rejects"]]
    for name in ("failed", "unchanged"):
        meta[name] = [tuple(key) for key in meta[name]]
    return PreparedShard(**{**meta, "folder": str(folder)})


def prepared_tables(shards: list[PreparedShard], name: str) -> pa.Table:
    """The staged `documents` or `paragraphs` of the prepared shards, as one table."""
    parts = [pq.read_table(Path(s.folder) / f"{name}.parquet") for s in shards if s.folder]
    return pa.concat_tables([SCHEMAS[name].empty_table()] + [p.cast(SCHEMAS[name]) for p in parts])


# --- whole-corpus step: link ------------------------------------------------------------------------------


@dataclass
class Linked:
    """Stories over the whole corpus, and what alignment has to redo."""

    documents: pa.Table
    paragraphs: pa.Table
    members: pa.Table
    todo: dict[str, list[str]]  # stories to align: {story_id: doc_ids in version order}
    kept_fates: pa.Table  # stored fates of the stories that did not change
    changed: int  # documents whose body changed


def link(
    stored: dict[str, pa.Table],
    new_docs: pa.Table,
    new_paras: pa.Table,
    replaced: set,
    scratch: Path | None = None,
) -> Linked:
    """Stories over the stored corpus with the replaced inputs' documents swapped for the new ones; align keys
    only from paragraph fingerprints (no text), so the stories to align are known without their text.
    scratch: where linking writes what it holds out of core (the warehouse's staging area)."""
    docs, paras = replace_documents(stored["documents"], stored["paragraphs"], new_docs, new_paras, replaced)
    members, paras = find_stories(docs, paras, scratch=scratch)
    changed = changed_documents(stored["paragraphs"], paras)
    # A story's key hashes its members' body fingerprints, never their text: keying reads no text column.
    keying = paras.select(["doc_id", "para_idx", "fingerprint", "is_boilerplate"])
    keying = keying.append_column("text", pa.nulls(keying.num_rows, pa.string()))
    members, _ = keyed_members(members, keying, stored["story_members"], changed)
    todo, kept = stories_to_align(members, stored["story_members"], stored["paragraph_fates"])
    return Linked(docs, paras, members, todo, kept, len(changed))


def align_jobs(
    root: Path, linked: Linked, stories_per_shard: int
) -> list[tuple[Path, Path, dict[str, list[str]]]]:
    """The stories to align in shards, each (its staged part, the staged body file, its stories). A shard's
    key hashes this step's version and its stories' align keys (members in order and their body paragraphs'
    fingerprints); the body file holds the body paragraphs of every story to align, sorted by document."""
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
        paras = linked.paragraphs
        rows = paras.filter(
            pc.and_(
                pc.is_in(paras.column("doc_id"), value_set=wanted),
                pc.invert(paras.column("is_boilerplate")),
            )
        ).select(["doc_id", "para_idx", "text", "fingerprint", "is_boilerplate"])
        with staged_folder(body) as tmp:
            write_part(
                tmp / "body.parquet", rows.sort_by([("doc_id", "ascending"), ("para_idx", "ascending")])
            )
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
    paras = pq.read_table(body_file, filters=[("doc_id", "in", docs)])
    body = alignment_inputs(pa.table({"doc_id": pa.array(docs, pa.string())}), paras)
    fates = align_stories(stories, body)
    with staged_folder(target) as tmp:
        write_part(tmp / "fates.parquet", fates, "paragraph_fates")
    return AlignedShard(str(part), len(stories), fates.num_rows)


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
    context = get_context("forkserver")
    context.set_forkserver_preload(["tasks.run"])
    pool = ProcessPoolExecutor(n, mp_context=context, initializer=_exit_with_run, initargs=(os.getpid(),))
    _pool = pool
    try:
        yield
    finally:
        _pool = None
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
    """The committed tables, each read when a step first asks for it: a run with nothing new reads `inputs`,
    `rejects` and the small tables, never the paragraphs."""

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

    def __len__(self) -> int:
        return len(TABLES)


def load_warehouse(root: Path) -> StoredTables:
    return StoredTables(root)


def commit_version(root: Path, tables: dict[str, pa.Table], stored: dict[str, pa.Table]) -> str | None:
    """Commit when anything differs from what is stored; an idle run leaves the warehouse as it was (a new
    warehouse gets its first version even when empty, so its catalog and report exist). Tables not in
    `tables` are carried over as they are."""
    same_sizes = all(tables[n].num_rows == stored[n].num_rows for n in tables)
    same = same_sizes and all(sort_table(tables[n], n).equals(sort_table(stored[n], n)) for n in tables)
    if same and current_version(root):
        return None
    return commit(root, tables, uuid.uuid4().hex).name


def report_pages(root: Path, touched: set[str] | None, since: str | None) -> Path:
    return write_report_pages(root, touched=touched, since=since)


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
    with locked(root, wait=options.wait):
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
                    len(done.inputs),
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
        crash_point("after-prepare")
        failed = {tuple(k) for s in prepared for k in s.failed}
        read_inputs = [
            row for s in prepared for row in s.inputs if (row["root"], row["source"]) not in failed
        ]
        replaced = {(row["root"], row["source"]) for row in read_inputs}
        rejects = rejects + [r for s in prepared for r in s.rejects]
        unchanged = {tuple(k) for s in prepared for k in s.unchanged} | set(unread)

        # 3. Link over the whole corpus; 4. align the stories whose text changed, shard by shard.
        linked = None
        if replaced or not links_current(stored):
            linked = runner.call(
                "link_stories",
                link,
                stored,
                prepared_tables(prepared, "documents"),
                prepared_tables(prepared, "paragraphs"),
                replaced,
                staging_dir(root, "link"),
            )
            runner.log(
                "linked %d documents into %d stories; %d documents changed",
                linked.documents.num_rows,
                len(set(linked.members.column("story_id").to_pylist())),
                linked.changed,
            )
            crash_point("after-link")
            if isinstance(stored, StoredTables):
                stored.forget("paragraphs")  # linked.paragraphs is the corpus's now; hold one copy, not two
            jobs = align_jobs(root, linked, options.stories_per_shard)
            runner.expect("stories", len(linked.todo))
            fates = [linked.kept_fates]
            # A pool of its own: the preparing workers were ended before linking, which needs the memory.
            with runner.workers(len(jobs)):
                for done in runner.map("align_shard", align_shard, jobs):
                    fates.append(pq.read_table(done.part).cast(SCHEMAS["paragraph_fates"]))
                    runner.advance("stories", done.stories)
                    runner.log(
                        "%s %d stories: %d paragraph fates",
                        "reused the staged fates of" if done.reused else "aligned",
                        done.stories,
                        done.fates,
                    )
            docs, members, todo = linked.documents, linked.members, linked.todo
            fates = pa.concat_tables(fates)
            crash_point("after-align")
        else:  # no document changed, stories made by this code: linking again would change nothing
            docs, members, todo = stored["documents"], stored["story_members"], {}
            fates = stored["paragraph_fates"]

        # 5. Commit a new version when anything differs; the staged parts are then no longer needed.
        roots = [input_root(Path(i)) for i in inputs]
        tables = {
            "rejects": merge_rejects(
                stored["rejects"], rejects, replaced | failed, unchanged, roots, failed & set(known)
            ),
            # Files hashed unchanged but touched get their new time, when the inputs table is written anyway.
            "inputs": merge_inputs(
                stored["inputs"],
                read_inputs + (refreshed_inputs(stored["inputs"], seen, unchanged) if read_inputs else []),
            ),
        }
        if linked is not None:
            tables |= {
                "documents": docs,
                "paragraphs": linked.paragraphs,
                "story_members": members,
                "paragraph_fates": fates,
            }
        elif stored is not on_disk:  # rows given the root of this run's inputs (adopt_unrooted)
            tables["documents"] = docs
        version = runner.call("commit_version", commit_version, root, tables, on_disk, io=True)
        if version:
            runner.log(
                "committed version %s of %s: %s",
                version,
                root,
                ", ".join(f"{tables[n].num_rows} {n}" for n in tables),
            )
        else:
            runner.log("nothing changed: %s keeps its version", root)
        freed = prune_staging(root)
        if freed:
            runner.log("removed %.1f MB of staged parts", freed / 1e6)

        # 6. The report pages: only those of the stories this run aligned are written again.
        page = root / "report" / "index.html"
        if version:
            page = runner.call(
                "write_report_page", report_pages, root, set(todo), before.name if before else None, io=True
            )
        elif not pages_current(root):  # a run killed after its commit, or pages of another page version
            page = runner.call("write_report_page", report_pages, root, None, None, io=True)
    summary = {
        "documents": docs.num_rows,
        "new_documents": sum(s.documents for s in prepared),
        "read_inputs": len(replaced),
        "unchanged_inputs": sum(len(s.unchanged) for s in prepared) + len(unread),
        "stories": len(set(members.column("story_id").to_pylist())),
        "aligned_stories": len(todo),
        "rejects": len(rejects),
        "version": version or "unchanged",
        "report_page": str(page.resolve()),
    }
    for reject in rejects[:SHOWN_REJECTS]:
        runner.warn("rejected %s: %s", reject.source, reject.reason)
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


@dataclass
class Outcome:
    """What a run did (the summary the command prints) and what its artifacts show."""

    summary: dict
    fates: pa.Table
    members: pa.Table
    aligned: list[str]
