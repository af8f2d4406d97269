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


# A small multi-story warehouse for the report page, the catalog and the README's queries: four outlets, two
# stories with republications (one cuts the ending, one adds a paragraph carrying a script), one lone article.
HARBOUR = [
    "Harbour workers in Port Elling voted on Monday to strike over pay, closing the container terminal for "
    "the first time in twenty years and leaving ships waiting offshore.",
    "The union said the vote passed with a large majority after months of talks with the port authority "
    "broke down over wages, night shifts and the use of temporary crews.",
    "Shipping companies warned that supermarket shelves could empty within a week if the cranes stay idle, "
    "and several lines began diverting vessels to the northern port of Callis.",
    "The port authority called the strike reckless and said its latest offer of a six percent rise over "
    "two years was fair to dockers and affordable for the regional economy.",
    "Local shopkeepers near the quay said trade had already slowed as lorry drivers stayed away from the "
    "gates, and cafes that serve the night crews closed early on Monday.",
    "Talks are expected to resume on Thursday under a mediator appointed by the labour ministry, who has "
    "asked both sides to avoid public statements until then.",
]
BRIDGE = [
    "The old iron bridge over the Marren river will close for repairs in April, the city council announced, "
    "after inspectors found corrosion in three of its supporting girders.",
    "Commuters will be sent across the new ferry link and a temporary footbridge, which engineers say can "
    "carry about two thousand pedestrians an hour during the morning rush.",
    "The repairs are expected to cost eleven million and last at least eight months, making it the longest "
    "closure since the bridge was rebuilt after the floods of 1987.",
    "Cyclists criticised the plan because the footbridge will be too narrow for bikes, forcing a detour of "
    "several kilometres through the industrial district to the east.",
    "The council promised to publish a full traffic plan before the end of February and to hold two public "
    "meetings in the riverside neighbourhoods most affected by the closure.",
]
WEATHER = [
    "Heavy snow is forecast for the hill villages this weekend, with up to forty centimetres expected above "
    "six hundred metres and strong winds drifting it across the mountain roads.",
    "Drivers are advised to carry chains and to check road reports before setting out on Saturday morning.",
]
SCRIPT = "<script>window.__pwned=1</script>"
CORPUS = {
    "gazette/harbour.txt": ("Dockers strike at Port Elling", HARBOUR, "2024-03-04"),
    "courier/harbour-short.txt": (
        "Port Elling strike",
        HARBOUR[:1] + [HARBOUR[1].replace("large", "narrow")] + HARBOUR[2:4],
        "2024-03-05",
    ),
    "herald/harbour.txt": (
        f"Strike {SCRIPT} at the port",
        HARBOUR[:3]
        + [f"Our reporter at the gates saw pickets singing {SCRIPT} through the night."]
        + HARBOUR[3:],
        "2024-03-06",
    ),
    "courier/bridge.txt": ("Marren bridge to close", BRIDGE, "2024-01-10"),
    "gazette/bridge.txt": (
        "Bridge closure",
        [BRIDGE[0], BRIDGE[2], BRIDGE[1], BRIDGE[3], BRIDGE[4]],
        "2024-01-11",
    ),
    "tribune/bridge.txt": ("Bridge closes in April", BRIDGE[:3], "2024-01-12"),
    "herald/weather.txt": ("Snow on the hills", WEATHER, "2024-02-01"),
}


def write_corpus(folder: Path) -> Path:
    """The corpus above as input files plus a manifest giving publication dates."""
    rows = ["path,published_at"]
    for path, (title, paragraphs, day) in CORPUS.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        rows.append(f"{path},{day}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "herald" / "photo.txt").write_bytes(bytes(range(256)) * 8)  # not text: a reject
    return folder


def build_warehouse(inputs: list[Path], root: Path) -> Path:
    """What `reprint run` does, through the same steps (tasks/run.py) without Prefect."""
    from tasks.run import run

    run([str(i) for i in inputs], str(root))
    return root


@pytest.fixture(scope="session")
def corpus_warehouse(tmp_path_factory) -> Path:
    """The small multi-story warehouse, built once per session; treat it as read-only."""
    base = tmp_path_factory.mktemp("corpus")
    return build_warehouse([write_corpus(base / "inputs")], base / "warehouse")


@pytest.fixture(scope="session")
def seed_warehouse(tmp_path_factory) -> Path:
    """The seed pair's warehouse, built once per session; treat it as read-only."""
    return build_warehouse([SEEDS], tmp_path_factory.mktemp("seeds") / "warehouse")
