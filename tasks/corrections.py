"""A wire's correction re-sent as a story of its own (issue 12, class 2; link-25).

A news agency that finds a wrong figure or name in a story it has sent sends the story again, its title
marked ("CORRECTED - LIFETIME<LFT> TO BUY NIPPON LACE SAHRES"), the paragraph that was wrong rewritten and a
note at its end ("- Corrects to show Nippon's affiliate Koba buying stake in Lifetime"), the rest as it was.
In a short take the paragraph corrected is a large share of the text (a third of three paragraphs and the
note), so the correction keeps under the share of its text verbatim that an update keeps (`min_contained`);
what tells it from another story of the wire's morning (two banks' rate cuts on one template) is the wire's
own mark in its title, with its lead sent again word for word.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from tasks.link import LinkConfig

# The mark a wire puts before a corrected story's title (Reuters: "CORRECTED - ", AP: "CORRECTION:",
# "Corrected:"). A repeat ("RPT", "REFILED") sends the same text and is linked as such.
_CORRECTED = re.compile(r"^\s*(?:corrected|correction)\s*[-:\u2013\u2014]", re.IGNORECASE)


def is_correction(title: str | None) -> bool:
    """Whether a title carries a wire's correction mark."""
    return bool(title) and _CORRECTED.match(title) is not None


def correction_pairs(
    docs: pa.Table,
    outlet: np.ndarray,
    day: np.ndarray,
    doc_index: np.ndarray,
    body: np.ndarray,
    fingerprint: np.ndarray,
    para_idx: np.ndarray,
    config: LinkConfig,
) -> np.ndarray:
    """(earlier, correction) document pairs: a document whose title carries a correction mark and each
    document of its outlet dated at most `correction_days` apart that prints the correction's lead (its first
    body paragraph) and `min_shared` of its body paragraphs verbatim. outlet, day: per document (-1: unknown
    outlet; stories._page_days); body: the rows read (ascending); doc_index, fingerprint, para_idx: per
    paragraph row."""
    empty = np.empty((0, 2), dtype=np.int64)
    if "title" not in docs.column_names or config.correction_days < 0:
        return empty
    titles = docs.column("title").to_pylist()
    marked = [d for d, t in enumerate(titles) if outlet[d] >= 0 and day[d] >= 0 and is_correction(t)]
    if not marked:
        return empty
    owner, printed = doc_index[body], fingerprint[body]
    # The rows grouped by document once (a stable sort keeps each document's rows ascending), so a document's
    # rows are a slice, not a pass over the corpus's rows for every marked document and every one it meets.
    order = np.argsort(owner, kind="stable")
    grouped = owner[order]

    def rows_of(d: int) -> np.ndarray:
        lo, hi = np.searchsorted(grouped, [d, d + 1])
        return body[order[lo:hi]]

    # Each marked document's paragraphs in reading order (`para_idx`): its lead is the first.
    texts: dict[int, list[int]] = {}
    for d in marked:
        rows = rows_of(d)
        texts[d] = fingerprint[rows[np.argsort(para_idx[rows], kind="stable")]].tolist()
    pairs = []
    for d in marked:
        if not texts[d]:
            continue
        lead, own = texts[d][0], set(texts[d])
        # The outlet's documents printing the lead verbatim, then their shared paragraphs counted.
        near = np.flatnonzero((printed == lead) & (owner != d))
        for e in np.unique(owner[near]).tolist():
            dated = day[e] >= 0 and abs(int(day[e]) - int(day[d])) <= config.correction_days
            if outlet[e] != outlet[d] or not dated:
                continue
            shared = own & set(fingerprint[rows_of(e)].tolist())
            if len(shared) >= config.min_shared:
                pairs.append((e, d))
    return np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
