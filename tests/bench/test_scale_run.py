"""bench/scale_corpus.py and bench/scale_run.py's plumbing on tiny corpora: the parallel generator writes
make_corpus's corpus byte for byte, and a run killed with SIGKILL resumes from its staged parts and ends with
the tables of a run not killed, as the bench records it. No timed assertion."""

import filecmp
import json
import os
import time

from bench.scale_corpus import generate
from bench.scale_run import main, render
from bench.throughput import make_corpus


def same_folders(a, b) -> bool:
    compared = filecmp.dircmp(a, b)
    if compared.left_only or compared.right_only or compared.diff_files or compared.funny_files:
        return False
    files = [name for name in compared.common_files]
    _, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    return not mismatch and not errors and all(same_folders(a / d, b / d) for d in compared.common_dirs)


def test_the_parallel_corpus_and_its_prefix_are_make_corpus(tmp_path):
    generate(45, tmp_path / "parallel", [17], processes=2)
    for n in (45, 17):
        assert same_folders(tmp_path / "parallel" / f"corpus-{n}", make_corpus(n, tmp_path / "serial"))
    # A prefix shares the big corpus's files (hard links), it is no second copy.
    one = next((tmp_path / "parallel" / "corpus-17").glob("*/*.txt"))
    assert one.stat().st_nlink == 2


def test_a_killed_run_resumes_and_ends_with_the_tables_of_a_run_not_killed(tmp_path):
    corpus = make_corpus(40, tmp_path)
    # Files written a moment ago have a modification time too recent to trust (tasks.changes.RACY_NS): the
    # run that reads them first stores none, a later run stores it, so `inputs` would differ by when each
    # run read them, not by the kill. Backdated, every run trusts them.
    hour_ago = time.time_ns() - 3_600 * 10**9
    for path in corpus.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(hour_ago, hour_ago))
    out = tmp_path / "scale.json"
    args = ["same-tables", str(corpus), "--work", str(tmp_path / "work"), "--json", str(out)]
    section = main([*args, "--files-per-shard", "5", "--kill", r"prepared \d+ documents:2"])
    killed, resumed = section["runs"]
    assert killed["exit_code"] == -9 and killed["killed"]
    staged = killed["staged_on_disk"]["prepare"]
    assert staged >= 2 and killed["peak_rss_mb"] > 50
    # The second run redoes none of the shards the killed one staged, and prepares the others.
    assert resumed["killed"] is None and resumed["prepare_shards"]["reused"] == staged
    assert resumed["prepare_shards"]["prepared"] + staged == 8
    assert section["same_tables"] and section["resumed_tables"]["documents"]["rows"] == 40
    stored = json.loads(out.read_text())
    assert stored["same-tables"] == section and "the same" in render(stored)
