"""The README's commands exist: its make targets are in the Makefile and its reprint subcommands parse."""

import re

import pytest

from flows.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_make_targets_in_readme_exist():
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))
    used = set(re.findall(r"^make ([\w-]+)", README, re.M))
    assert {"run", "test"} <= used and used <= targets


@pytest.mark.parametrize("command", sorted(set(re.findall(r"bin/reprint (\w+)", README))))
def test_reprint_subcommands_in_readme_parse(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0 and "--warehouse" in capsys.readouterr().out
