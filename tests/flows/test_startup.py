"""`reprint`'s start-up: the commands that run no flow never import Prefect, neither does `reprint run` when
no Prefect API is configured (it runs in-process), and `reprint run --prefect` starts its temporary Prefect
server itself, at once, only when nothing else tells Prefect where its API is, and its run logger's lines
reach that server before it stops (docs/startup.md)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from flows.prefect_api import api_configured, temporary_server_wanted

ROOT = Path(__file__).resolve().parents[2]
# Runs the CLI, then says whether Prefect was imported on the way.
_PROBE = (
    "import sys\nfrom flows.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    "print('prefect imported' if 'prefect' in sys.modules else 'prefect not imported')\n"
)


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k != "PYTHONPATH"}
    return env | {"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


@pytest.mark.parametrize("args", [["--version"], ["sql", "--list"], ["report"], ["page"]])
def test_commands_that_run_no_flow_do_not_import_prefect(args, seed_warehouse, tmp_path):
    if args[0] != "--version":
        args = [*args, "--warehouse", str(seed_warehouse)]
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        cwd=ROOT,
        env=_clean_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "prefect not imported", done.stderr


def test_run_without_a_prefect_api_does_not_import_prefect(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, "run", str(ROOT / "seeds"), "--warehouse", str(tmp_path / "w")],
        cwd=tmp_path,
        env=_clean_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "prefect not imported", done.stderr
    assert "2 documents read, 2 in the warehouse, 1 stories (1 aligned in this run)" in done.stderr
    assert (tmp_path / "w" / "report" / "index.html").exists()
    assert not (tmp_path / "home" / "prefect.db").exists()  # no server, temporary or not, was started


def test_an_api_is_configured_by_the_environment_a_profile_or_a_settings_file(tmp_path):
    home, folder = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    folder.mkdir()
    env = {"PREFECT_HOME": str(home)}
    assert not api_configured(env, folder)  # Prefect's default profile names no server
    assert api_configured(env | {"PREFECT_API_URL": "http://127.0.0.1:4200/api"}, folder)
    assert api_configured(env | {"PREFECT_PROFILE": "local"}, folder)  # Prefect's profile naming one
    (home / "profiles.toml").write_text(
        'active = "mine"\n[profiles.mine]\nPREFECT_API_URL = "http://10.0.0.5:4200/api"\n'
    )
    assert api_configured(env, folder)  # `prefect config set PREFECT_API_URL=...`
    (home / "profiles.toml").unlink()
    (folder / ".env").write_text("DATABASE=x\n")
    assert not api_configured(env, folder)  # a .env about something else
    (folder / ".env").write_text("export PREFECT_API_URL='http://10.0.0.5:4200/api'\n")
    assert api_configured(env, folder)
    (folder / ".env").unlink()
    (folder / "prefect.toml").write_text('[logging]\nlevel = "INFO"\n')
    assert not api_configured(env, folder)
    (folder / "prefect.toml").write_text('[api]\nurl = "http://10.0.0.5:4200/api"\n')
    assert api_configured(env, folder)
    (folder / "prefect.toml").unlink()
    (folder / "pyproject.toml").write_text('[tool.prefect.api]\nurl = "http://10.0.0.5:4200/api"\n')
    assert api_configured(env, folder)


def test_temporary_server_only_when_nothing_else_configures_prefect(tmp_path):
    home, folder = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    folder.mkdir()
    env = {"PREFECT_HOME": str(home)}
    assert temporary_server_wanted(env, folder)  # Prefect's default profile: ephemeral
    assert not temporary_server_wanted(env | {"PREFECT_API_URL": "http://127.0.0.1:4200/api"}, folder)
    assert not temporary_server_wanted(env | {"PREFECT_SERVER_ALLOW_EPHEMERAL_MODE": "false"}, folder)
    assert not temporary_server_wanted(env | {"PREFECT_PROFILE": "local"}, folder)  # names a server
    # `prefect config set PREFECT_API_URL=...` writes the user's profiles file.
    (home / "profiles.toml").write_text(
        'active = "mine"\n[profiles.mine]\nPREFECT_API_URL = "http://10.0.0.5:4200/api"\n'
    )
    assert not temporary_server_wanted(env, folder)
    (home / "profiles.toml").write_text('active = "mine"\n[profiles.mine]\nPREFECT_LOGGING_LEVEL = "INFO"\n')
    assert not temporary_server_wanted(env, folder)  # a profile that does not turn ephemeral mode on
    (home / "profiles.toml").write_text('active = "ephemeral"\n')
    assert temporary_server_wanted(env, folder)
    (folder / "prefect.toml").write_text('[api]\nurl = "http://10.0.0.5:4200/api"\n')
    assert not temporary_server_wanted(env, folder)  # Prefect reads it: leave it to Prefect


@pytest.mark.prefect
def test_run_with_prefect_reports_its_flow_run_and_log_to_the_server_it_started(tmp_path):
    home = tmp_path / "home"
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "reprint"),
            "run",
            str(ROOT / "seeds"),
            "--warehouse",
            str(tmp_path / "w"),
            "--prefect",
        ],
        cwd=tmp_path,
        env=_clean_env(home),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(home / "prefect.db") as db:  # the database the temporary server wrote
        states = db.execute("SELECT state_type FROM flow_run").fetchall()
        logs = [m for (m,) in db.execute("SELECT message FROM log")]
    assert states == [("COMPLETED",)]
    assert any(m.startswith("committed version") for m in logs), logs
    assert any("2 documents (2 added or replaced) in 1 stories" in m for m in logs), logs
