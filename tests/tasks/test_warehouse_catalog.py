"""The catalog a researcher opens: every table, column and report described, and the chart reports
(positions, survival by position and by outlet, fate mix by story) agreeing with the fates they summarise."""

import re
from pathlib import Path

import duckdb
import pytest

from tasks.warehouse import SCHEMAS, SQL_DIR, TABLES, report_description, report_files


@pytest.fixture
def con(corpus_warehouse: Path):
    connection = duckdb.connect(str(corpus_warehouse / "corpus.duckdb"), read_only=True)
    yield connection
    connection.close()


def rows(con, query: str) -> list[dict]:
    cursor = con.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def test_every_table_column_and_report_has_a_comment(con):
    views = {
        r["view_name"]: r["comment"]
        for r in rows(con, "select view_name, comment from duckdb_views() where not internal")
    }
    for table in TABLES:
        assert views[table], table
        columns = {
            r["column_name"]: r["comment"]
            for r in rows(
                con, f"select column_name, comment from duckdb_columns() where table_name = '{table}'"
            )
        }
        assert set(columns) == set(SCHEMAS[table].names)
        assert all(columns.values()), [c for c, text in columns.items() if not text]
    for path in report_files():
        assert views[path.stem] == report_description(path) and views[path.stem]


def test_comments_describe_exactly_the_tables_columns():
    text = (SQL_DIR / "comments.sql").read_text()
    described = set(re.findall(r"^COMMENT ON COLUMN (\w+)\.(\w+) IS", text, re.M))
    columns = {(table, column) for table, schema in SCHEMAS.items() for column in schema.names}
    assert described == columns, ("sql/comments.sql: add", columns - described, "remove", described - columns)
    assert set(re.findall(r"^COMMENT ON VIEW (\w+) IS", text, re.M)) == set(TABLES)


def test_origin_positions_rank_body_paragraphs_from_start_to_end(con):
    story = rows(
        con,
        "select * from origin_positions where origin_doc_id = (select doc_id from documents "
        "where source = 'gazette/harbour.txt') order by body_rank",
    )
    assert [r["body_rank"] for r in story] == list(range(6))
    assert [r["from_end"] for r in story] == [5, 4, 3, 2, 1, 0]
    assert story[0]["position_tenth"] == 1 and story[-1]["position_tenth"] == 10


def test_the_cut_ending_shows_in_the_last_paragraphs(con):
    # courier printed only the first four of the harbour story's six paragraphs
    cut = rows(
        con,
        "select from_end, fate from origin_paragraph_fates where republication = 'courier' "
        "and story_id in (select story_id from story_members join documents using (doc_id) "
        "where source = 'courier/harbour-short.txt') order by from_end",
    )
    assert [(r["from_end"], r["fate"]) for r in cut[:2]] == [(0, "disappeared"), (1, "disappeared")]
    assert all(r["fate"] != "disappeared" for r in cut[2:])
    end = rows(con, "select * from survival_by_position where position_tenth = 10")[0]
    start = rows(con, "select * from survival_by_position where position_tenth = 1")[0]
    assert end["disappeared"] > 0 and start["disappeared"] == 0


def test_position_outlet_and_story_reports_count_the_same_paragraphs(con):
    (origin_paragraphs,) = con.execute("select sum(origin_paragraphs) from story_summary").fetchall()[0]
    (by_position,) = con.execute("select sum(paragraphs) from survival_by_position").fetchall()[0]
    (by_outlet,) = con.execute("select sum(origin_paragraphs) from survival_by_outlet").fetchall()[0]
    (by_story,) = con.execute("select sum(origin_paragraphs) from fate_mix_by_story").fetchall()[0]
    assert origin_paragraphs == by_position == by_outlet == by_story > 0
    for r in rows(con, "select * from survival_by_outlet"):
        fates = r["survived"] + r["moved"] + r["changed"] + r["split"] + r["merged"] + r["disappeared"]
        assert fates == r["origin_paragraphs"]
        assert r["survival_rate"] == round(r["survived"] / r["origin_paragraphs"], 4)


def test_fate_mix_by_story_lists_outlets_in_version_order_and_dates(con):
    story = rows(con, "select * from fate_mix_by_story where origin = 'courier'")[0]
    assert story["outlets"] == "courier | gazette | tribune" and story["republications"] == 2
    assert story["origin_published_at"].date().isoformat() == "2024-01-10"
    assert story["last_published_at"].date().isoformat() == "2024-01-12"
    # the lone weather article has no republication, so no row
    assert rows(con, "select count(*) as n from fate_mix_by_story")[0]["n"] == 2


def test_outlet_copies_pairs_each_copy_with_the_outlet_it_copied(con):
    from datetime import date

    from tests.conftest import BRIDGE, CORPUS

    rows = con.execute(
        "select from_outlet, to_outlet, copies, stories, median_delay_hours, median_origin_kept "
        "from outlet_copies order by from_outlet, to_outlet"
    ).fetchall()
    day = {path.removesuffix(".txt"): d for path, (_, _, d) in CORPUS.items()}

    def hours(a: str, b: str) -> float:
        return (date.fromisoformat(day[b]) - date.fromisoformat(day[a])).days * 24.0

    # Every republication copied its story's origin (the first printed), so each pair is origin -> copy.
    assert rows == [
        ("courier", "gazette", 1, 1, hours("courier/bridge", "gazette/bridge"), 1.0),  # reordered, all kept
        ("courier", "tribune", 1, 1, hours("courier/bridge", "tribune/bridge"), round(3 / len(BRIDGE), 4)),
        # the short copy keeps four of six paragraphs (one of them edited)
        ("gazette", "courier", 1, 1, hours("gazette/harbour", "courier/harbour-short"), round(4 / 6, 4)),
        ("gazette", "herald", 1, 1, hours("gazette/harbour", "herald/harbour"), 1.0),
    ]
