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
pair is aligned again. So the rows are a function of the corpus, not of the order it arrived in. A daily run's
work follows what changed (docs/daily-run.md): it builds the postings of only the keys its touched documents
hold, and writes the rows of only the first documents (doc_id1) whose pairs changed, the commit keeping the
other stored rows where they are.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks.one_to_one import greedy_matching_intervals
from tasks.passages import SHINGLE
from tasks.reuse_spans import Words, cut_words, shared_spans
from tasks.warehouse import (
    SCHEMAS,
    Rewrite,
    Source,
    _bucket_bounds,
    _laid_over,
    _row_keys,
    _spill_buckets,
    distinct_values,
    table_files,
)

if TYPE_CHECKING:  # duckdb is imported at use: a run with nothing new queries nothing
    import duckdb

REUSE_VERSION = "reuse-2"
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
    # Paragraph pairs aligned at once (their texts' words; a document pair's are never split).
    batch: int = 5_000


@dataclass(frozen=True)
class ReuseBudget:
    """What the step may hold in memory. Not part of the rows' version: any budget gives the same rows."""

    # DuckDB's cap: it holds the index's rows and the candidate pairs, spilling to the scratch folder past it.
    duckdb_memory: str = "512MB"
    # Paragraph text (Arrow bytes) of one range of documents; a batch holds two ranges' at most.
    text_bytes: int = 64 << 20
    # The words cut from one range's paragraphs, kept for the batches that pair them again (16 bytes a word;
    # a batch holds two ranges' at most).
    word_bytes: int = 32 << 20


# The passage index as (document, paragraph, key) rows, and the rows of keys at most `max_df` documents hold:
# the keys that pair paragraphs (a first run: every key).
POSTINGS = """
create or replace temp table postings as
select distinct doc_id, para_idx, key from (
    select doc_id, para_idx, unnest(passage_keys) as key from new_paragraphs
);
create or replace temp table rare_postings as
select * from postings semi join (
    -- Distinct (key, document) pairs counted, not count(distinct ...): a plain grouping spills to disk.
    select key from (select distinct key, doc_id from postings) group by key
    having count(*) between 2 and getvariable('reuse_max_df')
) using (key);
"""

# Every paragraph pair the index pairs (a first run, or stored rows of another version).
ALL_ANCHORS = """
create temp table todo as
select distinct a.doc_id as doc_id1, a.para_idx as para1, b.doc_id as doc_id2, b.para_idx as para2
from rare_postings a join rare_postings b on a.key = b.key and a.doc_id < b.doc_id;
create temp table affected (doc_id1 varchar, doc_id2 varchar);
"""

# A later run needs the postings of the keys its touched documents (new, replaced, re-flagged) hold now or
# held as stored, not the whole index (18.5M postings at 100k documents, rebuilt and grouped in every daily
# run before): `wanted`, grown below by the keys of the `affected` pairs' documents.
TOUCHED_KEYS = """
create temp table old_touched as
select distinct doc_id, para_idx, unnest(passage_keys) as key from old_paragraphs
where doc_id in (select doc_id from touched);
create temp table wanted as
select distinct unnest(passage_keys) as key from new_paragraphs where doc_id in (select doc_id from touched)
union select key from old_touched;
create temp table counts (key ubigint, n bigint);
create temp table postings (doc_id varchar, para_idx integer, key ubigint);
create temp table mine as
select key, count(*) as mine from (
    select distinct key, doc_id from (
        select doc_id, unnest(passage_keys) as key from new_paragraphs
        where doc_id in (select doc_id from touched)
    )
) group by key;
"""

# The documents holding each key of {keys} now (`counts`), and the postings of only the keys that can pair
# or cross the cap: a key more than `max_df` untouched documents hold pairs nothing now and paired nothing
# as stored (its count then was at least theirs). The wanted keys of 1,000 new documents among 100,000 are
# 38k keys whose postings are 13.4M (boilerplate and stock passages), of which 92k are of such keys: these
# were built, deduplicated and grouped twice before (14 s CPU); counted once, they take 3.5 s.
KEY_COUNTS = """
insert into counts
select key, count(*) as n from (
    select distinct key, doc_id from (select doc_id, unnest(passage_keys) as key from new_paragraphs)
    semi join {keys} using (key)
) group by key;
insert into postings
select distinct doc_id, para_idx, key from (
    select doc_id, para_idx, unnest(passage_keys) as key from new_paragraphs
) semi join (
    select key from counts left join mine using (key)
    where n - coalesce(mine, 0) <= getvariable('reuse_max_df') and key in (select key from {keys})
) using (key);
create or replace temp table rare_postings as
select * from postings semi join (
    select key from counts where n between 2 and getvariable('reuse_max_df')
) using (key);
"""

