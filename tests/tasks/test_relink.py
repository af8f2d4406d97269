"""The daily run's bucket counting (tasks/relink.py) against counting with Python sets: which band keys are
wanted, how many distinct items a bucket holds, which buckets this run made crowded. Whole runs are compared
with one run over all the inputs in tests/tasks/test_stories.py and tests/tasks/test_incremental.py."""

from collections import defaultdict

import numpy as np

from tasks.link import distinct
from tasks.relink import FILTER_BITS, _bucket_sizes, _crowded, _low_bits, _ranks_in


def test_wanted_keys_are_found_where_they_are_with_their_rank():
    rng = np.random.default_rng(7)
    wanted = distinct(rng.integers(0, 2**63, 500, dtype=np.int64).astype(np.uint64))
    keys = rng.integers(0, 2**63, (2_000, 16), dtype=np.int64).astype(np.uint64)
    keys[rng.integers(0, 2_000, 300), rng.integers(0, 16, 300)] = rng.choice(wanted, 300)
    # Keys sharing a wanted key's low bits but not the key: the bitmap lets them through, the search not.
    near = rng.choice(wanted, 200) ^ np.uint64(1 << (FILTER_BITS + 3))
    keys[rng.integers(0, 2_000, 200), rng.integers(0, 16, 200)] = near
    (row, band), rank = _ranks_in(keys, wanted, _low_bits(wanted))
    expected = np.nonzero(np.isin(keys, wanted))
    assert np.array_equal(row, expected[0]) and np.array_equal(band, expected[1])
    assert np.array_equal(wanted[rank], keys[row, band])
    (row, _), rank = _ranks_in(keys, wanted[:0], _low_bits(wanted[:0]))
    assert len(row) == len(rank) == 0


def test_buckets_are_counted_as_sets_of_distinct_items():
    rng = np.random.default_rng(3)
    n_keys, n_items, max_bucket = 40, 60, 5
    rank = rng.integers(0, n_keys, 2_000)
    item = rng.integers(0, n_items, 2_000)
    rank[:300], item[:300] = rank[300:600], item[300:600]  # an entry met twice counts once
    old = rng.random(n_items) < 0.2
    held = defaultdict(set)
    for k, i in zip(rank.tolist(), item.tolist(), strict=True):
        held[k].add(i)
    sizes = _bucket_sizes(rank, item, n_keys, n_items)
    assert [sizes[k] for k in range(n_keys)] == [len(held[k]) for k in range(n_keys)]
    crowded = _crowded(rank, item, old, n_keys, n_items, max_bucket)
    assert crowded.tolist() == [
        len(held[k]) > max_bucket and sum(old[i] for i in held[k]) <= max_bucket for k in range(n_keys)
    ]
    assert crowded.any() and not crowded.all()


def test_a_new_short_text_mostly_inside_a_stored_one_links_that_one_again():
    from tasks.link import LinkConfig
    from tasks.relink import relinked_documents

    # One body paragraph each. The new document 1 (60 shingles) agrees with the stored document 0 (300) in 12
    # of 64 hash functions, every third one: no band of the paragraph or document LSH agrees whole, while
    # its body is estimated 0.89 inside document 0 (tasks.link.contained_document_pairs). Document 2,
    # stored in another story, shares nothing.
    sketches = np.arange(3 * 64, dtype=np.uint32).reshape(3, 64)
    sketches[1, 0:36:3] = sketches[0, 0:36:3]
    fresh = np.array([False, True, False])

    def relinked(config: LinkConfig = LinkConfig()) -> list[bool]:
        return relinked_documents(
            fresh,
            np.array([0, -1, 1]),
            np.arange(3),
            np.arange(3),
            np.array([10, 11, 12]),
            [(np.arange(3), sketches)],
            [(np.array([1]), sketches[1:2])],
            np.array([300.0, 60.0, 300.0]),
            (np.empty(0, np.uint64), np.zeros(4, np.int64)),
            config,
        ).tolist()

    assert relinked() == [True, True, False]
    assert relinked(LinkConfig(min_candidate_containment=1.1)) == [False, True, False]


