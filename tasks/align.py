"""The fates of an origin's paragraphs in one republication: survived, moved, changed, split, merged,
disappeared, appeared.

Matching runs in passes, each on what the earlier ones left: the in-order chain keeping the most confident
matches in place; splits and merges by containment in consecutive neighbours; weak matches inside the gaps
between anchors, so a heavily edited paragraph stays `changed`; out-of-order matches as `moved`; the rest
disappeared or appeared. Similarity weighs words by their rarity within the pair.
"""

from __future__ import annotations

import heapq
import math
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np

# difflib's SequenceMatcher compiled (Cython): the same matching blocks and opcodes, several times faster; the
# word diff and the order-aware similarity of every changed paragraph (alignment's and the report's hot path).
from cydifflib import SequenceMatcher

from tasks.clean import comparison_form

ALIGN_VERSION = "align-2"
FATES = ("survived", "moved", "changed", "split", "merged", "disappeared", "appeared")


@dataclass(frozen=True)
class AlignConfig:
    """Thresholds on similarity (word-multiset Dice, words weighted by rarity in the pair, 0..1) per match."""

    near_min: float = 0.3  # an in-order near match that anchors the chain
    changed_min: float = 0.2  # between two anchors, this little in common still makes an edit
    moved_min: float = 0.5  # out of order needs more, or any shared phrase would count as a move
    piece_containment: float = 0.5  # share of a split piece's words that must come from the whole
    split_gain: float = 0.01  # a split must explain the whole better than its best single piece
    common_word_share: float = 0.05  # in long documents, words this common do not propose candidates
    max_posting: int = 24  # and neither do words in more paragraphs than this, however long the documents
    candidates_per_paragraph: int = 8  # in long documents, the near matches each paragraph may propose
    exhaustive_pairs: int = 4096  # below this many paragraph pairs, every pair is compared
    version: str = ALIGN_VERSION


@dataclass(frozen=True)
class Paragraph:
    """What alignment needs of a paragraph."""

    para_idx: int
    text: str
    fingerprint: int


@dataclass(frozen=True)
class Fate:
    """One row of paragraph_fates for a (origin, republication) pair."""

    base_para_idx: int | None
    para_idx: int | None
    fate: str
    similarity: float | None
    diff: str | None


def dice(a: Counter, b: Counter) -> float:
    """Word-multiset Dice coefficient."""
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


# English function words: weighed little even in a pair too short for paragraph frequencies to show it.
_FUNCTION_WORDS = frozenset(
    """a about after all also an and any are as at be been before being but by can could did do does for from
    had has have he her him his how i if in into is it its may me more most my no not now of on one only or
    other our out over said says she so some than that the their them then there these they this those to
    under up us was we were what when where which while who will with would you your""".split()
)


class _Weights:
    """Word weights for one pair of versions: words in many paragraphs (the, said) count for little, so two
    unrelated paragraphs score near zero while a heavy rewrite keeps its names and nouns."""

    def __init__(self, bags: list[Counter]):
        df = Counter(chain.from_iterable(bags))
        n = len(bags) + 1
        # A word's weight depends only on how many bags hold it: each count's logarithm once, not once a word
        # (x * 1.0 is x, so the products are the very floats of the formula for every word).
        by_count = [0.0, *((math.log(n / k) + 0.05) for k in range(1, n))]
        # Each word's weight by its count, function words' a fifth of it (changing a key's value keeps its
        # place): dictionaries built in C, not a comprehension a word.
        self.idf = dict(zip(df, map(by_count.__getitem__, df.values()), strict=True))
        for word in _FUNCTION_WORDS.intersection(df):
            self.idf[word] *= 0.2
        # The bags as arrays (pair_dice scores pairs of them), and each bag's mass: sum(count * idf) over its
        # words, added in bag order as Python's sum adds them.
        self.arrays = _BagArrays(bags, dict(zip(self.idf, range(len(self.idf)), strict=True)))
        self.idf_vector = np.fromiter(chain(self.idf.values(), [0.0]), np.float64, len(self.idf) + 1)
        self.mass = _sum_in_order(self.arrays.counts * self.idf_vector[self.arrays.words]).tolist()

    def overlap(self, a: Counter, b: Counter) -> float:
        if len(a) > len(b):
            a, b = b, a
        idf = self.idf
        # sum() of a generator with min() per word, unrolled (split and merge growing call it per piece): the
        # same products added in the same order from the same start, so the very same float.
        total = 0
        for w, c in a.items():
            d = b.get(w)
            if d is not None:
                total += (c if c <= d else d) * idf[w]
        return total

    def dice(self, a: Counter, b: Counter, mass_a: float, mass_b: float) -> float:
        total = mass_a + mass_b
        return 2 * self.overlap(a, b) / total if total else 0.0

    def containment(self, piece: Counter, whole: Counter, mass: float | None = None) -> float:
        """Weighted share of `piece`'s words found in `whole` (mass: `piece`'s bag_mass, when known)."""
        mass = self.bag_mass(piece) if mass is None else mass
        return self.overlap(piece, whole) / mass if mass else 0.0

    def bag_mass(self, bag: Counter) -> float:
        return sum(c * self.idf[w] for w, c in bag.items())


