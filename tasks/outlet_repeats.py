"""Under how many groups of documents an outlet printed each text (`outlet_repeats`), and what a daily run
keeps of those counts to judge again only the texts its new documents reach (`KeptRepeats`; docs/daily-run.md,
*The outlet-text counts kept*).

The count is linking's most repeated pass over the corpus: text held out of linking (under two URL groups),
furniture inside an outlet's versions (three groups), and after linking the `repeated` flags (two stories,
shared news under three), each over every paragraph row. A row's count is a function of the rows printing its
text only (their outlets, and which of their documents are in one group), so a run that keeps every text's
counts and the groups it counted them under needs to count again only the texts a document whose rows or
group changed prints (a new, replaced or removed document, or one whose group gained or lost a member), and
reads the others' as kept.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks.link import LINK_VERSION

# Paragraph rows taken at once by outlet_repeats.
_ROWS_PART = 1 << 20

# The kept files (tasks.warehouse.STATE): the counts by group name, text and outlet; each document's group
# labels (the least doc_id of its group) by group name.
REPEATS = "outlet_repeats"
DOCUMENT_GROUPS = "document_groups"
# Counts are kept from 2 up to TOP: the callers compare them with 2 and 3 (held out, furniture, shared news),
# so 1 reads as 0 and more than 3 as 3, and only texts repeated under two groups or more are kept.
TOP = 3


def levels(counts: np.ndarray) -> np.ndarray:
    """outlet_repeats' counts as kept: 0 under 2, at most TOP."""
    return np.where(counts >= 2, np.minimum(counts, TOP), 0)


