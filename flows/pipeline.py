"""The reprint flow: find the inputs that are new or changed → read and prepare them in shards → link
stories → align the stories whose members changed, in shards → commit a new warehouse version, publish
artifacts.

Shards are Prefect task runs, so the same flow runs in one process or, with a DaskTaskRunner, on a cluster.
Each step says what it did through Prefect's run logger, so the UI shows it beside the run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture

from flows import progress
from flows.result_cache import prune_results
from tasks.changes import (
    ShardRead,
    adopt_unrooted,
    input_key,
    known_inputs,
    links_current,
    merge_inputs,
    merge_rejects,
    prepare_isolated,
    printable_names,
    read_changed,
    replace_documents,
    story_shards,
    with_owner,
)
from tasks.ingest import InputFile, Reject, discover_inputs, input_root
from tasks.limits import DEFAULT_LIMITS, ReadLimits
from tasks.prepare import PIPELINE_VERSION, prepare_documents, remember_languages
from tasks.report_page import pages_current, write_report_pages
from tasks.run_summary import fate_counts, summary_markdown
from tasks.stories import (
    align_stories,
    changed_documents,
    find_stories,
    keyed_members,
    stories_to_align,
    story_key,
)
from tasks.warehouse import (
    SCHEMAS,
    TABLES,
    commit,
    crash_point,
    current_version,
    lasting_fault,
    locked,
    read_table,
    sort_table,
)

DASK_ADDRESS_ENV = "REPRINT_DASK_ADDRESS"
SHARDS_IN_FLIGHT_ENV = "REPRINT_SHARDS_IN_FLIGHT"
CACHE_FOR = timedelta(days=30)
CACHED_TASKS = ("prepare-", "align-")  # the cache keys' prefixes, see _prepared_key and _aligned_key
SHOWN_REJECTS = 50  # rejects logged one by one; all of them are in the `rejects` table


def transient(task, task_run, state) -> bool:
    """Whether an IO task's failure may pass if tried again: a full disk or a refused write will not."""
    try:
        error = state.result(raise_on_failure=False)
    except Exception:  # noqa: BLE001 - no result to look at: retry as before
        return True
    return not lasting_fault(error)


IO_TASK = {"retries": 2, "retry_delay_seconds": 1, "retry_condition_fn": transient, "cache_policy": NO_CACHE}


@task(**IO_TASK)
def discover(inputs: list[str], warehouse: str | None = None) -> tuple[list[InputFile], list[Reject]]:
    items, rejects = [], []
    for given in inputs:  # one at a time, so each reject is known to be about this root
        found, bad = discover_inputs([given], warehouse)
        items += found
        rejects += [dataclasses.replace(r, root=str(input_root(Path(given)))) for r in bad]
    items, unnamed = printable_names(items)
    get_run_logger().info("found %d input files in %s", len(items), ", ".join(inputs))
    return items, rejects + unnamed


@task(**IO_TASK)
def load_warehouse(root: Path) -> dict[str, pa.Table]:
    return {name: read_table(root, name) for name in TABLES}


@task(cache_policy=NO_CACHE)
def reuse_languages(stored: dict[str, pa.Table]) -> int:
    """Stored paragraphs' language tags, so that preparing detects no fingerprint twice across runs."""
    return remember_languages(stored["documents"], stored["paragraphs"])


@task(**IO_TASK)
def read_shard(items: list[InputFile], known: dict, version: str, limits: ReadLimits) -> ShardRead:
    read = read_changed(items, known, version, limits)
    get_run_logger().info(
        "read %d files: %d new or changed (%d documents), %d unchanged, %d could not be read",
        len(items),
        len(read.inputs),
        len(read.raws),
        len(read.unchanged),
        len(read.failed),
    )
    return read


