"""A daily run's linking: which documents are linked again when a run adds a few (docs/daily-run.md).

A run over a warehouse whose stories this code made links again only the documents a new one could reach:
the new documents, the stored ones any of linking's candidate sources pairs with one of them (the same
paragraph, a near paragraph in an LSH bucket, a near whole text, rare names and numbers alike), every
version of one text with one of those (one canonical URL, an outlet's versions and revisions), and the
whole stored story of each. Every other stored story keeps its id and members. The counts linking reads
(held-out text, templates, versions, furniture) are still taken over the whole corpus by
tasks.stories.find_stories; what is left out is the candidate search and the clustering of the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from tasks.link import (
    CrowdedKeys,
    LinkConfig,
    band_keys,
    distinct,
    document_similarity,
    fold_minimum,
    pairs_within_groups,
    places_in,
    stock_document_pairs,
)

# A stored document sharing a paragraph with a fresh one under min_containment (no link) is linked again from
# this share of it: the paragraph's spread may change its other links (relinked_documents).
SPREAD_FLOOR = 0.4


@dataclass
class BodyReading:
    """What relinked_documents takes over every body row of the corpus that crowded_keys takes again, from
    the same rows and sketches: each row's text number (np.unique's inverse of the fingerprints) and each
    document's body sketch (fold_minimum of its rows' sketches). The one fills it, the other reads it: a
    sort of every fingerprint and a fold of every sketch fewer per daily run (crowded_keys still reads every
    sketch for its band keys)."""

    text_of: np.ndarray | None = None
    documents: np.ndarray | None = None


def relinked_documents(
    fresh: np.ndarray,
    story: np.ndarray,
    versions: np.ndarray,
    doc_index: np.ndarray,
    fingerprint: np.ndarray,
    sketches: Iterable[tuple[np.ndarray, np.ndarray]],
    fresh_sketches: Iterable[tuple[np.ndarray, np.ndarray]],
    shingles: np.ndarray,
    names: tuple[np.ndarray, np.ndarray],
    config: LinkConfig = LinkConfig(),  # noqa: B008
    reading: BodyReading | None = None,
) -> np.ndarray:
    """Per document position: whether a daily run links it again.

    fresh: per document, new or in a stored story that lost or changed a member (linked again in any case);
    story: per document, its stored story's number (-1 for a new one); versions: per document, the label of
    the versions of one text it belongs to (tasks.stories.find_stories' `versions`); doc_index, fingerprint,
    shingles: per body row (the rows linking weighs), its document, text and shingle count; sketches: the
    body rows' sketches as (positions into the body rows, uint32 matrix) parts, every row once;
    fresh_sketches: the same for the body rows of fresh documents only; names: every document's names and
    numbers printed in at most max_name_documents documents (tasks.stories.Names' hashes and starts);
    reading: filled with what crowded_keys takes again of the same rows (BodyReading), when given."""
    n_docs = len(fresh)
    if not fresh.any():
        return fresh.copy()
    touched = fresh.copy()
    row_fresh = fresh[doc_index]
    _, text_of, copies = np.unique(fingerprint, return_inverse=True, return_counts=True)
    text_of = text_of.ravel()
    fresh_text = np.bincount(text_of[row_fresh], minlength=len(copies)) > 0
    old_copies = np.bincount(text_of[~row_fresh], minlength=len(copies))
    # A text matches only while printed at most max_copies times (tasks.link.matched_rows): one that does,
    # or did before this run, pairs (or paired) the documents printing it.
    usable = (copies <= config.max_copies) | (old_copies <= config.max_copies)
    # A text this run made stock, or no more (its copies crossed max_copies): it matches no more, or again,
    # in every document printing it, and stock texts side by side pair their documents
    # (stock_document_pairs). Both change only pairs of documents printing it, and the stock pairs made before
    # and now (kept if close enough, below: _changed_by_stock).
    crossed = (copies > config.max_copies) != (old_copies > config.max_copies)
    stock = stock_document_pairs(doc_index, text_of, n_docs, config)
    rows = np.flatnonzero(crossed[text_of])
    every = np.ones(n_docs, dtype=bool)
    printing = _pairs_in_buckets(text_of[rows].astype(np.uint64), doc_index[rows], every, None)
    # Document pairs, one of them fresh, printing one such text (kept if close enough, below).
    rows = np.flatnonzero(fresh_text[text_of] & usable[text_of])
    verbatim = _pairs_in_buckets(text_of[rows].astype(np.uint64), doc_index[rows], fresh, None)
    # A near paragraph: a text sharing a band key with a fresh one (tasks.link.candidate_pair_batches). Keys
    # are told apart by their rank among the fresh texts' keys (`wanted`), so that buckets are counted with
    # bincount and one sort of int64, never np.isin or a lexsort over the corpus's hits.
    wanted = distinct(
        np.concatenate([np.empty(0, np.uint64)] + [band_keys(m, config).ravel() for _, m in fresh_sketches])
    )
    maybe = _low_bits(wanted)
    width, documents = 0, None
    hit_rank, hit_row = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    for where, matrix in sketches:
        if documents is None:
            width = matrix.shape[1]
            documents = np.full((n_docs, width), np.iinfo(np.uint32).max, dtype=np.uint32)
        fold_minimum(documents, doc_index[where], matrix)
        (row, _), rank = _ranks_in(band_keys(matrix, config), wanted, maybe)
        hit_rank.append(rank)
        hit_row.append(where[row])
    hit_rank, hit_row = np.concatenate(hit_rank), np.concatenate(hit_row)
    n_keys, n_texts = len(wanted), len(copies)
    # Buckets this run's texts made crowded: the document pairs their texts made are no more (kept if
    # close enough, below).
    crowded = _crowded(hit_rank, text_of[hit_row], old_copies > 0, n_keys, n_texts, config.max_bucket)
    hit = usable[text_of[hit_row]]
    hit_rank, hit_row = hit_rank[hit], hit_row[hit]
    was = crowded[hit_rank]
    lost = _pairs_in_buckets(hit_rank[was], doc_index[hit_row[was]], np.ones(n_docs, dtype=bool), None)
    # Document pairs, one of them fresh, printing texts in one bucket of at most max_bucket texts.
    small = (_bucket_sizes(hit_rank, text_of[hit_row], n_keys, n_texts) <= config.max_bucket)[hit_rank]
    near = _pairs_in_buckets(hit_rank[small], doc_index[hit_row[small]], fresh, None)
    if documents is None:
        documents = np.full((n_docs, 0), np.iinfo(np.uint32).max, dtype=np.uint32)
    if reading is not None:
        reading.text_of, reading.documents = text_of, documents
    size = np.bincount(doc_index, weights=shingles, minlength=n_docs)
    # Linking's weight for a pair of documents (tasks.link.DocumentPairs._pass) is document_similarity's
    # estimated containment of the two whole bodies (the same sketches and sizes as `documents`, `size`)
    # times its rarity (at most 1), whole-text evidence's the containment itself; strong_links asks
    # min_containment of it. So a fresh document and a stored one under min_containment are no link, however
    # many paragraphs they share verbatim or near; their overlap weighs in clustering only inside one linked
    # group, which holds the stored one only through links to a relinked document of its stored story (then
    # relinked whole, below), as docs/daily-run.md's guarantees take stored stories to be.
    a, b = np.r_[verbatim[0], near[0], lost[0]], np.r_[verbatim[1], near[1], lost[1]]
    containment = document_similarity(a, b, documents, size)[0] if width else np.ones(len(a))
    close = containment >= config.min_containment
    # What such a pair still changes: the matched paragraph weighs less in the stored document's other links
    # once found in more than stock_spread documents (tasks.link.paragraph_spread, document_overlaps'
    # `rarity`, which can also rise for the others: a body's weighted total falls), so it is linked again
    # from SPREAD_FLOOR (under it, a gap named in docs/daily-run.md's guarantee 4). Bounding that spread
    # (the copies of the texts matching it in its uncrowded buckets, a second pass over the corpus's sketches)
    # left 2,021 of 2,028 documents at 10k + 100 for 0.4 s more: the generated texts reached are in more than
    # stock_spread documents nearly all.
    stored = np.where(fresh[a], b, a)
    close |= (containment >= SPREAD_FLOOR * config.min_containment) & (story[stored] >= 0)
    # A pair that only lost a candidate to a crowded bucket is linked again only where that can change what
    # linking finds (_unfound).
    was_lost = np.arange(len(a)) >= len(verbatim[0]) + len(near[0])
    close[was_lost] = _unfound(
        a[was_lost], b[was_lost], containment[was_lost], story, doc_index, text_of, copies, config
    )
    touched[a[close]] = touched[b[close]] = True
    a, b = _changed_by_stock(stock, printing, doc_index[~row_fresh], text_of[~row_fresh], n_docs, config)
    containment = document_similarity(a, b, documents, size)[0] if width else np.ones(len(a))
    close = (containment >= config.min_containment) | _one_story_or(np.zeros(len(a), bool), a, b, story)
    touched[a[close]] = touched[b[close]] = True
    # A near whole text: document pairs in one band of the document LSH (tasks.link.candidate_document_pairs)
    # that a heavy rewrite or whole-text evidence could link: an estimated Jaccard from min_rewrite_jaccard.
    # A short text mostly inside a long one: pairs agreeing in one hash function of their body sketches
    # (tasks.link.contained_document_pairs), the smaller body `min_candidate_containment` in the other.
    # Two stored documents of a bucket this run made crowded pair no more there: that changes what a full
    # run finds only when they are that close (a rewrite link is possible) or in one stored story (the
    # clustering weighed what linked them), as for paragraphs (_unfound).
    usable_doc = np.flatnonzero(size >= config.min_text_shingles)
    if width >= config.text_bands * config.text_rows:
        banding = LinkConfig(bands=config.text_bands, rows=config.text_rows)
        pairs = _document_bucket_pairs(documents, usable_doc, fresh, banding, config.max_bucket)
        for (a, b), lost in zip(pairs, (False, True), strict=True):
            _, jaccard = document_similarity(a, b, documents, size)
            near = jaccard >= min(config.min_rewrite_jaccard, config.min_text_jaccard)
            near = _one_story_or(near, a, b, story) if lost else near
            touched[a[near]] = touched[b[near]] = True
    if width:
        banding = LinkConfig(bands=width, rows=1)
        pairs = _document_bucket_pairs(documents, usable_doc, fresh, banding, config.max_bucket)
        for (a, b), lost in zip(pairs, (False, True), strict=True):
            contained, _ = document_similarity(a, b, documents, size)
            near = contained >= config.min_candidate_containment
            near = _one_story_or(near, a, b, story) if lost else near
            touched[a[near]] = touched[b[near]] = True
    # Rare names and numbers alike (tasks.stories.name_candidate_pairs), the bodies as close as a heavy
    # rewrite found that way needs (min_name_rewrite_jaccard).
    a, b = _rare_names_alike(fresh, names, config)
    keep = np.minimum(size[a], size[b]) >= config.min_text_shingles
    a, b = a[keep], b[keep]
    contained, jaccard = document_similarity(a, b, documents, size) if width else (np.ones(len(a)),) * 2
    near = (jaccard >= config.min_name_rewrite_jaccard) | (contained >= config.min_cut_containment)
    touched[a[near]] = touched[b[near]] = True
    # Versions of one text, and whole stored stories, until nothing is added.
    while True:
        grown = touched | np.isin(versions, versions[touched])
        stored = story[grown & (story >= 0)]
        grown |= (story >= 0) & np.isin(story, stored)
        if (grown == touched).all():
            break
        touched = grown
    return touched


def _changed_by_stock(
    stock: np.ndarray,
    printing: tuple[np.ndarray, np.ndarray],
    old_doc: np.ndarray,
    old_text: np.ndarray,
    n_docs: int,
    config: LinkConfig,
) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) document pairs whose candidates a text crossing max_copies can change: the pairs printing such a
    text (`printing`: it matched in both and no more does, or the other way round), and the stock pairs
    (tasks.link.stock_document_pairs: `stock` now, against those of the stored rows `old_doc`, `old_text`)
    made now and not before or before and not now (a new stock text between two others takes them apart,
    a new document joins a chain of one combination's documents).

    The pairs of a text crossing max_copies are those of a text that matched (or matches) in both
    documents; a stock pair is verified (tasks.link.DocumentPairs.close_keys) and kept only when close (its
    estimated containment from min_containment: a candidate pair under it with no matched paragraph is
    dropped in _pass), so the caller keeps those close, and, of the printing pairs, those of one stored
    story (the text's matches weighed in its clustering)."""
    n = np.int64(n_docs)
    before = stock_document_pairs(old_doc, old_text, n_docs, config)
    changed = np.setxor1d(stock, before)
    a, b = np.r_[changed // n, printing[0]], np.r_[changed % n, printing[1]]
    flat = distinct(np.minimum(a, b) * n + np.maximum(a, b))
    return flat // n, flat % n


def _unfound(
    a: np.ndarray,
    b: np.ndarray,
    containment: np.ndarray,
    story: np.ndarray,
    doc_index: np.ndarray,
    text_of: np.ndarray,
    copies: np.ndarray,
    config: LinkConfig,
) -> np.ndarray:
    """Of the document pairs (a, b) sharing a bucket this run made crowded (a candidate paragraph pair a full
    run no longer makes), those whose links or clustering that can change.

    A pair with a fresh document is none of them: the fresh one is linked again anyway, and the other was
    not in its stored story, so the lost candidate made no link. Two stored documents are one of them when
    - they are close (their whole bodies' estimated containment reaches min_containment: a link is possible)
      and print no text verbatim that both still match on (a text of at most max_copies copies):
      tasks.link.document_pairs verifies a close pair on all its paragraphs once any one of them matches,
      and the same text always matches, whatever the buckets;
    - or they are in one stored story and not close: the overlap clustering weighs between them came from
      the candidates alone (a pair of two stories that is not close is no link, and less overlap between
      two parts that were never joined joins nothing)."""
    stored = (story[a] >= 0) & (story[b] >= 0)
    close = containment >= config.min_containment
    out = stored & ~close & (story[a] == story[b])
    # Only the close pairs of two stored documents are looked up: a run that staged every document again
    # looked up every pair of its crowded buckets, none of them stored (two fifths of its link step at 10k).
    test = np.flatnonzero(stored & close)
    out[test] = ~_print_one_text(a[test], b[test], doc_index, text_of, copies <= config.max_copies)
    return out


def _print_one_text(
    a: np.ndarray, b: np.ndarray, doc_index: np.ndarray, text_of: np.ndarray, usable: np.ndarray
) -> np.ndarray:
    """Per pair: whether documents a[k] and b[k] both print one `usable` text (per text)."""
    if len(a) == 0:
        return np.zeros(0, dtype=bool)
    n_texts = np.int64(len(usable))
    # The distinct (document, text) keys of the pairs' documents, sorted; each text of a[k] is looked up
    # under b[k].
    wanted = np.zeros(max(int(doc_index.max(initial=-1)), int(a.max()), int(b.max())) + 1, dtype=bool)
    wanted[a] = wanted[b] = True
    rows = np.flatnonzero(wanted[doc_index] & usable[text_of])
    key = distinct(doc_index[rows].astype(np.int64) * n_texts + text_of[rows])
    owner = key // n_texts
    start = np.searchsorted(owner, a)
    count = np.searchsorted(owner, a, side="right") - start
    pair = np.repeat(np.arange(len(a)), count)
    at = np.repeat(start, count) + np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    other = b[pair].astype(np.int64) * n_texts + key[at] % n_texts
    found = places_in(key, other)[1]
    return np.bincount(pair[found], minlength=len(a)) > 0


def crowded_keys(
    linked: np.ndarray,
    doc_index: np.ndarray,
    fingerprint: np.ndarray,
    shingles: np.ndarray,
    sketches: Iterable[tuple[np.ndarray, np.ndarray]],
    linked_sketches: Iterable[np.ndarray],
    config: LinkConfig = LinkConfig(),  # noqa: B008
    reading: BodyReading | None = None,
) -> CrowdedKeys:
    """The keys of the LSH buckets of the documents a daily run links (`linked`, per document position)
    that hold more than `max_bucket` texts (paragraph LSH) or documents (the document LSH, and one hash
    function of the body sketches) in the whole corpus: tasks.link.link_corpus makes no pair in them, as a
    run over the whole corpus would not, however few of their texts the documents linked hold.

    doc_index, fingerprint, shingles, sketches: per body row of the corpus as relinked_documents takes them;
    linked_sketches: the sketch matrices of the linked documents' body rows (any blocks); reading: what
    relinked_documents took of the same rows (BodyReading), used when filled."""
    known = reading is not None and reading.text_of is not None and reading.documents is not None
    if known:
        text_of, documents = reading.text_of, reading.documents
    else:
        text_of, documents = np.unique(fingerprint, return_inverse=True)[1].ravel(), None
    n_docs, n_texts = len(linked), int(text_of.max(initial=-1)) + 1
    wanted = distinct(
        np.concatenate([np.empty(0, np.uint64)] + [band_keys(m, config).ravel() for m in linked_sketches])
    )
    maybe = _low_bits(wanted)
    hit_rank, hit_text = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    for where, matrix in sketches:
        if not known:
            if documents is None:
                documents = np.full((n_docs, matrix.shape[1]), np.iinfo(np.uint32).max, dtype=np.uint32)
            fold_minimum(documents, doc_index[where], matrix)
        (row, _), rank = _ranks_in(band_keys(matrix, config), wanted, maybe)
        hit_rank.append(rank)
        hit_text.append(text_of[where[row]])
    rank, text = np.concatenate(hit_rank), np.concatenate(hit_text)
    crowded = [wanted[_bucket_sizes(rank, text, len(wanted), n_texts) > config.max_bucket]]  # sorted
    width = 0 if documents is None else documents.shape[1]
    size = np.bincount(doc_index, weights=shingles, minlength=n_docs)
    usable = np.flatnonzero(size >= config.min_text_shingles)
    bandings = [(config.text_bands, config.text_rows), (width, 1)]
    for bands, rows in bandings:
        if width < bands * rows or width == 0:
            crowded.append(np.empty(0, np.uint64))
            continue
        keys = band_keys(documents[usable], LinkConfig(bands=bands, rows=rows))
        mine = distinct(keys[linked[usable]].ravel())
        (row, _), rank = _ranks_in(keys, mine, _low_bits(mine))
        crowded.append(mine[_bucket_sizes(rank, usable[row], len(mine), n_docs) > config.max_bucket])
    return CrowdedKeys(*crowded)


# Low bits of a key looked up in a bitmap before it is searched for among the wanted keys.
FILTER_BITS = 24


def _low_bits(wanted: np.ndarray) -> np.ndarray:
    """A bitmap of the wanted keys' low FILTER_BITS bits (the prefilter of _ranks_in)."""
    maybe = np.zeros(1 << FILTER_BITS, dtype=bool)
    maybe[(wanted & np.uint64((1 << FILTER_BITS) - 1)).astype(np.intp)] = True
    return maybe


def _ranks_in(keys: np.ndarray, wanted: np.ndarray, maybe: np.ndarray) -> tuple[tuple, np.ndarray]:
    """Where `keys` hold one of the `wanted` keys (sorted, distinct): the positions (np.nonzero's tuple), in
    order, and the rank of each one's key in `wanted`. Most keys of the corpus are none of them and are told
    so by one lookup in `maybe` (_low_bits(wanted)); only the others are searched for (a searchsorted of every
    key took 11 s at 100k documents)."""
    at = np.nonzero(maybe[(keys & np.uint64((1 << FILTER_BITS) - 1)).astype(np.intp)])
    found = keys[at]
    if len(wanted) == 0:
        return tuple(k[:0] for k in at), np.empty(0, np.int64)
    # Searched for in sorted order, then put back: a binary search for random keys misses the cache at
    # every step (at 100k documents most of the daily run's crowded_keys and relinked_documents, 4x slower).
    order = np.argsort(found)
    rank = np.empty(len(found), dtype=np.intp)
    rank[order] = np.minimum(np.searchsorted(wanted, found[order]), len(wanted) - 1)
    hit = wanted[rank] == found
    return tuple(k[hit] for k in at), rank[hit].astype(np.int64)


def _distinct_in_buckets(rank: np.ndarray, item: np.ndarray, n_items: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (rank, item) pairs, by rank then item: one sort of int64."""
    pairs = distinct(rank.astype(np.int64) * np.int64(n_items) + item.astype(np.int64))
    return pairs // n_items, pairs % n_items


def _bucket_sizes(rank: np.ndarray, item: np.ndarray, n_keys: int, n_items: int) -> np.ndarray:
    """Per key rank: how many distinct items its entries (rank, item) hold."""
    keys, _ = _distinct_in_buckets(rank, item, n_items)
    return np.bincount(keys, minlength=n_keys)


def _crowded(
    rank: np.ndarray, item: np.ndarray, old: np.ndarray, n_keys: int, n_items: int, max_bucket: int
) -> np.ndarray:
    """Per key rank: whether it holds more than `max_bucket` distinct items of which at most `max_bucket` are
    `old` (per item): a bucket this run's items made crowded (rank, item: one entry per item and key)."""
    keys, items = _distinct_in_buckets(rank, item, n_items)
    size = np.bincount(keys, minlength=n_keys)
    before = np.bincount(keys, weights=old[items].astype(np.float64), minlength=n_keys)
    return (size > max_bucket) & (before <= max_bucket)


def _buckets(key: np.ndarray, item: np.ndarray) -> tuple[np.ndarray, ...]:
    """(key, item, starts, sizes): the distinct (key, item) pairs, by key then item (a sort, not np.unique
    over rows, which is slow), and where each key's run starts and how many items it holds."""
    order = np.lexsort((item, key))
    key, item = key[order], item[order].astype(np.int64)
    first = np.r_[True, (key[1:] != key[:-1]) | (item[1:] != item[:-1])] if len(key) else np.zeros(0, bool)
    key, item = key[first], item[first]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
    return key, item, starts, np.diff(np.r_[starts, len(key)])


def _pairs_in_buckets(key: np.ndarray, doc: np.ndarray, fresh: np.ndarray, max_bucket: int | None) -> tuple:
    """(a, b) document pairs, one of them fresh, sharing a key of at most `max_bucket` documents (None: of
    any number)."""
    empty = np.empty(0, dtype=np.int64)
    if len(key) == 0:
        return empty, empty
    key, docs, starts, sizes = _buckets(key, doc)
    # Only keys holding a fresh document make pairs with one.
    with_fresh = np.add.reduceat(fresh[docs].astype(np.int64), starts) > 0
    small = (sizes > 1) & with_fresh & (sizes <= (len(key) if max_bucket is None else max_bucket))
    pairs = pairs_within_groups(docs, starts[small], sizes[small])
    pairs = pairs[fresh[pairs[:, 0]] | fresh[pairs[:, 1]]]
    lo, hi = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    flat = distinct(lo * np.int64(len(fresh)) + hi)
    return flat // len(fresh), flat % len(fresh)


def _document_bucket_pairs(
    documents: np.ndarray,
    usable: np.ndarray,
    fresh: np.ndarray,
    banding: LinkConfig,
    max_bucket: int,
) -> tuple[tuple, tuple]:
    """Among the documents `usable`: the (a, b) document pairs, one of them fresh, sharing a band key of their
    body sketches (`banding`) in a bucket of at most `max_bucket` documents; and the pairs of two stored
    (not fresh) documents sharing a bucket this run's documents made crowded that pair no more: sharing no
    other band key in a bucket of at most `max_bucket` documents."""
    keys = band_keys(documents[usable], banding)
    mine = distinct(keys[fresh[usable]].ravel())
    (row, _), key = _ranks_in(keys, mine, _low_bits(mine))
    doc = usable[row]
    was = _crowded(key, doc, ~fresh, len(mine), len(fresh), max_bucket)[key] & ~fresh[doc]
    a, b = _pairs_in_buckets(key[was], doc[was], ~fresh, None)
    # The band keys each lost pair still shares, and how many documents hold each of them now.
    at = np.full(len(fresh), -1, dtype=np.int64)
    at[usable] = np.arange(len(usable))
    ka, kb = keys[at[a]], keys[at[b]]
    shared = ka == kb
    wanted = distinct(ka[shared])
    (row, _), rank = _ranks_in(keys, wanted, _low_bits(wanted))
    small = _bucket_sizes(rank, row, len(wanted), len(usable)) <= max_bucket
    still = np.zeros(len(a), dtype=bool)
    pair, _ = np.nonzero(shared)
    if len(wanted):
        still[pair[small[np.searchsorted(wanted, ka[shared])]]] = True
    return _pairs_in_buckets(key, doc, fresh, max_bucket), (a[~still], b[~still])


def _one_story_or(close: np.ndarray, a: np.ndarray, b: np.ndarray, story: np.ndarray) -> np.ndarray:
    """Of pairs of stored documents that lost a candidate: those `close` or in one stored story."""
    return (story[a] >= 0) & (story[b] >= 0) & (close | (story[a] == story[b]))


def _rare_names_alike(fresh: np.ndarray, names: tuple[np.ndarray, np.ndarray], config: LinkConfig) -> tuple:
    """(a, b) document pairs, one of them fresh, whose sets of rare names and numbers (`names`: each
    document's, those printed in more than `max_name_documents` documents left out; each set of at least
    min_names / 2) reach half the Jaccard similarity
    name candidates need (tasks.stories.name_candidate_pairs estimates it from sketches; this errs on the
    side of more pairs)."""
    hashes, starts = names
    n_docs = np.int64(len(fresh))
    empty = np.empty(0, dtype=np.int64)
    if len(hashes) == 0:
        return empty, empty
    owner = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(starts))
    words, token = np.unique(hashes, return_inverse=True)
    n_tokens = len(words)
    flat = distinct(token.ravel().astype(np.int64) * n_docs + owner)  # (name, document), by name
    token, owner = flat // n_docs, flat % n_docs
    count = np.bincount(owner, minlength=int(n_docs))
    fresh_name = np.bincount(token[fresh[owner]], minlength=n_tokens) > 0
    token, owner = token[fresh_name[token]], owner[fresh_name[token]]
    if len(token) == 0:
        return empty, empty
    first = np.flatnonzero(np.r_[True, token[1:] != token[:-1]])
    pairs = pairs_within_groups(owner, first, np.diff(np.r_[first, len(token)]))
    pairs = pairs[fresh[pairs[:, 0]] | fresh[pairs[:, 1]]]
    lo, hi = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    key, shared = np.unique(lo * n_docs + hi, return_counts=True)
    a, b = key // n_docs, key % n_docs
    enough = max(config.min_names // 2, 1)
    jaccard = shared / np.maximum(count[a] + count[b] - shared, 1)
    # Or most of the smaller set in the other (a short rewrite's candidates, link-9), erring the same way.
    contained = shared / np.maximum(np.minimum(count[a], count[b]), 1)
    alike = (count[a] >= enough) & (count[b] >= enough)
    alike &= (jaccard >= config.min_name_jaccard / 2) | (contained >= config.min_name_containment * 0.75)
    return a[alike], b[alike]
