"""The passage index: where a passage of text went. Each paragraph keeps a few keys of its 5-word shingles
(`paragraphs.passage_keys`), chosen by winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003): of every
window of 8 consecutive shingle keys the smallest is kept. So any run of 12 or more words that a passage
shares with a paragraph shares at least one stored key, whatever else either text holds, while about 2 in 9
keys are stored.

The run also writes every stored key as a row of the `passage_index` table (key, doc_id, para_idx), sorted by
key in small row groups (`index_rewrite`, committed with the paragraphs it indexes): the catalog's `trace`
macro reads only the row groups whose key range holds one of the passage's keys, so a query's cost follows
the number of keys and documents it finds, not the size of the warehouse.

The keys are computed by the catalog's own SQL macros (sql/macros.sql: `passage_words`, `passage_key`), run
here on an in-memory DuckDB, so that the `trace` macro a user runs in `corpus.duckdb` and the index the run
writes cannot disagree about what a word or a shingle is: one copy of the rule, in SQL. A key is the low 64
bits of the MD5 of the shingle's words (`md5_number_lower`), the same in every DuckDB version.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.lib.stride_tricks import sliding_window_view

from tasks.fingerprint import word_hashes

PASSAGE_VERSION = "passages-1"
INDEX = "passage_index"
SHINGLE = 5  # words per shingle, as the `passage_starts` and `passage_key` macros cut them
WINDOW = 8  # winnowing window, in shingles: with 5-word shingles, a shared run of 12 words is always found
_CONNECTION = None
# Odd 64-bit constants weighting a word by its place in the shingle (for the winnowing hash only).
_PLACE = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xFF51AFD7ED558CCD, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)


def _sql():
    """A DuckDB connection holding the catalog's macros (one per process: loading them takes a few ms)."""
    global _CONNECTION
    if _CONNECTION is None:
        import duckdb

        from tasks.warehouse import SQL_DIR, empty_tables, run_sql_file

        _CONNECTION = duckdb.connect()
        empty_tables(_CONNECTION)  # the file's table macros (`trace`) bind to the warehouse's tables
        run_sql_file(_CONNECTION, SQL_DIR / "macros.sql")
    return _CONNECTION


def passage_words(texts: pa.Array) -> pa.ListArray:
    """Each text's words as the catalog's `passage_words` macro cuts them."""
    con = _sql()
    con.register("texts", pa.table({"text": texts.cast(pa.string())}))
    try:
        words = con.sql("select passage_words(text) as words from texts").to_arrow_table()
    finally:
        con.unregister("texts")
    return words.column("words").combine_chunks()


def shingles(words: pa.ListArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every 5-word shingle of each word list: (where its first word is in the flat words, the list it is in,
    a 64-bit hash of it for winnowing). The winnowing hash only chooses which shingles are kept; the key
    stored for a kept one is the `passage_key` macro's, so the choice costs no MD5 per shingle."""
    flat = words.flatten()
    offsets = words.offsets.to_numpy()
    lengths = np.diff(offsets)
    hashed = word_hashes(flat) if len(flat) else np.zeros(0, np.uint64)
    owner = np.repeat(np.arange(len(lengths)), lengths)
    left = offsets[1:][owner] - np.arange(len(flat))  # words from here to the end of its list
    starts = np.flatnonzero(left >= SHINGLE)
    mixed = np.zeros(len(starts), dtype=np.uint64)
    for k in range(SHINGLE):
        mixed += hashed[starts + k] * _PLACE[k]
    mixed ^= mixed >> np.uint64(31)
    return starts, owner[starts], mixed


def winnow(keys: np.ndarray, owner: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """Which keys winnowing keeps: the smallest of every `window` consecutive keys of one text (the leftmost
    of equals); a text with fewer keys than the window keeps its smallest."""
    n = len(keys)
    chosen = np.zeros(n, dtype=bool)
    if not n:
        return chosen
    if n >= window:
        starts = np.arange(n - window + 1)
        smallest = sliding_window_view(keys, window).argmin(axis=1) + starts
        inside = (
            owner[: n - window + 1] == owner[window - 1 :]
        )  # the window does not cross into the next text
        chosen[smallest[inside]] = True
    firsts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    lengths = np.diff(np.r_[firsts, n])
    # Texts shorter than the window: the first place of each one's smallest key, for all of them at once (a
    # loop over them was a Python step per short paragraph in prepare's hot path).
    text = np.repeat(np.arange(len(firsts)), lengths)
    smallest = (keys == np.minimum.reduceat(keys, firsts)[text]) & (lengths < window)[text]
    at = np.flatnonzero(smallest)
    if len(at):
        chosen[at[np.r_[True, text[at[1:]] != text[at[:-1]]]]] = True
    return chosen


def passage_keys(texts: pa.Array) -> pa.ListArray:
    """The `passage_keys` column for paragraph texts: each one's winnowed shingle keys in reading order."""
    if texts.null_count == 0 and len(texts):
        coded = texts.dictionary_encode()  # each distinct text once: furniture and copies repeat
        if len(coded.dictionary) < len(texts):
            return _passage_keys(coded.dictionary).take(coded.indices)
    return _passage_keys(texts)


def _passage_keys(texts: pa.Array) -> pa.ListArray:
    words = passage_words(texts)
    starts, owner, mixed = shingles(words)
    kept = winnow(mixed, owner)
    flat, at = words.flatten(), starts[kept]
    # The kept shingles' texts (words joined by spaces, as the `passage_key` macro joins them), keyed by the
    # macro that keys them there.
    joined = pc.binary_join_element_wise(*(flat.take(pa.array(at + k)) for k in range(SHINGLE)), " ")
    con = _sql()
    con.register("kept", pa.table({"shingle": joined}))
    try:
        keys = con.sql("select passage_shingle_key(shingle) as key from kept").to_arrow_table()
    finally:
        con.unregister("kept")
    counts = np.bincount(owner[kept], minlength=len(texts)).astype(np.int32)
    offsets = np.r_[np.int32(0), np.cumsum(counts, dtype=np.int32)]
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), keys.column("key").combine_chunks())


