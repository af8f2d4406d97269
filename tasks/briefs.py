"""News in brief made of another outlet's lead (issue 12, class 3; link-25).

A paper's brief of a court case is the agency's copy cut to its first paragraphs: 40 to 90 words, the lead
lightly recast ("today" made "yesterday", a clause dropped), the next paragraph or two kept nearly word for
word, nothing of its own but "The case was adjourned". Too short for the paragraph and name rules (one or two
paragraphs, fewer names than the names check asks, a body Jaccard of 0.01-0.03 beside a 500-word copy), it is
told by its containment: nearly all of the brief's words are found in the copy, in the copy's order, and its
lead's words in the copy's opening paragraphs.

Two outlets' briefs of one event written apart share names, figures and the words any report of it uses, but
each in its own order and phrasing: in the real set at most 0.37 of a brief's content words are found in
order in the other outlet's story (METER's non-derived reports), against 0.47-0.92 for the derived briefs. A
round-up or digest that carries a post's summary prints it in its middle, not its lead, and in its own words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import NamedTuple

import numpy as np

from tasks.link import LinkConfig, distinct, places_in

# Words every report of anything prints: matched in order they say nothing about derivation.
_FUNCTION_WORDS = frozenset(
    "a an the of to in on and or but for by with at from as is are was were be been being has had "
    "have he she it its his her their they them this that these those which who whom what when where said "
    "says say told would could will shall not no than then also after before into over out up about".split()
)
_WORD = re.compile(r"[^\W_]+")
# A sentence ends at a full stop, question or exclamation mark (a closing quote after it) before a capital.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[\"'\u201c\u2018]?[A-Z])")
# Names and numbers looked through at once for the briefs' (8 bytes each, and a mask).
_NAMES_PART = 1 << 22


def content_words(text: str) -> list[str]:
    """A text's words, lower-cased, function words left out."""
    return [w for w in _WORD.findall(text.lower()) if w not in _FUNCTION_WORDS]


def in_order(short: list[str], long: list[str]) -> float:
    """The share of `short` found in `long` in the same order (matching blocks of their alignment)."""
    if not short:
        return 0.0
    blocks = SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(short)


def is_brief_of(brief: list[str], source: list[str], config: LinkConfig) -> bool:
    """Whether a brief (its paragraphs' texts) is made of a source's text: `min_brief_coverage` of its
    content words in the source's order, `min_brief_drawn` of them in sentences each with
    `min_brief_sentence` of theirs in the source's order, and `min_brief_lead` of its first paragraph's in
    the source's first `brief_lead` paragraphs (a brief opens on the source's lead; a digest's summary of a
    story stands in its middle)."""
    min_coverage, min_lead, lead = config.min_brief_coverage, config.min_brief_lead, config.brief_lead
    min_sentence, min_drawn = config.min_brief_sentence, config.min_brief_drawn
    words = content_words(" ".join(brief))
    every = content_words(" ".join(source))
    if in_order(words, every) < min_coverage:
        return False
    # Made of the source through its text, not one passage: most of its words in sentences each drawn from
    # it (a story opening on a passage another prints, its own sentences after, shares a passage only).
    sentences = [content_words(x) for p in brief for x in SENTENCE_END.split(p)]
    drawn = sum(len(x) for x in sentences if in_order(x, every) >= min_sentence)
    if drawn < min_drawn * len(words):
        return False
    return in_order(content_words(brief[0]), content_words(" ".join(source[:lead]))) >= min_lead


