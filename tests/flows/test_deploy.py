"""The served deployment: `python -m flows.deploy` registers a cron schedule on a real Prefect server and runs
the flow when a run is requested."""

import os
import subprocess
import sys

import pytest

from tasks.warehouse import read_table
from tests.flows.conftest import ROOT, api, stop, wait_until

pytestmark = pytest.mark.prefect


def test_serve_registers_a_cron_schedule_and_runs_on_request(client_env, corpus, tmp_path, prefect_api):
    wh = tmp_path / "wh"
    env = {**client_env, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    served = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flows.deploy",
            str(corpus),
            "--warehouse",
            str(wh),
            "--cron",
            "15 4 * * *",
            "--name",
            "nightly-test",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:

        def deployment():
            found = api(
                "POST",
                f"{prefect_api}/deployments/filter",
                {"deployments": {"name": {"any_": ["nightly-test"]}}},
            )
            return found[0] if found else None

        dep = wait_until(deployment, 120, "the deployment to be registered")
        assert [s["schedule"]["cron"] for s in dep["schedules"]] == ["15 4 * * *"]
        assert dep["parameters"]["warehouse"] == str(wh)

        run = api("POST", f"{prefect_api}/deployments/{dep['id']}/create_flow_run", {})
        state = wait_until(
            lambda: (
                (s := api("GET", f"{prefect_api}/flow_runs/{run['id']}")["state"]["type"])
                in {"COMPLETED", "FAILED", "CRASHED"}
                and s
            ),
            240,
            "the served run to finish",
        )
        assert state == "COMPLETED"
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