def _prepared_key(context, parameters) -> str:
    """Content-keyed: doc ids hash source and bytes; metadata and the pipeline version complete the key."""
    # The result's shape is in the key too: results cached by a version that returned a different shape are
    # never handed to this code.
    h = hashlib.sha256(f"{PIPELINE_VERSION} docs+paras+evidence+rejects+failed".encode())
    shard: ShardRead = parameters["shard"]
    for r in shard.raws:
        h.update(
            repr(
                (
                    r.doc_id,
                    r.outlet,
                    r.title,
                    r.url,
                    r.published_at,
                    r.encoding,
                    r.input_format,
                    shard.owner.get(r.doc_id),
                )
            ).encode()
        )
    return f"prepare-{h.hexdigest()}"


@task(cache_key_fn=_prepared_key, cache_expiration=CACHE_FOR, persist_result=True)
def prepare_shard(shard: ShardRead) -> tuple[pa.Table, pa.Table, list[Reject], list[str]]:
    """Documents and paragraphs of a shard, plus rejects and the input files whose preparing failed."""
    docs, paras, rejects, failed = prepare_isolated(shard, prepare_documents)
    get_run_logger().info("prepared %d documents, %d paragraphs", docs.num_rows, paras.num_rows)
    return with_owner(docs, shard.owner), paras, rejects, failed


@task(cache_policy=NO_CACHE)
def link_stories(
    docs: pa.Table, paras: pa.Table, stored: dict[str, pa.Table]
) -> tuple[pa.Table, pa.Table, dict]:
    """Stories over the whole corpus; align keys (and paragraphs) only for stories whose text changed."""
    members, paras = find_stories(docs, paras)
    changed = changed_documents(stored["paragraphs"], paras)
    members, body = keyed_members(members, paras, stored["story_members"], changed)
    get_run_logger().info(
        "linked %d documents into %d stories; %d documents changed",
        docs.num_rows,
        len(set(members.column("story_id").to_pylist())),
        len(changed),
    )
    return members, paras, body


def _aligned_key(context, parameters) -> str:
    """Content-keyed: each story's members in order and their body paragraphs, text included."""
    h = hashlib.sha256()
    for story_id, docs in sorted(parameters["stories"].items()):
        h.update(story_key(story_id, docs, parameters["body"]).encode())
        for doc in docs:
            for p in parameters["body"].get(doc, ()):
                h.update(hashlib.sha256(p.text.encode()).digest())
    return f"align-{h.hexdigest()}"


@task(cache_key_fn=_aligned_key, cache_expiration=CACHE_FOR, persist_result=True)
def align_shard(stories: dict[str, list[str]], body: dict) -> pa.Table:
    fates = align_stories(stories, body)
    get_run_logger().info("aligned %d stories: %d paragraph fates", len(stories), fates.num_rows)
    return fates


@task(**IO_TASK)
def commit_version(root: Path, tables: dict[str, pa.Table], stored: dict[str, pa.Table]) -> str | None:
    """Commit when anything differs from what is stored; an idle run leaves the warehouse as it was (a new
    warehouse gets its first version even when empty, so its catalog and report exist)."""
    same_sizes = all(tables[n].num_rows == stored[n].num_rows for n in tables)
    same = same_sizes and all(sort_table(tables[n], n).equals(sort_table(stored[n], n)) for n in tables)
    if same and current_version(root):
        get_run_logger().info("nothing changed: %s keeps its version", root)
        return None
    version = commit(root, tables, uuid.uuid4().hex).name
    get_run_logger().info(
        "committed version %s of %s: %s",
        version,
        root,
        ", ".join(f"{tables[n].num_rows} {n}" for n in tables),
    )
    return version


@task(**IO_TASK)
def write_report_page(root: Path, touched: set[str] | None = None, since: str | None = None) -> Path:
    return write_report_pages(root, touched=touched, since=since)


@task(cache_policy=NO_CACHE)
def publish_artifacts(
    summary: dict, fates: pa.Table, members: pa.Table, aligned: list[str], warehouse: str
) -> None:
    create_table_artifact(
        key="reprint-story-fates",
        table=fate_counts(fates, members, aligned),
        description="Fate counts per story aligned in this run",
    )
    create_markdown_artifact(
        key="reprint-run-summary",
        markdown=summary_markdown(summary, warehouse),
        description="What this reprint run did",
    )


