"""find_stories over warehouse tables: outlet boilerplate carries no weight, the reprint tree is stored,
and stored members let a run re-link only what new documents touch."""

from datetime import datetime

import pyarrow as pa

from tasks.ingest import RawDocument
from tasks.prepare import prepare_documents
from tasks.stories import find_stories
from tests.tasks.test_link import FLOOD, RAIL, edit

# The outlet prints these under every story; no rule knows them.
HEADER = "Morning edition of the Valley Herald, your trusted source for the whole of the northern valley."
FOOTER = "Readers can reach the valley newsroom at the old post office building on the main street."


def raw(doc_id: str, outlet: str, paragraphs: list[str], day: int) -> RawDocument:
    return RawDocument(
        doc_id,
        f"{outlet}/{doc_id}.txt",
        "\n\n".join(paragraphs),
        outlet,
        None,
        None,
        datetime(2024, 3, day),
        "utf-8",
        doc_id,
        "txt",
    )


def corpus(*raws: RawDocument) -> tuple[pa.Table, pa.Table]:
    return prepare_documents(list(raws))


def by_doc(members: pa.Table) -> dict[str, dict]:
    return {row["doc_id"]: row for row in members.to_pylist()}


def test_outlet_boilerplate_does_not_link_two_stories_and_is_flagged_repeated():
    docs, paras = corpus(
        raw("rail", "herald", [HEADER] + RAIL[:2] + [FOOTER], 1),
        raw("flood", "herald", [HEADER] + FLOOD[:2] + [FOOTER], 2),
        raw("rail-copy", "post", RAIL[:2] + [edit(RAIL[2])], 3),
    )
    members, flagged = find_stories(docs, paras)
    rows = by_doc(members)
    assert rows["rail"]["story_id"] == rows["rail-copy"]["story_id"] != rows["flood"]["story_id"]
    assert (rows["rail"]["version"], rows["rail-copy"]["version"]) == (0, 1)
    assert rows["rail-copy"]["copied_from"] == "rail" and rows["rail"]["copied_from"] is None
    repeated = {
        (r["doc_id"], r["para_idx"]) for r in flagged.to_pylist() if r["boilerplate_reason"] == "repeated"
    }
    assert repeated == {("rail", 0), ("rail", 3), ("flood", 0), ("flood", 3)}


def test_stored_members_keep_untouched_stories_and_give_what_a_full_run_gives():
    first = [
        raw("rail", "herald", RAIL, 1),
        raw("flood", "post", FLOOD, 2),
        raw("flood-copy", "wire", FLOOD, 3),
    ]
    docs, paras = corpus(*first)
    stored, _ = find_stories(docs, paras)
    docs, paras = corpus(*first, raw("rail-copy", "wire", RAIL[:4], 4))
    full, _ = find_stories(docs, paras)
    grown, _ = find_stories(docs, paras, previous=stored)
    assert grown.to_pylist() == full.to_pylist()
    assert by_doc(grown)["flood"]["story_id"] == by_doc(stored)["flood"]["story_id"]
    assert by_doc(grown)["rail-copy"]["story_id"] == by_doc(grown)["rail"]["story_id"]


def test_vectorised_outlet_repetition_agrees_with_the_row_by_row_rule():
    import numpy as np

    from tasks.boilerplate import repeated_in_outlet
    from tasks.stories import repeated_in_outlet_rows

    rng = np.random.default_rng(1)
    outlet, group, text = rng.integers(-1, 4, 500), rng.integers(0, 30, 500), rng.integers(0, 40, 500)
    rows = zip(outlet, group, text, strict=True)
    rule = repeated_in_outlet((None if o < 0 else int(o), int(g), int(t)) for o, g, t in rows)
    expected = [o >= 0 and (int(o), int(t)) in rule for o, t in zip(outlet, text, strict=True)]
    assert repeated_in_outlet_rows(outlet, group, text).tolist() == expected
    assert 0 < sum(expected) < 500
