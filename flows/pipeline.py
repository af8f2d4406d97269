"""The reprint flow: ingest → prepare → link stories → align versions → commit to the warehouse."""

from __future__ import annotations

import uuid
from pathlib import Path

import pyarrow as pa
from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import progress
from tasks.ingest import InputFile, RawDocument, Reject, discover_inputs, read_inputs
from tasks.prepare import prepare_documents, remember_languages
from tasks.report_page import write_report_pages
from tasks.stories import (align_stories, alignment_inputs, find_stories, keyed_members, merge_documents,
                           merge_rejects, stories_to_align)
from tasks.warehouse import SCHEMAS, commit, locked, read_table


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def discover(inputs: list[str]) -> tuple[list[InputFile], list[Reject]]:
    return discover_inputs(inputs)


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def read_batch(items: list[InputFile]) -> tuple[list[RawDocument], list[Reject]]:
    return read_inputs(items)


@task(cache_policy=NO_CACHE)
def prepare_batch(raws: list[RawDocument]) -> tuple[pa.Table, pa.Table]:
    return prepare_documents(raws)


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def load_warehouse(root: Path) -> dict[str, pa.Table]:
    return {name: read_table(root, name) for name in SCHEMAS}


@task(cache_policy=NO_CACHE)
def reuse_languages(stored: dict[str, pa.Table]) -> int:
    """Stored paragraphs' language tags, so that prepare_batch detects no fingerprint twice across runs."""
    return remember_languages(stored["documents"], stored["paragraphs"])


@task(cache_policy=NO_CACHE)
def link_stories(docs: pa.Table, paras: pa.Table, previous: pa.Table) -> tuple[pa.Table, pa.Table]:
    members, paras = find_stories(docs, paras, previous=previous)
    return keyed_members(members, alignment_inputs(members, paras)), paras


@task(cache_policy=NO_CACHE)
def align_batch(stories: dict[str, list[str]], members: pa.Table, paras: pa.Table) -> pa.Table:
    return align_stories(stories, alignment_inputs(members, paras))


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def write_warehouse(root: Path, tables: dict[str, pa.Table]) -> None:
    commit(root, tables, uuid.uuid4().hex)


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def write_report_page(root: Path) -> Path:
    return write_report_pages(root)


def _batches(items: list, size: int) -> list[list]:
    return [items[k : k + size] for k in range(0, len(items), size)] or []


@flow(name="reprint", log_prints=False)
def reprint_flow(inputs: list[str], warehouse: str = "warehouse", batch_size: int = 200,
                 stories_per_batch: int = 500) -> dict:
    """Ingest `inputs` into the warehouse at `warehouse`, then re-link and re-align what they touch."""
    root = Path(warehouse)
    with locked(root):
        items, rejects = discover(inputs)
        stored = load_warehouse(root)
        reuse_languages(stored)
        progress.expect("files", len(items))
        read = [(read_batch.submit(batch), len(batch)) for batch in _batches(items, batch_size)]
        prepared = []
        for future, n_files in read:
            raws, bad = future.result()
            progress.advance("files", n_files)
            progress.expect("documents", len(raws))
            rejects = rejects + bad
            prepared.append(prepare_batch.submit(raws))
        new_docs = [f.result() for f in prepared]
        progress.advance("documents", sum(d.num_rows for d, _ in new_docs))
        docs, paras = merge_documents(
            stored["documents"], stored["paragraphs"],
            pa.concat_tables([d for d, _ in new_docs]) if new_docs else SCHEMAS["documents"].empty_table(),
            pa.concat_tables([p for _, p in new_docs]) if new_docs else SCHEMAS["paragraphs"].empty_table(),
        )
        members, paras = link_stories(docs, paras, stored["story_members"])
        todo, kept_fates = stories_to_align(members, stored["story_members"], stored["paragraph_fates"])
        story_ids = sorted(todo)
        progress.expect("stories", len(story_ids))
        aligned = [(align_batch.submit({s: todo[s] for s in chunk}, members, paras), len(chunk))
                   for chunk in _batches(story_ids, stories_per_batch)]
        done = []
        for future, n_stories in aligned:
            done.append(future.result())
            progress.advance("stories", n_stories)
        fates = pa.concat_tables([kept_fates] + done)
        fates = fates.sort_by([("story_id", "ascending"), ("doc_id", "ascending"),
                               ("base_para_idx", "ascending"), ("para_idx", "ascending")])
        write_warehouse(root, {
            "documents": docs, "paragraphs": paras, "story_members": members, "paragraph_fates": fates,
            "rejects": merge_rejects(stored["rejects"], rejects, items),
        })
        page = write_report_page(root)
    return {"documents": docs.num_rows, "new_documents": sum(d.num_rows for d, _ in new_docs),
            "stories": len(set(members.column("story_id").to_pylist())), "aligned_stories": len(todo),
            "rejects": len(rejects), "report_page": str(page)}

