"""Corpus-level steps over the whole warehouse: fold a run's new documents into what is stored, find
stories (with boilerplate repeated across an outlet's stories), and align every republication with its origin."""

from __future__ import annotations

import hashlib
from collections import defaultdict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks.align import ALIGN_VERSION, AlignConfig, Paragraph, align_versions
from tasks.boilerplate import repeated_in_outlet
from tasks.ingest import InputFile, Reject
from tasks.link import LINK_VERSION, LinkConfig, group_stories, link_documents
from tasks.warehouse import SCHEMAS


def merge_documents(old_docs: pa.Table, old_paras: pa.Table, new_docs: pa.Table, new_paras: pa.Table
                    ) -> tuple[pa.Table, pa.Table]:
    """Stored documents plus new ones; a new version of a stored source replaces it, an identical one is a no-op."""
    replaced = pa.array(sorted(set(new_docs.column("source").to_pylist())), pa.string())
    keep = pc.invert(pc.is_in(old_docs.column("source"), value_set=replaced))
    docs = pa.concat_tables([old_docs.filter(keep), new_docs])
    kept_ids = pa.array(docs.column("doc_id").to_pylist(), pa.string())
    new_ids = pa.array(new_docs.column("doc_id").to_pylist(), pa.string())
    old_keep = pc.and_(pc.is_in(old_paras.column("doc_id"), value_set=kept_ids),
                       pc.invert(pc.is_in(old_paras.column("doc_id"), value_set=new_ids)))
    paras = pa.concat_tables([old_paras.filter(old_keep), new_paras])
    docs = docs.sort_by([("source", "ascending"), ("doc_id", "ascending")])
    paras = paras.sort_by([("doc_id", "ascending"), ("para_idx", "ascending")])
    # The same document given twice in one run (two inputs naming one file) is stored once.
    return _unique(docs, ["doc_id"]), _unique(paras, ["doc_id", "para_idx"])


def _unique(table: pa.Table, keys: list[str]) -> pa.Table:
    seen: set[tuple] = set()
    mask = []
    for row in zip(*(table.column(k).to_pylist() for k in keys), strict=True):
        mask.append(row not in seen)
        seen.add(row)
    return table.filter(pa.array(mask, pa.bool_()))


def find_stories(docs: pa.Table, paras: pa.Table, config: LinkConfig = LinkConfig()) -> tuple[pa.Table, pa.Table]:
    """story_members, and paragraphs with boilerplate repeated across an outlet's stories flagged."""
    doc_ids = docs.column("doc_id").to_pylist()
    outlet_of = dict(zip(doc_ids, docs.column("outlet").to_pylist(), strict=True))
    p_doc = paras.column("doc_id").to_pylist()
    p_fp = paras.column("fingerprint").to_pylist()
    p_flag = paras.column("is_boilerplate").to_pylist()
    # Before stories are known, a paragraph an outlet printed in two documents is held out of linking.
    suspect = repeated_in_outlet((outlet_of[d], d, fp) for d, fp in zip(p_doc, p_fp, strict=True))
    body = [not flag and (outlet_of[d], fp) not in suspect for d, fp, flag in zip(p_doc, p_fp, p_flag, strict=True)]
    position = {d: k for k, d in enumerate(doc_ids)}
    rows = np.flatnonzero(np.array(body, dtype=bool))
    body_counts: dict[str, int] = defaultdict(int)
    for r in rows:
        body_counts[p_doc[r]] += 1
    sketches = np.array(paras.column("minhash").to_pylist(), dtype=np.uint32).reshape(len(p_doc), -1)[rows]
    doc_index = np.array([position[p_doc[r]] for r in rows], dtype=np.int64)
    links = link_documents(doc_ids, doc_index, sketches, body_counts, config)
    published = dict(zip(doc_ids, docs.column("published_at").to_pylist(), strict=True))
    sources = dict(zip(doc_ids, docs.column("source").to_pylist(), strict=True))
    members = group_stories(doc_ids, links, published, sources)
    story_of = {m.doc_id: m.story_id for m in members}
    repeated = repeated_in_outlet((outlet_of[d], story_of[d], fp) for d, fp in zip(p_doc, p_fp, strict=True))
    reasons = paras.column("boilerplate_reason").to_pylist()
    for k, (d, fp) in enumerate(zip(p_doc, p_fp, strict=True)):
        if not p_flag[k] and (outlet_of[d], fp) in repeated:
            p_flag[k], reasons[k] = True, "repeated"
    paras = paras.set_column(paras.schema.get_field_index("is_boilerplate"), "is_boilerplate",
                             pa.array(p_flag, pa.bool_()))
    paras = paras.set_column(paras.schema.get_field_index("boilerplate_reason"), "boilerplate_reason",
                             pa.array(reasons, pa.string()))
    table = pa.Table.from_pylist(
        [{"story_id": m.story_id, "doc_id": m.doc_id, "version": m.version, "n_members": m.n_members,
          "link_version": LINK_VERSION} for m in members],
        schema=SCHEMAS["story_members"],
    )
    return table, paras