# Pairs of untouched documents sharing a key whose document count crossed the cap (`affected`: what the index
# pairs of them may have changed). A key's count in the stored corpus is its count now, less its touched
# documents now, plus its touched documents as stored.
AFFECTED = """
create temp table flipped as
with
was as (select key, count(distinct doc_id) as n from old_touched group by key),
both_counts as (
    select key, counts.n as n_now, counts.n - coalesce(mine, 0) + coalesce(was.n, 0) as n_was
    from counts left join mine using (key) left join was using (key)
)
select key from both_counts
where (n_now between 2 and getvariable('reuse_max_df')) <> (n_was between 2 and getvariable('reuse_max_df'));
create temp table affected as
select distinct a.doc_id as doc_id1, b.doc_id as doc_id2
from postings a join postings b on a.key = b.key and a.doc_id < b.doc_id
where a.key in (select key from flipped)
    and a.doc_id not in (select doc_id from touched) and b.doc_id not in (select doc_id from touched);
"""

# An affected pair is aligned again whole: every key its documents share is wanted too (`added`: counted and
# posted as above; no touched document holds one, or it would be wanted already).
AFFECTED_KEYS = """
create temp table added as
select distinct unnest(passage_keys) as key from new_paragraphs
where doc_id in (select doc_id1 from affected union select doc_id2 from affected)
except select key from wanted;
insert into wanted select key from added;
"""

# The paragraph pairs of pairs with a touched document, and of the affected pairs.
TOUCHED_ANCHORS = """
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

# The first documents (doc_id1) whose stored rows do not all stay as stored: a pair with a touched document,
# an affected pair, a pair one of whose documents is in another story now (the rows name both stories), and
# every first document of a pair found in this run. Their stored rows are dropped; the others are kept as
# they are, so a daily run writes the rows of these documents only (the commit keeps the rest where they are).
STALE = """
create temp table stale as
select r.doc_id1 from read_parquet(getvariable('reuse_stored'), union_by_name = true) r
left join members m1 on m1.doc_id = r.doc_id1 left join members m2 on m2.doc_id = r.doc_id2
where r.doc_id1 in (select doc_id from touched) or r.doc_id2 in (select doc_id from touched)
    or r.story_id1 is distinct from m1.story_id or r.story_id2 is distinct from m2.story_id
union select doc_id1 from affected
union select doc_id1 from read_parquet(getvariable('reuse_found_rows'));
"""

# The stored rows of the stale first documents that still hold: pairs of untouched documents the cap did not
# change (written again with their stories as they are now).
KEPT_ROWS = """
select r.* exclude (story_id1, story_id2, same_story)
from read_parquet(getvariable('reuse_stored'), union_by_name = true) r semi join stale using (doc_id1)
where doc_id2 not in (select doc_id from touched) and doc_id1 not in (select doc_id from touched)
    and not exists (select 1 from affected f where f.doc_id1 = r.doc_id1 and f.doc_id2 = r.doc_id2)
