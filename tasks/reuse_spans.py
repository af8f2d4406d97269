"""The shared spans of paragraph pairs, at word level, for many pairs at once: what `reuse_pairs` stores for
the paragraphs the passage index paired (tasks/reuse.py). Words are runs of letters and digits compared
lower-cased, as the passage index cuts them (the catalog's `passage_words`); offsets count characters (code
points) in the paragraph's text.

Two paragraphs share a span where their 5-word shingles match on one diagonal (the same words in the same
order); runs a few words apart in both texts are chained into one span, so a quote with a word changed is one
span with fewer matched words (passim aligns across such edits too, within its `--gap`).

Matching is one-to-one: a shingle of one text is matched with at most one place of the other. A text that
repeats its own lines (a table's markup, a list of addresses) would otherwise match a line it holds m times
with each of the other text's n copies, m x n runs. The runs of a pair are taken longest first (then the
one pairing a copy with the same copy number in the other text, then the earliest in the first text, then in
the second), each kept when it shares no shingle with a run kept before it (tasks/one_to_one.py): a line
repeated 5 and 4 times gives 4 runs, each copy with its counterpart in order, and a block moved elsewhere is
still found, as its run is the longest at its place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from tasks.link import steps_of
from tasks.one_to_one import greedy_matching_intervals
from tasks.passages import SHINGLE

_SEPARATOR = "\n\n"  # between the texts of a batch: no word crosses it
_BASE = np.uint64(0x100000001B3)  # a word's hash: its code points times powers of this, modulo 2**64
_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93, 0xA0761D6478BD642F],
    dtype=np.uint64,
)
_PAIR = np.uint64(0xD1342543DE82EF95)  # spreads a pair's number over a shingle hash (one sort for all pairs)


def _classes(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each code point: whether it is a letter or a digit (\\p{L} or \\p{N}, what str.isalnum says: the
    class of the catalog's `passage_words`, a test checks they agree), and its lower case (the first code
    point of it). Only the distinct code points of the text are looked at."""
    top = int(points.max()) + 1 if len(points) else 1
    present = np.zeros(top, dtype=bool)
    present[points] = True
    distinct = np.flatnonzero(present)
    chars = [chr(c) for c in distinct.tolist()]
    word = np.zeros(top, dtype=bool)
    word[distinct] = np.fromiter((c.isalnum() for c in chars), bool, len(chars))
    lower = np.zeros(top, dtype=np.uint32)
    lower[distinct] = np.fromiter(
        (ord(c.lower()[0]) for c in chars),
        np.uint32,
        len(chars),  # İ: i, as DuckDB's lower() has it
    )
    return word[points], lower[points]


@dataclass
class Words:
    """The words of a batch of texts: for each, its text, where it starts and ends (character offsets into its
    text) and a hash of it lower-cased; `first[t]` is text t's first word, `first[-1]` the number of words."""

    text: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    hashes: np.ndarray
    first: np.ndarray


