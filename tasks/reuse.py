"""Reuse outside stories: every pair of documents that share a passage of 12 or more words, whichever stories
they belong to (passim's text reuse, where a quoted paragraph or a wire footer reused by another story counts
too), with passim's b1/e1/b2/e2 character offsets of each shared span in both texts.

Pairs come from the passage index, never from comparing all pairs: two paragraphs are aligned when they share
a winnowed shingle key (`paragraphs.passage_keys`) that at most `max_df` documents hold, and the spans they
share are cut at word level (tasks/reuse_spans.py). A key held by more documents than that (a passage in very
many documents) pairs none: without the cap its documents would make a number of pairs that grows with its
square (passim's `--maxDF`). Offsets count characters in the document's text: its paragraphs in reading order
joined by a blank line, boilerplate included (the catalog's `document_texts` view), so `text[b1:e1]` is the
span.

The step is incremental and exact: a pair of documents neither of which changed, whose paragraphs the index
pairs as it did in the stored corpus, keeps its stored rows (with its documents' current stories); every other
pair is aligned again. So the rows are a function of the corpus, not of the order it arrived in.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks.reuse_spans import cut_words, shared_spans
from tasks.warehouse import SCHEMAS, Rewrite, Source, distinct_values, table_files

REUSE_VERSION = "reuse-1"
PLACEHOLDERS = (
    "part-empty.parquet",
    "part-columns.parquet",
)  # files the warehouse writes for a table, not this step


@dataclass(frozen=True)
class ReuseConfig:
    # The shortest span stored: a run of 12 shared words always shares a stored key (tasks/passages.py), so
    # every such run is found; shorter ones would be found only when winnowing happens to keep their key.
    min_words: int = 12
    # A key in more documents than this pairs none (passim's --maxDF, 100 there on collections of millions).
    max_df: int = 20
    # Runs of shared words at most this many words apart in both texts are one span (an edited word or two).
    max_gap: int = 4
    # Paragraph pairs aligned at once: what bounds the step's memory (their texts and words).
    batch: int = 5_000


# The passage index as (document, paragraph, key) rows, and the rows of keys at most `max_df` documents hold:
# the keys that pair paragraphs.
POSTINGS = """
create temp table postings as
select distinct doc_id, para_idx, unnest(passage_keys) as key from new_paragraphs;
create temp table rare_postings as
select * from postings semi join (
    select key from postings group by key
    having count(distinct doc_id) between 2 and getvariable('reuse_max_df')
) using (key);
"""

# Every paragraph pair the index pairs (a first run, or stored rows of another version).
ALL_ANCHORS = """
create temp table todo as
select distinct a.doc_id as doc_id1, a.para_idx as para1, b.doc_id as doc_id2, b.para_idx as para2
from rare_postings a join rare_postings b on a.key = b.key and a.doc_id < b.doc_id;
create temp table affected (doc_id1 varchar, doc_id2 varchar);
"""

# A later run: the paragraph pairs of pairs with a touched document (new, replaced, re-flagged), and of
# pairs of untouched documents that share a key whose document count crossed the cap (`affected`: what the
# index pairs of them may have changed). A key's count in the stored corpus is its count now, less its touched
# documents now, plus its touched documents as stored.
TOUCHED_ANCHORS = """
create temp table old_touched as
select distinct doc_id, para_idx, unnest(passage_keys) as key from old_paragraphs
where doc_id in (select doc_id from touched);
create temp table flipped as
with
keys as (
    select key from postings where doc_id in (select doc_id from touched)
    union select key from old_touched
),
now as (
    select key, count(distinct doc_id) as n,
        count(distinct doc_id) filter (where doc_id in (select doc_id from touched)) as mine
    from postings semi join keys using (key) group by key
),
was as (select key, count(distinct doc_id) as n from old_touched group by key),
counts as (
    select key, now.n as n_now, now.n - now.mine + coalesce(was.n, 0) as n_was
    from now left join was using (key)
)
select key from counts
where (n_now between 2 and getvariable('reuse_max_df')) <> (n_was between 2 and getvariable('reuse_max_df'));
create temp table affected as
select distinct a.doc_id as doc_id1, b.doc_id as doc_id2
from postings a join postings b on a.key = b.key and a.doc_id < b.doc_id
where a.key in (select key from flipped)
    and a.doc_id not in (select doc_id from touched) and b.doc_id not in (select doc_id from touched);
create temp table todo as
select distinct
    least(t.doc_id, o.doc_id) as doc_id1,
    case when t.doc_id < o.doc_id then t.para_idx else o.para_idx end as para1,
    greatest(t.doc_id, o.doc_id) as doc_id2,
    case when t.doc_id < o.doc_id then o.para_idx else t.para_idx end as para2
