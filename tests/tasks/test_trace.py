"""Tracing a passage: the passage index finds every run of 12 shared words, its keys are the catalog macro's,
`reprint trace` lists the versions earliest first with their word diffs, and the `trace` macro answers the
same in the `duckdb` command users have."""

import json
import random
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from flows.cli import main
from tasks.passages import _sql, passage_keys, passage_words, winnow
from tasks.trace import locate, trace
from tests.conftest import BRIDGE, HARBOUR

DUCKDB_CLI = Path(sys.executable).parent / "duckdb"
VOCABULARY = [f"w{i}" for i in range(400)]


def words(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(VOCABULARY) for _ in range(n)]


def macro_keys(text: str) -> set[int]:
    """Every shingle key of `text` as the catalog's macros compute them."""
    return {
        k
        for (k,) in _sql()
        .execute(
            "select passage_key(w, s) from (select w, unnest(passage_starts(w)) as s "
            "from (select passage_words(?) as w))",
            [text],
        )
        .fetchall()
    }


def test_stored_keys_are_the_macros_keys_and_about_two_in_nine():
    rng = random.Random(7)
    texts = [" ".join(words(rng, rng.randint(0, 80))) for _ in range(200)] + ["Été, à 東京: l'été!"]
    stored = passage_keys(pa.array(texts)).to_pylist()
    for text, keys in zip(texts, stored, strict=True):
        assert set(keys) <= macro_keys(text)
        assert bool(keys) == (len(passage_words(pa.array([text]))[0]) >= 5)
    total = sum(max(len(t.split()) - 4, 0) for t in texts)
    assert 0.15 < sum(map(len, stored)) / total < 0.3  # winnowing with a window of 8 keeps about 2/9


def test_every_shared_run_of_twelve_words_shares_a_stored_key():
    rng = random.Random(11)
    for _ in range(300):
        run = words(rng, 12)
        document = " ".join(words(rng, rng.randint(0, 30)) + run + words(rng, rng.randint(0, 30)))
        passage = " ".join(words(rng, rng.randint(0, 10)) + run + words(rng, rng.randint(0, 10)))
        (stored,) = passage_keys(pa.array([document])).to_pylist()
        assert set(stored) & macro_keys(passage), (document, passage)


def test_winnowing_never_crosses_from_one_text_into_the_next():
    keys = pa.array([5, 9, 9, 9, 9, 9, 9, 9, 1, 7, 7], pa.uint64()).to_numpy()
    owner = pa.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]).to_numpy()
    kept = winnow(keys, owner, window=8)
    assert kept.tolist() == [True] + [False] * 7 + [True, False, False]


def test_locate_cuts_the_words_that_carry_the_passage():
    text = "Before it. The union said the vote passed, with a narrow majority. After it."
    found, share = locate("the union said the vote passed with a large majority", text)
    assert found == "The union said the vote passed, with a narrow majority."
    assert share == 9 / 10


def test_trace_lists_each_version_earliest_first_with_its_diff(corpus_warehouse: Path):
    con = duckdb.connect(str(corpus_warehouse / "corpus.duckdb"), read_only=True)
    try:
        versions = trace(con, HARBOUR[1])
        bridge = trace(con, BRIDGE[3])
        nothing = trace(con, "a passage that no article in this warehouse has ever printed anywhere")
    finally:
        con.close()
    assert [v.outlet for v in versions] == ["gazette", "courier", "herald"]
    assert [v.published_at.day for v in versions] == [4, 5, 6]
    assert len({v.story_id for v in versions}) == 1
    assert [v.diff for v in versions] == ["", "[-large-]{+narrow+}", ""]
    assert versions[0].text == HARBOUR[1] and versions[0].share == 1.0
    # The tribune's copy stops before the cyclists' paragraph: it does not carry it.
    assert [v.outlet for v in bridge] == ["courier", "gazette"]
    assert nothing == []


def test_a_passage_recut_over_two_paragraphs_is_one_version(tmp_path: Path):
    from tests.conftest import build_warehouse

    folder = tmp_path / "in"
    (folder / "wire").mkdir(parents=True)
    (folder / "daily").mkdir()
    lead, rest = HARBOUR[0], HARBOUR[1]
    (folder / "wire" / "a.txt").write_text("Strike\n\n" + lead + " " + rest + "\n\n" + HARBOUR[2] + "\n")
    (folder / "daily" / "b.txt").write_text("Strike at the port\n\n" + lead + "\n\n" + rest + "\n")
    warehouse = build_warehouse([folder], tmp_path / "wh")
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        passage = " ".join((lead + " " + rest).split()[10:40])  # across the daily's paragraph break
        versions = {v.outlet: v for v in trace(con, passage)}
    finally:
        con.close()
    assert versions["daily"].paragraphs == (0, 1) and versions["daily"].share == 1.0
    assert versions["wire"].paragraphs == (0,) and versions["daily"].diff == ""


def test_rows_prepared_before_the_index_are_still_found():
    con = duckdb.connect()
    from tasks.warehouse import SCHEMAS, SQL_DIR, run_sql_file

    for name, schema in SCHEMAS.items():
        con.register(f"empty_{name}", schema.empty_table())
        con.execute(f"create table {name} as from empty_{name}")
    con.execute("insert into documents (doc_id, source) values ('d1', 'old.txt')")
    con.execute("insert into paragraphs (doc_id, para_idx, text) values ('d1', 0, ?)", [HARBOUR[3]])
    run_sql_file(con, SQL_DIR / "macros.sql")
    found = trace(con, HARBOUR[3][20:140])
    assert [(v.doc_id, v.paragraphs) for v in found] == [("d1", (0,))]


def test_reprint_trace_command(corpus_warehouse: Path, tmp_path: Path, capsys):
    quote = tmp_path / "quote.txt"
    quote.write_text(HARBOUR[1])
    assert main(["trace", "--file", str(quote), "--warehouse", str(corpus_warehouse), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["outlet"] for r in rows] == ["gazette", "courier", "herald"]
    assert rows[1]["diff"] == "[-large-]{+narrow+}"
    assert main(["trace", HARBOUR[1], "--warehouse", str(corpus_warehouse)]) == 0
    out = capsys.readouterr().out
    assert "3 documents carry the passage" in out and "[-large-]{+narrow+}" in out
    assert main(["trace", "too short", "--warehouse", str(corpus_warehouse)]) == 2


@pytest.mark.skipif(not DUCKDB_CLI.exists(), reason="the duckdb command is installed by make run")
def test_the_trace_macro_runs_in_the_duckdb_command(corpus_warehouse: Path, tmp_path: Path):
    quote = HARBOUR[1].replace("'", "''")
    done = subprocess.run(
        [str(DUCKDB_CLI), str(corpus_warehouse / "corpus.duckdb"), "-readonly", "-csv", "-noheader", "-c",
         f"select outlet, shared from trace('{quote}') order by published_at"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [line.split(",")[0] for line in done.stdout.split()] == ["gazette", "courier", "herald"]
