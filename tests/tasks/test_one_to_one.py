"""The rounds of tasks/one_to_one.py keep what the one-at-a-time greedy keeps."""

import numpy as np

from tasks.one_to_one import _meets_none, greedy_matching, greedy_matching_intervals


def one_at_a_time(rank, sides):
    """The greedy as its definition reads: best first, kept when none of its places is taken."""
    places = [dict() for _ in sides]
    for s, (candidate, place) in enumerate(sides):
        for c, p in zip(candidate.tolist(), place.tolist(), strict=True):
            places[s].setdefault(c, []).append(p)
    taken = [set() for _ in sides]
    kept = np.zeros(len(rank), dtype=bool)
    for c in np.argsort(rank).tolist():
        if all(not taken[s] & set(places[s][c]) for s in range(len(sides))):
            kept[c] = True
            for s in range(len(sides)):
                taken[s] |= set(places[s][c])
    return kept


def test_rounds_keep_what_the_greedy_keeps():
    generator = np.random.default_rng(7)
    for _ in range(50):
        n = int(generator.integers(1, 60))
        sides = []
        for _ in range(2):
            # Each candidate covers a run of places (a run of shingles), many overlapping others.
            start = generator.integers(0, 40, n)
            length = generator.integers(1, 6, n)
            candidate = np.repeat(np.arange(n), length)
            place = (
                np.repeat(start, length)
                + np.arange(int(length.sum()))
                - np.repeat(np.cumsum(length) - length, length)
            )
            sides.append((candidate, place))
        rank = generator.permutation(n)
        kept = greedy_matching(rank, sides)
        assert np.array_equal(kept, one_at_a_time(rank, sides))
        assert kept.any()


def test_a_grid_of_copies_pairs_each_copy_with_its_counterpart():
    # Copy a of one text against copy b of the other, 5 x 4 candidates, the same copy numbers ranked first.
    a, b = np.meshgrid(np.arange(5), np.arange(4), indexing="ij")
    a, b = a.ravel(), b.ravel()
    rank = np.lexsort((b, a, np.abs(a - b)))
    order = np.empty_like(rank)
    order[rank] = np.arange(len(rank))
    kept = greedy_matching(order, [(np.arange(20), a), (np.arange(20), 100 + b)])
    assert sorted(zip(a[kept].tolist(), b[kept].tolist(), strict=True)) == [(k, k) for k in range(4)]


def _rows(start, length):
    """One (candidate, place) row per place of each candidate's run [start, start + length)."""
    candidate = np.repeat(np.arange(len(start)), length)
    return candidate, start[candidate] + np.arange(len(candidate)) - np.repeat(
        np.cumsum(length) - length, length
    )


def test_runs_keep_what_their_places_keep():
    # Candidates as runs of places, sparse (most meet no other, as a pair of texts' runs mostly do) or dense
    # (most meet others), kept as greedy_matching keeps them from one row a place.
    generator = np.random.default_rng(11)
    for spread in (40, 2_000):
        for _ in range(60):
            n = int(generator.integers(1, 80))
            sides = [(generator.integers(0, spread, n), generator.integers(1, 8, n)) for _ in range(2)]
            rank = generator.permutation(n)
            kept = greedy_matching_intervals(rank, sides)
            assert np.array_equal(kept, greedy_matching(rank, [_rows(*side) for side in sides]))


def test_runs_alone_are_told_from_runs_that_meet():
    begin = np.array([10, 0, 5, 20, 23, 30, 30, 40])
    end = np.array([12, 5, 10, 24, 25, 31, 32, 41])
    # [0, 5) and [5, 10) touch without sharing a place; [20, 24) and [23, 25) share 23; two runs from 30.
    assert _meets_none(begin, end).tolist() == [True, True, True, False, False, False, False, True]
    # One run holding another: the inner one meets it, whatever lies between.
    assert _meets_none(np.array([0, 2, 30]), np.array([20, 3, 31])).tolist() == [False, False, True]
