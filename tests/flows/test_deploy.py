"""Scheduled runs on a real Prefect server, as a daily job runs: `python -m flows.deploy` (serve) and
prefect.yaml (`prefect deploy` + a process worker) each get a one-minute cron, and a run the scheduler
started must complete and fill its warehouse; Prefect's own CLI must work against the same server; a second
run must queue in Prefect while the first holds the warehouse."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tasks.warehouse import locked, read_table
from tests.flows.conftest import BIN, ROOT, api, stop, wait_until

pytestmark = pytest.mark.prefect

# The served and worker processes log at INFO (a user's default) so their run-logger lines reach the server.
LOUD = {
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_RUNNER_POLL_FREQUENCY": "1",
    "PREFECT_WORKER_QUERY_SECONDS": "1",
}


def start(env: dict, *command: str) -> subprocess.Popen:
    return subprocess.Popen(
        list(command),
        env={**env, **LOUD},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def serve(env: dict, corpus: Path, warehouse: Path, *options: str) -> subprocess.Popen:
    return start(
        env, sys.executable, "-m", "flows.deploy", str(corpus), "--warehouse", str(warehouse), *options
    )


def prefect(env: dict, *args: str, extra: dict | None = None) -> subprocess.CompletedProcess:
    """Prefect's own command line, as a user types it."""
    return subprocess.run(
        [str(BIN / "prefect"), "--no-prompt", *args],
        env={**env, **(extra or {})},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


def deployment(prefect_api: str, name: str) -> dict | None:
    found = api("POST", f"{prefect_api}/deployments/filter", {"deployments": {"name": {"any_": [name]}}})
    return found[0] if found else None


def state(prefect_api: str, run_id: str) -> dict:
    return api("GET", f"{prefect_api}/flow_runs/{run_id}")["state"]


def finished(prefect_api: str, run_id: str, timeout: float = 240) -> str:
    return wait_until(
        lambda: (s := state(prefect_api, run_id)["type"]) in {"COMPLETED", "FAILED", "CRASHED"} and s,
        timeout,
        f"flow run {run_id} to finish",
    )


def scheduled_run_completed(prefect_api: str, deployment_id: str) -> dict | None:
    """A run the server's scheduler created (auto_scheduled) for the deployment, once one has completed."""
    runs = api(
        "POST",
        f"{prefect_api}/flow_runs/filter",
        {
            "flow_runs": {
                "deployment_id": {"any_": [deployment_id]},
                "state": {"type": {"any_": ["COMPLETED", "FAILED", "CRASHED"]}},
            }
        },
    )
    for run in runs:
        assert run["state"]["type"] == "COMPLETED", run["state"]
    return next((r for r in runs if r["auto_scheduled"]), None)


def run_log(prefect_api: str, run_id: str) -> str:
    logs = api("POST", f"{prefect_api}/logs/filter", {"logs": {"flow_run_id": {"any_": [run_id]}}})
    return "\n".join(entry["message"] for entry in logs)


# What a scheduled run's log must hold, each as alternatives (a run may reuse a staged shard of a run killed
# before its commit).
RUN_LOG_LINES = (
    ("read 3 files",),
    ("(2 documents)",),
    ("linked 2 documents into 1 stories",),
    ("prepared 2 documents", "reused the staged shard of 2 documents"),
    ("rejected wire/empty.txt: not ingested: the file is empty",),
    ("committed version",),
)


def test_one_minute_crons_fire_scheduled_runs_that_fill_the_warehouse(
    client_env, corpus, tmp_path, prefect_api
):
    (corpus / "wire" / "empty.txt").write_text("")  # a reject, which the run's log must name
    served_wh, worker_wh, pool = tmp_path / "served", tmp_path / "worker", "reprint-test"
    served = serve(
        client_env, corpus, served_wh, "--cron", "* * * * *", "--timezone", "Europe/Paris", "--name", "minute"
    )
    worker = None
    try:
        created = prefect(client_env, "work-pool", "create", pool, "--type", "process")
        assert created.returncode == 0, created.stdout + created.stderr
        # prefect.yaml as a user deploys it, onto another pool and a one-minute schedule
        deployed = prefect(
            client_env,
            "deploy",
            "--name",
            "daily-worker",
            "--pool",
            pool,
            "--cron",
            "* * * * *",
            extra={"REPRINT_INPUT": str(corpus), "REPRINT_WAREHOUSE": str(worker_wh)},
        )
        assert deployed.returncode == 0, deployed.stdout[-3000:] + deployed.stderr[-3000:]
        worker = start(client_env, str(BIN / "prefect"), "worker", "start", "--pool", pool)

        by_serve = wait_until(lambda: deployment(prefect_api, "minute"), 120, "the served deployment")
        by_yaml = deployment(prefect_api, "daily-worker")
        assert [s["schedule"]["cron"] for s in by_serve["schedules"]] == ["* * * * *"]
        assert [s["schedule"]["timezone"] for s in by_serve["schedules"]] == ["Europe/Paris"]
        # prefect.yaml's daily schedule, and the one `--cron` added
        assert sorted(s["schedule"]["cron"] for s in by_yaml["schedules"]) == ["* * * * *", "0 3 * * *"]
        assert by_yaml["parameters"] == {"inputs": [str(corpus)], "warehouse": str(worker_wh), "wait": True}
        for dep in (by_serve, by_yaml):
            assert dep["global_concurrency_limit"]["limit"] == 1
            assert dep["concurrency_options"]["collision_strategy"] == "ENQUEUE"

        for dep, wh in ((by_serve, served_wh), (by_yaml, worker_wh)):
            run = wait_until(
                lambda dep=dep: scheduled_run_completed(prefect_api, dep["id"]),
                240,
                f"a scheduled run of {dep['name']} to complete",
            )
            assert read_table(wh, "documents").num_rows == 2
            # Log lines reach the server in batches, in no fixed order: wait for every line the run must log.
            log = wait_until(
                lambda run=run: (
                    (text := run_log(prefect_api, run["id"]))
                    and all(any(line in text for line in lines) for lines in RUN_LOG_LINES)
                    and text
                ),
                90,
                "every expected line of the run's log",
            )
            for lines in RUN_LOG_LINES:
                assert any(line in log for line in lines), (lines, log)

        listed = {
            args: subprocess.Popen(
                [str(BIN / "prefect"), *args.split()],
                env={**client_env, "COLUMNS": "300"},  # rich cuts table cells to fit 80 columns otherwise
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for args in (
                "deployment ls",
                "flow-run ls",
                "flow-run ls --state COMPLETED",
                "work-pool ls",
                "artifact ls",
                "block ls",
            )
        }
        outputs = {args: process.communicate(timeout=120)[0] for args, process in listed.items()}
        for args, process in listed.items():
            assert process.returncode == 0, f"prefect {args}: {outputs[args][-2000:]}"
        assert "minute" in outputs["deployment ls"] and "daily-worker" in outputs["deployment ls"]
        assert run["name"] in outputs["flow-run ls --state COMPLETED"]
        assert pool in outputs["work-pool ls"]
    finally:
        stop(served)
        if worker:
            stop(worker)


def test_a_second_run_waits_in_prefect_while_the_first_holds_the_warehouse(
    client_env, corpus, tmp_path, prefect_api
):
    wh = tmp_path / "wh"
    served = serve(client_env, corpus, wh, "--cron", "15 4 * * *", "--name", "nightly-test")
    try:
        dep = wait_until(lambda: deployment(prefect_api, "nightly-test"), 120, "the deployment")
        assert [s["schedule"]["timezone"] for s in dep["schedules"]] == ["UTC"]
        with locked(wh):  # as a long run would: the first run starts and waits for the lock
            first = api("POST", f"{prefect_api}/deployments/{dep['id']}/create_flow_run", {})
            wait_until(lambda: state(prefect_api, first["id"])["type"] == "RUNNING", 120, "the first run")
            second = api("POST", f"{prefect_api}/deployments/{dep['id']}/create_flow_run", {})
            wait_until(
                lambda: state(prefect_api, second["id"])["name"] == "AwaitingConcurrencySlot",
                120,
                "the second run to be held back",
            )
            assert state(prefect_api, second["id"])["type"] == "SCHEDULED"
            assert state(prefect_api, first["id"])["type"] == "RUNNING"
        assert finished(prefect_api, first["id"]) == "COMPLETED"
        assert finished(prefect_api, second["id"]) == "COMPLETED"
        assert read_table(wh, "documents").num_rows == 2
    finally:
        stop(served)


def test_serving_without_a_server_says_what_to_do(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "flows.deploy", str(tmp_path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "prefect server start" in done.stderr


def test_an_unknown_time_zone_is_refused(tmp_path, monkeypatch, capsys):
    from flows.deploy import main

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # never reached
    with pytest.raises(SystemExit) as refused:
        main([str(tmp_path), "--timezone", "Europe/Atlantis"])
    assert refused.value.code == 2 and "'Europe/Atlantis' is not a time zone" in capsys.readouterr().err