class _FoldTable(dict):
    """A str.translate table doing comparison_form's per-character folding, filled as characters first occur:
    the same words as `comparison_words`, several times faster on long documents."""

    def __missing__(self, code: int) -> str:
        folded = comparison_form(f"a{chr(code)}b")[
            1:-1
        ]  # "" for quotes, " " for punctuation, else the letter
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def paragraph_words(text: str) -> list[str]:
    """The comparison words of a paragraph (equal to tasks.clean.comparison_words)."""
    if text.isascii():  # most paragraphs: NFKC keeps ASCII text, casefold is lower(), folding is by byte
        return text.encode("ascii").translate(_ASCII_BYTES, _ASCII_DROPPED).decode("ascii").split()
    return unicodedata.normalize("NFKC", text).casefold().translate(_FOLD).split()


# _FOLD of each ASCII character as a bytes.translate table (the letter in lower case, a space for
# punctuation) and the characters it drops (quotes): one C pass over an ASCII paragraph, where str.translate
# leaves its ASCII fast path at the first quote (0.3 of the 13 CPU s of aligning 10,000 documents).
_ASCII_BYTES = bytes(ord(_FOLD[code] or chr(code)) for code in range(128)) + bytes(range(128, 256))
_ASCII_DROPPED = bytes(code for code in range(128) if not _FOLD[code])


@lru_cache(maxsize=1 << 14)
def paragraph_bag(text: str) -> Counter:
    """A paragraph's comparison words counted, kept for the texts met again (an origin is aligned with each of
    its republications, which mostly reprint its paragraphs). Shared: never changed by its users."""
    return Counter(_cached_words(text))


@lru_cache(maxsize=1 << 14)
def _cached_words(text: str) -> list[str]:
    """paragraph_words, kept: a changed paragraph's similarity reads the words its bag was counted from.
    Shared: never changed by its users."""
    return paragraph_words(text)


@lru_cache(maxsize=1 << 16)
def fold_token(token: str) -> str:
    """A word as the word diff compares it: its comparison form, without punctuation or case."""
    return "".join(paragraph_words(token))


def similarity(a: str, b: str) -> float:
    """Order-aware word similarity (difflib ratio over comparison words), 0..1."""
    return round(SequenceMatcher(None, _cached_words(a), _cached_words(b), autojunk=False).ratio(), 4)


def word_edits(a: str, b: str) -> list[tuple[bool, str, str]]:
    """`a` rewritten into `b` as runs of words: (unchanged, words of a, words of b), in reading order.

    Words are compared folded, so a run differing only in typography, or in how the same letters are cut into
    words ("toward s" / "towards"), is unchanged. The one word diff behind the stored `changed_words` and the
    report page's marks, so the two never disagree."""
    ta, tb = a.split(), b.split()
    fa, fb = _folded_tokens(a, ta), _folded_tokens(b, tb)
    return _runs(SequenceMatcher(None, fa, fb, autojunk=False), ta, tb)