def _crowding_run(copy_prints: int) -> list[bool]:
    """Stored documents 0 and 1, one story: their bodies alike (texts U and V, one sketch), and each prints a
    paragraph: 0 prints text 1, 1 prints text `copy_prints`. Eleven new documents (2-12) print texts of that
    paragraph's very sketch, so every bucket of its LSH bands now holds 12 texts (over max_bucket: a full run
    pairs nothing in them); their bodies are far from 0 and 1 (U and V's values are lower in every hash
    function, so the bodies' sketches are U's)."""
    from tasks.relink import relinked_documents

    paragraph = np.arange(1_000, 1_064, dtype=np.uint32)
    body = np.arange(64, dtype=np.uint32)
    rows = [(0, 100, body), (0, 1, paragraph), (1, 101, body), (1, copy_prints, paragraph)]
    rows += [(d, 200 + d, paragraph) for d in range(2, 13)]
    doc_index = np.array([d for d, _, _ in rows])
    sketches = np.stack([s for _, _, s in rows])
    fresh = np.arange(13) >= 2
    new_rows = np.flatnonzero(fresh[doc_index])
    return relinked_documents(
        fresh,
        np.where(fresh, -1, 0),
        np.arange(13),
        doc_index,
        np.array([f for _, f, _ in rows], dtype=np.uint64).view(np.int64),
        [(np.arange(len(rows)), sketches)],
        [(new_rows, sketches[new_rows])],
        np.full(len(rows), 100.0),
        (np.empty(0, np.uint64), np.zeros(14, np.int64)),
    ).tolist()


def test_new_texts_crowding_a_bucket_relink_a_stored_pair_only_if_it_is_found_no_other_way():
    # Both stored documents print text 1: a full run still pairs them through that text (the same text
    # matches whatever the buckets) and verifies them on all their paragraphs, so the lost bucket changes
    # nothing and only the new documents are linked again.
    assert _crowding_run(copy_prints=1) == [False, False] + [True] * 11
    # Document 1 prints another text of that paragraph's sketch: the crowded buckets were what paired the
    # two, so the story is linked again.
    assert _crowding_run(copy_prints=2) == [True, True] + [True] * 11


def test_crowded_keys_are_the_linked_texts_keys_over_max_bucket_texts_in_the_whole_corpus():
    from tasks.link import LinkConfig, band_keys, document_sketches
    from tasks.relink import crowded_keys

    # 40 documents of 3 paragraphs; sketches drawn from few values so that buckets fill up. Documents 0-4 are
    # linked; a bucket holding 11 texts in the corpus is crowded though the linked ones hold two of them.
    rng = np.random.default_rng(5)
    config = LinkConfig(max_bucket=4)
    doc_index = np.repeat(np.arange(40), 3)
    sketches = rng.integers(0, 3, (120, 64)).astype(np.uint32)
    fingerprint = rng.integers(0, 90, 120).astype(np.int64)  # some texts printed twice
    sketches = sketches[
        np.unique(fingerprint, return_index=True)[1][np.unique(fingerprint, return_inverse=True)[1]]
    ]
    linked = np.arange(40) < 5
    shingles = np.full(120, 40.0)
    found = crowded_keys(
        linked, doc_index, fingerprint, shingles, [(np.arange(120), sketches)], [sketches[:15]], config
    )
    expected = [set(), set(), set()]
    keys = band_keys(sketches, config)
    for key in set(keys[:15].ravel().tolist()):
        texts = {int(fingerprint[r]) for r in range(120) if key in keys[r].tolist()}
        if len(texts) > config.max_bucket:
            expected[0].add(key)
    documents, _ = document_sketches(doc_index, sketches, shingles, 40)
    for k, banding in enumerate(
        [LinkConfig(bands=config.text_bands, rows=config.text_rows), LinkConfig(bands=64, rows=1)]
    ):
        keys = band_keys(documents, banding)
        for key in set(keys[:5].ravel().tolist()):
            if sum(key in keys[d].tolist() for d in range(40)) > config.max_bucket:
                expected[k + 1].add(key)
    assert [keys.tolist() for keys in found] == [sorted(keys) for keys in expected]
    assert all(expected)