from (select * from rare_postings where doc_id in (select doc_id from touched)) t
join rare_postings o on o.key = t.key and o.doc_id <> t.doc_id
union
select distinct a.doc_id, a.para_idx, b.doc_id, b.para_idx
from affected f
join rare_postings a on a.doc_id = f.doc_id1
join rare_postings b on b.doc_id = f.doc_id2 and b.key = a.key;
"""

# The stored rows that still hold: pairs of untouched documents the cap did not change.
KEPT_ROWS = """
select r.* exclude (story_id1, story_id2, same_story)
from read_parquet(getvariable('reuse_stored'), union_by_name = true) r
where doc_id1 not in (select doc_id from touched) and doc_id2 not in (select doc_id from touched)
    and not exists (select 1 from affected f where f.doc_id1 = r.doc_id1 and f.doc_id2 = r.doc_id2)
"""


def _paragraph_view(con: duckdb.DuckDBPyConnection, name: str, sources: list[Source], patch: pa.Table | None):
    """A view `name` of the paragraphs the sources hold (doc_id, para_idx, text, is_boilerplate, n_words,
    passage_keys; keys null in files written before the index), with the patch's flags laid over them. A
    view, not a table: each query reads only its columns from the files (the index's keys, not the text)."""
    selects = []
    for k, source in enumerate(sources):
        have = set(pq.read_schema(source.path).names)
        keys = "passage_keys" if "passage_keys" in have else "null::ubigint[] as passage_keys"
        con.execute(f"set variable {name}_file_{k} = ?", [str(source.path)])
        drop = pa.table({"doc_id": source.drop if source.drop is not None else pa.array([], pa.string())})
        con.register(f"{name}_drop_{k}", drop)
        selects.append(
            f"select doc_id, para_idx, text, is_boilerplate, n_words, {keys} "
            f"from read_parquet(getvariable('{name}_file_{k}')) "
            f"where doc_id not in (select doc_id from {name}_drop_{k})"
        )
    union = " union all ".join(selects) or (
        "select null::varchar as doc_id, null::integer as para_idx, null::varchar as text, "
        "null::boolean as is_boilerplate, null::integer as n_words, null::ubigint[] as passage_keys "
        "where false"
    )
    flags = (
        patch.select(["doc_id", "para_idx", "is_boilerplate"])
        if patch is not None and "is_boilerplate" in patch.column_names
        else pa.table(
            {
                "doc_id": pa.array([], pa.string()),
                "para_idx": pa.array([], pa.int32()),
                "is_boilerplate": pa.array([], pa.bool_()),
            }
        )
    )
    con.register(f"{name}_patch", flags)
    con.execute(
        f"create view {name} as select p.doc_id, p.para_idx, p.text, "
        f"coalesce(f.is_boilerplate, p.is_boilerplate) as is_boilerplate, p.n_words, p.passage_keys "
        f"from ({union}) p left join {name}_patch f using (doc_id, para_idx)"
    )


@dataclass
class ReuseInputs:
    """What the step reads: the paragraphs as the run commits them (`new`, with linking's flags `patch`), as
    they were stored (`old`), the stories, the stored `reuse_pairs` files, and the documents whose stored
    rows no longer hold (`touched`: new, replaced, removed or re-flagged)."""

    new: list[Source]
    patch: pa.Table | None
    old: list[Source]
    members: pa.Table
    stored: list[Path]
    touched: pa.Array


def find_reuse(inputs: ReuseInputs, scratch: Path, config: ReuseConfig = ReuseConfig()) -> Path:  # noqa: B008
    """Write the next `reuse_pairs` table into a Parquet file under `scratch`; returns its path."""
    scratch.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=scratch, prefix="reuse-"))
    con = duckdb.connect(
        config={"temp_directory": str(work / "spill"), "memory_limit": "512MB", "threads": 2}
    )
    try:
        con.execute("set variable reuse_max_df = ?", [config.max_df])
        con.execute("set variable reuse_version = ?", [reuse_step(config)])
        _paragraph_view(con, "new_paragraphs", inputs.new, inputs.patch)
        con.execute(POSTINGS)
        written = [p for p in inputs.stored if pq.read_metadata(p).num_rows]
        kept_rows = None
        if written and all(_current_rows(p, config) for p in written):
            con.register("touched", pa.table({"doc_id": inputs.touched.cast(pa.string())}))
            _paragraph_view(con, "old_paragraphs", inputs.old, None)
            con.execute(TOUCHED_ANCHORS)
            con.execute("set variable reuse_stored = ?", [[str(p) for p in written]])
            kept_rows = KEPT_ROWS
        else:
            con.execute(ALL_ANCHORS)
        found = _align_todo(con, config)
        con.register("found_rows", found)
        con.register("members", inputs.members.select(["doc_id", "story_id"]))
        rows = "select * from found_rows" + (f" union all by name {kept_rows}" if kept_rows else "")
        target = work / "reuse_pairs.parquet"
        result = con.sql(
            "select r.* replace (coalesce(r.reuse_version, getvariable('reuse_version')) as reuse_version), "
            f"m1.story_id as story_id1, m2.story_id as story_id2, "
            f"coalesce(m1.story_id = m2.story_id, false) as same_story from ({rows}) r "
            "left join members m1 on m1.doc_id = r.doc_id1 left join members m2 on m2.doc_id = r.doc_id2 "
            "order by doc_id1, doc_id2, b1, b2, e1, e2"
        )
        schema = SCHEMAS["reuse_pairs"]
        with pq.ParquetWriter(target, schema, compression="zstd") as writer:
            for batch in result.arrow():
                writer.write_table(pa.Table.from_batches([batch]).select(schema.names).cast(schema))
        return target
    finally:
        con.close()