def shards_in_flight() -> int:
    """How many shards run at once. Each holds its working set in memory, so submitting every shard at once
    made a run's memory grow with its number of files (50,000 small files: 6-7 GB). Twice the cores keeps
    them busy; on a Dask cluster set $REPRINT_SHARDS_IN_FLIGHT to the cluster's threads."""
    return max(1, int(os.environ.get(SHARDS_IN_FLIGHT_ENV) or 2 * (os.cpu_count() or 1)))


def windowed(submissions: Iterable[Callable[[], PrefectFuture]], window: int) -> Iterator:
    """The results of the submissions in order, with at most `window` of them submitted and not yet done."""
    pending: deque[PrefectFuture] = deque()
    for submit in submissions:
        pending.append(submit())
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@task(cache_policy=NO_CACHE)
def prune_result_cache() -> None:
    """Delete this flow's cached results that have expired (Prefect never does)."""
    from prefect.settings import get_current_settings

    folder = get_current_settings().results.local_storage_path
    removed, freed = prune_results(folder, CACHED_TASKS, CACHE_FOR)
    if removed:
        get_run_logger().info(
            "removed %d expired cached results (%.1f MB) from %s", removed, freed / 1e6, folder
        )


def log_rejects(rejects: list[Reject]) -> None:
    logger = get_run_logger()
    for reject in rejects[:SHOWN_REJECTS]:
        logger.warning("rejected %s: %s", reject.source, reject.reason)
    if len(rejects) > SHOWN_REJECTS:
        logger.warning("... and %d more rejects: see the `rejects` table", len(rejects) - SHOWN_REJECTS)


def _shards(items: list, size: int) -> list[list]:
    return [items[k : k + size] for k in range(0, len(items), size)]


