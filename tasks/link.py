"""Stories: which documents are versions of one text, and in what order they were published.

Candidates come from MinHash LSH buckets over body paragraphs (never all pairs); a candidate pair becomes a
link when enough of the shorter document's body is matched in the longer one (containment, so a truncated
republication still joins). Linked documents form a story; its members are ordered by date, then source.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import numpy as np

LINK_VERSION = "link-1"


@dataclass(frozen=True)
class LinkConfig:
    """LSH banding (`bands` x `rows` = the sketch length) and the verification thresholds."""

    bands: int = 16
    rows: int = 4
    min_paragraph_jaccard: float = 0.5  # estimated from the sketches
    min_containment: float = 0.5  # share of the shorter document's body paragraphs matched
    max_bucket: int = 500  # a bucket this crowded is a stock phrase, not a shared text
    version: str = LINK_VERSION


@dataclass(frozen=True)
class Member:
    """A document's place in its story."""

    story_id: str
    doc_id: str
    version: int
    n_members: int


def _band_keys(sketches: np.ndarray, config: LinkConfig) -> np.ndarray:
    """One 64-bit key per (paragraph, band)."""
    n = sketches.shape[0]
    bands = sketches[:, : config.bands * config.rows].reshape(n, config.bands, config.rows).astype(np.uint64)
    keys = np.zeros((n, config.bands), dtype=np.uint64)
    for r in range(config.rows):
        keys = keys * np.uint64(1_000_003) + bands[:, :, r]
    return keys + np.arange(config.bands, dtype=np.uint64)[None, :] * np.uint64(0x9E3779B97F4A7C15)


def candidate_paragraph_pairs(doc_index: np.ndarray, sketches: np.ndarray, config: LinkConfig) -> np.ndarray:
    """(p, q) paragraph row pairs, p < q, from different documents, sharing at least one LSH bucket."""
    if len(doc_index) < 2:
        return np.empty((0, 2), dtype=np.int64)
    keys = _band_keys(sketches, config).ravel()
    rows = np.repeat(np.arange(sketches.shape[0]), config.bands)
    order = np.argsort(keys, kind="stable")
    keys, rows = keys[order], rows[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    pairs = []
    for s, e in zip(starts, ends, strict=True):
        if 1 < e - s <= config.max_bucket:
            members = rows[s:e]
            a, b = np.triu_indices(len(members), k=1)
            pairs.append(np.stack([members[a], members[b]], axis=1))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    found = np.unique(np.sort(np.concatenate(pairs), axis=1), axis=0)
    return found[doc_index[found[:, 0]] != doc_index[found[:, 1]]]


def link_documents(doc_ids: list[str], doc_index: np.ndarray, sketches: np.ndarray, body_counts: dict[str, int],
                   config: LinkConfig = LinkConfig()) -> list[tuple[str, str]]:
    """Verified links between documents.

    doc_index: for each body paragraph row, the position of its document in `doc_ids`;
    sketches: the rows' MinHash signatures; body_counts: body paragraphs per document.
    """
    pairs = candidate_paragraph_pairs(doc_index, sketches, config)
    if len(pairs) == 0:
        return []
    estimate = (sketches[pairs[:, 0]] == sketches[pairs[:, 1]]).mean(axis=1)
    pairs = pairs[estimate >= config.min_paragraph_jaccard]
    matched: dict[tuple[int, int], tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for p, q in pairs.tolist():
        a, b = int(doc_index[p]), int(doc_index[q])
        if a > b:
            a, b, p, q = b, a, q, p
        matched[(a, b)][0].add(p)
        matched[(a, b)][1].add(q)
    links = []
    for (a, b), (rows_a, rows_b) in sorted(matched.items()):
        na, nb = body_counts[doc_ids[a]], body_counts[doc_ids[b]]
        share = max(len(rows_a) / na if na else 0.0, len(rows_b) / nb if nb else 0.0)
        if share >= config.min_containment:
            links.append((doc_ids[a], doc_ids[b]))
    return links


def group_stories(doc_ids: list[str], links: list[tuple[str, str]], published: dict[str, datetime | None],
                  sources: dict[str, str]) -> list[Member]:
    """Stories as connected groups of links, members ordered as versions (0 = origin)."""
    parent = {d: d for d in doc_ids}

    def find(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for d in doc_ids:
        groups[find(d)].append(d)
    members = []
    for docs in groups.values():
        story_id = story_identifier(docs)
        ordered = sorted(docs, key=lambda d: version_key(published.get(d), sources[d]))
        members += [Member(story_id, d, v, len(docs)) for v, d in enumerate(ordered)]
    return sorted(members, key=lambda m: (m.story_id, m.version))


def story_identifier(doc_ids: list[str]) -> str:
    """Stable while membership is unchanged: a hash of the sorted member ids."""
    return hashlib.sha256("\n".join(sorted(doc_ids)).encode()).hexdigest()[:16]


def version_key(published_at: datetime | None, source: str) -> tuple:
    """Earliest date first; undated documents after dated ones; then source order."""
    return (published_at is None, published_at or datetime.min, source)