def reuse_step(config: ReuseConfig) -> str:
    """The version stored with each row: the code's and the configuration's (a changed cap redoes every
    pair)."""
    from tasks.run import step_version

    return step_version("reuse", REUSE_VERSION, str(SCHEMAS["reuse_pairs"]), config)


def _current_rows(path: Path, config: ReuseConfig) -> bool:
    """Whether a stored file's rows were made by this code and configuration (an empty file is current)."""
    f = pq.ParquetFile(path)
    if not f.metadata.num_rows:
        return False
    if "reuse_version" not in f.schema_arrow.names:
        return False
    versions = set(pc.unique(f.read(columns=["reuse_version"]).column(0)).to_pylist())
    return versions == {reuse_step(config)}


TODO_BATCH = """
select t.doc_id1, t.doc_id2, t.para1, t.para2,
    n1.text as text1, n2.text as text2, p1.start as start1, p2.start as start2,
    p1.is_boilerplate or p2.is_boilerplate as boilerplate
from todo t
join placed p1 on p1.doc_id = t.doc_id1 and p1.para_idx = t.para1
join placed p2 on p2.doc_id = t.doc_id2 and p2.para_idx = t.para2
join new_paragraphs n1 on n1.doc_id = t.doc_id1 and n1.para_idx = t.para1
join new_paragraphs n2 on n2.doc_id = t.doc_id2 and n2.para_idx = t.para2
order by t.doc_id1, t.doc_id2, t.para1, t.para2
"""


def _align_todo(con: duckdb.DuckDBPyConnection, config: ReuseConfig) -> pa.Table:
    """The spans of the paragraph pairs in `todo`, a batch at a time, as rows (without story columns)."""
    # Where each paragraph starts in its document's text, and each document's words.
    # The window runs over lengths only: over the text itself it held every paragraph's text in memory and
    # ran out of DuckDB's 512 MB at 50,000 documents (a window does not spill); the text is joined per batch.
    con.execute(
        "create temp table placed as select doc_id, para_idx, is_boilerplate, "
        "coalesce(sum(size) over (partition by doc_id order by para_idx "
        "rows between unbounded preceding and 1 preceding), 0)::bigint as start "
        "from (select doc_id, para_idx, is_boilerplate, length(text) + 2 as size from new_paragraphs "
        "where doc_id in (select doc_id1 from todo union select doc_id2 from todo))"
    )
    words = dict(
        con.sql(
            "select doc_id, sum(n_words)::bigint from new_paragraphs "
            "where doc_id in (select doc_id1 from todo union select doc_id2 from todo) group by doc_id"
        ).fetchall()
    )
    parts = []
    for batch in con.sql(TODO_BATCH).arrow():
        for start in range(0, batch.num_rows, config.batch):
            parts.append(_batch_rows(pa.Table.from_batches([batch.slice(start, config.batch)]), config))
    spans = pa.concat_tables([_SPAN_SCHEMA.empty_table(), *parts])
    return _with_shares(spans, words)


_SPAN_SCHEMA = pa.schema(
    [
        ("doc_id1", pa.string()),
        ("doc_id2", pa.string()),
        ("b1", pa.int64()),
        ("e1", pa.int64()),
        ("b2", pa.int64()),
        ("e2", pa.int64()),
        ("words1", pa.int64()),
        ("words2", pa.int64()),
        ("matches", pa.int64()),
        ("boilerplate", pa.bool_()),
    ]
)