def _runs(matcher: SequenceMatcher, ta: list[str], tb: list[str]) -> list[tuple[bool, str, str]]:
    """word_edits' runs from the matcher of the folded tokens of `ta` and `tb`."""
    fa, fb = matcher.a, matcher.b
    runs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        same = op == "equal" or "".join(fa[i1:i2]) == "".join(fb[j1:j2])
        runs.append((same, " ".join(ta[i1:i2]), " ".join(tb[j1:j2])))
    return runs


def similarity_and_diff(a: str, b: str) -> tuple[float, str]:
    """similarity(a, b) and word_diff(a, b). A text whose tokens fold into its comparison words (no token
    holding punctuation between letters, none folding to nothing: most paragraphs) has one word sequence for
    both, so one matcher gives the ratio and the diff's opcodes, where each took a matcher of its own."""
    ta, tb = a.split(), b.split()
    fa, fb = _folded_tokens(a, ta), _folded_tokens(b, tb)
    if fa == _cached_words(a) and fb == _cached_words(b):
        matcher = SequenceMatcher(None, fa, fb, autojunk=False)
        return round(matcher.ratio(), 4), _changed_spans(_runs(matcher, ta, tb))
    return similarity(a, b), _changed_spans(_runs(SequenceMatcher(None, fa, fb, autojunk=False), ta, tb))


# fold_token of an ASCII character that is no white space: NFKC changes no ASCII text and casefold is lower()
# there, so a token's fold is its lower case with each character folded alone and the spaces dropped.
_ASCII_FOLD = {code: "".join(paragraph_words(chr(code))) for code in range(128) if not chr(code).isspace()}
# The same as a bytes.translate table and the characters it drops (each folds to one character or none):
# one C pass over an ASCII text, where str.translate with a dictionary looks up every character in it.
_ASCII_FOLD_BYTES = bytes(ord(_ASCII_FOLD.get(code) or chr(code)) for code in range(128)) + bytes(
    range(128, 256)
)
_ASCII_FOLD_DROPPED = bytes(code for code, folded in _ASCII_FOLD.items() if not folded)


def _folded_tokens(text: str, tokens: list[str]) -> list[str]:
    """[fold_token(t) for t in tokens], tokens being text.split(): for an ASCII text, one translate of the
    whole text, white space kept, splits into the folded tokens unless a token folds to nothing (it would
    vanish from the split: the counts differ, and each token is folded alone)."""
    if text.isascii():
        folded = (
            text.encode("ascii").translate(_ASCII_FOLD_BYTES, _ASCII_FOLD_DROPPED).decode("ascii").split()
        )
        if len(folded) == len(tokens):
            return folded
    return [fold_token(t) for t in tokens]


def word_diff(a: str, b: str) -> str:
    """The changed spans only, as `[-deleted-]{+inserted+}` joined by ` … `."""
    return _changed_spans(word_edits(a, b))


def _changed_spans(runs: list[tuple[bool, str, str]]) -> str:
    return " … ".join(
        (f"[-{deleted}-]" if deleted else "") + (f"{{+{inserted}+}}" if inserted else "")
        for same, deleted, inserted in runs
        if not same
    )


def _candidates(
    bags_a: list[Counter],
    bags_b: list[Counter],
    weights: _Weights,
    exact: set[tuple[int, int]],
    config: AlignConfig,
) -> tuple[dict[tuple[int, int], float], dict[tuple[int, int], float]]:
    """Pairs with at least `changed_min` in common, scored; no all-pairs scan when documents are long. Also
    each kept pair's weighted overlap, summed over the bag pair_dice sums over (split and merge growing
    reads it again)."""
    n_a, n_b = len(bags_a), len(bags_b)
    if n_a * n_b <= config.exhaustive_pairs:
        i, j = np.repeat(np.arange(n_a), n_b), np.tile(np.arange(n_b), n_a)
        hopeful = _may_reach(weights, n_a, config.changed_min)
        if hopeful is not None:
            i, j = i[hopeful], j[hopeful]
    else:
        proposed = sorted(_proposed(bags_a, bags_b, weights, exact, config))
        i, j = np.array(proposed, np.int64).reshape(-1, 2).T
    overlap = pair_overlaps(weights, i, n_a + j)
    scores = _dice_of(weights, i, n_a + j, overlap)
    kept = np.flatnonzero(scores >= config.changed_min)  # in (i, j) order, as the pairs were scored
    pairs = list(zip(i[kept].tolist(), j[kept].tolist(), strict=True))
    return dict(zip(pairs, scores[kept].tolist(), strict=True)), dict(
        zip(pairs, overlap[kept].tolist(), strict=True)
    )