def outlet_repeats(outlet: np.ndarray, group: np.ndarray, fingerprint: np.ndarray) -> np.ndarray:
    """Per paragraph row: under how many groups its outlet printed its text, where that outlet printed at
    least half of its copies, 0 elsewhere and for an unknown outlet (-1): repeated_in_outlet_rows at any
    number of groups from one count.

    A row's answer depends only on the rows printing its text, so the rows are taken in parts by
    fingerprint, about `_ROWS_PART` at a time (the sorts below hold about 100 bytes a row)."""
    parts = -(-len(outlet) // _ROWS_PART)
    if parts <= 1:
        return _outlet_repeats(outlet, group, fingerprint)
    out = np.zeros(len(outlet), dtype=np.int64)
    for part in range(parts):
        rows = np.flatnonzero(fingerprint % parts == part)
        out[rows] = _outlet_repeats(outlet[rows], group[rows], fingerprint[rows])
    return out


def _outlet_repeats(outlet: np.ndarray, group: np.ndarray, fingerprint: np.ndarray) -> np.ndarray:
    known = np.flatnonzero(outlet >= 0)
    out = np.zeros(len(outlet), dtype=np.int64)
    if len(known) == 0:
        return out
    _, text_of, copies = np.unique(fingerprint, return_inverse=True, return_counts=True)
    text_of = text_of.ravel()
    order = known[_outlet_text_group_order(outlet[known], text_of[known], group[known])]
    o, f, g = outlet[order], fingerprint[order], group[order]
    new_text = np.r_[True, (o[1:] != o[:-1]) | (f[1:] != f[:-1])]
    new_group = new_text | np.r_[True, g[1:] != g[:-1]]
    text = np.cumsum(new_text) - 1
    in_outlet = np.bincount(text)[text]
    groups = np.bincount(text, weights=new_group).astype(np.int64)[text]
    out[order] = np.where(2 * in_outlet >= copies[text_of[order]], groups, 0)
    return out


def _outlet_text_group_order(outlet: np.ndarray, text: np.ndarray, group: np.ndarray) -> np.ndarray:
    """An order of the rows by outlet, then text (a dense code), then group: one int64 key sorted, not a
    lexsort of three columns (which took a tenth of a daily run's link step at 100k, six calls over every
    row). Rows with all three equal may come in any order; the callers count runs."""
    keys = [np.asarray(k, dtype=np.int64) for k in (outlet, text, group)]
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    lows = [int(k.min()) for k in keys]
    spans = [int(k.max()) - low + 1 for k, low in zip(keys, lows, strict=True)]
    if spans[0] * spans[1] * spans[2] >= 1 << 62:
        return np.lexsort(tuple(reversed(keys)))
    o, t, g = (k - low for k, low in zip(keys, lows, strict=True))
    return np.argsort((o * spans[1] + t) * spans[2] + g)


def repeats_version() -> str:
    """The kept counts' version: this module's text (the count and what is kept of it), linking's version."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{LINK_VERSION} {TOP}".encode())
    return digest.hexdigest()[:16]


def group_labels(doc_ids: pa.Array, group: np.ndarray, order: np.ndarray | None = None) -> pa.Array:
    """Per document: the least doc_id of its group (`group`: per document, a group number). Two documents
    share a label exactly when they share a group, in any run, whatever the numbers or the documents' order.
    order: the documents' positions by doc_id, when known."""
    n = len(group)
    order = pc.sort_indices(doc_ids).to_numpy() if order is None else order
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    least = np.full(int(group.max()) + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(least, group, rank)
    return pc.take(doc_ids, pa.array(order[least[group]]))


class KeptRepeats:
    """outlet_repeats (as `levels`) for a run, by group name ("url", "versions", "story", ...): counted
    over every row when nothing usable is kept, else counted again only for the texts a changed document
    prints, the kept counts read for the others; and what the run keeps for the next (`tables`).

    kept: the stored REPEATS and DOCUMENT_GROUPS files (None when missing); dropped: the doc_ids this run
    drops or replaces, and gone: the fingerprints of their stored rows. `bind` gives the corpus."""

    def __init__(
        self,
        kept: tuple[pa.Table | None, pa.Table | None] = (None, None),
        dropped: pa.Array | None = None,
        gone: np.ndarray | None = None,
    ) -> None:
        self.kept = kept
        self.dropped = pa.array([], pa.string()) if dropped is None else dropped
        self.gone = np.zeros(0, dtype=np.int64) if gone is None else np.asarray(gone, dtype=np.int64)
        self.counted: dict[str, pa.Table] = {}  # by group name: fingerprint, outlet, count (2 .. TOP)
        self.labels: dict[str, pa.Array] = {}
        self.recounted: dict[str, int] = {}  # by group name: the rows counted again
        self.stored_counts = self.stored_labels = None

    def bind(self, doc_ids: pa.Array, outlets: pa.Array, fresh: np.ndarray | None) -> KeptRepeats:
        """The corpus counted: its documents in the order of the group arrays, the outlet of each outlet code,
        and per document whether its rows may differ from the kept ones' (new, replaced, or of a stored story
        that lost a member; None: count everything)."""
        self.doc_ids, self.outlets, self.fresh = doc_ids, outlets, fresh
        order = pc.sort_indices(doc_ids).to_numpy()
        self._order = order
        self.counted, self.labels, self.recounted = {}, {}, {}
        self.stored_counts, self.stored_labels = self._usable(*self.kept)
        return self

    def _usable(self, counts: pa.Table | None, labels: pa.Table | None) -> tuple:
        version = repeats_version().encode()
        if self.fresh is None or counts is None or labels is None:
            return None, None
        if any((t.schema.metadata or {}).get(b"version") != version for t in (counts, labels)):
            return None, None
        # A document the kept labels name that is no longer in the corpus must be one this run drops, whose
        # rows' texts (`gone`) are counted again; else the files are not this corpus's (nothing is used).
        ids = labels.column("doc_id")
        away = ids.filter(pc.invert(pc.is_in(ids, value_set=self.doc_ids)))
        if len(away) and not pc.all(pc.is_in(away, value_set=self.dropped)).as_py():
            return None, None
        return counts, (labels, pc.index_in(self.doc_ids, value_set=ids))

    def of(self, name: str, outlet: np.ndarray, doc_index: np.ndarray, group: np.ndarray, fp: np.ndarray):
        """Per paragraph row (outlet code, its document's position, fingerprint): outlet_repeats under the
        groups `group` (per document), as `levels`."""
        labels = group_labels(self.doc_ids, group, self._order)
        self.labels[name] = labels
        stored = None if self.stored_counts is None else self._stored(name)
        if stored is None:
            counts = levels(outlet_repeats(outlet, group[doc_index], fp))
            self.recounted[name] = len(fp)
            self.counted[name] = self._counts(outlet, fp, counts, np.arange(len(fp)))
            return counts
        kept, before = stored
        same = pc.fill_null(pc.equal(before, labels), False).to_numpy(zero_copy_only=False)
        changed = self.fresh | ~same
        dirty_texts = np.union1d(np.unique(fp[changed[doc_index]]), self.gone)
        dirty = pc.is_in(pa.array(fp), value_set=pa.array(dirty_texts)).to_numpy(zero_copy_only=False)
        again = np.flatnonzero(dirty)
        self.recounted[name] = len(again)
        counts = np.zeros(len(fp), dtype=np.int64)
        counts[again] = levels(outlet_repeats(outlet[again], group[doc_index[again]], fp[again]))
        # The other texts' counts are the kept ones (a text counted again is never read from them).
        kept = kept.filter(pc.invert(pc.is_in(kept.column("fingerprint"), value_set=pa.array(dirty_texts))))
        code = pc.cast(pc.index_in(kept.column("outlet"), value_set=self.outlets), pa.int64())
        keyed = pa.table(
            {"fingerprint": kept.column("fingerprint"), "code": code, "count": kept.column("count")}
        )
        keyed = keyed.filter(pc.is_valid(code))
        # The clean rows of a text with a kept count (most texts are printed under one group: none kept).
        clean = np.flatnonzero(~dirty & (outlet >= 0))
        held = pc.is_in(pa.array(fp[clean]), value_set=keyed.column("fingerprint"))
        clean = clean[held.to_numpy(zero_copy_only=False)]
        if len(clean):
            rows = pa.table({"fingerprint": fp[clean], "code": outlet[clean].astype(np.int64), "row": clean})
            found = rows.join(keyed, ["fingerprint", "code"], join_type="inner")
            counts[found.column("row").to_numpy()] = found.column("count").to_numpy()
        self.counted[name] = pa.concat_tables(
            [kept.select(["fingerprint", "outlet", "count"]), self._counts(outlet, fp, counts, again)]
        )
        return counts

    def _stored(self, name: str) -> tuple[pa.Table, pa.Array] | None:
        labels, at = self.stored_labels
        if name not in labels.column_names:
            return None
        counts = self.stored_counts.filter(pc.equal(self.stored_counts.column("name"), name))
        return counts, pc.take(labels.column(name), at)

    def _counts(self, outlet: np.ndarray, fp: np.ndarray, counts: np.ndarray, rows: np.ndarray) -> pa.Table:
        """The (text, outlet, count) triples of `rows` counted 2 or more, each once."""
        rows = rows[counts[rows] >= 2]
        # Each (text, outlet) once: its rows share one count (a hash grouping, not a sort of the rows).
        each = pa.table(
            {"fingerprint": fp[rows], "code": outlet[rows], "count": counts[rows].astype(np.int8)}
        )
        each = each.group_by(["fingerprint", "code"]).aggregate([("count", "max")])
        return pa.table(
            {
                "fingerprint": each.column("fingerprint"),
                "outlet": pc.take(self.outlets, each.column("code")),
                "count": each.column("count_max"),
            }
        )

    def tables(self) -> dict[str, pa.Table]:
        """The files a run keeps: every text's counts and every document's labels, by group name."""
        meta = {"version": repeats_version()}
        counts = pa.concat_tables(
            [
                t.select(["fingerprint", "outlet", "count"]).append_column(
                    "name", pa.array([name] * t.num_rows, pa.string())
                )
                for name, t in sorted(self.counted.items())
            ]
            or [pa.table({"fingerprint": pa.array([], pa.int64())})]
        )
        counts = counts.sort_by(
            [("name", "ascending"), ("fingerprint", "ascending"), ("outlet", "ascending")]
        )
        labels = pa.table({"doc_id": self.doc_ids, **dict(sorted(self.labels.items()))})
        labels = labels.sort_by("doc_id")
        return {
            REPEATS: counts.replace_schema_metadata(meta),
            DOCUMENT_GROUPS: labels.replace_schema_metadata(meta),
        }
