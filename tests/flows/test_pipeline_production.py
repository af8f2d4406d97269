"""The real `reprint run` against a real Prefect server: reruns change nothing, growth equals a fresh run,
a run killed at any point leaves the warehouse as it was, two runs at once never corrupt it, artifacts are
published, and the same flow on a Dask cluster (a scheduler and two workers) gives the single-process
warehouse."""

import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tasks.warehouse import TABLES, current_version, read_table, sort_table
from tests.flows.conftest import BIN, add_copy, api, free_port, reprint, reprint_async, stop, wait_until

pytestmark = pytest.mark.prefect


# Where and when the inputs were seen: a fresh run here reads a copy of the corpus in another folder, and a
# file written moments before a run has no trusted modification time.
ROOT_COLUMNS = ("input_root", "root", "mtime_ns")


def snapshot(warehouse: Path) -> dict:
    tables = {name: sort_table(read_table(warehouse, name), name) for name in TABLES}
    return {
        name: t.drop_columns([c for c in ROOT_COLUMNS if c in t.column_names]) for name, t in tables.items()
    }


def assert_same(mine: dict, theirs: dict) -> None:
    for name in TABLES:
        assert mine[name].equals(theirs[name]), f"table {name} differs"


def catalog_documents(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        return con.execute("select count(*) from documents").fetchall()[0][0]
    finally:
        con.close()


def run_ok(env, *args, extra=None) -> subprocess.CompletedProcess:
    done = reprint(env, "run", *map(str, args), "--no-report", extra=extra)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture
def fresh(client_env, corpus, tmp_path) -> dict:
    """The warehouse one run over the grown corpus (the seeds plus a copy) makes from nothing."""
    grown = add_copy(Path(shutil.copytree(corpus, tmp_path / "grown")))
    run_ok(client_env, grown, "--warehouse", tmp_path / "fresh")
    return snapshot(tmp_path / "fresh")


def test_rerun_changes_nothing_and_growth_equals_a_fresh_run(
    client_env, corpus, fresh, tmp_path, prefect_api
):
    wh = tmp_path / "wh"
    run_ok(client_env, corpus, "--warehouse", wh)
    version, before = current_version(wh), snapshot(wh)
    again = run_ok(client_env, corpus, "--warehouse", wh)
    assert "0 documents read" in again.stderr and "2 input files unchanged" in again.stderr
    assert current_version(wh) == version
    assert_same(snapshot(wh), before)

    grown = run_ok(client_env, add_copy(corpus), "--warehouse", wh)  # the copy is new and joins the story
    assert "1 documents read, 3 in the warehouse, 1 stories (1 aligned" in grown.stderr
    assert_same(snapshot(wh), fresh)

    found = api(
        "POST",
        f"{prefect_api}/artifacts/filter",
        {
            "artifacts": {"key": {"any_": ["reprint-story-fates", "reprint-run-summary"]}},
            "sort": "CREATED_DESC",
            "limit": 2,
        },
    )
    by_key = {a["key"]: a for a in found}
    rows = by_key["reprint-story-fates"]["data"]
    rows = rows if isinstance(rows, list) else __import__("json").loads(rows)
    assert rows[0]["members"] == 3 and rows[0]["survived"] > 0
    assert "documents in the warehouse | 3" in by_key["reprint-run-summary"]["data"]


# One point per stage of a run: before any writing, while tables are being staged, just before the switch.
CRASH_POINTS = [
    "after-prepare",
    "after-link",
    "mid-file-paragraphs",
    "after-table-paragraph_fates",
    "after-state",  # what linking keeps for the next run written into the version (tasks/link_state.py)
    "before-switch",
]


@pytest.mark.parametrize("mode", ["flow", "direct"])
def test_a_run_killed_at_any_point_leaves_the_warehouse_as_it_was(client_env, corpus, fresh, tmp_path, mode):
    """As the Prefect flow (an API configured) and in-process (none configured: flows/local.py)."""
    wh = tmp_path / "wh"
    env = client_env if mode == "flow" else {k: v for k, v in client_env.items() if k != "PREFECT_API_URL"}

    def killed_at(point: str) -> subprocess.CompletedProcess:
        return reprint(
            env,
            "run",
            str(corpus),
            "--warehouse",
            str(wh),
            "--no-report",
            *(["--verbose"] if mode == "direct" else []),  # the run's log lines, which Prefect's INFO shows
            extra={"REPRINT_CRASH_AT": point, "PREFECT_LOGGING_LEVEL": "INFO"},
        )

    run_ok(env, corpus, "--warehouse", wh)
    before = snapshot(wh)
    add_copy(corpus)
    prepared = []
    for point in CRASH_POINTS:
        killed = killed_at(point)
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr[-2000:])
        assert_same(snapshot(wh), before)
        assert catalog_documents(wh) == 2, point
        prepared += [
            line
            for line in killed.stderr.splitlines()
            if " paragraphs" in line and ("prepared " in line or "reused the staged shard" in line)
        ]
    # Reruns did not prepare again: the first killed run's staged part, keyed on the files and the step's
    # configuration, was still in the warehouse's staging area. (Read from each run's own log, written before
    # the kill: the server may never hear of a killed run's tasks.)
    assert len(prepared) == len(CRASH_POINTS), prepared
    assert "reused" not in prepared[0], prepared
    assert all("reused the staged shard" in line for line in prepared[1:]), prepared
    # Killed just after the commit point: the run's work is all there.
    assert killed_at("after-switch").returncode == -signal.SIGKILL
    assert_same(snapshot(wh), fresh)
    done = run_ok(env, corpus, "--warehouse", wh)  # the next run finds nothing left to do
    assert "0 documents read" in done.stderr
    assert_same(snapshot(wh), fresh)
    assert catalog_documents(wh) == 3
    assert len(list((wh / ".versions").iterdir())) <= 2


