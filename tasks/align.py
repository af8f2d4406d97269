"""The fates of an origin's paragraphs in one republication: survived, moved, changed, split, merged,
disappeared, appeared.

Matching runs in passes, each on what the earlier ones left: a heaviest in-order chain of similar paragraphs
(exact fingerprints weigh most), so an edited paragraph between two anchors stays `changed`; splits and merges
by containment in consecutive neighbours; out-of-order matches as `moved`; the rest disappeared or appeared.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from tasks.clean import comparison_form, comparison_words

ALIGN_VERSION = "align-1"
FATES = ("survived", "moved", "changed", "split", "merged", "disappeared", "appeared")


@dataclass(frozen=True)
class AlignConfig:
    """Similarity thresholds (word-multiset Dice, 0..1) for each kind of match."""

    changed_min: float = 0.2  # in order, between anchors: this little in common still makes an edit
    moved_min: float = 0.6  # out of order needs more, or any shared phrase would count as a move
    piece_containment: float = 0.5  # share of a split piece's words that must come from the whole
    split_gain: float = 0.05  # a split must explain the whole better than its best single piece
    common_word_share: float = 0.25  # in long documents, words this common do not propose candidates
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


def containment(piece: Counter, whole: Counter) -> float:
    """Share of `piece`'s words found in `whole`."""
    size = sum(piece.values())
    return sum((piece & whole).values()) / size if size else 0.0


def similarity(a: str, b: str) -> float:
    """Order-aware word similarity (difflib ratio over comparison words), 0..1."""
    return round(SequenceMatcher(None, comparison_words(a), comparison_words(b), autojunk=False).ratio(), 4)


def word_diff(a: str, b: str) -> str:
    """The changed spans only, as `[-deleted-]{+inserted+}`, joined by ` … `; typographic changes are ignored."""
    ta, tb = a.split(), b.split()
    fa = [comparison_form(t) for t in ta]
    fb = [comparison_form(t) for t in tb]
    spans = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, fa, fb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        deleted = " ".join(ta[i1:i2]) if i2 > i1 else ""
        inserted = " ".join(tb[j1:j2]) if j2 > j1 else ""
        if "".join(fa[i1:i2]) == "".join(fb[j1:j2]):
            continue  # "toward s" vs "towards"-like splits of the same letters: not an edit
        spans.append((f"[-{deleted}-]" if deleted else "") + (f"{{+{inserted}+}}" if inserted else ""))
    return " … ".join(spans)


def _candidates(bags_a: list[Counter], bags_b: list[Counter], config: AlignConfig) -> dict[tuple[int, int], float]:
    """Pairs that share a word, scored; no all-pairs scan when documents are long."""
    index: dict[str, list[int]] = defaultdict(list)
    for j, bag in enumerate(bags_b):
        for word in bag:
            index[word].append(j)
    limit = max(8, int(config.common_word_share * len(bags_b)))
    scores: dict[tuple[int, int], float] = {}
    for i, bag in enumerate(bags_a):
        seen: set[int] = set()
        for word in bag:
            posting = index.get(word, ())
            if len(posting) <= limit:
                seen.update(posting)
        for j in seen:
            score = dice(bag, bags_b[j])
            if score >= config.changed_min:
                scores[(i, j)] = score
    return scores


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
        for k in row:  # all pairs of one row read the tree before any of them is offered: i strictly increases
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


