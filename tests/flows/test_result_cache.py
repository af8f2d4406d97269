"""Pruning the flow's result cache: expired records of the flow's cached tasks go, everything else stays."""

import os
import time
from datetime import timedelta

from flows.result_cache import prune_results

DAY = 86400


def record(folder, name: str, age_days: float, size: int = 10):
    path = folder / name
    path.write_bytes(b"x" * size)
    then = time.time() - age_days * DAY
    os.utime(path, (then, then))
    return path


def test_expired_records_of_the_cached_tasks_are_deleted(tmp_path):
    old_prepare = record(tmp_path, "prepare-aaa", 31, size=100)
    old_align = record(tmp_path, "align-bbb", 45, size=50)
    fresh = record(tmp_path, "prepare-ccc", 29)
    foreign = record(tmp_path, "other-flow-result", 400)  # not ours: never touched
    (tmp_path / "prepare-folder").mkdir()

    removed, freed = prune_results(tmp_path, ("prepare-", "align-"), timedelta(days=30))

    assert (removed, freed) == (2, 150)
    assert not old_prepare.exists() and not old_align.exists()
    assert fresh.exists() and foreign.exists() and (tmp_path / "prepare-folder").is_dir()
    assert prune_results(tmp_path, ("prepare-", "align-"), timedelta(days=30)) == (0, 0)


def test_no_cache_folder_yet(tmp_path):
    assert prune_results(tmp_path / "storage", ("prepare-",), timedelta(days=30)) == (0, 0)