def add_notes(corpus: Path, n: int) -> Path:
    """`n` short unrelated notes, enough files for several shards."""
    (corpus / "more").mkdir(exist_ok=True)
    for k in range(n):
        (corpus / "more" / f"note{k}.txt").write_text(
            f"Note {k}: the harbour board met on day {k} and approved item {k * 7} of the plan at once.\n"
            f"\nMembers asked for figure {k * 13} to be published before the next meeting of the board.\n"
        )
    return corpus


def test_a_run_killed_while_its_workers_prepare_leaves_no_worker_and_resumes(client_env, corpus, tmp_path):
    add_notes(add_copy(corpus), 8)
    wh = tmp_path / "wh"
    started = time.monotonic()
    # Captured pipes: the call returns only when no process holding them is left (workers watch the run).
    killed = reprint(
        client_env,
        "run",
        str(corpus),
        "--warehouse",
        str(wh),
        "--no-report",
        "--files-per-shard",
        "2",
        extra={"REPRINT_CRASH_AT": "after-prepare-shard", "PREFECT_LOGGING_LEVEL": "INFO"},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert time.monotonic() - started < 150
    staged = [p for p in (wh / ".staging" / "prepare").iterdir() if ".tmp-" not in p.name]
    assert staged, "the killed run staged no shard"
    again = run_ok(
        client_env,
        corpus,
        "--warehouse",
        wh,
        "--files-per-shard",
        "2",
        extra={"PREFECT_LOGGING_LEVEL": "INFO"},
    )
    assert again.stderr.count("reused the staged shard") >= len(staged), again.stderr[-3000:]
    single = tmp_path / "single"
    run_ok(client_env, corpus, "--warehouse", single)
    assert_same(snapshot(wh), snapshot(single))


def test_two_runs_at_once_one_refuses_one_waits(client_env, corpus, fresh, tmp_path):
    wh, mark = tmp_path / "wh", tmp_path / "paused"
    add_copy(corpus)
    first = reprint_async(
        client_env,
        "run",
        str(corpus),
        "--warehouse",
        str(wh),
        "--no-report",
        extra={"REPRINT_PAUSE_AT": "after-link", "REPRINT_PAUSE_MARK": str(mark)},
    )
    try:
        wait_until(mark.exists, 120, "the first run to hold the warehouse")
        refused = reprint(client_env, "run", str(corpus), "--warehouse", str(wh), "--no-report")
        assert refused.returncode == 3
        assert "is in use by another reprint run" in refused.stderr and str(wh) in refused.stderr
        log = tmp_path / "waiting.log"
        with open(log, "w") as err:
            waiting = subprocess.Popen(
                [str(BIN / "reprint"), "run", str(corpus), "--warehouse", str(wh), "--no-report", "--wait"],
                env=client_env,
                stderr=err,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
        wait_until(lambda: "waiting for it to finish" in log.read_text(), 120, "the second run to wait")
        mark.with_suffix(".release").touch()
        assert first.wait(timeout=120) == 0
        assert waiting.wait(timeout=120) == 0, log.read_text()[-2000:]
    finally:
        stop(first)
    assert "0 documents read" in log.read_text()  # it ran after the first, which had done the work
    assert_same(snapshot(wh), fresh)


def test_the_flow_on_a_dask_cluster_gives_the_single_process_warehouse(client_env, corpus, tmp_path):
    add_notes(add_copy(corpus), 12)
    single = tmp_path / "single"
    run_ok(client_env, corpus, "--warehouse", single)  # one shard, in this process
    pooled = tmp_path / "pooled"
    run_ok(client_env, corpus, "--warehouse", pooled, "--files-per-shard", "3")  # six, in worker processes
    assert_same(snapshot(pooled), snapshot(single))
    port = free_port()
    scheduler = subprocess.Popen(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        env=client_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    address = f"tcp://127.0.0.1:{port}"
    workers = [
        subprocess.Popen(
            [
                str(BIN / "dask"),
                "worker",
                address,
                "--nthreads",
                "1",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                "--name",
                f"w{k}",
            ],
            env=client_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for k in range(2)
    ]
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            wait_until(lambda: len(client.scheduler_info()["workers"]) == 2, 60, "two Dask workers")
            clustered = tmp_path / "clustered"
            started = time.monotonic()
            done = run_ok(
                client_env,
                corpus,
                "--warehouse",
                clustered,
                "--files-per-shard",
                "2",
                "--dask-address",
                address,
            )
            assert time.monotonic() - started < 300
            ran = client.run(lambda dask_worker: len(dask_worker.state.log))
        assert all(n > 0 for n in ran.values()), f"a worker did no work: {ran}"  # the shards were shared
        assert "15 documents read" in done.stderr
        assert_same(snapshot(clustered), snapshot(single))
    finally:
        for process in [*workers, scheduler]:
            stop(process)