def index_rows(rows: pa.Table) -> pa.Table:
    """`passage_index` rows for paragraph rows (doc_id, para_idx, passage_keys; and text, read only where keys
    are null): one per stored key. Rows stored before the index existed have null keys: their keys are
    computed from their text here, so every paragraph is in the index."""
    keys = rows.column("passage_keys").combine_chunks()
    missing = pc.is_null(keys)
    if pc.any(missing).as_py():
        computed = passage_keys(rows.column("text").combine_chunks().filter(missing))
        at = np.flatnonzero(missing.to_numpy(zero_copy_only=False))
        listed = keys.to_pylist()
        for k, value in zip(at, computed.to_pylist(), strict=True):
            listed[k] = value
        keys = pa.array(listed, pa.list_(pa.uint64()))
    owner = pc.list_parent_indices(keys)
    return pa.table(
        {
            "key": keys.flatten(),
            "doc_id": rows.column("doc_id").take(owner),
            "para_idx": rows.column("para_idx").take(owner),
        }
    )


def _index_part(source, target: Path):
    """A Source of `passage_index` rows for a Source of paragraph rows (its dropped documents dropped too),
    written READ_ROWS paragraphs at a time; text is read only in row groups holding rows with null keys."""
    import pyarrow.parquet as pq

    from tasks.warehouse import READ_ROWS, Source, StagedParquet

    f = pq.ParquetFile(source.path, buffer_size=1 << 20, pre_buffer=False)
    present = [c for c in ("doc_id", "para_idx", "passage_keys") if c in f.schema_arrow.names]
    with StagedParquet(target, INDEX) as out:
        for group in range(f.num_row_groups):
            batches = [
                pa.Table.from_batches([b])
                for b in f.iter_batches(batch_size=READ_ROWS, row_groups=[group], columns=present)
            ]
            if "passage_keys" not in present:
                batches = [
                    b.append_column("passage_keys", pa.nulls(b.num_rows, pa.list_(pa.uint64())))
                    for b in batches
                ]
            if any(b.column("passage_keys").null_count for b in batches):
                texts = f.iter_batches(batch_size=READ_ROWS, row_groups=[group], columns=["text"])
                batches = [b.append_column("text", t.column(0)) for b, t in zip(batches, texts, strict=True)]
            for rows in batches:
                out.write(index_rows(rows))
    return Source(target, source.drop)


def index_rewrite(root: Path, paragraphs, folder: Path):
    """The `passage_index` table's next rows for a commit (a warehouse Rewrite; None: it stays as it is).

    paragraphs: the commit's Rewrite of `paragraphs` (None when the run commits no paragraphs); the index
    drops the same documents and adds the keys of the same new parts. A warehouse whose index is empty while
    its paragraphs are not (written before the index existed) gets the whole index, from its stored files.
    """
    from tasks.warehouse import Rewrite, Source, count_rows, table_files

    missing = count_rows(root, INDEX) == 0 and count_rows(root, "paragraphs") > 0
    if paragraphs is None and not missing:
        return None
    drop = paragraphs.drop if paragraphs is not None else None
    sources = list(paragraphs.parts) if paragraphs is not None else []
    if missing:
        sources = [Source(path, drop) for path in table_files(root, "paragraphs")] + sources
    return Rewrite(index_parts(sources, folder), None if missing else drop)


def index_parts(sources: list, folder: Path) -> list:
    """`passage_index` rows of paragraph Sources, as Sources of files in `folder` (unsorted: the commit
    writes them in key order, a bucket of keys at a time)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [_index_part(source, folder / f"index-{k:05d}.parquet") for k, source in enumerate(sources)]