"""


def _paragraph_view(con: duckdb.DuckDBPyConnection, name: str, sources: list[Source]) -> None:
    """A view `name` of the passage keys of the paragraphs the sources hold (doc_id, para_idx, passage_keys;
    keys null in files written before the index). A view, not a table: each query reads only the index's
    keys from the files, never the text (the boilerplate flags a patch lays over them are applied where
    texts are read, `_Texts`). One scan of every file, the rows each source drops taken out by one anti-join
    (a union of one scan and one anti-join per file ran out of DuckDB's memory at 100k documents: 200 staged
    parts)."""
    files = [str(source.path) for source in sources]
    if not files:
        con.execute(
            f"create view {name} as select null::varchar as doc_id, null::integer as para_idx, "
            "null::ubigint[] as passage_keys where false"
        )
        return
    indexed = any("passage_keys" in pq.read_schema(path).names for path in files)
    keys = "passage_keys" if indexed else "null::ubigint[] as passage_keys"
    con.execute(f"set variable {name}_files = ?", [files])
    scan = (
        f"select doc_id, para_idx, {keys} from read_parquet(getvariable('{name}_files'), "
        "filename = true, union_by_name = true) p"
    )
    drops = [
        (path, source.drop) for path, source in zip(files, sources, strict=True) if source.drop is not None
    ]
    if drops:
        con.register(
            f"{name}_drop",
            pa.table(
                {
                    "file": pa.array([path for path, drop in drops for _ in range(len(drop))], pa.string()),
                    "doc_id": pa.concat_arrays([_flat(drop).cast(pa.string()) for _, drop in drops]),
                }
            ),
        )
        scan += f" anti join {name}_drop d on d.file = p.filename and d.doc_id = p.doc_id"
    con.execute(f"create view {name} as {scan}")


def _quoted(path: Path) -> str:
    """A path as the text of a SQL string literal."""
    return str(path).replace("'", "''")


def _flat(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


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


@dataclass
class ReuseFound:
    """The step's rows: a Parquet file of the rows of the first documents (doc_id1) in `drop`, which replace
    their stored rows; None: every row of the table (a first run, or stored rows of another version)."""

    path: Path
    drop: pa.Array | None


def find_reuse(
    inputs: ReuseInputs,
    scratch: Path,
    config: ReuseConfig = ReuseConfig(),  # noqa: B008
    budget: ReuseBudget = ReuseBudget(),  # noqa: B008
) -> ReuseFound:
    """Write the `reuse_pairs` rows that change into a Parquet file under `scratch` (ReuseFound)."""
    scratch.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=scratch, prefix="reuse-"))
    affected = work / "affected.parquet"  # a later run's affected pairs, read again by STALE and KEPT_ROWS
    con = _connect(work, budget)
    try:
        con.execute("set variable reuse_max_df = ?", [config.max_df])
        _paragraph_view(con, "new_paragraphs", inputs.new)
        written = [p for p in inputs.stored if pq.read_metadata(p).num_rows]
        later = bool(written) and distinct_values(written, "reuse_version") == {reuse_step(config)}
        if later:
            con.register("touched", pa.table({"doc_id": inputs.touched.cast(pa.string())}))
            _paragraph_view(con, "old_paragraphs", inputs.old)
            con.execute(TOUCHED_KEYS)
            con.execute(KEY_COUNTS.format(keys="wanted"))
            con.execute(AFFECTED)
            if con.sql("select count(*) from affected").fetchall()[0][0]:
                con.execute(AFFECTED_KEYS)
                con.execute(KEY_COUNTS.format(keys="added"))
            con.execute(TOUCHED_ANCHORS)
            con.execute(f"copy affected to '{_quoted(affected)}' (format parquet)")
        else:
            con.execute(POSTINGS)
            con.execute(ALL_ANCHORS)
        pairs = _pairs_in_ranges(con, inputs, budget, work)
    finally:
        # The pairs to align are in their file: DuckDB's tables (the index's postings, the pairs; at its cap
        # at 200k documents) are given back before the texts are read and aligned, the step's longest part,
        # which in a run is beside the align workers. Dropping the tables gave back only part of it.
        con.close()
    found = _align_pairs(pairs, inputs, config, budget, work)
    con = _connect(work, budget)
    try:
        con.execute("set variable reuse_version = ?", [reuse_step(config)])
        parts = [str(found)]
        con.register("members", inputs.members.select(["doc_id", "story_id"]))
        drop = None
        if later:
            con.register("touched", pa.table({"doc_id": inputs.touched.cast(pa.string())}))
            con.execute(f"create temp table affected as select * from read_parquet('{_quoted(affected)}')")
            con.execute("set variable reuse_stored = ?", [[str(p) for p in written]])
            con.execute("set variable reuse_found_rows = ?", [str(found)])
            con.execute(STALE)
            drop = con.sql("select doc_id1 from stale order by doc_id1").to_arrow_table().column(0)
            # The stored rows of those documents that still hold, written out first (a scan and two
            # anti-joins, no sort), so that the sort below holds nothing else.
            kept = work / "kept.parquet"
            con.execute("set preserve_insertion_order = false")
            con.execute(f"copy ({KEPT_ROWS}) to '{_quoted(kept)}' (format parquet)")
            for table in ("affected", "stale"):
                con.execute(f"drop table if exists {table}")
            parts.append(str(kept))
        con.execute("set variable reuse_found = ?", [parts])
        rows = "select * from read_parquet(getvariable('reuse_found'), union_by_name = true)"
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
        found.unlink()  # in the rows just written
        return ReuseFound(target, None if drop is None else _flat(drop).cast(pa.string()))
    finally:
        con.close()


def _connect(work: Path, budget: ReuseBudget) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection of the step: capped at the budget, spilling to the step's scratch folder."""
    import duckdb  # at use: a run with nothing new queries nothing

    return duckdb.connect(
        config={"temp_directory": str(work / "spill"), "memory_limit": budget.duckdb_memory, "threads": 2}
    )


def reuse_step(config: ReuseConfig) -> str:
    """The version stored with each row: the code's and the configuration's (a changed cap redoes every
    pair)."""
    from tasks.run import step_version

    return step_version("reuse", REUSE_VERSION, str(SCHEMAS["reuse_pairs"]), config)