def _may_reach(weights: _Weights, n_a: int, least: float) -> np.ndarray | None:
    """Of all (base, rep) pairs in (i, j) order, those whose score can reach `least`; None when the bag x word
    matrix is not held. Most pairs of two versions share little but common words: one matrix product bounds
    every pair's weighted overlap from above (min(c, d) <= sqrt(c * d) for word counts c, d), so only the
    pairs the bound leaves are summed exactly, word by word in order. A pair it drops scores below `least`
    and was never kept: the pairs kept, their scores and overlaps are the very same."""
    dense = weights.arrays.dense
    if dense is None:
        return None
    # Only words both versions hold can be shared; einsum sums without BLAS, whose threads would spin on
    # a product this small.
    both = np.flatnonzero(dense[:n_a].any(axis=0) & dense[n_a:].any(axis=0))
    rooted = np.sqrt(dense.take(both, axis=1))
    bound = np.einsum("ik,jk->ij", rooted[:n_a] * weights.idf_vector[both], rooted[n_a:])
    mass = np.array(weights.mass, dtype=np.float64)
    total = mass[:n_a, None] + mass[None, n_a:]
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(total != 0, 2 * bound / total, 0.0)
    # The margin covers the rounding of the product and the square roots (relative errors near 1e-13).
    return np.flatnonzero(score.ravel() >= least - 1e-6)


def _proposed(
    bags_a: list[Counter],
    bags_b: list[Counter],
    weights: _Weights,
    exact: set[tuple[int, int]],
    config: AlignConfig,
) -> set[tuple[int, int]]:
    """Long documents: paragraphs with an exact counterpart are anchored already; each other one proposes the
    few unanchored paragraphs of the other version that share most of its rarer words, from both sides, so a
    split piece or a merged whole is proposed by whichever side is smaller."""
    anchored_a, anchored_b = {i for i, _ in exact}, {j for _, j in exact}
    open_a = [i for i in range(len(bags_a)) if i not in anchored_a]
    open_b = [j for j in range(len(bags_b)) if j not in anchored_b]
    limit = max(8, min(config.max_posting, int(config.common_word_share * (len(open_a) + len(open_b)))))
    proposed: set[tuple[int, int]] = set()
    for side, other_side, bags, others, flip in (
        (open_a, open_b, bags_a, bags_b, False),
        (open_b, open_a, bags_b, bags_a, True),
    ):
        index: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for k in other_side:
            for word, count in others[k].items():
                index[word].append((k, count))
        for k in side:
            shared: dict[int, float] = defaultdict(float)
            for word, count in bags[k].items():
                posting = index.get(word, ())
                if len(posting) <= limit:
                    idf = weights.idf[word]
                    for other, c in posting:
                        shared[other] += min(count, c) * idf
            best = heapq.nsmallest(config.candidates_per_paragraph, shared, key=lambda o: (-shared[o], o))
            proposed.update((o, k) if flip else (k, o) for o in best)
    return proposed


CHUNK = 1 << 20  # terms (pairs x words) pair_dice computes at once


