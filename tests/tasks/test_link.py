"""Story linking: LSH candidates, verification by containment, version order, stable story ids."""

from datetime import datetime

import numpy as np

from tasks.clean import comparison_words
from tasks.fingerprint import minhash_batch
from tasks.link import group_stories, link_documents, story_identifier, version_key

STORY = [
    "The minister announced a new budget for the northern railway on Tuesday morning in the capital.",
    "Critics said the plan ignores the needs of rural passengers who depend on buses every day.",
    "The opposition called for a full parliamentary inquiry into the tender process last year.",
    "Construction is expected to begin next spring and to last at least four years in total.",
]
OTHER = [
    "Heavy rain flooded the lower town overnight and closed two schools near the harbour wall.",
    "Firefighters pumped water from basements while volunteers filled sandbags along the quay.",
]


def link(docs: dict[str, list[str]]):
    ids = list(docs)
    rows = [(k, p) for k, d in enumerate(ids) for p in docs[d]]
    sketches = minhash_batch([comparison_words(p) for _, p in rows])
    index = np.array([k for k, _ in rows])
    return link_documents(ids, index, sketches, {d: len(docs[d]) for d in ids})


def test_republication_and_truncated_copy_link_but_unrelated_story_does_not():
    docs = {
        "a": STORY,
        "b": STORY[:2] + [STORY[2].replace("last year", "in 2018")] + STORY[3:],
        "c": STORY[:2],
        "d": OTHER,
    }
    assert sorted(link(docs)) == [("a", "b"), ("a", "c"), ("b", "c")]


def test_versions_ordered_by_date_then_source_with_undated_last():
    when = {"x": datetime(2020, 1, 2), "y": datetime(2020, 1, 1), "z": None, "w": None}
    sources = {"x": "b.txt", "y": "c.txt", "z": "a.txt", "w": "0.txt"}
    members = group_stories(["x", "y", "z", "w"], [("x", "y"), ("y", "z"), ("z", "w")], when, sources)
    assert [m.doc_id for m in members] == ["y", "x", "w", "z"]
    assert len({m.story_id for m in members}) == 1 and members[0].story_id == story_identifier(
        ["w", "x", "y", "z"]
    )
    assert version_key(None, "a") > version_key(datetime(1999, 1, 1), "z")


def test_lonely_document_is_a_story_of_one():
    members = group_stories(["a", "b"], [], {"a": None, "b": None}, {"a": "a", "b": "b"})
    assert [(m.doc_id, m.version, m.n_members) for m in members if m.doc_id == "a"] == [("a", 0, 1)]
    assert len({m.story_id for m in members}) == 2