# The paragraph pairs to align, with the range of documents (`_text_ranges`) each side is in, in the order
# they are aligned: a block of two ranges at a time, each document pair's paragraph pairs together. A sort of
# the pairs alone (no text): DuckDB spills it to the scratch folder beyond its cap.
TODO_IN_RANGES = """
copy (
    select r1.range as range1, r2.range as range2, t.doc_id1, t.para1, t.doc_id2, t.para2
    from todo t join todo_ranges r1 on r1.doc_id = t.doc_id1 join todo_ranges r2 on r2.doc_id = t.doc_id2
    order by range1, range2, t.doc_id1, t.doc_id2, t.para1, t.para2
) to '{path}' (format parquet, row_group_size 10000)
"""

_WORD_BYTES = 16  # a kept word: where it starts and ends (int32 each) and its hash
_TEXT_COLUMNS = ["doc_id", "para_idx", "text", "is_boilerplate", "n_words"]
# The paragraphs read for alignment are only those of the documents with pairs to align when these are at
# most one in _FEW of the corpus's documents (the filter hashes their ids once per batch of rows read).
_FEW = 2


@dataclass
class _Pairs:
    """The paragraph pairs to align, in their file (TODO_IN_RANGES), and the ranges of documents whose texts
    are read together: `bounds` cut them by doc_id; `keep`: only these documents' paragraphs are read."""

    path: Path
    bounds: list
    keep: pa.Array | None


