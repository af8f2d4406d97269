"""Scoring reprint's output against gold: the one copy every benchmark uses.

- Fates: per-fate precision, recall and F1, macro-F1, and a confusion matrix. Rows are compared as
  (base_para_idx, para_idx) keys: a predicted row is right when gold has the same key with the same fate. The
  confusion matrix pairs the gold and predicted fates of each key; `none` marks a key that only one side has.
- Grouping: pairwise precision, recall and F1 (and the adjusted Rand index) of two labelings of documents:
  a pair of documents counts when both labelings put it in one group.
- Boilerplate: precision and recall of flagged paragraphs against gold paragraphs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

FATES = ("survived", "moved", "changed", "split", "merged", "disappeared", "appeared")
NONE = "none"
Row = tuple[int | None, int | None, str]


@dataclass
class Score:
    """Counts accumulated over many (origin, republication) pairs."""

    confusion: Counter = field(default_factory=Counter)  # (gold fate or none, predicted fate or none) -> rows
    pairs: int = 0

    def add(self, gold: Iterable[Row], predicted: Iterable[Row]) -> None:
        """Add one pair's gold and predicted rows."""
        gold_by_key = {(b, j): f for b, j, f in gold}
        pred_by_key = {(b, j): f for b, j, f in predicted}
        for key in gold_by_key.keys() | pred_by_key.keys():
            self.confusion[(gold_by_key.get(key, NONE), pred_by_key.get(key, NONE))] += 1
        self.pairs += 1

    def prf(self, fate: str) -> tuple[float, float, float, int]:
        """(precision, recall, F1, gold support) of one fate."""
        tp = self.confusion[(fate, fate)]
        predicted = sum(n for (_, p), n in self.confusion.items() if p == fate)
        support = sum(n for (g, _), n in self.confusion.items() if g == fate)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1, support

    def macro_f1(self) -> float:
        """Mean F1 over the fates that occur in gold."""
        scores = [self.prf(f)[2] for f in FATES if self.prf(f)[3]]
        return sum(scores) / len(scores) if scores else 0.0

    def table(self, name: str) -> str:
        """Per-fate table as Markdown."""
        lines = [f"| {name} | precision | recall | F1 | gold rows |", "|---|---:|---:|---:|---:|"]
        for fate in FATES:
            p, r, f1, n = self.prf(fate)
            lines.append(f"| {fate} | {p:.3f} | {r:.3f} | {f1:.3f} | {n} |")
        lines.append(f"| **macro-F1** | | | **{self.macro_f1():.3f}** | |")
        return "\n".join(lines)

    def confusion_table(self, name: str) -> str:
        """Gold fates as rows, predicted fates as columns, as Markdown."""
        labels = (*FATES, NONE)
        lines = [
            f"| {name}: gold \\ predicted | " + " | ".join(labels) + " |",
            "|---" + "|---:" * len(labels) + "|",
        ]
        for g in labels:
            lines.append(f"| {g} | " + " | ".join(str(self.confusion[(g, p)]) for p in labels) + " |")
        return "\n".join(lines)


def pairwise_scores(gold: np.ndarray, found: np.ndarray) -> dict[str, float]:
    """Pairwise precision, recall, F1 and the adjusted Rand index of two labelings."""
    _, g = np.unique(gold, return_inverse=True)
    _, f = np.unique(found, return_inverse=True)
    cells = np.unique(g.astype(np.int64) * (f.max() + 1) + f, return_counts=True)[1]

    def pairs(counts: np.ndarray) -> float:
        return float((counts.astype(np.float64) * (counts - 1) / 2).sum())

    both, in_gold, in_found = pairs(cells), pairs(np.bincount(g)), pairs(np.bincount(f))
    total = len(gold) * (len(gold) - 1) / 2
    expected = in_gold * in_found / total if total else 0.0
    agreement = (in_gold + in_found) / 2 - expected
    precision = both / in_found if in_found else 1.0
    recall = both / in_gold if in_gold else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "ari": (both - expected) / agreement if agreement else 1.0,
    }


def grouping_scores(
    gold: dict[str, str], found: dict[str, str], strangers: dict[str, str] | None = None
) -> dict[str, float]:
    """Pairwise scores of two {document: group} maps over the documents gold names (a document `found` misses
    is a group of its own). `strangers`: documents of the same run gold does not name, with the groups found
    for them (another corpus the labelled one was run inside): a gold document found in one group with a
    stranger is a wrong pair, counted against precision; pairs of two strangers are not counted."""
    docs = sorted(gold)
    codes: dict[str, int] = {}
    g = np.array([codes.setdefault(("g", gold[d]), len(codes)) for d in docs], dtype=np.int64)
    f = np.array(
        [codes.setdefault(("f", found.get(d, "missing:" + d)), len(codes)) for d in docs], dtype=np.int64
    )
    scores = (
        pairwise_scores(g, f) if len(docs) > 1 else {"precision": 1.0, "recall": 1.0, "f1": 1.0, "ari": 0.0}
    )
    mixed = stranger_pairs(gold, found, strangers or {})
    if mixed:
        sizes = Counter(found.get(d, "missing:" + d) for d in docs).values()
        found_pairs = sum(n * (n - 1) // 2 for n in sizes)
        right = round(scores["precision"] * found_pairs)
        p, r = right / (found_pairs + mixed), scores["recall"]
        scores = scores | {"precision": p, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return scores


def stranger_pairs(gold: dict[str, str], found: dict[str, str], strangers: dict[str, str]) -> int:
    """How many pairs of a document gold names and a stranger (a document it does not name) share a group."""
    ours = Counter(found[d] for d in gold if d in found)
    theirs = Counter(group for d, group in strangers.items() if d not in gold)
    return sum(n * theirs[group] for group, n in ours.items())


def precision_recall(gold: set, flagged: set) -> dict[str, float | int]:
    """Precision and recall of a flagged set against a gold set (1.0 when the denominator is empty)."""
    hit = len(gold & flagged)
    precision = hit / len(flagged) if flagged else 1.0
    recall = hit / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": len(gold), "flagged": len(flagged)}
