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

import numpy as np

from tasks.link import LinkConfig, band_keys, distinct, pairs_within_groups, stock_document_pairs


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
) -> np.ndarray:
    """Per document position: whether a daily run links it again.

    fresh: per document, new or in a stored story that lost or changed a member (linked again in any case);
    story: per document, its stored story's number (-1 for a new one); versions: per document, the label of
    the versions of one text it belongs to (tasks.stories.find_stories' `versions`); doc_index, fingerprint,
    shingles: per body row (the rows linking weighs), its document, text and shingle count; sketches: the
    body rows' sketches as (positions into the body rows, uint32 matrix) parts, every row once;
    fresh_sketches: the same for the body rows of fresh documents only; names: every document's names and
    numbers (tasks.stories.Names' hashes and starts)."""
    n_docs = len(fresh)
    if not fresh.any():
        return fresh.copy()
    touched = fresh.copy()
    row_fresh = fresh[doc_index]
    _, text_of, copies = np.unique(fingerprint, return_inverse=True, return_counts=True)
    text_of = text_of.ravel()
    # The same paragraph (a text printed more than max_copies times matches nothing by itself) ...
    fresh_text = np.zeros(len(copies), dtype=bool)
    fresh_text[text_of[row_fresh]] = True
    touched[doc_index[fresh_text[text_of] & (copies[text_of] <= config.max_copies)]] = True
    # ... or two such stock texts side by side (tasks.link.stock_document_pairs).
    n = np.int64(n_docs)
    stock = stock_document_pairs(doc_index, text_of, n_docs, config)
    stock = stock[fresh[stock // n] | fresh[stock % n]]
    touched[stock // n] = touched[stock % n] = True
    # A near paragraph: a band key of a fresh text, in a bucket of at most max_bucket texts.
    wanted = distinct(
        np.concatenate([np.empty(0, np.uint64)] + [band_keys(m, config).ravel() for _, m in fresh_sketches])
    )
    width = 0
    documents = None
    hit_key, hit_text = [np.empty(0, np.uint64)], [np.empty(0, np.int64)]
    for where, matrix in sketches:
        if documents is None:
            width = matrix.shape[1]
            documents = np.full((n_docs, width), np.iinfo(np.uint32).max, dtype=np.uint32)
        _fold_minimum(documents, doc_index[where], matrix)
        keys = band_keys(matrix, config)
        rank = np.minimum(np.searchsorted(wanted, keys), max(len(wanted) - 1, 0))
        row, band = np.nonzero(wanted[rank] == keys) if len(wanted) else (np.empty(0, int),) * 2
        hit_key.append(keys[row, band])
        hit_text.append(text_of[where[row]])
    touched |= _in_small_buckets(
        np.concatenate(hit_key), np.concatenate(hit_text), config.max_bucket, text_of, doc_index, n_docs
    )
    # A near whole text: the documents' body sketches in one band of the document LSH.
    if documents is not None and width >= config.text_bands * config.text_rows:
        size = np.bincount(doc_index, weights=shingles, minlength=n_docs)
        usable = np.flatnonzero(size >= config.min_text_shingles)
        banding = LinkConfig(bands=config.text_bands, rows=config.text_rows)
        keys = band_keys(documents[usable], banding)
        del documents
        wanted = distinct(keys[fresh[usable]].ravel())
        row, band = np.nonzero(np.isin(keys, wanted))
        touched |= _in_small_buckets(
            keys[row, band], usable[row], config.max_bucket, np.arange(n_docs), np.arange(n_docs), n_docs
        )
    touched |= _rare_names_alike(fresh, names, config)
    # Versions of one text, and whole stored stories, until nothing is added.
    while True:
        grown = touched | np.isin(versions, versions[touched])
        stored = story[grown & (story >= 0)]
        grown |= (story >= 0) & np.isin(story, stored)
        if (grown == touched).all():
            break
        touched = grown
    return touched


def _in_small_buckets(
    key: np.ndarray,
    text: np.ndarray,
    max_bucket: int,
    text_of: np.ndarray,
    doc_index: np.ndarray,
    n_docs: int,
) -> np.ndarray:
    """Per document: whether it prints a text sharing one of the keys with at most `max_bucket` distinct texts
    (key, text: one entry per text and key it holds; text_of, doc_index: per row, its text and document)."""
    out = np.zeros(n_docs, dtype=bool)
    if len(key) == 0:
        return out
    pairs = np.unique(np.stack([key.view(np.int64), text.astype(np.int64)], axis=1), axis=0)
    starts = np.flatnonzero(np.r_[True, pairs[1:, 0] != pairs[:-1, 0]])
    sizes = np.diff(np.r_[starts, len(pairs)])
    small = np.repeat(sizes <= max_bucket, sizes)
    texts = np.zeros(int(text_of.max(initial=-1)) + 1, dtype=bool)
    texts[pairs[small, 1]] = True
    out[doc_index[texts[text_of]]] = True
    return out


def _rare_names_alike(
    fresh: np.ndarray, names: tuple[np.ndarray, np.ndarray], config: LinkConfig
) -> np.ndarray:
    """Per document: whether its set of rare names and numbers (printed in at most `max_name_documents`
    documents) is alike a fresh document's, at half the Jaccard similarity name candidates need
    (tasks.stories.name_candidate_pairs estimates it from sketches; this errs on the side of more)."""
    hashes, starts = names
    n_docs = len(fresh)
    out = np.zeros(n_docs, dtype=bool)
    if len(hashes) == 0:
        return out
    owner = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(starts))
    words, token = np.unique(hashes, return_inverse=True)
    n_tokens = np.int64(len(words))
    flat = distinct(token.ravel().astype(np.int64) * n_docs + owner)  # (name, document), by name
    token, owner = flat // n_docs, flat % n_docs
    per_name = np.bincount(token, minlength=int(n_tokens))
    rare = per_name[token] <= config.max_name_documents
    token, owner = token[rare], owner[rare]
    count = np.bincount(owner, minlength=n_docs)
    fresh_name = np.zeros(int(n_tokens), dtype=bool)
    fresh_name[token[fresh[owner]]] = True
    token, owner = token[fresh_name[token]], owner[fresh_name[token]]
    if len(token) == 0:
        return out
    starts_ = np.flatnonzero(np.r_[True, token[1:] != token[:-1]])
    sizes = np.diff(np.r_[starts_, len(token)])
    pairs = pairs_within_groups(owner, starts_, sizes)
    pairs = pairs[fresh[pairs[:, 0]] | fresh[pairs[:, 1]]]
    key, shared = np.unique(
        np.minimum(pairs[:, 0], pairs[:, 1]) * n_docs + np.maximum(pairs[:, 0], pairs[:, 1]),
        return_counts=True,
    )
    a, b = key // n_docs, key % n_docs
    usable = (count[a] >= max(config.min_names // 2, 1)) & (count[b] >= max(config.min_names // 2, 1))
    jaccard = shared / np.maximum(count[a] + count[b] - shared, 1)
    alike = usable & (jaccard >= config.min_name_jaccard / 2)
    out[a[alike]] = out[b[alike]] = True
    return out


def _fold_minimum(documents: np.ndarray, owner: np.ndarray, matrix: np.ndarray) -> None:
    """documents[owner[k]] = min(documents[owner[k]], matrix[k]) for every k, by runs of one owner (as
    tasks.link.document_sketches folds them)."""
    if len(owner) == 0:
        return
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    runs = np.minimum.reduceat(matrix, starts, axis=0)
    first = owner[starts]
    if len(distinct(first)) == len(first):
        documents[first] = np.minimum(documents[first], runs)
    else:
        np.minimum.at(documents, first, runs)