def _pairs_in_ranges(
    con: duckdb.DuckDBPyConnection, inputs: ReuseInputs, budget: ReuseBudget, work: Path
) -> _Pairs | None:
    """The paragraph pairs in `todo` written to a file in the order they are aligned (None: there are none).

    The paragraphs are split by ranges of doc_id of about `budget.text_bytes` of text each (the commit's
    bucketing, tasks/warehouse.py), and the pairs are aligned a block of two ranges at a time (_align_pairs).
    """
    if not con.sql("select count(*) from todo").fetchall()[0][0]:
        return None
    sources = inputs.new
    docs = con.sql("select doc_id1 as doc_id from todo union select doc_id2 from todo").to_arrow_table()
    size = sum(_column_bytes(s.path, ["doc_id", "para_idx", "text"]) for s in sources)
    # A daily run aligns the pairs of a few documents: only their paragraphs are spilled and read (a set of
    # every document's id per batch would cost more than it saves when most documents have pairs to align).
    keep = None
    if docs.num_rows * _FEW <= inputs.members.num_rows:
        keep = docs.column("doc_id")
        size = size * docs.num_rows // max(inputs.members.num_rows, 1)
    bounds = _bucket_bounds(sources, "doc_id", -(-size // budget.text_bytes))
    ids = docs.column("doc_id").to_numpy(zero_copy_only=False)
    ranges = np.searchsorted(bounds, ids, side="right") if bounds else np.zeros(len(ids), np.int64)
    con.register("todo_ranges", pa.table({"doc_id": docs.column("doc_id"), "range": pa.array(ranges)}))
    pairs = work / "todo.parquet"
    con.execute(TODO_IN_RANGES.format(path=_quoted(pairs)))
    con.unregister("todo_ranges")
    return _Pairs(pairs, bounds, None if keep is None else _flat(keep))


def _align_pairs(
    pairs: _Pairs | None, inputs: ReuseInputs, config: ReuseConfig, budget: ReuseBudget, work: Path
) -> Path:
    """The spans of the paragraph pairs, as rows (without story columns) in a Parquet file.

    Memory does not grow with the corpus: the pairs are aligned a block of two ranges at a time, holding
    those two ranges' texts and `config.batch` pairs; DuckDB never joins text. A document's paragraphs are
    all in its range, so where each starts in its text is known there.
    """
    found = work / "found.parquet"
    if pairs is None:
        pq.write_table(_ROW_SCHEMA.empty_table(), found)
        return found
    from tasks.stories import release_freed_memory  # at use: the module is linking's, heavy to import

    texts = _spill_buckets(inputs.new, "paragraphs", pairs.bounds, pairs.keep, work / "texts", _TEXT_COLUMNS)
    flags = _flags(inputs.patch)
    held: dict[int, _Texts] = {}

    def texts_of(k: int) -> _Texts:
        if k not in held:
            # Kept: the first range of the block (read once per first range) and the one asked for now.
            for other in [r for r in held if r != first]:
                del held[other]
                # A range's texts and words are freed in many pieces, which C's malloc and Arrow's pool keep
                # for reuse: given back, so that the next range does not stand on them (in a run this step
                # is a thread beside the align workers, and its arena is its own).
                release_freed_memory()
            held[k] = _Texts(texts[k](), flags, budget.word_bytes // _WORD_BYTES)
        return held[k]

    first = -1
    with pq.ParquetWriter(found, _ROW_SCHEMA, compression="zstd") as writer:
        for block in _blocks(pq.ParquetFile(pairs.path), config.batch):
            first = block.column("range1")[0].as_py()
            left, right = texts_of(first), texts_of(block.column("range2")[0].as_py())
            rows = _batch_rows(_with_texts(block, left, right), config, left, right)
            writer.write_table(_with_shares(rows, left, right).cast(_ROW_SCHEMA))
    shutil.rmtree(work / "texts", ignore_errors=True)
    pairs.path.unlink()
    return found


def _column_bytes(path: Path, columns: list[str]) -> int:
    """The Arrow size of these columns of a Parquet file, about (its uncompressed sizes)."""
    meta = pq.read_metadata(path)
    total = 0
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for c in range(group.num_columns):
            if group.column(c).path_in_schema in columns:
                total += group.column(c).total_uncompressed_size
    return total


def _flags(patch: pa.Table | None) -> tuple[pa.Table, pa.Array] | None:
    """Linking's boilerplate flags to lay over the stored ones, with their row keys."""
    if patch is None or not patch.num_rows or "is_boilerplate" not in patch.column_names:
        return None
    flags = patch.select(["doc_id", "para_idx", "is_boilerplate"])
    return flags, _row_keys(flags, ["doc_id", "para_idx"])


class _Texts:
    """The paragraphs of one range of documents in reading order: their text, where each starts in its
    document's text (its paragraphs joined by a blank line), its boilerplate flag; each document's words."""

    def __init__(self, rows: pa.Table, flags: tuple[pa.Table, pa.Array] | None, most_words: int = 0) -> None:
        if flags is not None:
            rows = _laid_over(rows, *flags, ["doc_id", "para_idx"])
        rows = rows.sort_by([("doc_id", "ascending"), ("para_idx", "ascending")])
        ids = rows.column("doc_id").to_numpy(zero_copy_only=False)
        new = np.r_[True, ids[1:] != ids[:-1]] if len(ids) else np.zeros(0, bool)
        firsts = np.flatnonzero(new)
        number = np.cumsum(new) - 1
        size = pc.add(pc.utf8_length(rows.column("text")), 2).to_numpy(zero_copy_only=False).astype(np.int64)
        before = np.cumsum(size) - size
        self.start = before - before[firsts][number]
        words = pc.fill_null(rows.column("n_words"), 0).to_numpy(zero_copy_only=False).astype(np.int64)
        # Each document's words and its number (its place among the range's documents), looked up for a
        # batch's pairs at once: a dictionary look-up per pair took 0.49 of the 7.5 CPU s reuse took on 10,000
        # documents, these 0.31.
        self.words = np.add.reduceat(words, firsts) if len(firsts) else np.zeros(0, np.int64)
        self.documents = rows.column("doc_id").take(pa.array(firsts)).combine_chunks()
        para = rows.column("para_idx").to_numpy(zero_copy_only=False).astype(np.int64)
        self.keys = (number.astype(np.int64) << 32) | para  # ascending: rows are in (doc_id, para_idx) order
        # One array each, not the range file's batches: a take from a chunked array copies its chunks first
        # (60 ms a take on 64 MB, for each batch of pairs); large_string, as a range may pass 2 GB of text.
        self.text = rows.column("text").cast(pa.large_string()).combine_chunks()
        self.boilerplate = rows.column("is_boilerplate").combine_chunks()
        # The words of the paragraphs cut so far, kept for later batches: a paragraph is paired in many
        # batches (3.4 times on average at 10,000 documents), and cutting was a third of the step's CPU. At
        # most `most_words` are kept; past it, the kept ones are let go and the store fills again.
        self.most_words = most_words
        self.cut_at = np.full(len(self.keys), -1, np.int64)  # a row's first word in the store, -1: not cut
        self.cut_words = np.zeros(len(self.keys), np.int64)
        self.stored = 0
        self.starts = np.zeros(0, np.int32)  # offsets in the paragraph's text
        self.ends = np.zeros(0, np.int32)
        self.hashes = np.zeros(0, np.uint64)

    def words_of(self, rows: np.ndarray, texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """Where the words of these rows (distinct; `texts`: their texts) are in the store and how many there
        are, the rows not cut before cut now."""
        new = np.flatnonzero(self.cut_at[rows] < 0)
        if len(new):
            cut = cut_words(texts.take(pa.array(new)).to_pylist())
            if self.stored + len(cut.hashes) <= self.most_words:
                self._keep(rows[new], cut)
            else:  # the kept words are let go; those of these rows that were kept are cut again
                again = np.flatnonzero(self.cut_at[rows] >= 0)
                self.cut_at[:] = -1
                self.stored = 0
                self._keep(rows[new], cut)
                if len(again):
                    self._keep(rows[again], cut_words(texts.take(pa.array(again)).to_pylist()))
        return self.cut_at[rows], self.cut_words[rows]

    def _keep(self, rows: np.ndarray, cut: Words) -> None:
        total = len(cut.hashes)
        if self.stored + total > len(self.hashes):  # room for twice what is held, within the budget
            size = max(min(2 * (self.stored + total), self.most_words), self.stored + total)
            for name in ("starts", "ends", "hashes"):
                grown = np.zeros(size, getattr(self, name).dtype)
                grown[: self.stored] = getattr(self, name)[: self.stored]
                setattr(self, name, grown)
        at = slice(self.stored, self.stored + total)
        self.starts[at], self.ends[at], self.hashes[at] = cut.starts, cut.ends, cut.hashes
        self.cut_at[rows] = self.stored + cut.first[:-1]
        self.cut_words[rows] = np.diff(cut.first)
        self.stored += total

    def number(self, doc_ids: pa.ChunkedArray) -> np.ndarray:
        """Each document's number in the range, -1 for one not in it."""
        at = pc.index_in(doc_ids, value_set=self.documents)
        return pc.fill_null(at, -1).to_numpy().astype(np.int64)

    def document_words(self, doc_ids: pa.ChunkedArray) -> np.ndarray:
        """Each document's words (0 for one not in the range)."""
        number = self.number(doc_ids)
        return np.where(number >= 0, self.words[np.maximum(number, 0)] if len(self.words) else 0, 0)

    def rows_of(self, doc_ids: pa.ChunkedArray, paras: pa.ChunkedArray) -> pa.Array:
        """The row of each (document, paragraph)."""
        number = self.number(doc_ids)
        if (number < 0).any():
            raise ValueError("a paragraph the passage index pairs is not among the paragraphs")
        keys = (number << 32) | paras.to_numpy().astype(np.int64)
        at = np.searchsorted(self.keys, keys)
        if len(at) and not np.array_equal(self.keys[np.minimum(at, len(self.keys) - 1)], keys):
            raise ValueError("a paragraph the passage index pairs is not among the paragraphs")
        return pa.array(at)


def _blocks(pairs: pq.ParquetFile, batch: int) -> Iterator[pa.Table]:
    """The pairs of one block of two ranges at a time, about `batch` of them, never cutting a document pair
    (its spans' shares are summed over all its pairs)."""
    pending: pa.Table | None = None
    for read in pairs.iter_batches(batch_size=batch):
        rows = (
            pa.Table.from_batches([read])
            if pending is None
            else pa.concat_tables([pending, pa.Table.from_batches([read])])
        )
        cut = _last_cut(rows)
        if cut:
            yield from _split_blocks(rows.slice(0, cut))
        pending = rows.slice(cut)
    if pending is not None and pending.num_rows:
        yield from _split_blocks(pending)


def _last_cut(rows: pa.Table) -> int:
    """Where the last document pair of `rows` starts (it may go on in the next rows)."""
    d1, d2 = rows.column("doc_id1"), rows.column("doc_id2")
    last = (d1[-1], d2[-1])
    same = pc.and_(pc.equal(d1, last[0]), pc.equal(d2, last[1]))
    return int(rows.num_rows - pc.sum(same.cast(pa.int64())).as_py())


def _split_blocks(rows: pa.Table) -> Iterator[pa.Table]:
    """`rows` cut where the block (range1, range2) changes."""
    r1 = rows.column("range1").to_numpy()
    r2 = rows.column("range2").to_numpy()
    edges = np.flatnonzero((r1[1:] != r1[:-1]) | (r2[1:] != r2[:-1])) + 1
    for a, b in zip(np.r_[0, edges], np.r_[edges, len(r1)], strict=True):
        yield rows.slice(int(a), int(b - a))


def _with_texts(block: pa.Table, left: _Texts, right: _Texts) -> pa.Table:
    """The block's pairs with both paragraphs' texts, where they start and whether either is boilerplate."""
    at1 = left.rows_of(block.column("doc_id1"), block.column("para1"))
    at2 = right.rows_of(block.column("doc_id2"), block.column("para2"))
    return pa.table(
        {
            "doc_id1": block.column("doc_id1"),
            "doc_id2": block.column("doc_id2"),
            "text1": left.text.take(at1),
            "text2": right.text.take(at2),
            "row1": at1,
            "row2": at2,
            "start1": pa.array(left.start[at1.to_numpy()]),
            "start2": pa.array(right.start[at2.to_numpy()]),
            "boilerplate": pc.or_kleene(left.boilerplate.take(at1), right.boilerplate.take(at2)),
        }
    )


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


# The rows `_with_shares` gives (reuse_pairs without story columns).
_ROW_SCHEMA = pa.schema(
    [
        *(
            _SPAN_SCHEMA.field(c)
            for c in ["doc_id1", "doc_id2", "b1", "e1", "b2", "e2", "matches", "boilerplate"]
        ),
        ("score", pa.float64()),
        ("share1", pa.float64()),
        ("share2", pa.float64()),
        ("reuse_version", pa.string()),
    ]
)


def _batch_rows(batch: pa.Table, config: ReuseConfig, left: _Texts, right: _Texts) -> pa.Table:
    """Spans of a batch of paragraph pairs, offsets moved into their documents' texts."""
    n = batch.num_rows
    texts = pc.dictionary_encode(
        pa.concat_arrays([batch.column("text1").combine_chunks(), batch.column("text2").combine_chunks()])
    )
    index = texts.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    words = _batch_words(batch, texts.dictionary, index, left, right)
    # The spans of two texts depend on the texts alone: each distinct pair of texts is aligned once (a passage
    # printed by many documents makes the same pair of paragraphs many times), its spans given to each pair.
    distinct, which = np.unique((index[:n] << 32) | index[n:], return_inverse=True)
    spans = shared_spans(words, distinct >> 32, distinct & 0xFFFFFFFF, config.min_words, config.max_gap)
    first = np.searchsorted(spans.pair, np.arange(len(distinct) + 1))
    counts = first[which + 1] - first[which]
    k = np.repeat(np.arange(n), counts)
    at = np.repeat(first[which], counts) + np.arange(len(k)) - np.repeat(np.cumsum(counts) - counts, counts)
    w1, x1, w2, x2 = spans.w1[at], spans.x1[at], spans.w2[at], spans.x2[at]
    start1 = batch.column("start1").to_numpy()[k]
    start2 = batch.column("start2").to_numpy()[k]
    b1, b2 = start1 + words.starts[w1], start2 + words.starts[w2]
    keep = _one_to_one(batch, k, index, spans.matches[at], (w1, x1, b1), (w2, x2, b2))
    k, at, w1, x1, w2, x2, b1, b2 = (v[keep] for v in (k, at, w1, x1, w2, x2, b1, b2))
    start1, start2 = start1[keep], start2[keep]
    return pa.table(
        {
            "doc_id1": batch.column("doc_id1").take(pa.array(k)),
            "doc_id2": batch.column("doc_id2").take(pa.array(k)),
            "b1": b1,
            "e1": start1 + words.ends[x1 - 1],
            "b2": b2,
            "e2": start2 + words.ends[x2 - 1],
            "words1": x1 - w1,
            "words2": x2 - w2,
            "matches": spans.matches[at],
            "boilerplate": batch.column("boilerplate").take(pa.array(k)),
        },
        schema=_SPAN_SCHEMA,
    )


def _one_to_one(
    batch: pa.Table,
    k: np.ndarray,
    index: np.ndarray,
    matches: np.ndarray,
    side1: tuple[np.ndarray, np.ndarray, np.ndarray],
    side2: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> np.ndarray:
    """Which spans (of the batch's paragraph pairs `k`) a pair of documents keeps: one-to-one, as the runs of
    a pair of paragraphs are (tasks/reuse_spans.py). A paragraph printed m times in one document and n times
    in the other gives its spans to m x n paragraph pairs; they are taken most matched words first, then the
    one pairing copies of the same number (the k-th of the paragraph's copies in one document with the k-th in
    the other), then by offset in the first text and the second, each kept when it shares no shingle (5 words
    of a paragraph) with a span kept before it. Each side is the spans' words [w, x) and offset b."""
    n = batch.num_rows
    d1, d2 = batch.column("doc_id1"), batch.column("doc_id2")
    # The batch is ordered by document pair: its pairs numbered in order.
    new = pc.or_(pc.not_equal(d1[1:], d1[:-1]), pc.not_equal(d2[1:], d2[:-1])) if n > 1 else pa.array([])
    document_pair = np.cumsum(np.r_[0, _flat(new).to_numpy(zero_copy_only=False).astype(np.int64)])[k]
    rank = np.empty(len(k), dtype=np.int64)
    copies, sides = [], []
    for column, texts, (w, x, _) in (("row1", index[:n], side1), ("row2", index[n:], side2)):
        paragraph = batch.column(column).to_numpy()[k].astype(np.int64)
        copies.append(_copy_numbers(_dense(document_pair, texts[k]), paragraph))
        # A span's places: the shingles starting in it, numbered within its paragraph of its document pair.
        shingles = np.maximum(x - w - (SHINGLE - 1), 1)
        owner = _dense(document_pair, paragraph)
        sides.append((owner * (int(x.max(initial=0)) + 1) + w, shingles))
    order = np.lexsort((side2[2], side1[2], np.abs(copies[0] - copies[1]), -matches))
    rank[order] = np.arange(len(k))
    return greedy_matching_intervals(rank, sides)


def _dense(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A number for each distinct (a, b) of non-negative numbers, 0 upward in their order."""
    return np.unique(a * (int(b.max(initial=0)) + 1) + b, return_inverse=True)[1].reshape(-1)


def _copy_numbers(group: np.ndarray, item: np.ndarray) -> np.ndarray:
    """Each row's item's place among the distinct items of its group (0 for the smallest); both are dense
    numbers."""
    size = int(item.max(initial=0)) + 1
    distinct, which = np.unique(group * size + item, return_inverse=True)
    groups = distinct // size
    return (np.arange(len(distinct)) - np.searchsorted(groups, groups, side="left"))[which.reshape(-1)]


def _batch_words(batch: pa.Table, texts: pa.Array, index: np.ndarray, left: _Texts, right: _Texts) -> Words:
    """cut_words(texts), from the words each range keeps of its paragraphs (a text is cut as a paragraph
    where it first occurs in the batch; equal texts have equal words)."""
    n = batch.num_rows
    _, first = np.unique(index, return_index=True)  # each distinct text's first place: its range and row
    on_left = first < n
    rows = np.where(
        on_left,
        batch.column("row1").to_numpy()[np.minimum(first, n - 1)],
        batch.column("row2").to_numpy()[np.maximum(first - n, 0)],
    )
    at, counts = np.zeros(len(first), np.int64), np.zeros(len(first), np.int64)
    if left is right:  # one store: asked once, as a second call could let go of what the first kept
        on_left[:] = True
    sides = [(left, np.flatnonzero(on_left)), (right, np.flatnonzero(~on_left))]
    for side, which in sides:
        at[which], counts[which] = side.words_of(rows[which], texts.take(pa.array(which)))
    bounds = np.r_[0, np.cumsum(counts)]
    total = int(bounds[-1])
    starts, ends = np.zeros(total, np.int64), np.zeros(total, np.int64)
    hashes = np.zeros(total, np.uint64)
    for side, which in sides:
        size = counts[which]
        offset = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
        to = np.repeat(bounds[which], size) + offset
        source = np.repeat(at[which], size) + offset
        starts[to], ends[to], hashes[to] = side.starts[source], side.ends[source], side.hashes[source]
    owner = np.repeat(np.arange(len(first)), counts)
    return Words(owner, starts, ends, hashes, bounds)


def _with_shares(spans: pa.Table, left: _Texts, right: _Texts) -> pa.Table:
    """Score each span (matched words over the longer side) and the share of each document its pair's spans
    cover (their words over the document's)."""
    pair = pc.binary_join_element_wise(spans.column("doc_id1"), spans.column("doc_id2"), "\x1f")
    grouped = pa.table({"pair": pair, "w1": spans.column("words1"), "w2": spans.column("words2")})
    sums = grouped.group_by("pair").aggregate([("w1", "sum"), ("w2", "sum")])
    at = pc.index_in(pair, value_set=sums.column("pair"))
    covered1 = sums.column("w1_sum").take(at).to_numpy()
    covered2 = sums.column("w2_sum").take(at).to_numpy()
    n1 = left.document_words(spans.column("doc_id1")).astype(np.float64)
    n2 = right.document_words(spans.column("doc_id2")).astype(np.float64)
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
    budget: ReuseBudget = ReuseBudget(),  # noqa: B008
) -> Rewrite:
    """The next `reuse_pairs` of the warehouse at `root`, for the commit: found over the paragraphs as the
    run commits them (`paragraphs`: linking's Rewrite, None when no document changed) and the stories
    `members`."""
    files = table_files(root, "paragraphs")
    stored = [Source(f) for f in files]
    if paragraphs is None:
        new, patch, touched = stored, None, pa.array([], pa.string())
    else:
        new = [Source(f, paragraphs.drop) for f in files] + paragraphs.parts
        patch = paragraphs.patch
        staged = [distinct_values([p.path], "doc_id") for p in paragraphs.parts]
        patched = set(patch.column("doc_id").to_pylist()) if patch is not None and patch.num_rows else set()
        dropped = set(paragraphs.drop.to_pylist()) if paragraphs.drop is not None else set()
        touched = pa.array(sorted(set().union(*staged, patched, dropped) - {None}), pa.string())
    old_rows = table_files(root, "reuse_pairs")
    inputs = ReuseInputs(new, patch, stored, members, old_rows, touched)
    found = find_reuse(inputs, scratch, config, budget)
    drop = found.drop
    if drop is None:  # every stored row goes
        drop = pa.array(sorted(distinct_values(old_rows, "doc_id1") - {None}), pa.string())
    return Rewrite([Source(found.path)], drop)
