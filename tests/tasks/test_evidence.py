"""Link evidence is prepared with each document, so linking reads no text: find_stories on the columns it
names gives what it gives on whole tables, and a warehouse written before the evidence columns existed gets
them from its text at link time, with the same stories."""

import dataclasses

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tasks.evidence import (
    DOCUMENT_EVIDENCE,
    PARAGRAPH_EVIDENCE,
    canonical_url,
    names_and_numbers,
    paragraph_evidence,
    with_evidence,
)
from tasks.fingerprint import word_hash
from tasks.stories import LINK_DOCUMENT_COLUMNS, LINK_PARAGRAPH_COLUMNS, find_stories, read_link_tables
from tasks.warehouse import SCHEMAS, read_file
from tests.tasks.test_link import FLOOD, RAIL, edit
from tests.tasks.test_stories import FOOTER, HEADER, INDEPENDENT, RELEASE, WRITE_THROUGH, corpus, raw


def mixed_corpus() -> tuple[pa.Table, pa.Table]:
    """Every kind of evidence at work: outlet furniture, a Markdown heading two stories share, one page at two
    URLs, a republication, and a write-through that links on its names and numbers in order."""

    def at(doc_id: str, url: str, paragraphs: list[str], day: int):
        return dataclasses.replace(raw(doc_id, "herald", paragraphs, day), url=url)

    return corpus(
        raw("rail", "herald", [HEADER, "## Background"] + RAIL[:4] + [FOOTER], 1),
        raw("flood", "herald", [HEADER, "## Background"] + FLOOD[:3] + [FOOTER], 2),
        raw("rail-copy", "post", RAIL[:3] + [edit(RAIL[3])], 3),
        at("page", "https://www.herald.example/news/rail-plan/?utm_source=feed", RAIL[4:7], 4),
        # One sentence kept of the first version: one page by its URL, too little to link on text.
        at("page-edit", "http://herald.example/news/rail-plan", [RAIL[5]] + [edit(p) for p in FLOOD[3:]], 5),
        raw("release", "wire", RELEASE, 6),
        raw("write-through", "post", WRITE_THROUGH, 7),
        raw("independent", "gazette", INDEPENDENT, 8),
    )


def outcome(members: pa.Table, paras: pa.Table) -> tuple[list, list]:
    stories = members.select(["story_id", "doc_id", "version", "n_members", "copied_from"]).to_pylist()
    flags = paras.select(["doc_id", "is_boilerplate", "boilerplate_reason"]).to_pylist()  # in row order
    return sorted(stories, key=lambda r: r["doc_id"]), flags


def test_prepare_stores_each_paragraphs_names_in_order_and_headings_and_each_documents_canonical_url():
    docs, paras = mixed_corpus()
    rows = {(r["doc_id"], r["para_idx"]): r for r in paras.to_pylist()}
    release = rows[("release", 0)]
    assert release["names"] == [word_hash(w) for w in names_and_numbers(release["text"])]
    # "Harbourview" opens the sentence; "Energy" does not.
    assert names_and_numbers(release["text"]) == ["energy", "monday", "240-megawatt", "dunmore", "310"]
    assert rows[("rail", 1)]["is_heading"] and not rows[("rail", 0)]["is_heading"]
    urls = dict(zip(docs.column("doc_id").to_pylist(), docs.column("canonical_url").to_pylist(), strict=True))
    assert (
        urls["page"]
        == urls["page-edit"]
        == "herald.example/news/rail-plan"
        == canonical_url("https://www.herald.example/news/rail-plan/?utm_source=feed")
    )
    assert urls["rail"] is None


def test_linking_on_the_columns_it_names_gives_what_whole_tables_give():
    docs, paras = mixed_corpus()
    whole = outcome(*find_stories(docs, paras))
    assert "text" not in LINK_PARAGRAPH_COLUMNS
    members, flagged = find_stories(docs.select(LINK_DOCUMENT_COLUMNS), paras.select(LINK_PARAGRAPH_COLUMNS))
    assert outcome(members, flagged) == whole
    stories = {r["doc_id"]: r["story_id"] for r in whole[0]}
    # The corpus exercises each kind of evidence (else the comparison above would prove little).
    assert stories["rail"] == stories["rail-copy"] != stories["flood"]
    assert stories["page"] == stories["page-edit"]
    assert stories["release"] == stories["write-through"] != stories["independent"]
    texts = paras.column("text").to_pylist()
    reasons = dict(zip(texts, [r["boilerplate_reason"] for r in whole[1]], strict=True))
    assert reasons[HEADER] == "repeated" and reasons["## Background"] is None  # the heading is structure


def test_a_warehouse_written_before_the_evidence_columns_links_as_a_new_one(tmp_path):
    docs, paras = mixed_corpus()
    expected = outcome(*find_stories(docs, paras))
    # Files as an earlier version wrote them, read back the way the warehouse reads any file.
    pq.write_table(docs.drop_columns(list(DOCUMENT_EVIDENCE)), tmp_path / "documents.parquet")
    pq.write_table(paras.drop_columns(list(PARAGRAPH_EVIDENCE)), tmp_path / "paragraphs.parquet")
    old_docs = read_file(tmp_path / "documents.parquet", "documents")
    old_paras = read_file(tmp_path / "paragraphs.parquet", "paragraphs")
    assert old_paras.column("names").null_count == old_paras.num_rows
    members, flagged = find_stories(old_docs, old_paras)
    assert outcome(members, flagged) == expected
    # ... and the paragraphs come back with their evidence, as prepare makes it (stored by the next commit).
    for name in PARAGRAPH_EVIDENCE:
        assert flagged.column(name).equals(paras.column(name)), name


