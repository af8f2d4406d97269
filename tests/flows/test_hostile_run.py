"""`reprint run`, `report` and `sql` under hostile text and faults of the run itself (issue 16): hostile
names and metadata reach the terminal as inert text, a full disk ends the run with one `reprint:` line and
leaves the warehouse as it was, and a warehouse the user cannot write to can still be reported and queried.

These tests run `reprint run` in-process, as a user without a Prefect server does (flows/local.py)."""

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import flows.cli
import tasks.run
import tasks.warehouse
from flows.cli import main
from tasks.warehouse import VERSIONS, read_table
from tests.conftest import SEEDS

MARKUP_OUTLET = "[link=https://evil.example]Reuters[/link]"
FORGED = "x\x1b]0;owned\x07\x1b[2J\nreprint: forged line.txt"  # retitles the window, clears the screen


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory):
    """A warehouse from the seed pair (a story with a republication) given markup for outlet and title, next
    to a file whose name holds escape sequences and a forged `reprint:` line."""
    inputs = tmp_path_factory.mktemp("in")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, inputs / seed.name)
    names = sorted(p.name for p in inputs.glob("*.txt"))
    (inputs / "manifest.csv").write_text(
        "path,outlet,title\n"
        f'{names[0]},"{MARKUP_OUTLET}","[/] :smile: [bold]title"\n'
        f"{names[1]},[/],[red]Second\n"
    )
    (inputs / FORGED).write_bytes(b"\x00binary")
    root = tmp_path_factory.mktemp("wh")
    return inputs, root


def test_hostile_names_and_text_are_shown_as_text(hostile_warehouse, capsys):
    inputs, root = hostile_warehouse
    assert main(["run", str(inputs), "--warehouse", str(root)]) == 0
    out, err = capsys.readouterr()
    assert MARKUP_OUTLET in out and "[/] :smile: [bold]title" in out  # literally, not as markup or emoji
    for stream in (out, err):
        assert "\x1b" not in stream and "\x07" not in stream
        assert not any(line.startswith("reprint: forged") for line in stream.splitlines())
    assert "x\\x1b]0;owned\\x07\\x1b[2J\\x0areprint: forged line.txt" in err
    assert main(["report", "--warehouse", str(root)]) == 0
    assert MARKUP_OUTLET in capsys.readouterr().out
    outlets = {d["outlet"] for d in read_table(root, "documents").to_pylist()}
    assert outlets == {MARKUP_OUTLET, "[/]"}  # stored as given


def test_a_full_disk_at_commit_is_reported_once_not_retried_and_cleaned_up(tmp_path, monkeypatch, capsys):
    root = tmp_path / "wh"
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], first / "a.txt")
    assert main(["run", str(first), "--warehouse", str(root), "--no-report"]) == 0
    before = sorted(p.name for p in (root / VERSIONS).iterdir())
    capsys.readouterr()

    # The commit writes a table's new rows with write_sorted (a Rewrite: tasks/warehouse.py).
    real_write, real_commit, commits = tasks.warehouse.write_sorted, tasks.run.commit, []

    def full_disk(path, name, *args, **kwargs):
        if name == "paragraphs":  # a part of the version is already on disk when the disk fills
            path.write_bytes(b"x" * 4096)
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write(path, name, *args, **kwargs)

    def counted(*args, **kwargs):
        commits.append(1)
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(tasks.warehouse, "write_sorted", full_disk)
    monkeypatch.setattr(tasks.run, "commit", counted)
    second = tmp_path / "second"
    second.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[1], second / "b.txt")
    status = main(["run", str(first), str(second), "--warehouse", str(root), "--no-report"])
    err = capsys.readouterr().err
    assert status == 4
    assert len(commits) == 1, "a full disk was retried"
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("reprint: no space left on the disk holding"), err
    assert "needs up to" in lines[0] and "KB had been written" in lines[0]
    assert "Traceback" not in err
    assert sorted(p.name for p in (root / VERSIONS).iterdir()) == before  # the half-built one is gone
    assert {d["source"] for d in read_table(root, "documents").to_pylist()} == {"a.txt"}


