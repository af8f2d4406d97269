"""bench/run_bench.py's plumbing on a tiny corpus: it runs the real CLI for its measurements, stores every
figure with where and when it was measured, and the page is what `render` makes of the stored JSON. No timed
assertion: the figures of a hundred documents say nothing about speed."""

import csv
import json

import pytest

from bench.run_bench import STEP_ENDS, TARGETS, main, render


def test_run_bench_measures_reprint_run_and_renders_its_json(tmp_path, monkeypatch):
    # A Prefect setting of the process running the bench does not reach the runs: they take the path of a
    # user with no Prefect server (in-process), as the page says.
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    out, page = tmp_path / "run.json", tmp_path / "run.md"
    args = ["--documents", "120", "--rss-documents", "120", "240", "--incremental-documents", "120"]
    # Start-up is left out: two more runs of the CLI, and its plumbing is the same run_cli.
    args += [
        "--only",
        "end-to-end",
        "incremental",
        "--budget-seconds",
        "0.001",
        "--work",
        str(tmp_path / "work"),
    ]
    results = main([*args, "--json", str(out), "--page", str(page)])
    stored = json.loads(out.read_text())
    assert stored == results and page.read_text() == render(stored)
    assert stored["commit"] and stored["machine"]["cpus"] and len(stored["load_average_start"]) == 3
    assert stored["targets"] == TARGETS
    now = stored["code"]["current"]
    assert "startup" not in now
    (run,) = now["sizes"]["runs"]  # 240 documents are over the tiny budget: skipped, saying why
    assert run["documents"] == run["files"] == 120 and run["words"] > 0
    assert run["peak_rss_mb"] >= run["largest_process_rss_mb"] > 50  # a Python process with pyarrow
    assert run["over_floor"] == pytest.approx(run["seconds"] / run["floor_seconds"], rel=0.05)
    # Where the seconds went, from the run's --verbose log: every step, adding up to the run.
    steps = run["steps"]
    assert list(steps) == [step for step, _ in STEP_ENDS] + ["shutdown"]
    assert min(steps.values()) >= 0 and sum(steps.values()) == pytest.approx(run["seconds"], abs=0.1)
    assert steps["prepare shards"] > 0 and steps["link"] > 0 and steps["report pages"] > 0
    assert "Where the seconds go" in page.read_text()
    (skipped,) = now["sizes"]["skipped"]
    assert skipped["documents"] == 240 and "budget" in skipped["reason"]
    inc = now["incremental"]
    assert (inc["documents"], inc["new_documents"]) == (120, 1)
    assert inc["idle_over_full"] == pytest.approx(inc["idle_seconds"] / inc["full_seconds"], rel=0.02)
    # Each of the three runs' steps, adding up to it: a run with nothing new links nothing.
    for name, seconds in (
        ("full", "full_seconds"),
        ("idle", "idle_seconds"),
        ("incremental", "incremental_seconds"),
    ):
        assert sum(inc["steps"][name].values()) == pytest.approx(inc[seconds], abs=0.1)
    assert inc["steps"]["idle"]["link"] == 0 and inc["steps"]["incremental"]["link"] > 0
    assert "240 documents not run" in page.read_text()
    assert not (tmp_path / "work" / "prefect-template-current" / "prefect.db").exists()  # no server was used


def test_incremental_corpus_grows_by_the_next_documents(tmp_path):
    """The daily run's corpus: the first n documents, then the next ones added beside them (same files)."""
    from bench.run_bench import _link_documents
    from bench.throughput import make_corpus

    grown = make_corpus(30, tmp_path)
    with open(grown / "manifest.csv", newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    folder = tmp_path / "daily"
    _link_documents(grown, folder, rows[:27], header)
    assert len(list(folder.rglob("*.txt"))) == 27
    _link_documents(grown, folder, rows, header)
    assert sorted(p.relative_to(folder) for p in folder.rglob("*.txt")) == sorted(
        p.relative_to(grown) for p in grown.rglob("*.txt")
    )
    assert (folder / "manifest.csv").read_text() == (grown / "manifest.csv").read_text()
