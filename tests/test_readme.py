"""The README is a newcomer's page: at most ~200 lines, its make targets and reprint subcommands exist, it
names every table of the schema in one line, asks three SQL questions, shows the report's pictures, quotes
figures only inside generated regions (each with its command), and links the reference pages in docs/
(tests/test_docs.py checks the links resolve and every page is reachable)."""

import re

import pytest

from flows.cli import main
from tasks.warehouse import SCHEMAS, report_files
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()
MAX_LINES = 200


def test_readme_is_short():
    assert len(README.splitlines()) <= MAX_LINES


def test_make_targets_in_readme_exist():
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))
    used = set(re.findall(r"(?:^|`)make ([\w-]+)", README, re.M))
    assert {"run", "test", "docs"} <= used and used <= targets


@pytest.mark.parametrize("command", sorted(set(re.findall(r"bin/reprint (\w+)", README))))
def test_reprint_subcommands_in_readme_parse(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0 and "--warehouse" in capsys.readouterr().out


def test_every_table_has_its_line():
    section = README.split("## The tables", 1)[1].split("\n## ", 1)[0]
    lines = re.findall(r"^- `(\w+)`: ", section, re.M)
    assert lines == list(SCHEMAS)
    reports = section.split("- Report views", 1)[1]
    named = set(re.findall(r"`(\w+)`", reports))
    assert named and named <= {path.stem for path in report_files()}


def test_three_sql_questions():
    section = README.split("## Three questions in SQL", 1)[1].split("\n## ", 1)[0]
    assert len(re.findall(r"```sql\n--", section)) == 3
    assert len(re.findall(r"```sql", README)) == 3


def test_pictures_of_the_report_exist():
    pictures = re.findall(r"\]\((docs/[\w-]+\.png)\)", README)
    assert {"docs/report.png", "docs/report-story.png"} <= set(pictures)
    assert all((ROOT / p).is_file() for p in pictures)


def test_figures_come_from_generated_regions_with_their_command():
    figures = README.split("## Figures", 1)[1].split("\n## ", 1)[0]
    regions = re.findall(r"<!-- generated: ([\w-]+) -->\n(.*?)<!-- end generated -->", figures, re.S)
    assert "quality-headline" in dict(regions)
    assert all("`python -m bench." in body or "`make bench" in body for _, body in regions)
    outside = re.sub(r"<!-- generated: .*?<!-- end generated -->", "", figures, flags=re.S)
    assert not re.search(r"\d\.\d{3}", outside)  # a figure typed by hand outside a generated region


REFERENCE = ["inputs", "tables", "reports", "warehouse", "production", "linking", "alignment", "boilerplate"]
REFERENCE += ["hostile-inputs", "quality", "benchmarks", "CONTRACT"]


def test_readme_links_the_reference_pages():
    """Pages added later need only be reachable from the README (tests/test_docs.py), not linked from it."""
    linked = set(re.findall(r"\]\(docs/([\w.-]+)\.md\)", README))
    assert not set(REFERENCE) - linked, f"README.md does not link: {sorted(set(REFERENCE) - linked)}"