def test_a_passing_fault_at_commit_is_tried_again(tmp_path, monkeypatch, capsys):
    # As the Prefect flow's IO tasks are (flows/pipeline.py IO_TASK), the in-process run's (flows/local.py).
    monkeypatch.setattr("flows.local.IO_RETRY_DELAY_SECONDS", 0)
    real_commit, calls = tasks.run.commit, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError(errno.EIO, "Input/output error")
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(tasks.run, "commit", flaky)
    root = tmp_path / "wh"
    assert main(["run", str(SEEDS), "--warehouse", str(root), "--no-report"]) == 0
    assert len(calls) == 2
    assert {d["source"] for d in read_table(root, "documents").to_pylist()} == {
        p.name for p in SEEDS.glob("*.txt")
    }


def test_report_and_sql_on_a_warehouse_the_user_cannot_write(tmp_path, capsys):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to read the warehouse as another user")
    base = Path(tempfile.mkdtemp(prefix="reprint-readonly-"))  # outside pytest's private (0700) folder
    try:
        base.chmod(0o755)
        root = base / "wh"
        assert main(["run", str(SEEDS), "--warehouse", str(root), "--no-report"]) == 0
        catalog = root / "corpus.duckdb"
        stamp = (catalog.stat().st_ino, catalog.stat().st_mtime_ns)
        assert main(["report", "--warehouse", str(root)]) == 0
        assert (
            catalog.stat().st_ino,
            catalog.stat().st_mtime_ns,
        ) == stamp  # nothing changed, nothing written
        subprocess.run(["chmod", "-R", "a-w,a+rX", str(root)], check=True)
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m"]
        code = Path(flows.cli.__file__).parents[1]
        # A clone inside a private (0700) folder, as `mktemp -d` makes, is out of another user's reach.
        reachable = subprocess.run(
            [*as_nobody, "flows.cli", "--version"],
            capture_output=True,
            cwd=code,
            env={**os.environ, "HOME": str(base)},
        )
        if reachable.returncode != 0:
            pytest.skip(f"user nobody cannot run reprint from {code} (a private folder on its path)")
        for command in (["report"], ["sql", "select count(*) as n from documents"]):
            done = subprocess.run(
                [*as_nobody, "flows.cli", *command, "--warehouse", str(root)],
                capture_output=True,
                text=True,
                cwd=code,
                env={**os.environ, "HOME": str(base)},
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
            assert "Traceback" not in done.stderr
        assert "2" in done.stdout
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(base)], check=False)
        shutil.rmtree(base, ignore_errors=True)


def test_a_shard_size_of_zero_is_refused_by_the_arguments(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(SEEDS), "--files-per-shard", "0"])
    assert exit_.value.code == 2 and "must be 1 or more" in capsys.readouterr().err


def test_shards_run_in_a_window_not_all_at_once():
    running, most = [], []

    class Done:
        def __init__(self, n):
            self.n = n

        def result(self):
            running.remove(self.n)
            return self.n

    def submit(n):
        running.append(n)
        most.append(len(running))
        return Done(n)

    results = list(tasks.run.windowed((lambda n=n: submit(n) for n in range(50)), 4))
    assert results == list(range(50)) and max(most) == 4


def test_a_document_ingested_with_a_warning_is_not_counted_as_a_rejected_input(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], inputs / "a.txt")
    (inputs / "post.md").write_text('---\ntitle: "unclosed\ndate: [2020\n---\n\nThe body of the post.')
    (inputs / "empty.txt").write_text("")
    assert main(["run", str(inputs), "--warehouse", str(tmp_path / "wh"), "--no-report"]) == 0
    out, err = capsys.readouterr()
    assert "1 inputs rejected, 1 ingested with a warning" in err
    assert "warning for post.md: its YAML front matter could not be read" in err
    assert "rejected empty.txt" in err