def pair_dice(weights: _Weights, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """_Weights.dice of many pairs of bags at once (bag i[k] and bag j[k] of the bags `weights` was made
    from), with the very same floating-point operations in the same order: for each pair, the weighted
    overlap summed left to right over the words of the bag with fewer distinct words (the first bag on a tie)
    in that bag's order, a word the other bag lacks adding an exact 0.0. So every score equals
    _Weights.dice's to the last bit, and no match, threshold or tie can differ; only the Python loop per
    word and pair is gone (alignment's hot path: a 22-paragraph pair of versions is 484 pairs of about 40
    words each)."""
    return _dice_of(weights, i, j, pair_overlaps(weights, i, j))


def pair_overlaps(weights: _Weights, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """_Weights.overlap of bags i[k] and j[k], summed over the bag with fewer distinct words (i[k]'s on a
    tie) in its order: the very floats of _Weights.overlap(bag i, bag j)."""
    bags = weights.arrays
    overlap = np.zeros(len(i), dtype=np.float64)
    by_j = (
        bags.distinct[i] > bags.distinct[j]
    )  # _Weights.overlap goes over the smaller bag, the first on a tie
    for mask, mine, theirs in ((~by_j, i, j), (by_j, j, i)):
        at = np.flatnonzero(mask)
        if not len(at):
            continue
        step = max(1, CHUNK // max(1, int(bags.distinct[mine[at]].max())))
        for k in range(0, len(at), step):
            part = at[k : k + step]
            words, counts = bags.padded(mine[part])  # (widest bag, pairs): word ids and counts in bag order
            terms = np.minimum(counts, bags.count(theirs[part], words)) * weights.idf_vector[words]
            overlap[part] = _sum_in_order(terms)
    return overlap


def _dice_of(weights: _Weights, i: np.ndarray, j: np.ndarray, overlap: np.ndarray) -> np.ndarray:
    mass = np.array(weights.mass, dtype=np.float64)
    total = mass[i] + mass[j]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total != 0, 2 * overlap / total, 0.0)


def _sum_in_order(terms: np.ndarray) -> np.ndarray:
    """Each column's sum, added a row at a time (numpy's sum may add pairwise): Python's sum's order."""
    total = terms[0].copy()
    for term in terms[1:]:
        total += term
    return total


class _BagArrays:
    """Bags as arrays: each bag's word ids and counts in bag order, padded to the widest bag
    with the weightless word, and each word's count in each bag (a dense bag x word matrix when small, else
    sorted (bag, word) keys)."""

    DENSE = 1 << 22  # cells of the bag x word matrix

    def __init__(self, bags: list[Counter], vocabulary: dict[str, int]) -> None:
        self.pad = len(vocabulary)
        self.size = self.pad + 1
        self.distinct = np.fromiter(map(len, bags), np.int64, len(bags))
        total = int(self.distinct.sum())
        words = np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(bags)), np.int64, total)
        counts = np.fromiter(chain.from_iterable(bag.values() for bag in bags), np.int64, total)
        row = np.repeat(np.arange(len(bags), dtype=np.int64), self.distinct)
        place = np.arange(total, dtype=np.int64) - np.repeat(
            np.cumsum(self.distinct) - self.distinct, self.distinct
        )
        width = max(1, int(self.distinct.max(initial=0)))
        self.words = np.full((width, len(bags)), self.pad, np.int64)  # a column per bag
        self.counts = np.zeros((width, len(bags)), np.int64)
        self.words[place, row] = words
        self.counts[place, row] = counts
        self.dense = None
        if len(bags) * self.size <= self.DENSE:
            self.dense = np.zeros((len(bags), self.size), np.int64)
            self.dense[row, words] = counts
        else:
            keys = row * self.size + words
            order = np.argsort(keys, kind="stable")
            self.keys, self.sorted_counts = keys[order], counts[order]

    def padded(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Word ids and counts of these bags, a column each, as wide as the widest of them."""
        width = max(1, int(self.distinct[rows].max(initial=0)))
        return self.words[:width, rows], self.counts[:width, rows]

    def count(self, rows: np.ndarray, words: np.ndarray) -> np.ndarray:
        """How often each word occurs in the bag of its column (rows: one per column of `words`)."""
        if self.dense is not None:
            return self.dense.take(rows[None, :] * self.size + words)
        if not len(self.keys):
            return np.zeros(words.shape, np.int64)
        wanted = rows[None, :] * self.size + words
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return np.where(self.keys[at] == wanted, self.sorted_counts[at], 0)


def _heaviest_chain(pairs: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """The strictly increasing (i, j) subsequence of greatest total weight; ties go to the earliest pairs."""
    if not pairs:
        return []
    size = 1 + max(j for _, j in pairs)
    tree = [(0.0, -1)] * (size + 1)  # Fenwick tree of (best chain weight ending at j' <= j, pair index)

    def best_before(j: int) -> tuple[float, int]:
        best = (0.0, -1)
        while j > 0:
            if tree[j][0] > best[0]:
                best = tree[j]
            j -= j & -j
        return best

    def offer(j: int, value: tuple[float, int]) -> None:
        j += 1
        while j <= size:
            if value[0] > tree[j][0]:
                tree[j] = value
            j += j & -j

    order = sorted(pairs)
    score: list[float] = []
    back: list[int] = []
    by_row: dict[int, list[int]] = defaultdict(list)
    for k, (i, _) in enumerate(order):
        by_row[i].append(k)
    for i in sorted(by_row):
        row = by_row[i]
        for (
            k
        ) in row:  # all pairs of one row read the tree before any of them is offered: i strictly increases
            prev_score, prev = best_before(order[k][1])
            score.append(prev_score + pairs[order[k]])
            back.append(prev)
        for k in row:
            offer(order[k][1], (score[k], k))
    k = max(range(len(order)), key=lambda n: (score[n], -n))
    chain = []
    while k != -1:
        chain.append(order[k])
        k = back[k]
    return chain[::-1]


def align_versions(
    base: list[Paragraph], rep: list[Paragraph], config: AlignConfig = AlignConfig()
) -> list[Fate]:
    """Fates of the origin's body paragraphs (`base`) in a republication (`rep`), boilerplate left out."""
    bags_a = [paragraph_bag(p.text) for p in base]
    bags_b = [paragraph_bag(p.text) for p in rep]
    weights = _Weights(bags_a + bags_b)
    mass_a, mass_b = weights.mass[: len(bags_a)], weights.mass[len(bags_a) :]
    by_fingerprint: dict[int, list[int]] = defaultdict(list)
    for j, b in enumerate(rep):
        by_fingerprint[b.fingerprint].append(j)
    exact = {(i, j) for i, a in enumerate(base) for j in by_fingerprint.get(a.fingerprint, ())}
    scores, overlaps = _candidates(bags_a, bags_b, weights, exact, config)
    scores.update(dict.fromkeys(exact, 1.0))

    # Pass 1: the in-order chain of confident matches. Each match counts about one, so the chain keeps the
    # most paragraphs in order (a moved paragraph leaves it, not the several it jumped over).
    chain = _heaviest_chain(
        {pair: _chain_weight(s, config) for pair, s in scores.items() if s >= config.near_min}
    )
    partner_a: dict[int, int] = dict(chain)
    partner_b: dict[int, int] = {j: i for i, j in chain}

    # Pass 2: splits (one base, consecutive reps) and merges (consecutive bases, one rep), by containment.
    groups: list[tuple[list[int], list[int], str]] = []
    unchained: set[tuple[int, int]] = set()
    chain_a, chain_b = [i for i, _ in chain], [j for _, j in chain]
    for whole_side in ("split", "merged"):
        wholes, pieces = (bags_a, bags_b) if whole_side == "split" else (bags_b, bags_a)
        whole_mass, piece_mass = (mass_a, mass_b) if whole_side == "split" else (mass_b, mass_a)
        p_whole, p_piece = (partner_a, partner_b) if whole_side == "split" else (partner_b, partner_a)
        proposals: dict[int, list[int]] = defaultdict(list)
        for i, j in sorted(scores):
            if whole_side == "split":
                proposals[i].append(j)
            else:
                proposals[j].append(i)
        for w in sorted(proposals):
            if w in p_whole and ((w, p_whole[w]) if whole_side == "split" else (p_whole[w], w)) in exact:
                continue  # a paragraph that survived verbatim was not split or merged
            run = _grow_run(
                w,
                wholes[w],
                whole_mass[w],
                pieces,
                piece_mass,
                proposals[w],
                p_whole,
                p_piece,
                scores,
                overlaps,
                whole_side == "split",
                weights,
                config,
            )
            if run is None:
                continue
            bases, reps = ([w], run) if whole_side == "split" else (run, [w])
            # A split or merge has no moved form: a chain match it crosses is the paragraph that moved. A
            # group crossing more matches than it has paragraphs, or a match too weak to be a move, is more
            # likely a coincidence than a split.
            most = len(bases) + len(reps) - 1
            crossing = _crossing(chain, chain_a, chain_b, bases, reps, most=most + 1)
            if len(crossing) > most or any(scores[pair] < config.moved_min for pair in crossing):
                continue
            unchained.update(crossing)
            for piece in run:
                p_piece[piece] = w
            p_whole[w] = run[0]
            groups.append((bases, reps, whole_side))
    grouped_a = {i for bases, _, _ in groups for i in bases}
    grouped_b = {j for _, reps, _ in groups for j in reps}
    chain = [
        (i, j) for i, j in chain if i not in grouped_a and j not in grouped_b and (i, j) not in unchained
    ]

    # Pass 3: between two anchors, a weak match is still the same paragraph, heavily edited.
    anchors = sorted(chain + [(i, j) for bases, reps, _ in groups for i in bases for j in reps])
    anchor_a = [i for i, _ in anchors]
    anchor_b = sorted(j for _, j in anchors)
    used_a = {i for i, _ in anchors}
    used_b = {j for _, j in anchors}
    gap_pairs = {
        (i, j): 1.0 + s
        for (i, j), s in scores.items()
        if i not in used_a and j not in used_b and bisect_left(anchor_a, i) == bisect_left(anchor_b, j)
    }
    chain = sorted(chain + _heaviest_chain(gap_pairs))

    fates: list[Fate] = []
    for i, j in chain:
        a, b = base[i], rep[j]
        if (i, j) in exact:
            fates.append(Fate(a.para_idx, b.para_idx, "survived", 1.0, None))
        else:
            fates.append(Fate(a.para_idx, b.para_idx, "changed", *similarity_and_diff(a.text, b.text)))
    for bases, reps, fate in groups:
        text_a = " ".join(base[i].text for i in bases)
        text_b = " ".join(rep[j].text for j in reps)
        sim, diff = similarity_and_diff(text_a, text_b)
        for i in bases:
            for j in reps:
                fates.append(Fate(base[i].para_idx, rep[j].para_idx, fate, sim, diff))

    # Pass 4: moves, out-of-order matches among what is left, best first.
    matched_a = {i for i, _ in chain} | grouped_a
    matched_b = {j for _, j in chain} | grouped_b
    moves = sorted(
        (
            (s, i, j)
            for (i, j), s in scores.items()
            if i not in matched_a and j not in matched_b and s >= config.moved_min
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    for _, i, j in moves:
        if i in matched_a or j in matched_b:
            continue
        matched_a.add(i)
        matched_b.add(j)
        a, b = base[i], rep[j]
        sim, diff = (1.0, None) if (i, j) in exact else similarity_and_diff(a.text, b.text)
        fates.append(Fate(a.para_idx, b.para_idx, "moved", sim, diff))

    fates += [
        Fate(p.para_idx, None, "disappeared", None, None) for i, p in enumerate(base) if i not in matched_a
    ]
    fates += [Fate(None, p.para_idx, "appeared", None, None) for j, p in enumerate(rep) if j not in matched_b]
    return sorted(fates, key=_reading_order)


def _grow_run(
    w: int,
    whole: Counter,
    whole_mass: float,
    pieces: list[Counter],
    piece_mass: list[float],
    proposed: list[int],
    p_whole: dict[int, int],
    p_piece: dict[int, int],
    scores: dict[tuple[int, int], float],
    overlaps: dict[tuple[int, int], float],
    whole_is_base: bool,
    weights: _Weights,
    config: AlignConfig,
) -> list[int] | None:
    """Consecutive pieces that together are `whole` better than any one of them, or None. whole_mass,
    piece_mass: the bags' bag_mass (weights.mass); overlaps: the candidates' (base, rep) overlaps."""
    contained: dict[int, bool] = {}  # a piece's containment in the whole does not change while the run grows

    def free(k: int) -> bool:
        return k not in p_piece or p_piece[k] == w and p_whole.get(w) == k

    def key(k: int) -> tuple[int, int]:
        return (w, k) if whole_is_base else (k, w)

    def overlap(k: int) -> float:
        """weights.overlap(pieces[k], whole): the candidates' sum where it ran over the same bag (it runs over
        the smaller bag, the base on a tie; weights.overlap over the smaller, the piece on a tie)."""
        known = overlaps.get(key(k))
        if known is None or (whole_is_base and len(pieces[k]) == len(whole)):
            return weights.overlap(pieces[k], whole)
        return known

    def fits(k: int) -> bool:
        if not (0 <= k < len(pieces) and free(k)):
            return False
        if k not in contained:
            share = overlap(k) / piece_mass[k] if piece_mass[k] else 0.0  # weights.containment
            contained[k] = share >= config.piece_containment
        return contained[k]

    def score(bag: Counter, mass: float | None = None) -> float:
        return weights.dice(bag, whole, weights.bag_mass(bag) if mass is None else mass, whole_mass)

    seeds = [k for k in proposed if fits(k)]
    if w in p_whole and p_whole[w] not in seeds:
        return None  # the whole is already matched elsewhere in the chain
    if not seeds:
        return None
    seed = max(seeds, key=lambda k: (scores[key(k)], -k))
    total = piece_mass[seed] + whole_mass
    single = 2 * overlap(seed) / total if total else 0.0  # score(pieces[seed], piece_mass[seed])
    run = [seed]
    combined = pieces[seed]
    now = single  # score(combined)
    while True:
        grown = {k: _added(combined, pieces[k]) for k in (run[0] - 1, run[-1] + 1) if fits(k)}
        gains = [(score(bag), -k, k) for k, bag in grown.items()]
        if not gains:
            break
        best, _, k = max(gains)
        if best <= now:
            break
        run = sorted(run + [k])
        combined = grown[k]
        now = best
    if len(run) < 2 or now < single + config.split_gain:
        return None
    return run


def _added(bag: Counter, more: Counter) -> Counter:
    """bag + more, the very Counter (the same counts in the same order: bag's words, then more's new ones),
    made by a copy and an update rather than Counter.__add__'s loop over both (word counts are positive)."""
    total = bag.copy()
    total.update(more)
    return total


def _crossing(
    chain: list[tuple[int, int]],
    chain_a: list[int],
    chain_b: list[int],
    bases: list[int],
    reps: list[int],
    most: int,
) -> list[tuple[int, int]]:
    """Up to `most` chain matches (outside the group) on opposite sides of the group in the two versions."""
    # The chain rises in both versions, so the matches before the group in one version and not in the other
    # lie between two cut points.
    lo, hi = sorted((bisect_left(chain_a, bases[0]), bisect_left(chain_b, reps[0])))
    found = []
    for i, j in chain[lo:hi]:
        if i not in bases and j not in reps:
            found.append((i, j))
            if len(found) == most:
                break
    return found


def _chain_weight(score: float, config: AlignConfig) -> float:
    """What keeping a match in order is worth. Every match that could also be a move counts one, so the chain
    keeps the most paragraphs in place; among equals the more edited match stays in order, as moving it too
    would mean two edits to one paragraph. A weaker match counts a little less than one: it does not displace
    a verbatim paragraph, but two of them outweigh one."""
    if score >= config.moved_min:
        return 1.0 + 0.001 * (1.0 - score)
    return 0.5 + score


def _reading_order(f: Fate) -> tuple:
    return (f.base_para_idx is None, f.base_para_idx or 0, f.para_idx is None, f.para_idx or 0)