def test_a_daily_run_adding_one_percent_links_again_a_bounded_part_and_leaves_a_fresh_runs_tables():
    """1,000 generated documents, then 10 more (the next ones of the generator: new stories, and the rest of
    the story cut at 1,000). The generated stories draw their paragraphs from one pool of news sentences, so
    a new text shares near paragraphs and LSH buckets with many stored ones, and crowds buckets they shared:
    the daily run links again the stories a new document can join and the stored pairs whose candidates the
    crowding can change, not every document of a crowded bucket (issue #13: 42 documents, 125 before). The
    tables are those of a fresh run over the 1,010."""
    from itertools import islice

    from bench.corpus import iter_documents
    from tests.tasks.test_stories import assert_same_tables, grow, raw

    generated = islice(iter_documents(1_000, seed=3), 1_010)
    docs = [raw(d.doc_id, d.outlet, d.paragraphs, 1 + k % 27) for k, d in enumerate(generated)]
    stored, grown, fresh = grow(docs[:1_000], docs[1_000:1_010], daily=True)
    assert_same_tables(grown, fresh)
    assert 10 <= grown["relinked"] <= grown["documents"].num_rows // 10


def _sharing_one_paragraph(config) -> list[bool]:
    """Stored documents 0 and 1 (one story) and the new document 2. Documents 0 and 2 print one text P (100
    shingles) beside a text of their own (200 shingles); P's sketch is the lower of the two in every fifth
    hash function, so their bodies agree in 13 of 64 (estimated containment 0.34: under min_containment, no
    link; no band of the document LSH agrees whole). Document 1 shares nothing with the others."""
    from tasks.relink import relinked_documents

    rng = np.random.default_rng(11)
    own = rng.integers(1_000, 2**31, (3, 64), dtype=np.int64).astype(np.uint32)
    shared = rng.integers(2**31, 2**32 - 1, 64, dtype=np.int64).astype(np.uint32)
    shared[::5] = rng.integers(0, 1_000, 13)
    sketches = np.stack([shared, own[0], own[1], shared, own[2]])
    doc_index, fingerprint = np.array([0, 0, 1, 2, 2]), np.array([7, 10, 11, 7, 12])
    fresh = np.array([False, False, True])
    return relinked_documents(
        fresh,
        np.array([0, 0, -1]),
        np.arange(3),
        doc_index,
        fingerprint,
        [(np.arange(5), sketches)],
        [(np.array([3, 4]), sketches[3:])],
        np.array([100.0, 200.0, 300.0, 100.0, 200.0]),
        (np.empty(0, np.uint64), np.zeros(4, np.int64)),
        config,
    ).tolist()


def test_a_stored_document_under_min_containment_is_linked_again_from_the_spread_floor():
    from tasks.link import LinkConfig

    # Under min_containment the pair is no link, but P, matched in one more document, may weigh less in
    # document 0's links with its story (stock_spread): from SPREAD_FLOOR x min_containment (0.2) the
    # stored story is linked again.
    assert _sharing_one_paragraph(LinkConfig()) == [True, True, True]
    # Under the floor (0.4 of a min_containment of 1), it is not.
    assert _sharing_one_paragraph(LinkConfig(min_containment=1.0)) == [False, False, True]
    # Close enough to be a link (min_containment 0.3), it is linked again whatever the floor.
    assert _sharing_one_paragraph(LinkConfig(min_containment=0.3)) == [True, True, True]


def _touch(text: str) -> str:
    """One word changed near the end: a near paragraph (not the same text), close to its origin."""
    words = text.split()
    words[-2] = "nearby"
    return " ".join(words)


def test_a_new_document_joining_a_stored_story_through_near_paragraphs_only_is_a_fresh_runs_equal():
    from tests.tasks.test_link import FLOOD, RAIL
    from tests.tasks.test_stories import assert_same_tables, grow, raw, story_of

    before = [
        raw("rail", "herald", RAIL, 1),
        raw("rail-copy", "wire", RAIL[:5], 2),
        raw("flood", "post", FLOOD, 3),
        raw("flood-copy", "gazette", FLOOD[1:], 4),
    ]
    near = raw("rail-near", "times", [_touch(p) for p in RAIL], 5)
    stored, grown, fresh = grow(before, [near], daily=True)
    assert_same_tables(grown, fresh)
    assert story_of(grown)["rail-near"] == story_of(grown)["rail"] != story_of(grown)["flood"]
    assert grown["relinked"] == 3  # the new document and the rail story, not the flood story


