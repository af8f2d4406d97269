"""A warehouse's history: the committed versions it keeps (`DIR/.versions/<n>-<run>/`), what each held, and
how much disk each costs on its own. Versions share the files they did not change (hard links), so keeping a
week of daily versions costs only what changed each day; `own_bytes` says how much that is.

How long versions are kept: when a run starts it keeps the current version and the one before (a reader may
still be reading it) and every version committed within the last $REPRINT_KEEP_DAYS days (`reprint run
--keep-days N`; default 0: only those two), then commits its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq

from tasks.limits import size_text

KEEP_DAYS_ENV = "REPRINT_KEEP_DAYS"


def keep_days() -> float:
    """How many days committed versions are kept ($REPRINT_KEEP_DAYS; 0 when unset)."""
    text = os.environ.get(KEEP_DAYS_ENV, "").strip()
    try:
        days = float(text) if text else 0.0
    except ValueError:
        raise ValueError(f"${KEEP_DAYS_ENV} must be a number of days, not {text!r}") from None
    if days < 0:
        raise ValueError(f"${KEEP_DAYS_ENV} must be 0 or more, not {days}")
    return days


def committed_at(version: Path) -> datetime:
    """When a version was committed: its folder is complete, and never changed again, once it is."""
    return datetime.fromtimestamp(version.stat().st_mtime, UTC)


@dataclass(frozen=True)
class Version:
    number: int
    name: str  # the folder's name: number and run id
    committed_at: datetime
    current: bool
    rows: dict[str, int]  # per table
    own_bytes: int  # bytes of the files no other version shares


def versions(root: Path) -> list[Version]:
    """The committed versions of the warehouse at `root`, oldest first."""
    from tasks.warehouse import TABLES, VERSIONS, current_version, version_number

    current = current_version(root)
    if current is None:
        return []
    found = []
    for folder in sorted((root / VERSIONS).iterdir(), key=version_number):
        if version_number(folder) > version_number(current):
            continue  # half-built by a run that did not commit
        rows, own = {}, 0
        for table in TABLES:
            files = sorted((folder / table).glob("*.parquet"))
            rows[table] = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
            stats = [f.stat() for f in files]
            own += sum(s.st_size for s in stats if s.st_nlink == 1)
        found.append(
            Version(version_number(folder), folder.name, committed_at(folder), folder == current, rows, own)
        )
    return found


def render_history(found: list[Version], console, output: str = "table") -> None:
    """The versions as a table (or JSON lines for scripts)."""
    from rich.table import Table

    from tasks.terminal import json_lines

    if output == "json":
        json_lines(console, found)
        return
    table = Table(title=f"{len(found)} versions kept, oldest first (compare two: docs/history.md)")
    for column in (
        "version",
        "committed (UTC)",
        "documents",
        "paragraphs",
        "story members",
        "fates",
        "own size",
    ):
        table.add_column(column, justify="right" if column != "committed (UTC)" else "left")
    for v in found:
        table.add_row(
            f"{v.number}{' (current)' if v.current else ''}",
            v.committed_at.strftime("%Y-%m-%d %H:%M:%S"),
            *(f"{v.rows[t]:,}" for t in ("documents", "paragraphs", "story_members", "paragraph_fates")),
            size_text(v.own_bytes),
        )
    console.print(table)
