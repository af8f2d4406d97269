"""Whether a Prefect API is configured (`api_configured`: with none, and no Dask cluster, `reprint run` runs
in-process and never imports Prefect, flows/local.py), and the API a run as a Prefect flow reports to: the
server PREFECT_API_URL names (in the environment or the active Prefect profile), or, with none configured and
`--prefect` given, a temporary local server started by this module at the very start of the run.

Prefect 3.8.8 starts its own temporary server only when the flow is called: after `import prefect` and the
pipeline's imports (about 2 s), it launches a second Python that imports Prefect's server code (3-5 s) and
waits for it. Started here first, that second Python imports on the other core while this one imports the
pipeline, and the run waits only for what is left (docs/startup.md has the measurements). The server is the
one Prefect would start (uvicorn serving `prefect.server.api.server:create_app`, UI and background services
off, the SQLite database in PREFECT_HOME), so the run's history, logs and artifacts land where they did.

Anything that may configure Prefect otherwise (PREFECT_API_URL or a profile naming a server, ephemeral mode
turned off, a .env, prefect.toml or [tool.prefect] in the working folder, Prefect already imported) leaves
everything to Prefect, as before.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Mapping
from pathlib import Path

# Prefect's own temporary server runs with these (prefect/server/api/server.py, SubprocessASGIServer): no UI,
# and `PREFECT__SERVER_EPHEMERAL` keeps the scheduler and the other loop services from starting.
_SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
_FALSE = ("0", "false", "no", "off")


def _profile_settings(env: Mapping[str, str]) -> dict[str, str]:
    """The active Prefect profile's settings: Prefect's default profiles overlaid with the user's file."""
    spec = importlib.util.find_spec("prefect")  # finds the package without running its (slow) __init__
    profiles: dict[str, dict] = {}
    active = None
    sources = [Path(spec.submodule_search_locations[0]) / "settings" / "profiles.toml"] if spec else []
    home = Path(env.get("PREFECT_HOME", "~/.prefect")).expanduser()
    sources.append(Path(env.get("PREFECT_PROFILES_PATH", home / "profiles.toml")).expanduser())
    for path in sources:
        try:
            data = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError):
            continue
        active = data.get("active", active)
        for name, values in data.get("profiles", {}).items():
            profiles.setdefault(name, {}).update(values)
    name = env.get("PREFECT_PROFILE") or active or "ephemeral"
    return {k: str(v) for k, v in profiles.get(name, {}).items()}


def _folder_api_url(folder: Path) -> str | None:
    """The API URL a Prefect settings file in the working folder names (`.env`, `prefect.toml`'s `[api] url`,
    pyproject.toml's `[tool.prefect.api] url`), read as Prefect reads them."""
    try:
        for line in (folder / ".env").read_text().splitlines():
            name, _, value = line.strip().removeprefix("export ").partition("=")
            if name.strip() == "PREFECT_API_URL" and value.strip().strip("'\""):
                return value.strip().strip("'\"")
    except OSError:
        pass
    files = (("prefect.toml", ("api", "url")), ("pyproject.toml", ("tool", "prefect", "api", "url")))
    for name, keys in files:
        try:
            value = tomllib.loads((folder / name).read_text())
        except (OSError, tomllib.TOMLDecodeError):
            continue
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value:
            return str(value)
    return None


def api_configured(env: Mapping[str, str], folder: Path) -> bool:
    """Whether the user told Prefect where its API is: PREFECT_API_URL in the environment, the active
    profile (`prefect config set PREFECT_API_URL=...`) or a settings file of the working folder."""
    if env.get("PREFECT_API_URL") or _profile_settings(env).get("PREFECT_API_URL"):
        return True
    return _folder_api_url(folder) is not None


def api_configured_here() -> bool:
    """`api_configured` for this process. With Prefect already imported (a script, a test harness) its own
    settings say, being what a flow run here would use."""
    if "prefect" in sys.modules:
        from prefect.settings import get_current_settings

        return bool(get_current_settings().api.url)
    return api_configured(os.environ, Path.cwd())


def _folder_configures_prefect(folder: Path) -> bool:
    """Whether the working folder holds a Prefect settings file (read by Prefect, not by this module)."""
    if (folder / ".env").is_file() or (folder / "prefect.toml").is_file():
        return True
    try:
        return "[tool.prefect" in (folder / "pyproject.toml").read_text()
    except OSError:
        return False


def temporary_server_wanted(env: Mapping[str, str], folder: Path) -> bool:
    """Whether Prefect, left alone, would start a temporary server for a run with this environment in this
    working folder, and nothing else might configure it."""
    if env.get("PREFECT_API_URL") or _folder_configures_prefect(folder):
        return False
    profile = _profile_settings(env)
    if profile.get("PREFECT_API_URL"):
        return False
    enabled = (
        env.get("PREFECT_SERVER_EPHEMERAL_ENABLED")
        or env.get("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE")
        or profile.get("PREFECT_SERVER_EPHEMERAL_ENABLED")
        or profile.get("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE")
        or "false"  # Prefect's default when no profile turns it on
    )
    return enabled.strip().lower() not in _FALSE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TemporaryServer:
    """A local Prefect server for one run: started at once, waited for only when the flow needs it."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.process = self._launch()
        atexit.register(self.stop)  # after Prefect's own exit hooks have sent the last logs and events

    def _launch(self) -> subprocess.Popen:
        command = [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error"]
        return subprocess.Popen(command, env={**os.environ, **_SERVER_ENV}, stdin=subprocess.DEVNULL)

    def wait_ready(self, timeout: float) -> None:
        """Return once the server answers; raise, saying why, when it does not within `timeout` seconds."""
        import urllib.request  # here: http.client and ssl cost an in-process run ~0.1 s for nothing

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:  # 3: another process took the port between our look and its bind
                raise RuntimeError(f"the temporary Prefect server exited with code {code} while starting")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(
            f"the temporary Prefect server did not answer within {timeout:.0f} s "
            "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)"
        )

    def stop(self) -> None:
        """Stop the server (it finishes its requests and closes the database first)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_api() -> TemporaryServer | None:
    """Start a temporary server now when this run would need one, and point Prefect at it (before Prefect is
    imported: Prefect reads its settings once, at import). None: Prefect is configured some other way."""
    if "prefect" in sys.modules or not temporary_server_wanted(os.environ, Path.cwd()):
        return None  # Prefect already read its settings (a test, a script), or something else sets them
    server = TemporaryServer()
    os.environ["PREFECT_API_URL"] = server.api_url
    return server
