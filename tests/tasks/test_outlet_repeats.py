"""The outlet-text counts a run keeps (tasks/outlet_repeats.py): a daily run counts again only the texts a
changed document prints and reads the others' kept counts, and what it counts and keeps is what counting the
whole corpus gives, whatever changed: a document added that prints a stored text, one dropped, one whose
group gained a member, and the documents in another order."""

import csv

import numpy as np
import pyarrow as pa
import pytest

from tasks.outlet_repeats import DOCUMENT_GROUPS, REPEATS, KeptRepeats, levels, outlet_repeats
from tasks.run import run
from tasks.warehouse import read_state
from tests.tasks.test_incremental import grown_corpus, only

# An authored corpus: three outlets' posts, each a list of its texts (fingerprints). 100: a footer the
# "daily" outlet prints in every post; 200: a sidebar the "weekly" outlet prints twice; 300: a quote both
# outlets print once; 400: a heading one post of each outlet prints.
POSTS = {
    "d1": ("daily", [100, 1, 2, 400]),
    "d2": ("daily", [100, 3, 4]),
    "d3": ("daily", [100, 5, 300]),
    "w1": ("weekly", [200, 6, 400]),
    "w2": ("weekly", [200, 7, 300]),
    "m1": ("monthly", [8, 9]),
}


def corpus(posts: dict, groups: dict[str, str]):
    """doc_ids, outlet names, per document its group number; per row its outlet code, document, fingerprint.
    groups: a document's group, by the first document of it (a document not named is a group of its own)."""
    ids = list(posts)
    outlets = sorted({o for o, _ in posts.values()})
    group = np.array([ids.index(groups.get(d, d)) for d in ids], dtype=np.int64)
    doc_index = np.array([k for k, d in enumerate(ids) for _ in posts[d][1]], dtype=np.int64)
    outlet = np.array([outlets.index(posts[ids[k]][0]) for k in doc_index], dtype=np.int64)
    fp = np.array([t for d in ids for t in posts[d][1]], dtype=np.int64)
    return pa.array(ids), pa.array(outlets), group, outlet, doc_index, fp


def counted(kept: KeptRepeats, posts: dict, groups: dict, fresh=None):
    ids, outlets, group, outlet, doc_index, fp = corpus(posts, groups)
    kept.bind(ids, outlets, None if fresh is None else np.isin(np.array(ids.to_pylist()), list(fresh)))
    counts = kept.of("url", outlet, doc_index, group, fp)
    return counts, levels(outlet_repeats(outlet, group[doc_index], fp)), kept.tables()


def as_rows(tables: dict) -> dict:
    return {name: sorted(t.to_pylist(), key=repr) for name, t in tables.items()}


CHANGES = {
    # d4 prints the quote too: the daily outlet now prints it under two groups and most of its copies, so
    # it is repeated there (a count the kept file did not hold: under two, it was not kept).
    "a post added": (
        {**POSTS, "d4": ("daily", [100, 300, 10])},
        {},
        {"d4"},
        [],
    ),
    # d3 gone: the footer is printed under two groups, the quote by the weekly outlet only.
    "a post dropped": ({k: v for k, v in POSTS.items() if k != "d3"}, {}, set(), ["d3"]),
    # d2 is now at d1's URL (its group gained a member): the footer is under two groups, not three. No
    # document is new: only the changed group says which texts to count again.
    "a group joined": (POSTS, {"d2": "d1"}, set(), []),
    # The same posts in another order, and a new one printing nothing stored.
    "another order": (
        {**dict(reversed(list(POSTS.items()))), "m2": ("monthly", [11])},
        {},
        {"m2"},
        [],
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_kept_counts_are_the_whole_corpus_counts_after_a_change(change):
    posts, groups, fresh, dropped = CHANGES[change]
    _, _, stored = counted(KeptRepeats(), POSTS, {})
    gone = np.array([t for d in dropped for t in POSTS[d][1]], dtype=np.int64)
    kept = KeptRepeats((stored[REPEATS], stored[DOCUMENT_GROUPS]), pa.array(dropped, pa.string()), gone)
    counts, whole, tables = counted(kept, posts, groups, fresh)
    assert counts.tolist() == whole.tolist()
    # What it keeps for the next run is what a run counting everything keeps.
    assert as_rows(tables) == as_rows(counted(KeptRepeats(), posts, groups)[2])
    # And it did not count every row again (a text no changed document prints is read as kept).
    assert kept.recounted["url"] < len(counts)


def test_the_counts_move_in_each_change():
    """Each change above moves a count a kept file holds, so reading it where the text is not counted
    again fails those tests."""
    _, before, _ = counted(KeptRepeats(), POSTS, {})
    ids, _, group, outlet, doc_index, fp = corpus(POSTS, {})
    was = {(int(o), int(f)): int(c) for o, f, c in zip(outlet, fp, before, strict=True)}
    for change, (posts, groups, _, _) in CHANGES.items():
        if change == "another order":
            continue
        _, after, _ = counted(KeptRepeats(), posts, groups)
        _, outlets, group, outlet, doc_index, fp = corpus(posts, groups)
        now = {(int(o), int(f)): int(c) for o, f, c in zip(outlet, fp, after, strict=True)}
        assert any(was.get(k) != v for k, v in now.items() if k in was), change


def test_kept_files_of_another_corpus_or_version_are_not_used():
    _, _, stored = counted(KeptRepeats(), POSTS, {})
    # A document the files name is gone, but this run does not say it dropped it: the files are not used.
    posts = {k: v for k, v in POSTS.items() if k != "d3"}
    kept = KeptRepeats((stored[REPEATS], stored[DOCUMENT_GROUPS]))
    counts, whole, _ = counted(kept, posts, {}, set())
    assert counts.tolist() == whole.tolist() and kept.recounted["url"] == len(counts)
    other = stored[REPEATS].replace_schema_metadata({"version": "another"})
    kept = KeptRepeats((other, stored[DOCUMENT_GROUPS]))
    counted(kept, POSTS, {}, set())
    assert kept.recounted["url"] == sum(len(t) for _, t in POSTS.values())


def test_a_daily_run_keeps_the_counts_a_full_run_keeps(tmp_path, monkeypatch):
    full, first, header = grown_corpus(tmp_path / "all", share=5)
    daily = only(full, first, header, tmp_path / "daily")
    run([str(daily)], str(tmp_path / "w-daily"))
    with open(full / "manifest.csv", newline="", encoding="utf-8") as f:
        _, *rows = list(csv.reader(f))
    only(full, rows, header, daily)
    runs: list[KeptRepeats] = []
    tables = KeptRepeats.tables
    monkeypatch.setattr(KeptRepeats, "tables", lambda self: runs.append(self) or tables(self))
    run([str(daily)], str(tmp_path / "w-daily"))
    run([str(daily)], str(tmp_path / "w-full"))
    # The daily run read kept counts (it counted fewer rows again than the fresh run counted).
    assert all(runs[0].recounted[n] < runs[1].recounted[n] for n in runs[1].recounted)

    def state(warehouse: str) -> dict:
        return as_rows({n: read_state(tmp_path / warehouse, n) for n in (REPEATS, DOCUMENT_GROUPS)})

    kept = state("w-daily")
    assert kept == state("w-full")
    assert {r["name"] for r in kept[REPEATS]} == {"url", "groups", "versions", "story"}
