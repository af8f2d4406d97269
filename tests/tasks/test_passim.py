"""`reprint export --passim DIR` writes passim's cluster layout: JSON lines with passim's fields and types,
whose offsets slice the passage out of the document's text, one cluster per passage reused, and the pairs."""

import json
from pathlib import Path

import duckdb

from flows.cli import main
from tasks.passim import passages, uid
from tasks.warehouse import read_table

# passim's cluster record (its README: "Each record echoes the fields in the JSON input and adds ...").
FIELDS = {
    "id": str,
    "uid": int,
    "cluster": int,
    "size": int,
    "begin": int,
    "end": int,
    "text": str,
    "series": (str, type(None)),
    "date": (str, type(None)),
    "pboiler": float,
}
PAIR_FIELDS = {
    "id1": str,
    "uid1": int,
    "b1": int,
    "e1": int,
    "id2": str,
    "uid2": int,
    "b2": int,
    "e2": int,
    "matches": int,
    "score": float,
}


def test_export_writes_passims_clusters_and_pairs(corpus_warehouse: Path, tmp_path: Path):
    assert main(["export", "--passim", str(tmp_path / "out"), "--warehouse", str(corpus_warehouse)]) == 0
    records = [json.loads(line) for line in (tmp_path / "out" / "out.json" / "part-00000.json").open()]
    pairs = [json.loads(line) for line in (tmp_path / "out" / "align.json" / "part-00000.json").open()]
    con = duckdb.connect(str(corpus_warehouse / "corpus.duckdb"), read_only=True)
    try:
        texts = dict(con.sql("select doc_id, text from document_texts").fetchall())
        stored = con.sql("select count(*) from reuse_pairs").fetchall()[0][0]
    finally:
        con.close()
    assert records and len(pairs) == stored
    for record in records:
        for name, kind in FIELDS.items():
            assert isinstance(record[name], kind), (name, record[name])
        assert record["text"] == texts[record["id"]][record["begin"] : record["end"]]
        assert record["uid"] == uid(record["id"]) and -(2**63) <= record["cluster"] < 2**63
    for pair in pairs:
        for name, kind in PAIR_FIELDS.items():
            assert isinstance(pair[name], kind), (name, pair[name])
        # Both offsets slice the shared passage: the same words, as each document prints them.
        first = texts[pair["id1"]][pair["b1"] : pair["e1"]].lower().split()
        second = texts[pair["id2"]][pair["b2"] : pair["e2"]].lower().split()
        assert len(first) >= 12 and len(second) >= 12
    # A cluster's size counts its documents; every pair's two passages are in one cluster.
    clusters: dict[int, set] = {}
    for record in records:
        clusters.setdefault(record["cluster"], set()).add(record["id"])
    assert all(record["size"] == len(clusters[record["cluster"]]) for record in records)
    where = {(r["id"], r["begin"], r["end"]): r["cluster"] for r in records}
    for pair in pairs:
        one = [c for (d, b, e), c in where.items() if d == pair["id1"] and b <= pair["b1"] < e]
        two = [c for (d, b, e), c in where.items() if d == pair["id2"] and b <= pair["b2"] < e]
        assert one and one == two
    # The harbour story's paragraphs are reused by its republications: those clusters span its documents.
    members = read_table(corpus_warehouse, "story_members")
    largest = max(len(c) for c in clusters.values())
    assert largest == max(members.column("n_members").to_pylist())


def test_a_second_export_writes_the_same_files(corpus_warehouse: Path, tmp_path: Path):
    for name in ("a", "b"):
        main(["export", "--passim", str(tmp_path / name), "--warehouse", str(corpus_warehouse)])
    for part in ("out.json", "align.json"):
        first = (tmp_path / "a" / part / "part-00000.json").read_bytes()
        assert first == (tmp_path / "b" / part / "part-00000.json").read_bytes()


def test_overlapping_spans_of_a_document_are_one_passage():
    grouped = passages({"d": [(0, 100), (10, 100), (160, 300), (150, 300)]})
    assert grouped == {"d": [(0, 100, [0, 1]), (150, 300, [3, 2])]}
    # Spans overlapping by less than half the longer (passim's relative overlap) stay apart.
    assert len(passages({"d": [(0, 100), (90, 200)]})["d"]) == 2
    assert len(passages({"d": [(0, 300), (100, 200)]})["d"]) == 2