def align_versions(base: list[Paragraph], rep: list[Paragraph], config: AlignConfig = AlignConfig()) -> list[Fate]:
    """Fates of the origin's body paragraphs (`base`) in a republication (`rep`); boilerplate excluded by caller."""
    bags_a = [Counter(comparison_words(p.text)) for p in base]
    bags_b = [Counter(comparison_words(p.text)) for p in rep]
    scores = _candidates(bags_a, bags_b, config)
    for i, a in enumerate(base):
        for j, b in enumerate(rep):
            if a.fingerprint == b.fingerprint:
                scores[(i, j)] = 1.0 + 1.0  # an exact anchor outweighs any two near matches around it
    chain = _heaviest_chain(scores)
    partner_a: dict[int, int] = dict(chain)
    partner_b: dict[int, int] = {j: i for i, j in chain}
    groups: list[tuple[list[int], list[int], str]] = []

    # Splits (one base, consecutive reps) and merges (consecutive bases, one rep).
    for whole_side in ("split", "merged"):
        wholes, pieces = (bags_a, bags_b) if whole_side == "split" else (bags_b, bags_a)
        p_whole, p_piece = (partner_a, partner_b) if whole_side == "split" else (partner_b, partner_a)
        for w, whole in enumerate(wholes):
            run = _grow_run(w, whole, pieces, p_whole, p_piece, scores, whole_side == "split", config)
            if run is None:
                continue
            for piece in run:
                p_piece[piece] = w
            p_whole[w] = run[0]
            bases, reps = ([w], run) if whole_side == "split" else (run, [w])
            groups.append((bases, reps, whole_side))
            if whole_side == "split":
                for piece in run:
                    partner_b[piece] = w
            else:
                for piece in run:
                    partner_a[piece] = w
    grouped_a = {i for bases, _, _ in groups for i in bases}
    grouped_b = {j for _, reps, _ in groups for j in reps}

    fates: list[Fate] = []
    for i, j in chain:
        if i in grouped_a or j in grouped_b:
            continue
        a, b = base[i], rep[j]
        if a.fingerprint == b.fingerprint:
            fates.append(Fate(a.para_idx, b.para_idx, "survived", 1.0, None))
        else:
            fates.append(Fate(a.para_idx, b.para_idx, "changed", similarity(a.text, b.text),
                              word_diff(a.text, b.text)))
    for bases, reps, fate in groups:
        text_a = " ".join(base[i].text for i in bases)
        text_b = " ".join(rep[j].text for j in reps)
        sim, diff = similarity(text_a, text_b), word_diff(text_a, text_b)
        for i in bases:
            for j in reps:
                if fate == "split" or i == bases[0] or len(reps) == 1:
                    fates.append(Fate(base[i].para_idx, rep[j].para_idx, fate, sim, diff))

    # Moves: out-of-order matches among what is left, best first.
    chained_a = {i for i, _ in chain} | grouped_a
    chained_b = {j for _, j in chain} | grouped_b
    moves = sorted(
        ((s, i, j) for (i, j), s in scores.items()
         if i not in chained_a and j not in chained_b and min(s, 1.0) >= config.moved_min),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    for _, i, j in moves:
        if i in chained_a or j in chained_b:
            continue
        chained_a.add(i)
        chained_b.add(j)
        a, b = base[i], rep[j]
        same = a.fingerprint == b.fingerprint
        fates.append(Fate(a.para_idx, b.para_idx, "moved", 1.0 if same else similarity(a.text, b.text),
                          None if same else word_diff(a.text, b.text)))

    fates += [Fate(p.para_idx, None, "disappeared", None, None) for i, p in enumerate(base) if i not in chained_a]
    fates += [Fate(None, p.para_idx, "appeared", None, None) for j, p in enumerate(rep) if j not in chained_b]
    return sorted(fates, key=_reading_order)


def _grow_run(w: int, whole: Counter, pieces: list[Counter], p_whole: dict[int, int], p_piece: dict[int, int],
              scores: dict[tuple[int, int], float], whole_is_base: bool, config: AlignConfig) -> list[int] | None:
    """Consecutive pieces that together are `whole` better than any one of them, or None."""

    def free(k: int) -> bool:
        return k not in p_piece or p_piece[k] == w and p_whole.get(w) == k

    def key(k: int) -> tuple[int, int]:
        return (w, k) if whole_is_base else (k, w)

    def fits(k: int) -> bool:
        return 0 <= k < len(pieces) and free(k) and containment(pieces[k], whole) >= config.piece_containment

    seeds = [k for k in range(len(pieces)) if key(k) in scores and fits(k)]
    if w in p_whole and p_whole[w] not in seeds:
        return None  # the whole is already matched elsewhere in the chain
    if not seeds:
        return None
    seed = max(seeds, key=lambda k: (min(scores[key(k)], 1.0), -k))
    single = dice(pieces[seed], whole)
    run = [seed]
    combined = pieces[seed].copy()
    while True:
        options = [k for k in (run[0] - 1, run[-1] + 1) if fits(k)]
        gains = [(dice(combined + pieces[k], whole), -k, k) for k in options]
        if not gains:
            break
        best, _, k = max(gains)
        if best <= dice(combined, whole):
            break
        run = sorted(run + [k])
        combined += pieces[k]
    if len(run) < 2 or dice(combined, whole) < single + config.split_gain:
        return None
    return run


def _reading_order(f: Fate) -> tuple:
    return (f.base_para_idx is None, f.base_para_idx or 0, f.para_idx is None, f.para_idx or 0)
