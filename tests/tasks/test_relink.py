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