def test_new_copies_turning_a_shared_text_stock_relink_the_stories_printing_it():
    # Two versions share a quote and a rail paragraph. Three later documents print the quote too, which is
    # then printed 5 times, over max_copies (3): it matches no more anywhere, and the pairs printing it are
    # candidates only through what else they share. The daily run links again the pairs printing it that are
    # close or in one stored story, and the stock pairs that changed (_changed_by_stock); here the versions
    # stay one story through the rail paragraph (verified on all their paragraphs), as in a fresh run.
    from tasks.link import LinkConfig
    from tests.tasks.test_link import FLOOD, QUOTE, RAIL
    from tests.tasks.test_stories import assert_same_tables, grow, raw, story_of

    config = LinkConfig(max_copies=3)
    versions = [
        raw("speech", "herald", [QUOTE, RAIL[0], FLOOD[0]], 1),
        raw("speech-copy", "post", [QUOTE, RAIL[0], FLOOD[1]], 2),
        raw("flood", "gazette", FLOOD[2:], 3),
    ]
    own = [
        "The choir sang at the harbour.",
        "A new bakery opened on the square.",
        "The library extends its hours.",
    ]
    later = [raw(f"quoting-{k}", f"outlet-{k}", [QUOTE, RAIL[k + 3], own[k]], 4 + k) for k in range(3)]
    stored, grown, fresh = grow(versions, later, config=config, daily=True)
    assert_same_tables(grown, fresh)
    assert story_of(stored)["speech"] == story_of(stored)["speech-copy"]
    assert grown["relinked"] < grown["documents"].num_rows  # the flood story is kept as stored


def test_crowded_keys_from_the_choices_reading_are_those_read_again():
    """crowded_keys given what relinked_documents took of the same body rows (BodyReading: each row's text,
    each document's body sketch) finds the keys it finds reading them itself; and that reading is the whole
    corpus's (np.unique's inverse, document_sketches)."""
    from tasks.link import LinkConfig, document_sketches
    from tasks.relink import BodyReading, crowded_keys, relinked_documents

    rng = np.random.default_rng(17)
    config = LinkConfig(max_bucket=4)
    n_docs = 60
    doc_index = np.repeat(np.arange(n_docs), 3)
    fingerprint = rng.integers(0, 120, len(doc_index)).astype(np.int64)
    # One sketch per text; a quarter of them drawn from few values, so that their buckets fill.
    texts = rng.integers(0, 2**31, (120, 64)).astype(np.uint32)
    texts[:30] = rng.integers(0, 3, (30, 64))
    sketches = texts[fingerprint]
    shingles = rng.integers(20, 200, len(doc_index)).astype(np.float64)
    fresh = np.arange(n_docs) >= 54
    rows = np.arange(len(doc_index))
    reading = BodyReading()
    relink = relinked_documents(
        fresh,
        np.where(fresh, -1, np.arange(n_docs) // 2),
        np.arange(n_docs),
        doc_index,
        fingerprint,
        [(rows[:100], sketches[:100]), (rows[100:], sketches[100:])],
        [(rows[fresh[doc_index]], sketches[fresh[doc_index]])],
        shingles,
        (np.empty(0, np.uint64), np.zeros(n_docs + 1, np.int64)),
        config,
        reading,
    )
    assert relink[fresh].all() and (relink & ~fresh).any() and not relink.all()
    assert np.array_equal(reading.text_of, np.unique(fingerprint, return_inverse=True)[1].ravel())
    assert np.array_equal(reading.documents, document_sketches(doc_index, sketches, shingles, n_docs)[0])

    def crowded(given: BodyReading | None) -> list[list[int]]:
        linked_rows = relink[doc_index]
        found = crowded_keys(
            relink,
            doc_index,
            fingerprint,
            shingles,
            [(rows[:70], sketches[:70]), (rows[70:], sketches[70:])],
            [sketches[linked_rows]],
            config,
            given,
        )
        return [keys.tolist() for keys in found]

    alone = crowded(None)
    assert crowded(reading) == alone
    assert any(alone)
    # A reading of other rows gives other keys: the one given is the one used.
    other = BodyReading(reading.text_of, np.zeros_like(reading.documents))
    assert crowded(other) != alone
