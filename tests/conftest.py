"""Test settings that must hold before prefect is imported anywhere: an isolated PREFECT_HOME per session
(cached results would otherwise leak between runs) and no telemetry."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_home = tempfile.mkdtemp(prefix="reprint-prefect-")
os.environ["PREFECT_HOME"] = _home
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
# A busy 2-core machine can take longer than Prefect's default 20 s to start the temporary server.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "ERROR")

import pytest  # noqa: E402

SEEDS = ROOT / "seeds"
ORIGIN_SEED = SEEDS / "000_428487f81ed86623.txt"
REPUBLICATION_SEED = SEEDS / "001_ec22db0aeefa05d3.txt"


@pytest.fixture
def seed_texts() -> tuple[str, str]:
    """The two seed documents' raw text: (origin, republication)."""
    return ORIGIN_SEED.read_text(encoding="utf-8"), REPUBLICATION_SEED.read_text(encoding="utf-8")