def alignment_inputs(members: pa.Table, paras: pa.Table) -> dict[str, list[Paragraph]]:
    """Body paragraphs per document, in reading order."""
    body: dict[str, list[Paragraph]] = defaultdict(list)
    wanted = set(members.column("doc_id").to_pylist())
    for row in paras.select(["doc_id", "para_idx", "text", "fingerprint", "is_boilerplate"]).to_pylist():
        if row["doc_id"] in wanted and not row["is_boilerplate"]:
            body[row["doc_id"]].append(Paragraph(row["para_idx"], row["text"], row["fingerprint"]))
    return body


def story_key(story_id: str, versions: list[str], body: dict[str, list[Paragraph]]) -> str:
    """What a story's fates depend on: its members in order and their body paragraphs."""
    h = hashlib.sha256(f"{ALIGN_VERSION}\n{story_id}".encode())
    for doc_id in versions:
        h.update(doc_id.encode())
        for p in body.get(doc_id, ()):
            h.update(f"{p.para_idx}:{p.fingerprint};".encode())
    return h.hexdigest()


def align_stories(stories: dict[str, list[str]], body: dict[str, list[Paragraph]],
                  config: AlignConfig = AlignConfig()) -> pa.Table:
    """paragraph_fates for the given stories: {story_id: doc_ids in version order}."""
    rows = []
    for story_id in sorted(stories):
        origin, *republications = stories[story_id]
        for doc_id in republications:
            for f in align_versions(body.get(origin, []), body.get(doc_id, []), config):
                rows.append({"story_id": story_id, "base_doc_id": origin, "base_para_idx": f.base_para_idx,
                             "doc_id": doc_id, "para_idx": f.para_idx, "fate": f.fate,
                             "similarity": f.similarity, "diff": f.diff, "align_version": ALIGN_VERSION})
    return pa.Table.from_pylist(rows, schema=SCHEMAS["paragraph_fates"])


def stories_in_order(members: pa.Table) -> dict[str, list[str]]:
    """{story_id: member doc_ids by version}."""
    stories: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in members.select(["story_id", "doc_id", "version"]).to_pylist():
        stories[row["story_id"]].append((row["version"], row["doc_id"]))
    return {s: [d for _, d in sorted(v)] for s, v in stories.items()}


def keyed_members(members: pa.Table, body: dict[str, list[Paragraph]]) -> pa.Table:
    """story_members with each story's align_key filled in."""
    stories = stories_in_order(members)
    keys = {s: story_key(s, docs, body) for s, docs in stories.items()}
    column = pa.array([keys[s] for s in members.column("story_id").to_pylist()], pa.string())
    return members.set_column(members.schema.get_field_index("align_key"), "align_key", column)


def stories_to_align(members: pa.Table, old_members: pa.Table, old_fates: pa.Table) -> tuple[dict[str, list[str]],
                                                                                          pa.Table]:
    """Stories whose fates must be computed, and the stored fates that still hold for the others."""
    old_keys = dict(zip(old_members.column("story_id").to_pylist(), old_members.column("align_key").to_pylist(),
                        strict=True))
    stories = stories_in_order(members)
    new_keys = dict(zip(members.column("story_id").to_pylist(), members.column("align_key").to_pylist(),
                        strict=True))
    unchanged = sorted(s for s in stories if old_keys.get(s) == new_keys[s])
    kept = old_fates.filter(pc.is_in(old_fates.column("story_id"), value_set=pa.array(unchanged, pa.string())))
    return {s: d for s, d in stories.items() if s not in set(unchanged)}, kept


def merge_rejects(old: pa.Table, new: list[Reject], items: list[InputFile]) -> pa.Table:
    """Stored rejects for inputs not seen in this run, plus this run's; an input that now reads is cleared."""
    seen = {i.source for i in items} | {r.source.split("#")[0] for r in new}
    kept = [r for r in old.to_pylist() if r["source"].split("#")[0] not in seen]
    rows = {(r["source"], r["reason"]) for r in kept} | {(r.source, r.reason) for r in new}
    return pa.Table.from_pylist([{"source": s, "reason": m} for s, m in sorted(rows)], schema=SCHEMAS["rejects"])