def _batch_rows(batch: pa.Table, config: ReuseConfig) -> pa.Table:
    """Spans of a batch of paragraph pairs, offsets moved into their documents' texts."""
    n = batch.num_rows
    texts = pc.dictionary_encode(
        pa.concat_arrays([batch.column("text1").combine_chunks(), batch.column("text2").combine_chunks()])
    )
    index = texts.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    words = cut_words(texts.dictionary.to_pylist())
    spans = shared_spans(words, index[:n], index[n:], config.min_words, config.max_gap)
    k = spans.pair
    start1 = batch.column("start1").to_numpy()[k]
    start2 = batch.column("start2").to_numpy()[k]
    return pa.table(
        {
            "doc_id1": batch.column("doc_id1").take(pa.array(k)),
            "doc_id2": batch.column("doc_id2").take(pa.array(k)),
            "b1": start1 + words.starts[spans.w1],
            "e1": start1 + words.ends[spans.x1 - 1],
            "b2": start2 + words.starts[spans.w2],
            "e2": start2 + words.ends[spans.x2 - 1],
            "words1": spans.x1 - spans.w1,
            "words2": spans.x2 - spans.w2,
            "matches": spans.matches,
            "boilerplate": batch.column("boilerplate").take(pa.array(k)),
        },
        schema=_SPAN_SCHEMA,
    )


def _with_shares(spans: pa.Table, words: dict[str, int]) -> pa.Table:
    """Score each span (matched words over the longer side) and the share of each document its pair's spans
    cover (their words over the document's)."""
    pair = pc.binary_join_element_wise(spans.column("doc_id1"), spans.column("doc_id2"), "\x1f")
    grouped = pa.table({"pair": pair, "w1": spans.column("words1"), "w2": spans.column("words2")})
    sums = grouped.group_by("pair").aggregate([("w1", "sum"), ("w2", "sum")])
    at = pc.index_in(pair, value_set=sums.column("pair"))
    covered1 = sums.column("w1_sum").take(at).to_numpy()
    covered2 = sums.column("w2_sum").take(at).to_numpy()
    n1 = np.array([words.get(d, 0) for d in spans.column("doc_id1").to_pylist()], dtype=np.float64)
    n2 = np.array([words.get(d, 0) for d in spans.column("doc_id2").to_pylist()], dtype=np.float64)
    longer = np.maximum(spans.column("words1").to_numpy(), spans.column("words2").to_numpy())
    matches = spans.column("matches").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        share1 = np.where(n1 > 0, np.minimum(covered1 / n1, 1.0), 0.0)
        share2 = np.where(n2 > 0, np.minimum(covered2 / n2, 1.0), 0.0)
        score = np.where(longer > 0, matches / longer, 0.0)
    return (
        spans.drop_columns(["words1", "words2"])
        .append_column("score", pa.array(np.round(score, 4)))
        .append_column("share1", pa.array(np.round(share1, 4)))
        .append_column("share2", pa.array(np.round(share2, 4)))
        .append_column("reuse_version", pa.nulls(spans.num_rows, pa.string()))
    )


def reuse_current(root: Path, config: ReuseConfig = ReuseConfig()) -> bool:  # noqa: B008
    """Whether the committed `reuse_pairs` were written by this step with this code and configuration (a
    warehouse from before the table, or of another version, is not: its next run finds them)."""
    written = [f for f in table_files(root, "reuse_pairs") if f.name not in PLACEHOLDERS]
    return bool(written) and distinct_values(written, "reuse_version") <= {reuse_step(config)}


def reuse_rewrite(
    root: Path,
    paragraphs: Rewrite | None,
    members: pa.Table,
    scratch: Path,
    config: ReuseConfig = ReuseConfig(),  # noqa: B008
) -> Rewrite:
    """The next `reuse_pairs` of the warehouse at `root`, for the commit: found over the paragraphs as the
    run commits them (`paragraphs`: linking's Rewrite, None when no document changed) and the stories
    `members`."""
    stored = [Source(f) for f in table_files(root, "paragraphs")]
    if paragraphs is None:
        new, patch, touched = stored, None, pa.array([], pa.string())
    else:
        new = [Source(f, paragraphs.drop) for f in table_files(root, "paragraphs")] + paragraphs.parts
        patch = paragraphs.patch
        staged = [distinct_values([p.path], "doc_id") for p in paragraphs.parts]
        patched = set(patch.column("doc_id").to_pylist()) if patch is not None and patch.num_rows else set()
        dropped = set(paragraphs.drop.to_pylist()) if paragraphs.drop is not None else set()
        touched = pa.array(sorted(set().union(*staged, patched, dropped) - {None}), pa.string())
    old_rows = table_files(root, "reuse_pairs")
    inputs = ReuseInputs(new, patch, stored, members, old_rows, touched)
    part = find_reuse(inputs, scratch, config)
    drop = sorted(distinct_values(old_rows, "doc_id1") - {None})
    return Rewrite([Source(part)], pa.array(drop, pa.string()))