def cut_words(texts: list[str]) -> Words:
    """The words of each text, in one pass over all of them."""
    joined = _SEPARATOR.join(texts)
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    inside, lowered = _classes(points)
    edges = np.diff(np.r_[False, inside, False].astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    lengths = ends - starts
    letters = np.flatnonzero(inside)
    place = letters - np.repeat(starts, lengths)
    powers = np.cumprod(np.full(int(lengths.max()) if len(lengths) else 0, _BASE, dtype=np.uint64))
    firsts = np.r_[0, np.cumsum(lengths)[:-1]] if len(lengths) else lengths
    if len(lengths):
        sums = np.add.reduceat(lowered[letters].astype(np.uint64) * powers[place], firsts)
    else:
        sums = np.zeros(0, np.uint64)
    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    text_starts = np.r_[0, np.cumsum(sizes + len(_SEPARATOR))[:-1]] if len(texts) else sizes
    owner = np.searchsorted(text_starts, starts, side="right") - 1
    first = np.searchsorted(owner, np.arange(len(texts) + 1), side="left")
    return Words(
        owner, starts - text_starts[owner], ends - text_starts[owner], sums ^ lengths.astype(np.uint64), first
    )


def shingle_hashes(words: Words) -> tuple[np.ndarray, np.ndarray]:
    """(hash of each run of 5 consecutive words of one text, index of its first word); a text of fewer than 5
    words has none."""
    n = len(words.hashes)
    m = n - SHINGLE + 1
    if m <= 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    at = np.flatnonzero(words.text[:m] == words.text[SHINGLE - 1 :])
    mixed = np.zeros(len(at), dtype=np.uint64)
    for k in range(SHINGLE):
        mixed += words.hashes[at + k] * _MIX[k]
    return mixed ^ (mixed >> np.uint64(29)), at


@dataclass
class Spans:
    """Shared spans, one per row: the pair they are of, and words [w1, x1) of its first text and [w2, x2) of
    its second (indices into the batch's words), `matches` of them matched word for word."""

    pair: np.ndarray
    w1: np.ndarray
    x1: np.ndarray
    w2: np.ndarray
    x2: np.ndarray
    matches: np.ndarray


def _text_shingles(
    hashes: np.ndarray, at: np.ndarray, first: np.ndarray, texts: np.ndarray, wanted: np.ndarray
):
    """The shingles of the given texts where `wanted`, with the place in `texts` each belongs to (texts may
    repeat); text t's shingles are rows first[t]..first[t + 1] - 1."""
    counts = np.where(wanted, first[texts + 1] - first[texts], 0)
    which = np.repeat(np.arange(len(texts)), counts)
    rows = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts) + first[texts][which]
    return which, hashes[rows], at[rows]


# Shingle rows and matches held at once. A batch is a number of paragraph pairs, and a pair of two long
# texts that repeat their own lines (a revised manual's tables, a list of addresses) matches each repeated
# shingle once per place in both texts, each match on a diagonal of its own: one batch of a real revision
# history held 7 GB of matches and their runs as Python lists when all its pairs were chained at once. Pairs
# are independent, so matching and chaining them a range at a time gives the same rows in the same order;
# one pair alone is never split.
ROWS_AT_ONCE = 1_000_000


def matching_runs(words: Words, left: np.ndarray, right: np.ndarray) -> Iterator[np.ndarray]:
    """Runs of matching shingles on one diagonal for each pair of texts (left[k], right[k]), a range of pairs
    at a time: rows (pair, first shingle's first word in left, in right, shingles), ordered by pair, then
    place in left, then in right."""
    hashes, at = shingle_hashes(words)
    # Only a shingle that two of the texts hold can match: the others are left out before they are repeated
    # once per pair (equal texts are one text here, and shared_spans takes them whole).
    repeated = _repeated(hashes)
    hashes, at = hashes[repeated], at[repeated]
    first = np.searchsorted(words.text[at], np.arange(len(words.first)), side="left")
    held = np.diff(first, append=len(at))
    rows = np.where(left != right, held[left] + held[right], 0)
    for start, end in steps_of(rows, ROWS_AT_ONCE):
        yield from _runs_of_pairs(words, hashes, at, first, left, right, start, end)


