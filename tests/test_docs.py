"""The docs and the code stay in step: every command and option of `reprint` is documented and every one the
docs name exists, every SQL block in the docs runs on a real warehouse, every generated page is what its
generator renders now, every relative link leads to a file (and heading), and no page is an orphan.

Pages are README.md and every docs/*.md, found by globbing: a new page is checked without touching this file.
A SQL block that needs a user's own data is marked, on the line before its fence, with
`<!-- sql-test: skip (the reason) -->`; the reason is shown as the skip reason.
"""

from __future__ import annotations

import argparse
import re
import shutil
import textwrap
from pathlib import Path

import duckdb
import pytest

from docs.generate import BENCH_PAGES, RESULT_PAGES, RESULTS, render_all
from flows.cli import main
from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT = {page: page.read_text() for page in PAGES}
SQL_BLOCK = re.compile(
    r"^(?P<before>[^\n]*)\n(?P<indent>[ \t]*)```sql\n(?P<body>.*?)^(?P=indent)```", re.M | re.S
)
CODE_LINE = re.compile(r"^\s*((?:\.venv/bin/)?reprint [^#\n]*)", re.M)
SKIP = re.compile(r"<!-- sql-test: skip \((?P<reason>[^)]+)\) -->\s*$")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def name(page: Path) -> str:
    return str(page.relative_to(ROOT))


# -- the command line ------------------------------------------------------------------------------------


class Captured(Exception):
    def __init__(self, parser: argparse.ArgumentParser):
        self.parser = parser


def reprint_parser(monkeypatch_parse) -> argparse.ArgumentParser:
    """The parser `reprint` itself builds: main() is run until it parses, and stopped there."""

    def capture(self, *args, **kwargs):
        raise Captured(self)

    monkeypatch_parse.setattr(argparse.ArgumentParser, "parse_args", capture)
    with pytest.raises(Captured) as captured:
        main(["--help"])
    return captured.value.parser


@pytest.fixture
def commands(monkeypatch) -> dict[str, set[str]]:
    """Each subcommand of `reprint` and its options ('' for the top-level parser)."""
    parser = reprint_parser(monkeypatch)
    found = {"": {o for a in parser._actions for o in a.option_strings}}
    (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for command, sub in subparsers.choices.items():
        found[command] = {o for a in sub._actions for o in a.option_strings}
    return found


def all_text() -> str:
    return "\n".join(TEXT.values())


def test_every_command_and_option_is_documented(commands):
    text = all_text()
    missing = [f"reprint {c}" for c in commands if c and not re.search(rf"\breprint {c}\b", text)]
    missing += [
        f"reprint {c} {option}".replace("  ", " ")
        for c, options in commands.items()
        for option in sorted(options - {"-h", "--help"})
        if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text)
    ]
    assert not missing, f"not in README.md or docs/*.md: {missing}"