@flow(name="reprint", log_prints=False)
def reprint_flow(
    inputs: list[str],
    warehouse: str = "warehouse",
    files_per_shard: int = 500,
    stories_per_shard: int = 500,
    wait: bool = False,
    max_document_bytes: int = DEFAULT_LIMITS.max_document_bytes,
) -> dict:
    """Ingest what is new or changed in `inputs` into `warehouse`, then re-align the stories it touches.

    wait: when another run holds the warehouse, wait for it instead of refusing.
    max_document_bytes: a document (file, JSONL line, archive record) larger than this is rejected.
    """
    if files_per_shard < 1 or stories_per_shard < 1:
        raise ValueError("files_per_shard and stories_per_shard must be 1 or more")
    root = Path(warehouse)
    limits = replace(DEFAULT_LIMITS, max_document_bytes=max_document_bytes)
    with locked(root, wait=wait):
        items, rejects = discover(inputs, warehouse)
        on_disk = load_warehouse(root)
        stored = adopt_unrooted(on_disk, items)  # rows of a warehouse written before roots were stored
        before = current_version(root)
        reuse_languages(stored)
        known = known_inputs(stored["inputs"])
        progress.expect("files", len(items))
        window = shards_in_flight()
        reads = []
        for read in windowed(
            (
                partial(
                    read_shard.submit,
                    shard,
                    {input_key(i): known[input_key(i)] for i in shard if input_key(i) in known},
                    PIPELINE_VERSION,
                    limits,
                )
                for shard in _shards(items, files_per_shard)
            ),
            window,
        ):
            reads.append(read)  # hashing is quick: prepare only the shards with something new
            progress.advance("files", len(read.unchanged) + len(read.inputs) + len(read.failed))
        progress.expect("documents", sum(len(r.raws) for r in reads))
        new = []
        for prepared in windowed((partial(prepare_shard.submit, r) for r in reads if r.raws), window):
            new.append(prepared)
            progress.advance("documents", prepared[0].num_rows)
        crash_point("after-prepare")
        unprepared = {key for *_, failed_here in new for key in failed_here}
        read_inputs = [
            row for r in reads for row in r.inputs if (row["root"], row["source"]) not in unprepared
        ]
        replaced = {(row["root"], row["source"]) for row in read_inputs}
        failed = {s for r in reads for s in r.failed} | unprepared
        rejects = rejects + [x for r in reads for x in r.rejects] + [x for *_, bad, _ in new for x in bad]
        if replaced or not links_current(stored):
            docs, paras = replace_documents(
                stored["documents"],
                stored["paragraphs"],
                pa.concat_tables([SCHEMAS["documents"].empty_table()] + [n[0] for n in new]),
                pa.concat_tables([SCHEMAS["paragraphs"].empty_table()] + [n[1] for n in new]),
                replaced,
            )
            members, paras, body = link_stories(docs, paras, stored)
            crash_point("after-link")
            todo, kept_fates = stories_to_align(members, stored["story_members"], stored["paragraph_fates"])
            jobs = story_shards(todo, body, stories_per_shard)
            progress.expect("stories", len(todo))
            fates = [kept_fates]
            aligned = windowed(
                (partial(align_shard.submit, stories, shard_body) for stories, shard_body in jobs), window
            )
            for (stories, _), result in zip(jobs, aligned, strict=True):
                fates.append(result)
                progress.advance("stories", len(stories))
            fates = pa.concat_tables(fates)
            crash_point("after-align")
        else:  # no document changed and stories were made by this code: linking again would change nothing
            docs, paras, members, todo = (
                stored["documents"],
                stored["paragraphs"],
                stored["story_members"],
                {},
            )
            fates = stored["paragraph_fates"]
        roots = [input_root(Path(i)) for i in inputs]
        version = commit_version(
            root,
            {
                "documents": docs,
                "paragraphs": paras,
                "story_members": members,
                "paragraph_fates": fates,
                "rejects": merge_rejects(
                    stored["rejects"],
                    rejects,
                    replaced | failed,
                    {s for r in reads for s in r.unchanged},
                    roots,
                    failed & set(known),
                ),
                "inputs": merge_inputs(stored["inputs"], read_inputs),
            },
            on_disk,  # a run that only adopted rows still commits
        )
        page = root / "report" / "index.html"
        if version:  # only the pages of the stories this run aligned are written again
            page = write_report_page(root, set(todo), before.name if before else None)
        elif not pages_current(root):  # a run killed after its commit, or pages of another page version
            page = write_report_page(root)
    summary = {
        "documents": docs.num_rows,
        "new_documents": sum(n[0].num_rows for n in new),
        "read_inputs": len(replaced),
        "unchanged_inputs": sum(len(r.unchanged) for r in reads),
        "stories": len(set(members.column("story_id").to_pylist())),
        "aligned_stories": len(todo),
        "rejects": len(rejects),
        "version": version or "unchanged",
        "report_page": str(page.resolve()),
    }
    log_rejects(rejects)
    get_run_logger().info(
        "%s: %d documents (%d added or replaced) in %d stories, %d aligned in this run; %d rejects",
        warehouse,
        summary["documents"],
        summary["new_documents"],
        summary["stories"],
        summary["aligned_stories"],
        summary["rejects"],
    )
    publish_artifacts(summary, fates, members, sorted(todo), warehouse)
    prune_result_cache()
    return summary


def task_runner_for(address: str | None):
    """A DaskTaskRunner on the cluster at `address` (or $REPRINT_DASK_ADDRESS); None: Prefect's default."""
    address = address or os.environ.get(DASK_ADDRESS_ENV)
    if not address:
        return None
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address)


if os.environ.get(DASK_ADDRESS_ENV):
    # Served and deployed runs load the flow by name, so the cluster has to come from the environment.
    reprint_flow = reprint_flow.with_options(task_runner=task_runner_for(None))


def run(inputs: list[str], warehouse: str = "warehouse", dask_address: str | None = None, **options) -> dict:
    """Run the flow, on a Dask cluster when an address is given or set in the environment."""
    runner = task_runner_for(dask_address)
    chosen = reprint_flow.with_options(task_runner=runner) if runner else reprint_flow
    return chosen(inputs=inputs, warehouse=warehouse, **options)
