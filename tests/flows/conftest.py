"""A real Prefect server (and helpers to run the real `reprint` command against it) for the few tests that
need one. Everything listens on 127.0.0.1, on free ports, and is stopped when the session ends."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SEEDS = ROOT / "seeds"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f} s")


def api(method: str, url: str, payload: dict | None = None, timeout: float = 60):
    """One Prefect API call, retried while the server answers 5xx or not at all (a shared CI machine can
    make its SQLite database busy for a moment); the decoded body. A 4xx, or a server still failing at the
    deadline, raises with the status and body so the failure says what the server said."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = httpx.request(method, url, json=payload, timeout=30)
            if last.status_code < 500:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if last is None or last.status_code >= 300:
        detail = "no answer" if last is None else f"{last.status_code}: {last.text[:500]}"
        raise AssertionError(f"{method} {url} failed: {detail}")
    return last.json()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory) -> str:
    """`prefect server start` on a free loopback port; its API URL."""
    home = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        # SQLite waits instead of failing a request while another writer holds the file (CI machines are slow)
        "PREFECT_SERVER_DATABASE_TIMEOUT": "60",
        "PREFECT_SERVER_DATABASE_CONNECTION_TIMEOUT": "30",
        # a run held back by a deployment's concurrency limit tries again after this (default 30 s)
        "PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS": "2",
    }
    log = open(home / "server.log", "w")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        wait_until(lambda: httpx.get(f"{api}/health", timeout=2).status_code == 200, 90, "the Prefect server")
        yield api
    finally:
        stop(server)
        log.close()


@pytest.fixture
def client_env(prefect_api, tmp_path) -> dict:
    """Environment for a `reprint` process reporting to the session's server."""
    home = tmp_path / "prefect-client"
    home.mkdir()
    return {
        **os.environ,
        "PREFECT_API_URL": prefect_api,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "ERROR",
    }


def reprint(
    env: dict, *args: str, timeout: float = 180, extra: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the real command line; returns the finished process (stderr captured)."""
    return subprocess.run(
        [str(BIN / "reprint"), *args],
        env={**env, **(extra or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def reprint_async(env: dict, *args: str, extra: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "reprint"), *args],
        env={**env, **(extra or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )


@pytest.fixture
def corpus(tmp_path) -> Path:
    """The seed pair, as the wire service's folder."""
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder / "wire")
    return folder


def add_copy(corpus: Path) -> Path:
    """A third version of the seed story, from another outlet, with two paragraphs dropped."""
    origin = (SEEDS / "000_428487f81ed86623.txt").read_text(encoding="utf-8").split("\n\n")
    (corpus / "daily").mkdir()
    (corpus / "daily" / "copy.txt").write_text("\n\n".join(origin[:6] + origin[8:]), encoding="utf-8")
    return corpus
