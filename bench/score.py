"""Scoring fates against gold: per-fate precision, recall and F1, macro-F1, and a confusion matrix.

Rows are compared as (base_para_idx, para_idx) keys: a predicted row is right when gold has the same key with
the same fate. The confusion matrix pairs the gold and predicted fates of each key; `none` marks a key that
only one side has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

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