def brief_candidates(
    names_hashes: np.ndarray,
    names_starts: np.ndarray,
    short: np.ndarray,
    day: np.ndarray,
    outlet: np.ndarray,
    min_names: int,
    max_documents: int,
    days: int,
) -> np.ndarray:
    """(brief, source) document pairs to test: a short document and a document of another known outlet, both
    dated, at most `days` apart, sharing `min_names` of the brief's rare names and numbers (printed in at
    most `max_documents` documents dated within `days` of the brief). names_hashes / names_starts: every
    document's names (stories.Names); short: per document, whether it is short enough to be a brief."""
    empty = np.empty((0, 2), dtype=np.int64)
    briefs = np.flatnonzero(short & (day >= 0))
    if len(briefs) == 0:
        return empty
    sizes = np.diff(names_starts)[briefs]
    at = np.repeat(names_starts[briefs] - np.r_[0, np.cumsum(sizes)[:-1]], sizes) + np.arange(sizes.sum())
    wanted = distinct(names_hashes[at])
    if len(wanted) == 0:
        return empty
    # A name is rare or not on a brief's own days: a brief's source is printed within `days` of it, and how
    # often other days' stories print a name (a number, a country) says nothing of that day's. Counted per
    # (name, day), so that a brief and its story find each other whatever other days the corpus holds
    # (another year's briefs make their days briefs' days too, but not this brief's).
    near = np.zeros(len(short), dtype=bool)
    brief_days = distinct(day[briefs])
    for offset in range(-days, days + 1):
        near |= np.isin(day, brief_days + offset)
    near &= day >= 0
    # The corpus's names are read a part at a time, twice: the documents printing each of the briefs' names
    # counted per day, then where each is printed kept only near a brief's day on which it is rare, so what
    # is held is bounded by the briefs' rare names, not by how often a common name is printed.
    n_docs = np.int64(len(names_starts) - 1)
    first, span = (
        int(day[near].min()) - days,
        np.int64(int(day[near].max()) + days + 1 - (int(day[near].min()) - days)),
    )
    keys, counts = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
    for hit, owner in _where_printed(names_hashes, names_starts, wanted, near):
        places = distinct(np.searchsorted(wanted, names_hashes[hit]) * n_docs + owner)
        found, n = np.unique((places // n_docs) * span + (day[places % n_docs] - first), return_counts=True)
        keys.append(found)
        counts.append(n)
    found, where = np.unique(np.concatenate(keys), return_inverse=True)
    printed = np.bincount(where, weights=np.concatenate(counts), minlength=len(found))

    def printed_near(name_day: np.ndarray) -> np.ndarray:
        """Per (name rank * span + day - first) key: the documents printing the name within `days`."""
        total = np.zeros(len(name_day))
        for offset in range(-days, days + 1):
            at, known = places_in(found, name_day + offset)
            total[known] += printed[at[known]]
        return total

    # The (name, brief's day) keys on which a name of a brief is rare.
    owner = np.repeat(briefs, sizes)
    asked = distinct(np.searchsorted(wanted, names_hashes[at]) * span + (day[owner] - first))
    rare = asked[printed_near(asked) <= max_documents]
    kept = [np.empty(0, dtype=np.int64)]
    for hit, owner in _where_printed(names_hashes, names_starts, wanted, near):
        name = np.searchsorted(wanted, names_hashes[hit])
        close = np.zeros(len(hit), dtype=bool)
        for offset in range(-days, days + 1):
            close |= places_in(rare, name * span + (day[owner] + offset - first))[1]
        kept.append(name[close] * n_docs + owner[close])
    places = distinct(np.concatenate(kept))
    by_name: dict[int, list[int]] = defaultdict(list)
    for name, d in zip((places // n_docs).tolist(), (places % n_docs).tolist(), strict=True):
        by_name[name].append(d)
    rare_keys = set(rare.tolist())
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for name, printing in by_name.items():
        # Only the documents within `days` of a brief are its sources: a name rare on each of many days (a
        # generated corpus's pool names, a year of one court's reports) is printed by documents of all of
        # them, and pairing them all made a pair of every two (7 GB at 35,000 generated documents).
        docs = np.array(printing, dtype=np.int64)
        docs = docs[np.argsort(day[docs], kind="stable")]
        when = day[docs]
        for b in (d for d in docs.tolist() if short[d] and name * span + day[d] - first in rare_keys):
            if outlet[b] < 0:
                continue
            lo = np.searchsorted(when, day[b] - days, side="left")
            hi = np.searchsorted(when, day[b] + days, side="right")
            for s in docs[lo:hi].tolist():
                if s != b and outlet[s] >= 0 and outlet[s] != outlet[b]:
                    shared[(b, s)] += 1
    out = [(b, s) for (b, s), n in shared.items() if n >= min_names]
    return np.array(sorted(out), dtype=np.int64).reshape(-1, 2)


def _where_printed(names_hashes: np.ndarray, names_starts: np.ndarray, wanted: np.ndarray, near: np.ndarray):
    """Per part of the corpus's names: the places of those in `wanted` (sorted) in the documents `near` (a
    mask), and their documents."""
    for lo in range(0, len(names_hashes), _NAMES_PART):
        hit = lo + np.flatnonzero(np.isin(names_hashes[lo : lo + _NAMES_PART], wanted))
        owner = np.searchsorted(names_starts, hit, side="right") - 1
        keep = near[owner]
        yield hit[keep], owner[keep]


class ShortStoryEvidence(NamedTuple):
    """What the brief and derived-story rules read of the corpus. names_hashes / names_starts: every
    document's names (stories.Names); body: the rows read (ascending); doc_index, para_idx, n_words: per
    paragraph row; day, outlet: per document (stories._page_days; -1 unknown outlet); texts: the `text` of
    rows asked for (WideColumns.texts), None when there is none to read."""

    names_hashes: np.ndarray
    names_starts: np.ndarray
    body: np.ndarray
    doc_index: np.ndarray
    para_idx: np.ndarray
    n_words: np.ndarray
    day: np.ndarray
    outlet: np.ndarray
    texts: Callable[[np.ndarray], list[str]] | None


def brief_pairs(evidence: ShortStoryEvidence, config: LinkConfig) -> np.ndarray:
    """(source, brief) document pairs linked as a brief made of another outlet's story: the brief's body of
    `min_brief_words` to `max_brief_words` words, the source's longer, the two of other outlets dated at most
    `brief_days` apart, sharing `min_brief_names` rare names and numbers, and the brief's text made of the
    source's (is_brief_of)."""
    if config.max_brief_words <= 0:
        return np.empty((0, 2), dtype=np.int64)
    return short_story_pairs(evidence, config, (config.min_brief_words, config.max_brief_words), is_brief_of)


def short_story_pairs(
    evidence: ShortStoryEvidence,
    config: LinkConfig,
    sizes: tuple[float, float],
    made_of: Callable[[list[str], list[str], LinkConfig], bool],
    kept: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """(source, short) document pairs: a short document (its body's words within `sizes`, both ends
    included) and a longer one of another outlet dated at most `brief_days` apart, sharing `min_brief_names`
    rare names and numbers (brief_candidates), whose texts pass `made_of(short's paragraphs, source's
    paragraphs, config)`; kept: of the (short, source) candidates, those to test (a mask), all when None.
    """
    names_hashes, names_starts, body, doc_index, para_idx, n_words, day, outlet, texts = evidence
    empty = np.empty((0, 2), dtype=np.int64)
    n_docs = len(names_starts) - 1
    if texts is None:
        return empty
    words = np.bincount(doc_index[body], weights=n_words[body], minlength=n_docs)
    short = (words >= sizes[0]) & (words <= sizes[1])
    if not short.any():
        return empty
    candidates = brief_candidates(
        names_hashes,
        names_starts,
        short,
        day,
        outlet,
        config.min_brief_names,
        config.max_name_documents,
        config.brief_days,
    )
    candidates = candidates[words[candidates[:, 1]] > words[candidates[:, 0]]]
    if kept is not None and len(candidates):
        candidates = candidates[kept(candidates)]
    if len(candidates) == 0:
        return empty
    wanted = np.flatnonzero(np.isin(doc_index[body], np.unique(candidates)))
    # Each document's paragraphs in reading order (`para_idx`): the stored rows of a document come in runs,
    # not always in that order.
    read: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = body[wanted]
    for d, k, text in zip(doc_index[rows].tolist(), para_idx[rows].tolist(), texts(rows), strict=True):
        read[d].append((k, text))
    paragraphs = {d: [text for _, text in sorted(found)] for d, found in read.items()}
    kept = [(s, b) for b, s in candidates.tolist() if made_of(paragraphs[b], paragraphs[s], config)]
    return np.array(kept, dtype=np.int64).reshape(-1, 2)