def _runs_of_pairs(
    words: Words,
    hashes: np.ndarray,
    at: np.ndarray,
    first: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    start: int,
    end: int,
) -> Iterator[np.ndarray]:
    """matching_runs' rows of the pairs start..end-1 (pair numbers as in the whole batch); a range whose
    matches pass ROWS_AT_ONCE is matched in two halves."""
    lefts, rights = left[start:end], right[start:end]
    differ = lefts != rights
    p1, h1, a1 = _text_shingles(hashes, at, first, lefts, differ)
    p2, h2, a2 = _text_shingles(hashes, at, first, rights, differ)
    if not len(h1) or not len(h2):
        return
    k1 = h1 + p1.astype(np.uint64) * _PAIR  # a shingle of pair k matches only shingles of pair k
    k2 = h2 + p2.astype(np.uint64) * _PAIR
    # Both sides sorted, so that finding each right shingle's equals among the left ones reads both in order,
    # a pair's equal shingles in text order (their copy numbers).
    order1, order2 = _text_ordered(k1), _text_ordered(k2)
    sorted1, sorted2 = k1[order1], k2[order2]
    lo = np.searchsorted(sorted1, sorted2, side="left")
    # A right shingle's equals are the run of equal left keys from lo: the run's end read from sorted1's runs,
    # not from a second search.
    _, end1 = _equal_runs(sorted1)
    held = lo < len(sorted1)
    held[held] = sorted1[lo[held]] == sorted2[held]
    counts = np.where(held, end1[np.minimum(lo, len(sorted1) - 1)] - lo, 0)
    total = int(counts.sum())
    if not total:
        return
    if total > ROWS_AT_ONCE and end - start > 1:
        del k1, k2, order1, order2, sorted1, sorted2, lo, counts  # not held while the halves are matched
        middle = start + (end - start) // 2
        yield from _runs_of_pairs(words, hashes, at, first, left, right, start, middle)
        yield from _runs_of_pairs(words, hashes, at, first, left, right, middle, end)
        return
    on2 = np.repeat(np.arange(len(k2)), counts)
    copy1 = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    copy2 = on2 - _equal_runs(sorted2)[0][on2]
    j = order2[on2]
    i = order1[np.repeat(lo, counts) + copy1]
    pair, i_word, j_word, copies = p2[j] + start, a1[i], a2[j], np.abs(copy1 - copy2)
    # Runs: consecutive words on one diagonal of one pair.
    diagonal = (j_word - words.first[right[pair]]) - (i_word - words.first[left[pair]])
    by = _order_by(pair, diagonal, i_word, len(words.hashes))
    pair, i_word, j_word, diagonal, copies = pair[by], i_word[by], j_word[by], diagonal[by], copies[by]
    first = np.r_[
        True, (pair[1:] != pair[:-1]) | (diagonal[1:] != diagonal[:-1]) | (i_word[1:] != i_word[:-1] + 1)
    ]
    starts = np.flatnonzero(first)
    runs = np.stack([pair[starts], i_word[starts], j_word[starts], np.diff(np.r_[starts, len(pair)])], axis=1)
    # One-to-one: longest first, then the run pairing copies of the same number, then by place.
    rank = np.empty(len(runs), dtype=np.int64)
    rank[np.lexsort((runs[:, 2], runs[:, 1], copies[starts], -runs[:, 3]))] = np.arange(len(runs))
    # A run's places: its shingles' first words, in each text, numbered apart for each pair.
    base = pair[starts] * len(words.hashes)
    runs = runs[
        greedy_matching_intervals(rank, [(base + runs[:, 1], runs[:, 3]), (base + runs[:, 2], runs[:, 3])])
    ]
    yield runs[np.lexsort((runs[:, 2], runs[:, 1], runs[:, 0]))]


def _text_ordered(keys: np.ndarray) -> np.ndarray:
    """np.argsort(keys, kind="stable"): equal keys in the order they come (a pair's shingles come in text
    order). A quick sort, then a sort of the rows of equal keys alone (a stable sort of 64-bit keys is 3
    times slower, and most shingles of a pair's text are unique)."""
    order = np.argsort(keys)
    ordered = keys[order]
    same = ordered[1:] == ordered[:-1]
    tied = np.flatnonzero(np.r_[same, False] | np.r_[False, same])
    if len(tied):
        group = np.cumsum(np.r_[True, ~same])[tied]
        order[tied] = order[tied][np.argsort(group * len(keys) + order[tied])]
    return order


