"""What `reprint run` prints into a warehouse that held stories already: the stories that run aligned."""

from flows.cli import main
from tasks.warehouse import read_table
from tests.tasks.test_incremental import COUNCIL, OBSERVATORY, ORCHARD, _write


def _story_of(warehouse) -> dict[str, str]:
    source = {r["doc_id"]: r["source"] for r in read_table(warehouse, "documents").to_pylist()}
    return {source[r["doc_id"]]: r["story_id"] for r in read_table(warehouse, "story_members").to_pylist()}


def _shown(printed: str) -> set[str]:
    return {line.split("story ", 1)[1].split()[0] for line in printed.splitlines() if "─ story " in line}


def test_a_daily_run_shows_the_stories_it_aligned_and_report_shows_the_largest(tmp_path, capsys):
    daily, warehouse = tmp_path / "daily", tmp_path / "warehouse"
    _write(daily, "gazette/bridge.txt", COUNCIL)
    _write(daily, "courier/bridge.txt", COUNCIL[:4])
    _write(daily, "gazette/orchard.txt", ORCHARD)
    _write(daily, "courier/orchard.txt", ORCHARD[:2])
    assert main(["run", str(daily), "--warehouse", str(warehouse)]) == 0
    first = capsys.readouterr().out
    story = _story_of(warehouse)
    bridge, orchard = story["gazette/bridge.txt"], story["gazette/orchard.txt"]
    # A first run shows the warehouse's stories, as `reprint report` does.
    assert _shown(first) == {bridge, orchard} and "this run aligned" not in first
    # The next day: a third outlet prints the council story and a new story arrives; the orchard's is not
    # aligned again, and the report of the run is about what it changed.
    _write(daily, "herald/bridge.txt", [*COUNCIL[:3], COUNCIL[4]])
    _write(daily, "herald/observatory.txt", OBSERVATORY)
    assert main(["run", str(daily), "--warehouse", str(warehouse)]) == 0
    second = capsys.readouterr().out
    story = _story_of(warehouse)  # a story's id follows its members
    assert (
        story["herald/bridge.txt"] == story["gazette/bridge.txt"] and story["gazette/orchard.txt"] == orchard
    )
    assert _shown(second) == {story["gazette/bridge.txt"]}
    assert "Stories this run aligned: 1 with republications; `reprint report` shows" in second
    assert main(["report", "--warehouse", str(warehouse)]) == 0
    assert _shown(capsys.readouterr().out) == {story["gazette/bridge.txt"], orchard}
