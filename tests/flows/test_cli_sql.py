"""`reprint sql` and `reprint page`: the catalog listed with descriptions, a query printed, the page
rewritten. No Prefect server: these commands only read the warehouse."""

from pathlib import Path

from flows.cli import main
from tasks.warehouse import TABLES, report_files


def test_sql_list_names_every_table_and_report(corpus_warehouse: Path, capsys):
    assert main(["sql", "--list", "--warehouse", str(corpus_warehouse)]) == 0
    out = capsys.readouterr().out
    for name in [*TABLES, *(p.stem for p in report_files())]:
        assert name in out


def test_sql_runs_a_query_and_reports_a_bad_one(corpus_warehouse: Path, capsys):
    assert (
        main(
            [
                "sql",
                "select outlet, republications from survival_by_outlet order by outlet",
                "--warehouse",
                str(corpus_warehouse),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "4 rows" in out and "tribune" in out
    assert main(["sql", "select nope from nowhere", "--warehouse", str(corpus_warehouse)]) == 1
    assert "the query failed" in capsys.readouterr().err


def test_page_rewrites_the_report(corpus_warehouse: Path, capsys):
    assert main(["page", "--warehouse", str(corpus_warehouse)]) == 0
    assert capsys.readouterr().out.strip() == str(corpus_warehouse.resolve() / "report" / "index.html")


def test_commands_refuse_a_folder_without_a_warehouse(tmp_path: Path, capsys):
    assert main(["sql", "--list", "--warehouse", str(tmp_path)]) == 2
    assert "holds no warehouse yet" in capsys.readouterr().err