def _equal_runs(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each place of a sorted array, where its run of equal values starts and ends (one past its last):
    np.searchsorted(ordered, ordered) with side "left" and "right", from one pass."""
    n = len(ordered)
    first = np.r_[True, ordered[1:] != ordered[:-1]] if n else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(first)
    run = np.cumsum(first) - 1
    return starts[run], np.r_[starts[1:], n][run]


def _repeated(values: np.ndarray) -> np.ndarray:
    """Whether each value occurs more than once (np.unique's counts, without its inverse's second pass)."""
    order = np.argsort(values)
    ordered = values[order]
    same = ordered[1:] == ordered[:-1]
    twice = np.zeros(len(values), dtype=bool)
    twice[1:] |= same
    twice[:-1] |= same
    out = np.empty(len(values), dtype=bool)
    out[order] = twice
    return out


def _order_by(pair: np.ndarray, diagonal: np.ndarray, i_word: np.ndarray, n_words: int) -> np.ndarray:
    """np.lexsort((i_word, diagonal, pair)), from one sort of a key packing the three when it fits in 63
    bits: a pair's matches on one diagonal are of distinct words, so no two keys are equal and any sort
    gives lexsort's order. Words and diagonals are within ±n_words."""
    bits = max(1, int(n_words).bit_length() + 1)
    if not len(pair) or int(pair.max()).bit_length() + 2 * bits > 63:
        return np.lexsort((i_word, diagonal, pair))
    key = (pair.astype(np.int64) << (2 * bits)) | ((diagonal + n_words) << bits) | i_word
    return np.argsort(key)


def shared_spans(words: Words, left: np.ndarray, right: np.ndarray, min_words: int, max_gap: int) -> Spans:
    """The spans each pair of texts (left[k], right[k]) shares with at least `min_words` words matched; runs
    of shared words at most `max_gap` words apart in both texts (an edit) make one span."""
    # A text paired with itself (two documents carry it verbatim) shares all its words.
    same = np.flatnonzero(left == right)
    lengths = words.first[left[same] + 1] - words.first[left[same]]
    whole = same[lengths >= min_words]
    starts, ends = words.first[left[whole]], words.first[left[whole] + 1]
    tables = [np.stack([whole, starts, ends, starts, ends, ends - starts], axis=1)]
    for runs in matching_runs(words, left, right):
        tables.append(_chained(runs, min_words, max_gap))
    table = np.concatenate(tables)
    table = table[np.lexsort((table[:, 3], table[:, 1], table[:, 0]))]
    return Spans(*(table[:, k] for k in range(6)))


# How many runs back (in the first text's order) a run looks for the one it continues: another run may lie
# between two runs of one span (a few words of it matched elsewhere in the other text).
LOOK_BACK = 8


def _chained(runs: np.ndarray, min_words: int, max_gap: int) -> np.ndarray:
    """Spans (pair, w1, x1, w2, x2, matches) of one-to-one runs of whole pairs, ordered by pair and place in
    the first text: a run continues the nearest of the LOOK_BACK runs before it that ends at most `max_gap`
    words before it in both texts (it starts after that run in the second text too); a run continued by two
    is continued by the first. One-to-one runs share no shingle, so a run ends after the one it continues,
    in both texts: a span is a path of runs, found for all runs at once."""
    if not len(runs):
        return np.zeros((0, 6), dtype=np.int64)
    pair, i, j, n = (runs[:, k] for k in range(4))
    x1, x2 = i + n + SHINGLE - 1, j + n + SHINGLE - 1
    everyone = np.arange(len(runs))
    before = np.full(len(runs), -1)
    for back in range(1, LOOK_BACK + 1):
        p = np.maximum(everyone - back, 0)
        gap1, gap2 = i - x1[p], j - x2[p]
        continues = (
            (everyone >= back)
            & (pair[p] == pair)
            & (gap1 > -SHINGLE)
            & (gap1 <= max_gap)
            & (gap2 > -SHINGLE)
            & (gap2 <= max_gap)
            & (j > j[p])
        )
        before = np.where((before < 0) & continues, p, before)
    linked = np.flatnonzero(before >= 0)
    _, first = np.unique(before[linked], return_index=True)
    taken = np.zeros(len(runs), dtype=bool)
    taken[linked[first]] = True
    before[~taken] = -1
    # A run adds its words past the run it continues (shingles of two runs may share up to 4 words).
    p = np.maximum(before, 0)
    past = np.minimum(x1 - np.maximum(i, x1[p]), x2 - np.maximum(j, x2[p]))
    added = np.where(before >= 0, past, x1 - i)
    head = np.where(before >= 0, before, everyone)
    while True:  # each run's first run of its span, by pointer jumping
        up = head[head]
        if np.array_equal(up, head):
            break
        head = up
    by = np.argsort(head, kind="stable")
    starts = np.flatnonzero(np.r_[True, head[by][1:] != head[by][:-1]])
    first_run = head[by][starts]
    matches = np.add.reduceat(added[by], starts)
    ends1 = np.maximum.reduceat(x1[by], starts)
    ends2 = np.maximum.reduceat(x2[by], starts)
    table = np.stack([pair[first_run], i[first_run], ends1, j[first_run], ends2, matches], axis=1)
    return table[matches >= min_words].astype(np.int64)
