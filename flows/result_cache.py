"""Pruning the flow's result cache. Two tasks persist their results (content-keyed, kept for CACHE_FOR) so a
run redone after a crash reuses them; Prefect ignores an expired record but never deletes it, so without this
PREFECT_HOME would grow by every shard ever prepared or aligned."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path


def prune_results(folder: Path, prefixes: tuple[str, ...], older_than: timedelta) -> tuple[int, int]:
    """Delete the records named `<prefix>...` in `folder` last written more than `older_than` ago.

    A record expires `older_than` after it was written and a cache hit does not rewrite it, so its age is
    its expiry. Other files (other flows' results) are left alone. Returns (files removed, bytes freed).
    """
    cutoff = time.time() - older_than.total_seconds()
    removed = freed = 0
    if not folder.is_dir():
        return removed, freed
    for path in folder.iterdir():
        if not path.name.startswith(prefixes) or not path.is_file():
            continue
        try:
            stat = path.stat()
            if stat.st_mtime < cutoff:
                path.unlink()
                removed, freed = removed + 1, freed + stat.st_size
        except FileNotFoundError:  # another run pruned it first
            continue
    return removed, freed