def invocations() -> list[tuple[str, str]]:
    """`reprint COMMAND ...` as the docs write it: in code spans and on lines of code blocks."""
    found = []
    for page, text in TEXT.items():
        blocks = re.findall(r"^[ \t]*```[\w-]*\n(.*?)^[ \t]*```", text, re.M | re.S)
        spans = re.findall(r"`((?:\.venv/bin/)?reprint [^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
        lines = [m.group(1) for block in blocks for m in CODE_LINE.finditer(block)]
        found += [(name(page), s) for s in spans + lines]
    return found


def wrong_invocations(calls: list[tuple[str, str]], commands: dict[str, set[str]]) -> list[str]:
    wrong = []
    for page, call in calls:
        words = call.split()[1:]
        command = "" if words[0].startswith("-") else words[0]
        options = words if not command else words[1:]
        if command.isupper():  # a placeholder: `reprint COMMAND --help`
            continue
        if command not in commands:
            wrong.append(f"{page}: `{call}`: no command {command!r}")
            continue
        for option in {o.split("=")[0].strip("[]|,") for o in options if o.lstrip("[").startswith("--")}:
            if option not in commands[command] | commands[""]:
                wrong.append(f"{page}: `{call}`: no option {option}")
    return wrong


def test_every_documented_invocation_exists(commands):
    calls = invocations()
    assert any(call.startswith(".venv/bin/reprint run") for page, call in calls if page == "README.md")
    wrong = wrong_invocations(calls, commands)
    assert not wrong, wrong


def test_a_wrong_invocation_would_fail(commands):
    made_up = [("x.md", "reprint run seeds/ --no-such-option"), ("x.md", "reprint frobnicate")]
    assert len(wrong_invocations(made_up, commands)) == 2


# -- SQL blocks ------------------------------------------------------------------------------------------


def sql_blocks() -> list:
    blocks = []
    for page, text in TEXT.items():
        for found in SQL_BLOCK.finditer(text):
            before = found.group("before").splitlines()[-1] if found.group("before") else ""
            line = text[: found.start("body")].count("\n")
            query = textwrap.dedent(found.group("body"))
            skip = SKIP.search(before)
            marks = [pytest.mark.skip(reason=f"{name(page)}: {skip.group('reason')}")] if skip else []
            blocks.append(pytest.param(query, id=f"{name(page)}:{line}", marks=marks))
    return blocks


SQL_BLOCKS = sql_blocks()


def test_the_docs_have_sql_blocks():
    assert len(SQL_BLOCKS) >= 6  # the README's three questions, docs/reports.md's three at least


def run_sql(warehouse: Path, query: str, scratch: Path) -> None:
    """Run a block on a writable copy of the catalog (blocks may create views in `mine`); its views still
    read the fixture's Parquet files by their absolute folder."""
    catalog = scratch / f"{warehouse.parent.name}.duckdb"
    shutil.copyfile(warehouse / "corpus.duckdb", catalog)
    con = duckdb.connect(str(catalog))
    try:
        con.execute(query).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("query", SQL_BLOCKS)
def test_every_sql_block_runs(query, seed_warehouse, corpus_warehouse, tmp_path):
    run_sql(seed_warehouse, query, tmp_path)
    run_sql(corpus_warehouse, query, tmp_path)


def test_a_broken_sql_block_would_fail(corpus_warehouse, tmp_path):
    with pytest.raises(duckdb.Error):
        run_sql(corpus_warehouse, "select no_such_column from documents", tmp_path)


# -- generated pages ---------------------------------------------------------------------------------------

GENERATED = render_all()


@pytest.mark.parametrize("path", sorted(GENERATED), ids=[name(p) for p in sorted(GENERATED)])
def test_generated_page_is_current(path):
    assert path.exists() and path.read_text() == GENERATED[path], (
        f"{name(path)} differs from what its generator renders now: run `make docs` (python -m docs.generate)"
    )


def test_tables_page_names_every_column():
    from tasks.warehouse import SCHEMAS, report_files

    page = GENERATED[ROOT / "docs" / "tables.md"]
    for table, schema in SCHEMAS.items():
        assert f"### `{table}`" in page
        assert all(f"| `{column}` |" in page for column in schema.names)
    assert all(f"| `{path.stem}` |" in page for path in report_files())


def test_every_results_file_is_shown_on_a_page():
    unplaced = sorted(p.name for p in RESULTS.glob("*.json") if p.name not in RESULT_PAGES)
    assert not unplaced, f"add to docs.generate.RESULT_PAGES (which page shows them, and how): {unplaced}"
    for results, (page, _) in RESULT_PAGES.items():
        if (RESULTS / results).exists():
            assert (ROOT / "docs" / page).exists(), f"{results} is said to be shown on docs/{page}"
    for page, (results, _, _) in BENCH_PAGES.items():
        if (RESULTS / results).exists():
            assert ROOT / "docs" / page in GENERATED


# -- links -------------------------------------------------------------------------------------------------


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
    return {slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}


def links(page: Path) -> list[tuple[Path, str]]:
    text = re.sub(r"```.*?```", "", TEXT[page], flags=re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans show markup, they link nothing
    found = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("/"):  # http:, mailto:, a site's own path
            continue
        path, _, anchor = target.partition("#")
        found.append(((page.parent / path).resolve() if path else page, anchor))
    return found


@pytest.mark.parametrize("page", PAGES, ids=[name(p) for p in PAGES])
def test_every_relative_link_resolves(page):
    broken = []
    for target, anchor in links(page):
        if not target.exists():
            broken.append(f"{target}: no such file")
        elif anchor and target.suffix == ".md" and anchor not in anchors(target):
            broken.append(f"{target.relative_to(ROOT)}#{anchor}: no such heading")
    assert not broken, f"{name(page)}: {broken}"


def test_every_page_is_reachable_from_the_readme():
    seen, todo = set(), [ROOT / "README.md"]
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        todo += [t for t, _ in links(page) if t.suffix == ".md" and t in TEXT]
    orphans = [name(p) for p in PAGES if p not in seen]
    assert not orphans, f"no link leads to these pages from README.md: {orphans}"
