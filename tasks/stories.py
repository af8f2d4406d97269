"""Corpus-level steps over the whole warehouse: find stories (with boilerplate repeated across an outlet's
stories), and align every republication with its origin. Folding new documents in is tasks/changes.py."""

from __future__ import annotations

import hashlib
from collections import defaultdict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks.align import ALIGN_VERSION, AlignConfig, Paragraph, align_versions
from tasks.boilerplate import BoilerplateConfig
from tasks.link import LINK_VERSION, LinkConfig, Member, link_corpus, link_new_documents
from tasks.warehouse import SCHEMAS


def find_stories(
    docs: pa.Table,
    paras: pa.Table,
    config: LinkConfig = LinkConfig(),  # noqa: B008
    previous: pa.Table | None = None,
) -> tuple[pa.Table, pa.Table]:
    """story_members, and paragraphs with boilerplate repeated across an outlet's stories flagged.

    previous: the stored story_members; when given (and made by this link version), only the stories that
    new or removed documents touch are linked again, and the others keep their rows.
    """
    doc_ids = docs.column("doc_id").to_pylist()
    position = {d: k for k, d in enumerate(doc_ids)}
    doc_index = np.array([position[d] for d in paras.column("doc_id").to_pylist()], dtype=np.int64)
    outlet = pc.dictionary_encode(docs.column("outlet")).combine_chunks()
    outlet_code = pc.fill_null(outlet.indices, -1).to_numpy().astype(np.int64)[doc_index]
    fp = paras.column("fingerprint").to_numpy().astype(np.uint64).view(np.int64)
    flag = paras.column("is_boilerplate").to_numpy(zero_copy_only=False).copy()
    body = np.flatnonzero(~flag & ~held_out_of_linking(outlet_code, doc_index, fp))
    minhash = paras.column("minhash").combine_chunks()
    sketches = minhash.flatten().to_numpy().reshape(len(paras), -1) if len(paras) else np.empty((0, 0))
    shingles = np.maximum(paras.column("n_words").to_numpy(zero_copy_only=False).astype(np.float64) - 2, 1)
    inputs = (
        doc_ids,
        docs.column("published_at").to_pylist(),
        docs.column("source").to_pylist(),
        doc_index[body],
        sketches[body],
        fp[body],
        shingles[body],
    )
    stored = stored_members(previous)
    members = link_new_documents(*inputs, stored, config) if stored else link_corpus(*inputs, config)
    story_index = {s: k for k, s in enumerate(sorted({m.story_id for m in members}))}
    story_of = np.empty(len(doc_ids), dtype=np.int64)
    for m in members:
        story_of[position[m.doc_id]] = story_index[m.story_id]
    repeated = ~flag & repeated_in_outlet_rows(outlet_code, story_of[doc_index], fp)
    reasons = np.array(paras.column("boilerplate_reason").to_pylist(), dtype=object)
    reasons[repeated] = "repeated"
    paras = paras.set_column(
        paras.schema.get_field_index("is_boilerplate"),
        "is_boilerplate",
        pa.array(flag | repeated, pa.bool_()),
    )
    paras = paras.set_column(
        paras.schema.get_field_index("boilerplate_reason"),
        "boilerplate_reason",
        pa.array(reasons.tolist(), pa.string()),
    )
    table = pa.Table.from_pylist(
        [
            {
                "story_id": m.story_id,
                "doc_id": m.doc_id,
                "version": m.version,
                "n_members": m.n_members,
                "link_version": LINK_VERSION,
                "copied_from": m.copied_from,
            }
            for m in members
        ],
        schema=SCHEMAS["story_members"],
    )
    return table, paras


def stored_members(previous: pa.Table | None) -> list[Member]:
    """The stored story_members as Members, or none when absent or made by another link version."""
    if previous is None or previous.num_rows == 0:
        return []
    if set(previous.column("link_version").to_pylist()) != {LINK_VERSION}:
        return []
    columns = ["story_id", "doc_id", "version", "n_members", "copied_from"]
    return [Member(**row) for row in previous.select(columns).to_pylist()]


def held_out_of_linking(outlet: np.ndarray, doc_index: np.ndarray, fingerprint: np.ndarray) -> np.ndarray:
    """Per paragraph row: outlet boilerplate no rule caught, which must not count as a shared text.

    Before stories are known, that is a text an outlet printed in two documents or more, and mostly that
    outlet: a stock sentence that many outlets print now and then is not one outlet's page furniture.
    """
    _, text, copies = np.unique(fingerprint, return_inverse=True, return_counts=True)
    _, place, in_outlet = np.unique(
        outlet * np.int64(len(copies)) + text.ravel(), return_inverse=True, return_counts=True
    )
    mostly_here = 2 * in_outlet[place.ravel()] >= copies[text.ravel()]
    return repeated_in_outlet_rows(outlet, doc_index, fingerprint) & mostly_here & (outlet >= 0)


def repeated_in_outlet_rows(
    outlet: np.ndarray,
    group: np.ndarray,
    fingerprint: np.ndarray,
    config: BoilerplateConfig = BoilerplateConfig(),  # noqa: B008
) -> np.ndarray:
    """Per paragraph row: whether its outlet printed the same text under `min_stories_repeated` groups.

    The vectorised form of boilerplate.repeated_in_outlet, for whole corpora; outlet -1 means unknown.
    """
    known = np.flatnonzero(outlet >= 0)
    out = np.zeros(len(outlet), dtype=bool)
    if len(known) == 0:
        return out
    order = known[np.lexsort((group[known], fingerprint[known], outlet[known]))]
    o, f, g = outlet[order], fingerprint[order], group[order]
    new_text = np.r_[True, (o[1:] != o[:-1]) | (f[1:] != f[:-1])]
    new_group = new_text | np.r_[True, g[1:] != g[:-1]]
    text = np.cumsum(new_text) - 1
    out[order] = np.bincount(text, weights=new_group)[text] >= config.min_stories_repeated
    return out


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


def align_stories(
    stories: dict[str, list[str]], body: dict[str, list[Paragraph]], config: AlignConfig = AlignConfig()
) -> pa.Table:
    """paragraph_fates for the given stories: {story_id: doc_ids in version order}."""
    rows = []
    for story_id in sorted(stories):
        origin, *republications = stories[story_id]
        for doc_id in republications:
            for f in align_versions(body.get(origin, []), body.get(doc_id, []), config):
                rows.append(
                    {
                        "story_id": story_id,
                        "base_doc_id": origin,
                        "base_para_idx": f.base_para_idx,
                        "doc_id": doc_id,
                        "para_idx": f.para_idx,
                        "fate": f.fate,
                        "similarity": f.similarity,
                        "diff": f.diff,
                        "align_version": ALIGN_VERSION,
                    }
                )
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


def stories_to_align(
    members: pa.Table, old_members: pa.Table, old_fates: pa.Table
) -> tuple[dict[str, list[str]], pa.Table]:
    """Stories whose fates must be computed, and the stored fates that still hold for the others."""
    old_keys = dict(
        zip(
            old_members.column("story_id").to_pylist(),
            old_members.column("align_key").to_pylist(),
            strict=True,
        )
    )
    stories = stories_in_order(members)
    new_keys = dict(
        zip(members.column("story_id").to_pylist(), members.column("align_key").to_pylist(), strict=True)
    )
    unchanged = sorted(s for s in stories if old_keys.get(s) == new_keys[s])
    kept = old_fates.filter(
        pc.is_in(old_fates.column("story_id"), value_set=pa.array(unchanged, pa.string()))
    )
    return {s: d for s, d in stories.items() if s not in set(unchanged)}, kept
