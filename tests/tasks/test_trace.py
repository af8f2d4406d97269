"""Tracing a passage: the passage index finds every run of 12 shared words, its keys are the catalog macro's,
`reprint trace` lists the versions earliest first with their word diffs, and the `trace` macro answers the
same in the `duckdb` command users have."""

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from bench.trace_bench import STORED_KEYS_SCAN
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


def test_a_batch_keys_each_text_as_it_keys_it_alone():
    # passage_keys keys each distinct text of a batch once and hands the keys to every copy.
    rng = random.Random(5)
    texts = [" ".join(words(rng, rng.randint(0, 40))) for _ in range(30)]
    batch = [texts[k % 7] if k % 3 else texts[k % 30] for k in range(60)]
    keyed = passage_keys(pa.array(batch)).to_pylist()
    assert keyed == [passage_keys(pa.array([text])).to_pylist()[0] for text in batch]


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


def index_table(root: Path) -> list[tuple]:
    """The committed passage index, as sorted rows; each file sorted by key."""
    import pyarrow.parquet as pq

    rows = []
    for path in sorted((root / "passage_index").glob("*.parquet")):
        keys = pq.read_table(path).column("key").to_pylist()
        assert keys == sorted(keys), path
        rows += list(zip(*pq.read_table(path).to_pydict().values(), strict=True))
    return sorted(rows)


def unnested_keys(root: Path) -> list[tuple]:
    con = duckdb.connect(str(root / "corpus.duckdb"), read_only=True)
    try:
        return sorted(
            con.execute("select unnest(passage_keys) as key, doc_id, para_idx from paragraphs").fetchall()
        )
    finally:
        con.close()


def test_the_index_table_answers_as_the_stored_keys_did(corpus_warehouse: Path):
    assert index_table(corpus_warehouse) == unnested_keys(corpus_warehouse) != []
    rng = random.Random(3)
    con = duckdb.connect(str(corpus_warehouse / "corpus.duckdb"), read_only=True)
    try:
        texts = [t for (t,) in con.execute("select text from paragraphs where n_words >= 12").fetchall()]
        passages = [*HARBOUR, *BRIDGE]
        for text in rng.sample(texts, 10):
            cut = text.split()
            start = rng.randrange(len(cut) - 11)
            passages.append(" ".join(cut[start : start + rng.randint(12, 40)]))
        for passage in passages:
            macro = con.execute(
                "select doc_id, para_idx, shared from trace(?) order by all", [passage]
            ).fetchall()
            assert macro == con.execute(STORED_KEYS_SCAN, [passage]).fetchall() != [], passage
    finally:
        con.close()


def test_a_query_reads_only_the_index_row_groups_holding_its_keys(tmp_path: Path, monkeypatch):
    from tasks import warehouse
    from tests.conftest import build_warehouse, write_corpus

    monkeypatch.setitem(warehouse.ROW_GROUPS, "passage_index", 2)
    root = build_warehouse([write_corpus(tmp_path / "in")], tmp_path / "wh")
    con = duckdb.connect(str(root / "corpus.duckdb"), read_only=True)
    try:
        plan = con.execute("explain analyze select * from trace(?)", [HARBOUR[1]]).fetchall()[0][1]
        (groups,) = con.execute(
            "select count(distinct (file_name, row_group_id)) from parquet_metadata(?) "
            "where row_group_num_rows > 0",
            [str(root / "passage_index" / "*.parquet")],
        ).fetchall()[0]
    finally:
        con.close()
    scanned = [tuple(map(int, m)) for m in re.findall(r"Row Groups Scanned: (\d+) / (\d+)", plan)]
    index_scan = [read for read, total in scanned if total == groups]
    assert index_scan, (groups, scanned)
    # HARBOUR[1] has 20 shingle keys: they fall in 20 row groups at most, of the index's 60 or more.
    assert index_scan[0] <= len(HARBOUR[1].split()) - 4 < 60 <= groups, (groups, scanned)


def test_the_index_follows_documents_added_changed_and_removed(tmp_path: Path):
    from tasks.warehouse import current_version
    from tests.conftest import build_warehouse, write_corpus

    inputs = write_corpus(tmp_path / "in")
    root = build_warehouse([inputs], tmp_path / "wh")
    (inputs / "courier" / "harbour-short.txt").write_text(
        "Port Elling strike\n\n" + HARBOUR[0] + "\n\nA paragraph written for this test and no other one.\n"
    )
    (inputs / "tribune" / "bridge.txt").unlink()
    (inputs / "tribune" / "late.txt").write_text("Late\n\n" + BRIDGE[4] + "\n")
    build_warehouse([inputs], root)
    assert index_table(root) == unnested_keys(root)
    con = duckdb.connect(str(root / "corpus.duckdb"), read_only=True)
    try:
        assert [v.outlet for v in trace(con, HARBOUR[1])] == ["gazette", "herald"]
        assert "tribune" in {v.outlet for v in trace(con, BRIDGE[4])}
    finally:
        con.close()
    version = current_version(root)
    build_warehouse([inputs], root)  # nothing new: nothing committed
    assert current_version(root) == version


def test_a_run_killed_while_writing_the_index_leaves_the_warehouse_as_it_was(tmp_path: Path):
    import os
    import signal

    from tasks.warehouse import current_version
    from tests.conftest import build_warehouse, write_corpus

    inputs = write_corpus(tmp_path / "in")
    root = build_warehouse([inputs], tmp_path / "wh")
    version, index = current_version(root), index_table(root)
    (inputs / "tribune" / "late.txt").write_text("Late\n\n" + HARBOUR[2] + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    killed = subprocess.run(
        [str(Path(sys.executable).parent / "reprint"), "run", str(inputs), "--warehouse", str(root)],
        env={**env, "PREFECT_HOME": str(tmp_path / "prefect"), "REPRINT_CRASH_AT": "mid-file-passage_index"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert current_version(root) == version and index_table(root) == index
    build_warehouse([inputs], root)
    assert index_table(root) == unnested_keys(root) != index


def test_a_warehouse_written_before_the_index_gets_it_at_its_next_run(tmp_path: Path):
    """A version written by older code has no passage_index folder and paragraphs without keys: trace says
    to run again, and the next run (nothing else to do) builds the whole index, keying those rows' text."""
    import shutil

    import pyarrow.parquet as pq

    from tasks.trace import NoPassageIndex
    from tasks.warehouse import current_version, locked
    from tests.conftest import build_warehouse, write_corpus

    inputs = write_corpus(tmp_path / "in")
    root = build_warehouse([inputs], tmp_path / "wh")
    expected = index_table(root)
    old = current_version(root)
    shutil.rmtree(old / "passage_index")
    for path in (old / "paragraphs").glob("*.parquet"):
        rows = pq.read_table(path)
        path.unlink()  # (hard-linked from the version before: that one keeps its file)
        if "passage_keys" in rows.column_names:
            pq.write_table(rows.drop_columns(["passage_keys"]), path)
    with locked(root):  # what the next run does first: the table added since gets an empty file
        pass
    con = duckdb.connect(str(root / "corpus.duckdb"), read_only=True)
    try:
        with pytest.raises(NoPassageIndex, match="run `reprint run`"):
            trace(con, HARBOUR[3])
    finally:
        con.close()
    build_warehouse([inputs], root)
    assert current_version(root) != old
    assert index_table(root) == expected
    con = duckdb.connect(str(root / "corpus.duckdb"), read_only=True)
    try:
        assert [v.outlet for v in trace(con, HARBOUR[3])] == ["gazette", "courier", "herald"]
    finally:
        con.close()


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