def test_only_the_rows_that_lack_evidence_get_it_and_without_text_the_message_says_what_to_read():
    docs, paras = mixed_corpus()
    half = paras.num_rows // 2
    kept = paras.column("names").combine_chunks()[:half]
    names = pa.concat_arrays([kept, pa.nulls(paras.num_rows - half, kept.type)])
    gapped = paras.set_column(paras.schema.get_field_index("names"), "names", names)
    _, filled = with_evidence(docs, gapped)
    assert filled.column("names").equals(paras.column("names"))
    with pytest.raises(ValueError, match="no text to compute it from: read their `text` column too"):
        find_stories(docs, gapped.drop_columns(["text"]))


def test_evidence_kept_from_earlier_batches_gives_the_columns_read_afresh():
    # A worker keeps the evidence of texts it read (prepare's per-process cache): a text met again in a later
    # batch, alone or repeated, takes the kept evidence, and it must be what reading it again would give.
    first = ["Mr. Smith met Jones in Paris on July 2, 2024.", "Version 1.64.0 fixes 104 bugs in Rust", ""]
    later = [first[1], "# Heading", first[0], "New text from Acme Corp. with 3 names", first[1], None]
    known: dict = {}
    paragraph_evidence(pa.array(first, pa.string()), known)
    kept = paragraph_evidence(pa.array(later, pa.string()), known)
    afresh = paragraph_evidence(pa.array(later, pa.string()))
    assert len(known) == 5  # each distinct text once (a missing text is read as an empty one)
    assert set(kept) == set(PARAGRAPH_EVIDENCE)
    for column in PARAGRAPH_EVIDENCE:
        assert kept[column].equals(afresh[column]), column
    assert kept["names"].to_pylist()[0] == [word_hash(w) for w in ["1.64.0", "104", "rust"]]


def test_evidence_of_no_paragraphs_and_of_empty_ones():
    evidence = paragraph_evidence(pa.array([], pa.string()))
    assert len(evidence["names"]) == 0 and len(evidence["is_heading"]) == 0
    evidence = paragraph_evidence(pa.array(["", None, "## background"], pa.string()))
    assert evidence["names"].to_pylist() == [[], [], []]
    assert evidence["is_heading"].to_pylist() == [False, False, True]
    empty = find_stories(SCHEMAS["documents"].empty_table(), SCHEMAS["paragraphs"].empty_table())
    assert empty[0].num_rows == 0


def test_linking_reads_its_columns_from_old_and_new_files_alike(tmp_path):
    docs, paras = mixed_corpus()
    expected = outcome(*find_stories(docs, paras))
    half = paras.num_rows // 2
    # One file as an earlier version wrote it (no evidence), one as now, both in several row groups.
    pq.write_table(
        paras[:half].drop_columns(list(PARAGRAPH_EVIDENCE)), tmp_path / "p0.parquet", row_group_size=7
    )
    pq.write_table(paras[half:], tmp_path / "p1.parquet", row_group_size=7)
    pq.write_table(docs, tmp_path / "d0.parquet", row_group_size=3)
    read_docs, read_paras = read_link_tables(
        [tmp_path / "d0.parquet"], [tmp_path / "p0.parquet", tmp_path / "p1.parquet"]
    )
    assert read_docs.column_names == LINK_DOCUMENT_COLUMNS
    assert read_paras.column_names == [
        *LINK_PARAGRAPH_COLUMNS,
        "text",
    ]  # the old file's text, to compute from
    assert read_paras.column("text").null_count == paras.num_rows - half  # the new file's is not read
    assert outcome(*find_stories(read_docs, read_paras)) == expected
    pq.write_table(paras[:half], tmp_path / "p0.parquet")  # once every file has its evidence: no text read
    assert "text" not in read_link_tables([], [tmp_path / "p0.parquet"])[1].column_names


def test_names_and_numbers_token_by_token():
    """Every kind of token the quick path for plain words must leave to the regular one: a word after a
    sentence end or a closing quote, digits of other scripts, a possessive, a hyphenated name, punctuation."""
    text = (
        'Rail plan. Talks "ended." Then Ana met Bo-Lee in Zürich, said O’Neill (again.) then Paris; '
        "Rates rose ²3 and ٣ times in 2024, by 4.5%, as said Q. Smith! Why? Dublin"
    )
    assert names_and_numbers(text) == [
        "ana", "bo-lee", "zürich", "o’neill", "paris", "rates", "²3", "٣", "2024", "4.5", "q",
    ]  # fmt: skip


def test_a_canonical_url_keeps_the_query_that_names_the_page_and_drops_trackers():
    assert canonical_url("https://www.herald.example/news/rail-plan/?utm_source=feed#comments") == (
        "herald.example/news/rail-plan"
    )
    assert canonical_url("http://wire.example/apps/news?sid=a3wJ&pid=2060&refer=japan&fbclid=x") == (
        "wire.example/apps/news?pid=2060&sid=a3wJ"
    )
    assert canonical_url("http://herald.example/index.php?/site/article/4255/") == (
        "herald.example/index.php?/site/article/4255/"
    )
    assert canonical_url("http://herald.example/index.php?/site/article/4250/") != canonical_url(
        "http://herald.example/index.php?/site/article/4255/"
    )
