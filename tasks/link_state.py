"""What a run's linking keeps in the warehouse for the next run (docs/daily-run.md, *The link step's kept
state*): readings that depend on one document only, so a daily run reads the stored ones and computes those
of its new documents alone, where it computed every document's before.

The title rules (tasks.evidence.series_of, series_lead_of, standing_title_of: Python over a title, called
once per distinct title) are what is kept so far: a corpus of 100,000 documents has some 50,000 distinct
titles, and a daily run adds few. Each reading is a function of the title and of the rules' code only, so a
kept reading equals the one computed again while the code is the same (`rules_version`); kept readings of
another version are ignored, and the file is written again whole by every run that links, for the titles of
its corpus (those of removed documents leave it, those of new ones join it). It is committed inside the
warehouse's version with the tables (tasks.warehouse.STATE), so a run killed before its commit leaves the
stored one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from tasks import evidence
from tasks.evidence import series_lead_of, series_of, standing_title_of
from tasks.link import LINK_VERSION

TITLE_SERIES = "title_series"
# The rules read per title, by the name of their columns in the kept file, and how many strings a reading is
# (a pair is kept as two columns, `rule` and `rule_instance`; a title naming nothing reads None).
TITLE_RULES: dict[str, tuple[Callable[[str | None], object], int]] = {
    "series": (series_of, 2),
    "lead": (series_lead_of, 2),
    "standing": (standing_title_of, 1),
}


def rules_version() -> str:
    """The kept readings' version: the title rules' module (its text), the rules kept, linking's version."""
    digest = hashlib.sha256(Path(evidence.__file__).read_bytes())
    digest.update(f"{LINK_VERSION} {sorted((r, w) for r, (_, w) in TITLE_RULES.items())}".encode())
    return digest.hexdigest()[:16]


def _columns(rule: str) -> list[str]:
    return [rule, f"{rule}_instance"][: TITLE_RULES[rule][1]]


@dataclass
class TitleReadings:
    """Per title rule (TITLE_RULES), the readings known by title: tasks.stories looks a title up here before
    calling the rule (series_codes, _yearly_reader), and adds what it computes."""

    seen: dict[str, dict[str, object]] = field(default_factory=lambda: {rule: {} for rule in TITLE_RULES})
    kept: pa.Table | None = None  # the kept file of the corpus's titles, once made (settle)

    @classmethod
    def from_table(cls, table: pa.Table | None) -> TitleReadings:
        """The readings of a kept file, none when it is missing or of another version of the rules."""
        readings = cls()
        meta = (table.schema.metadata or {}) if table is not None else {}
        if table is None or meta.get(b"version") != rules_version().encode():
            return readings
        titles = table.column("title").to_pylist()
        for rule, seen in readings.seen.items():
            parts = [table.column(c).to_pylist() for c in _columns(rule)]
            if len(parts) == 1:
                seen.update(zip(titles, parts[0], strict=True))
            else:
                seen.update(
                    (t, None if n is None else (n, i)) for t, n, i in zip(titles, *parts, strict=True)
                )
        return readings

    def table(self, titles: list[str | None]) -> pa.Table:
        """The kept file: the readings of these titles (the corpus's), each once, by title."""
        wanted = sorted({t for t in titles if t})
        columns: dict[str, list] = {"title": wanted}
        for rule, seen in self.seen.items():
            read, width = TITLE_RULES[rule]
            found = [seen[t] if t in seen else seen.setdefault(t, read(t)) for t in wanted]
            if width == 1:
                columns[rule] = found
                continue
            columns[rule] = [x and x[0] for x in found]
            columns[f"{rule}_instance"] = [x and x[1] for x in found]
        schema = pa.schema([(name, pa.string()) for name in columns], metadata={"version": rules_version()})
        return pa.table(columns, schema=schema)

    def settle(self, titles: list[str | None]) -> pa.Table:
        """The kept file of these titles (the corpus's, `table`), made once linking has read every title, and
        the readings by title let go: as Python objects they are about 300 bytes a distinct title (64 MB at
        200,000 generated documents), and linking's peak comes after the titles are read (docs/memory.md)."""
        self.kept = self.table(titles)
        self.seen = {rule: {} for rule in TITLE_RULES}
        return self.kept
