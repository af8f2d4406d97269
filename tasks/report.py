"""The terminal report, read from the warehouse's catalog with the queries in sql/."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tasks.terminal import inert, plain
from tasks.warehouse import TABLES

FATE_STYLE = {
    "survived": "green",
    "moved": "cyan",
    "changed": "yellow",
    "split": "magenta",
    "merged": "magenta",
    "disappeared": "red",
    "appeared": "blue",
}

if TYPE_CHECKING:
    import duckdb


def _rows(con: duckdb.DuckDBPyConnection, query: str, *params) -> list[dict]:
    cursor = con.execute(query, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def left_off_query(shown: int) -> str:
    """The catalog query for the stories the page and `reprint report` leave off, most republished first."""
    return f"select * from fate_mix_by_story order by republications desc, story_id offset {shown}"


MAX_REJECTS_SHOWN = 100  # the rest are a query away; a table of thousands helps no one
# What the report shows of its stories, read once for all of them: a query per story, per republication and
# per member read the tables' row groups again each time (about 180 queries for 20 stories, most of
# `reprint run`'s report at 10,000 documents).
SHOWN_MEMBERS = """
select m.story_id, m.version, d.doc_id, d.source, d.outlet, d.title, d.published_at, d.language
from story_members m join documents d using (doc_id)
where m.story_id in (select unnest($1::varchar[])) order by m.story_id, m.version
"""
SHOWN_SUMMARIES = (
    "select * from story_summary where story_id in (select unnest($1::varchar[])) order by story_id, version"
)
# fate_details' rows, but with only the shown members' paragraphs joined (the view joins all of them).
SHOWN_FATES = """
with fates as (select * from paragraph_fates where story_id in (select unnest($1::varchar[]))),
paras as (select doc_id, para_idx, text from paragraphs where doc_id in (select unnest($2::varchar[])))
select f.*, bp.text as origin_text, rp.text as republication_text
from fates f
left join paras bp on bp.doc_id = f.base_doc_id and bp.para_idx = f.base_para_idx
left join paras rp on rp.doc_id = f.doc_id and rp.para_idx = f.para_idx
order by f.story_id, f.doc_id, coalesce(f.base_para_idx, f.para_idx), f.para_idx nulls first
"""
SHOWN_BOILERPLATE = """
select doc_id, para_idx, text, boilerplate_reason from paragraphs
where doc_id in (select unnest($1::varchar[])) and is_boilerplate order by doc_id, para_idx
"""


def _duckdb_command() -> str:
    """The DuckDB CLI installed beside reprint (duckdb-cli), or plain `duckdb` when it is not there."""
    beside = Path(sys.executable).parent / "duckdb"
    return str(beside) if beside.exists() else "duckdb"


def render_report(
    warehouse: Path, console: Console | None = None, max_stories: int = 20, changed: dict | None = None
) -> None:
    """Print stories, versions, per-paragraph fates, boilerplate and rejects for the warehouse: its stories
    with most republications, or (`changed`, from a run into a warehouse that held stories already:
    tasks.run.changed_stories) the stories that run aligned."""
    import duckdb  # at use: a run with nothing new queries nothing

    console = console or Console(emoji=False)
    catalog = warehouse.resolve() / "corpus.duckdb"
    con = duckdb.connect(str(catalog), read_only=True)
    try:
        _render(con, console, max_stories, changed)
    finally:
        con.close()
    console.print(
        Text.assemble(
            "\nQuery it yourself: ",
            (f"{inert(_duckdb_command())} {inert(catalog)}", "bold"),
            "  (`reprint sql --list` names the views)",
        ),
        highlight=False,
    )
    page = warehouse.resolve() / "report" / "index.html"
    if page.exists():
        console.print(
            f"The report page: {page.as_uri()}", highlight=False, markup=False, emoji=False, soft_wrap=True
        )


def _render(
    con: duckdb.DuckDBPyConnection, console: Console, max_stories: int, changed: dict | None = None
) -> None:
    totals = _rows(
        con,
        "select (select count(*) from documents) as documents, "
        "(select count(distinct story_id) from story_members) as stories, "
        "(select count(distinct story_id) from story_members where n_members > 1) as shared, "
        "(select count(*) from rejects where severity is distinct from 'warning') as rejects, "
        "(select count(*) from rejects where severity = 'warning') as warnings",
    )[0]
    warnings = f", {totals['warnings']} warnings (dates dropped)" if totals["warnings"] else ""
    console.print(
        f"[bold]reprint[/bold]: {totals['documents']} documents, {totals['stories']} stories "
        f"({totals['shared']} with republications), {totals['rejects']} rejected inputs{warnings}"
    )
    # The warehouse's stories with most republications, or of those, the stories a run aligned (`changed`).
    stories = _rows(
        con,
        "select story_id, count(*) as n from story_members"
        " where $1::varchar[] is null or story_id in (select unnest($1::varchar[]))"
        " group by story_id having count(*) > 1 order by n desc, story_id limit $2",
        None if changed is None else changed["shown"],
        max_stories,
    )
    if changed is not None:
        console.print(
            f"Stories this run aligned: {changed['shared']} with republications"
            + (f", the {len(stories)} with most shown" if changed["shared"] > len(stories) else "")
            + "; `reprint report` shows the warehouse's largest.",
            highlight=False,
            markup=False,
            emoji=False,
            soft_wrap=True,
        )
    ids = [story["story_id"] for story in stories]
    members = _grouped(_rows(con, SHOWN_MEMBERS, ids), "story_id")
    docs = [m["doc_id"] for story in ids for m in members.get(story, [])]
    read = {
        "members": members,
        "summaries": _grouped(_rows(con, SHOWN_SUMMARIES, ids), "story_id"),
        "fates": _grouped(_rows(con, SHOWN_FATES, ids, docs), "story_id", "doc_id"),
        "boilerplate": _grouped(_rows(con, SHOWN_BOILERPLATE, docs), "doc_id"),
    }
    for story in stories:
        _render_story(console, story["story_id"], read)
    if changed is None and totals["shared"] > len(stories):
        console.print(
            f"\nShowing the {len(stories)} stories with most republications of {totals['shared']}; "
            f"the other {totals['shared'] - len(stories)}: "
            f'reprint sql "{left_off_query(len(stories))}" (or the report page).',
            highlight=False,
            markup=False,
            emoji=False,
            soft_wrap=True,
        )
    rejects = _rows(
        con, "select source, reason, severity from rejects order by source limit ?", MAX_REJECTS_SHOWN
    )
    if rejects:
        more = totals["rejects"] - len(rejects)
        title = "Rejected inputs" + (f" (the first {len(rejects)}; `reprint sql` shows all)" if more else "")
        table = Table(title=title, title_justify="left")
        table.add_column("source")
        table.add_column("reason")
        for r in rejects:  # a warning: the document was ingested, without what the reason names
            warning = "warning (ingested): " if r["severity"] == "warning" else ""
            table.add_row(plain(r["source"], 300), plain(warning + r["reason"], 1000))
        console.print(table)


def _grouped(rows: list[dict], *keys: str) -> dict:
    """Rows by the value (or tuple of values) of `keys`, in their order."""
    out: dict = {}
    for row in rows:
        key = row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)
        out.setdefault(key, []).append(row)
    return out


def _render_story(console: Console, story_id: str, read: dict) -> None:
    """One story, from the rows read for the stories shown (_render)."""
    members = read["members"].get(story_id, [])
    console.rule(f"story {story_id}")
    for m in members:
        role = "origin" if m["version"] == 0 else f"version {m['version']}"
        when = m["published_at"] or "undated"
        console.print(
            plain(
                f"  {role:<10} {inert(m['source'], 200)}  outlet={inert(m['outlet'], 100) or '-'}  {when}  "
                f"lang={inert(m['language'], 10)}"
            ),
            plain(f"             title: {inert(m['title'], 200) or '-'}"),
            sep="\n",
        )
    for s in read["summaries"].get(story_id, []):
        console.print(
            Text.assemble("\n", (inert(s["republication"], 200), "bold")),
            f"against origin {inert(s['origin'], 200)}: "
            f"survival {s['survival_rate']:.0%}, retention {s['retention_rate']:.0%}  "
            f"(survived {s['survived']}, changed {s['changed']}, moved {s['moved']}, split {s['split']}, "
            f"merged {s['merged']}, disappeared {s['disappeared']}, appeared {s['appeared']})",
            markup=False,
        )
        table = Table(show_lines=False, expand=True)
        for name, kwargs in (
            ("¶", {"justify": "right"}),
            ("→", {"justify": "right"}),
            ("fate", {}),
            ("sim", {"justify": "right"}),
            ("origin paragraph / what changed", {"ratio": 1}),
        ):
            table.add_column(name, **kwargs)
        for f in read["fates"].get((story_id, s["doc_id"]), []):
            shown = f["origin_text"] if f["fate"] != "appeared" else f["republication_text"]
            detail = Text(inert(shown, 90))
            if f["diff"]:
                detail.append("\n" + inert(f["diff"], 160), style="dim")
            table.add_row(
                "" if f["base_para_idx"] is None else str(f["base_para_idx"]),
                "" if f["para_idx"] is None else str(f["para_idx"]),
                Text(f["fate"], style=FATE_STYLE.get(f["fate"], "")),
                "" if f["similarity"] is None else f"{f['similarity']:.2f}",
                detail,
            )
        console.print(table)
    for m in members:
        flagged = read["boilerplate"].get(m["doc_id"], [])
        if flagged:
            console.print(
                f"\nBoilerplate set aside in {inert(m['source'], 200)} ({len(flagged)} paragraphs):",
                markup=False,
            )
            for p in flagged:
                console.print(Text.assemble(f"  ¶{p['para_idx']:<3} ", (inert(p["text"], 100), "dim")))


def list_catalog(warehouse: Path, console: Console | None = None) -> None:
    """The catalog's tables and reports, each with its one-line description (the views' comments)."""
    import duckdb  # at use: a run with nothing new queries nothing

    console = console or Console(emoji=False)
    con = duckdb.connect(str(warehouse.resolve() / "corpus.duckdb"), read_only=True)
    try:
        views = _rows(con, "select view_name, comment from duckdb_views() where not internal")
    finally:
        con.close()
    table = Table(
        title="Tables and reports in the catalog (`reprint sql QUERY`, or `duckdb corpus.duckdb`)",
        title_justify="left",
    )
    table.add_column("view")
    table.add_column("kind")
    table.add_column("what it holds", ratio=1)
    for v in sorted(views, key=lambda v: (v["view_name"] not in TABLES, v["view_name"])):
        table.add_row(v["view_name"], "table" if v["view_name"] in TABLES else "report", v["comment"] or "")
    console.print(table)


def print_query(warehouse: Path, query: str, console: Console | None = None, output: str = "table") -> int:
    """Run a read-only query on the catalog and print its rows, as a table for a person or as `csv`/`json`
    for a script (stdout then holds only the data); 1 with the database's message on an error."""
    import duckdb  # at use: a run with nothing new queries nothing

    con = duckdb.connect(str(warehouse.resolve() / "corpus.duckdb"), read_only=True)
    try:
        cursor = con.execute(query)
        names = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    except duckdb.Error as err:
        Console(stderr=True).print(f"reprint: the query failed: {inert(err)}", markup=False, emoji=False)
        return 1
    finally:
        con.close()
    if output == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(["" if v is None else _plain(v) for v in row] for row in rows)
        return 0
    if output == "json":
        records = [dict(zip(names, row, strict=True)) for row in rows]
        json.dump(records, sys.stdout, default=_plain, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    console = console or Console(emoji=False)
    table = Table(title=f"{len(rows)} rows", title_justify="left")
    for column in names:
        table.add_column(plain(column, 100))
    for row in rows:
        table.add_row(*(plain("" if v is None else v, 2000) for v in row))
    console.print(table)
    return 0


def _plain(value: object) -> object:
    """A value as CSV and JSON write it: dates and times in ISO 8601, lists as JSON, the rest as text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, default=_plain, ensure_ascii=False)
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


def render_run_summary(summary: dict, warehouse: Path, console: Console) -> None:
    """The end of `reprint run`: a sentence, a table of this run against the warehouse, where to look next."""
    line = (
        f"reprint: {summary['new_documents']} documents read, "
        f"{summary['documents']} in the warehouse, {summary['stories']} stories "
        f"({summary['aligned_stories']} aligned in this run), "
        f"{summary['rejects']} inputs rejected"
        + (f", {summary['warnings']} ingested with a warning" if summary.get("warnings") else "")
    )
    console.print(line, highlight=False, markup=False, emoji=False, soft_wrap=True)
    table = Table(title="reprint run", title_justify="left")
    table.add_column("")
    table.add_column("this run", justify="right")
    table.add_column("in the warehouse", justify="right")
    table.add_row("documents", f"{summary['new_documents']} read", str(summary["documents"]))
    table.add_row("stories", f"{summary['aligned_stories']} aligned", str(summary["stories"]))
    warned = f", {summary['warnings']} warned" if summary.get("warnings") else ""
    table.add_row("inputs", f"{summary['rejects']} rejected{warned}", "")
    console.print(table)
    catalog = inert(warehouse.resolve() / "corpus.duckdb")
    console.print(f"catalog: {catalog}", highlight=False, markup=False, emoji=False, soft_wrap=True)
    if summary.get("report_page"):
        page = Path(summary["report_page"]).resolve().as_uri()
        console.print(f"report page: {page}", highlight=False, markup=False, emoji=False, soft_wrap=True)
