"""What a run's linking keeps in the warehouse for the next run (docs/daily-run.md, *The link step's kept
state*): readings that depend on one document only, so a daily run reads the stored ones and computes those
of its new documents alone, where it computed every document's before.

The title rules (tasks.evidence.series_of, series_lead_of: Python over a title, called once per distinct
title) are the one kept so far: a corpus of 100,000 documents has some 50,000 distinct titles, and a daily
run adds few. Each reading is a function of the title and of the rules' code only, so a kept reading equals
the one computed again while the code is the same (`rules_version`); kept readings of another version are
ignored, and the file is written again whole by every run that links, for the titles of its corpus (those of
removed documents leave it, those of new ones join it). It is committed inside the warehouse's version with
the tables (tasks.warehouse.STATE), so a run killed before its commit leaves the stored one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from tasks import evidence
from tasks.evidence import series_lead_of, series_of
from tasks.link import LINK_VERSION

TITLE_SERIES = "title_series"
# The rules read per title, by the name of their columns in the kept file.
TITLE_RULES: dict[str, Callable[[str | None], tuple[str, str] | None]] = {
    "series": series_of,
    "lead": series_lead_of,
}


def rules_version() -> str:
    """The kept readings' version: the title rules' module (its text) and linking's version."""
    digest = hashlib.sha256(Path(evidence.__file__).read_bytes())
    digest.update(LINK_VERSION.encode())
    return digest.hexdigest()[:16]


@dataclass
class TitleReadings:
    """Per title rule (TITLE_RULES), the readings known by title: tasks.stories.series_codes looks a title
    up here before calling the rule, and adds what it computes."""

    seen: dict[str, dict[str, tuple[str, str] | None]] = field(
        default_factory=lambda: {rule: {} for rule in TITLE_RULES}
    )

    @classmethod
    def from_table(cls, table: pa.Table | None) -> TitleReadings:
        """The readings of a kept file, none when it is missing or of another version of the rules."""
        readings = cls()
        meta = (table.schema.metadata or {}) if table is not None else {}
        if table is None or meta.get(b"version") != rules_version().encode():
            return readings
        titles = table.column("title").to_pylist()
        for rule, seen in readings.seen.items():
            named = table.column(rule).to_pylist()
            instance = table.column(f"{rule}_instance").to_pylist()
            seen.update(
                (t, None if n is None else (n, i)) for t, n, i in zip(titles, named, instance, strict=True)
            )
        return readings

    def table(self, titles: list[str | None]) -> pa.Table:
        """The kept file: the readings of these titles (the corpus's), each once, by title."""
        wanted = sorted({t for t in titles if t})
        columns: dict[str, list] = {"title": wanted}
        for rule, seen in self.seen.items():
            read = TITLE_RULES[rule]
            found = [seen[t] if t in seen else seen.setdefault(t, read(t)) for t in wanted]
            columns[rule] = [x and x[0] for x in found]
            columns[f"{rule}_instance"] = [x and x[1] for x in found]
        schema = pa.schema([(name, pa.string()) for name in columns], metadata={"version": rules_version()})
        return pa.table(columns, schema=schema)
