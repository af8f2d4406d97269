"""One-to-one matching: of candidate matches between two texts, each covering places in both, keep a set that
uses each place once, as a diff or passim's alignment pairs each copy of a repeated line with one counterpart
(tasks/reuse_spans.py for the runs of a pair of paragraphs, tasks/reuse.py for the spans of a pair of
documents).

The set is the greedy one: candidates are taken best first (the caller's order), and a candidate is kept
when none of its places, in either text, is a place of a candidate kept before it. It is found in rounds, all
in numpy: a round keeps every live candidate that is the best live one at each of its places (the greedy
keeps it too: every better candidate sharing a place with it has gone), then lets go of the candidates sharing
a place with one kept. The best live candidate is kept in every round, so the rounds end; a text repeating a
line m times against n copies in the other takes one round when the order prefers a copy's counterpart (the
same copy number) over other copies, not min(m, n) rounds.
"""

from __future__ import annotations

import numpy as np


def greedy_matching(rank: np.ndarray, sides: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Which candidates the greedy keeps. `rank[c]` orders the candidates (0 is taken first; all distinct);
    each side is (candidate, place) arrays, one row per place a candidate covers in that text (a place is an
    integer: one text's places never equal the other's, being in another side's arrays)."""
    n = len(rank)
    kept = np.zeros(n, dtype=bool)
    # Each side's rows sorted by place, then by the candidate's rank: a place's best live candidate is its
    # first live row.
    rows = []
    for candidate, place in sides:
        order = _order(place, rank[candidate], n)
        rows.append((candidate[order], place[order]))
    while rows and len(rows[0][0]):
        bad = np.zeros(n, dtype=np.int64)
        tops = []
        for candidate, place in rows:
            starts = np.flatnonzero(np.r_[True, place[1:] != place[:-1]])
            top = candidate[starts]  # rows hold live candidates only: the first is the best
            group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(place)]))
            beaten = candidate != top[group]
            bad += np.bincount(candidate[beaten], minlength=n)
            tops.append((top, group))
        live = np.zeros(n, dtype=bool)
        live[rows[0][0]] = True
        chosen = live & (bad == 0)
        kept |= chosen
        gone = chosen.copy()
        for (candidate, _), (top, group) in zip(rows, tops, strict=True):
            taken = chosen[top]  # places whose best candidate was kept
            gone[candidate[taken[group]]] = True
        rows = [(c[~gone[c]], p[~gone[c]]) for c, p in rows]
    return kept


def greedy_matching_intervals(rank: np.ndarray, sides: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """greedy_matching of candidates that each cover a run of consecutive places in each text: each side is
    (first place, number of places, at least 1) per candidate. A candidate whose runs meet no other
    candidate's, in either text, is the only one at each of its places: the greedy keeps it whatever its rank,
    and it stops no other. Most candidates are such (a pair of texts' runs of shingles printed once in each:
    99% of the reuse step's), so only the others' places are listed, one row a place, for greedy_matching."""
    alone = np.ones(len(rank), dtype=bool)
    for first, count in sides:
        alone &= _meets_none(first, first + count)
    rest = np.flatnonzero(~alone)
    if not len(rest):
        return alone
    # The others ranked among themselves in the same order (greedy_matching packs ranks below their number).
    order = np.empty(len(rest), dtype=np.int64)
    order[np.argsort(rank[rest])] = np.arange(len(rest))
    rows = []
    for first, count in sides:
        counts = count[rest]
        candidate = np.repeat(np.arange(len(rest)), counts)
        offset = np.arange(len(candidate)) - np.repeat(np.cumsum(counts) - counts, counts)
        rows.append((candidate, first[rest][candidate] + offset))
    kept = alone
    kept[rest] = greedy_matching(order, rows)
    return kept


def _meets_none(begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Whether each interval [begin, end) (never empty) shares no integer with another. Sorted by begin, an
    interval meets an earlier one when it begins before the furthest earlier end, a later one when the next
    begins before its end."""
    order = np.argsort(begin)
    begins, ends = begin[order], end[order]
    reach = np.maximum.accumulate(ends)
    alone = np.ones(len(begin), dtype=bool)
    alone[1:] &= begins[1:] >= reach[:-1]
    alone[:-1] &= ends[:-1] <= begins[1:]
    out = np.empty(len(begin), dtype=bool)
    out[order] = alone
    return out


def _order(place: np.ndarray, rank: np.ndarray, n: int) -> np.ndarray:
    """np.lexsort((rank, place)), from one sort of both packed in an int64 when they fit (7 times faster)."""
    if not len(place):
        return np.zeros(0, dtype=np.int64)
    low, high = int(place.min()), int(place.max())
    if (high - low).bit_length() + max(n, 1).bit_length() > 62:
        return np.lexsort((rank, place))
    return np.argsort((place - low) * n + rank)
