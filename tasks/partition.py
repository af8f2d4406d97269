"""The body file for alignment cut into one file per align shard.

The body file is written sorted by document (tasks.warehouse.write_sorted), while an align shard's stories'
documents are spread over all of it (ids are hashes): a shard reading its rows from that one file decoded
every row group, so the bytes read grew with shards x file size, quadratic in the corpus (docs/memory.md).
Cut once into one file per shard, each row read by the shard that wants it, every shard reads its own rows.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

# Shard files written at once (each an open Arrow IPC stream); more shards take more passes over the source
# (a pass for every OPEN_FILES shards: one up to about 850,000 documents of generated news, whose shards of
# 500 stories hold about 1,700 documents each).
OPEN_FILES = 512


def partition_rows(source: Path, groups: list[list[str]], targets: list[Path], key: str = "doc_id") -> int:
    """Write the rows of the Parquet file `source` whose `key` is in groups[n] into targets[n] (an Arrow IPC
    stream, lz4), in the source's order, a row group of the source at a time. A key in several groups has
    its rows in each; rows whose key is in none are written nowhere. Returns the rows written."""
    written = 0
    for lo in range(0, len(groups), OPEN_FILES):
        written += _partition_pass(source, groups[lo : lo + OPEN_FILES], targets[lo : lo + OPEN_FILES], key)
    return written


def _partition_pass(source: Path, groups: list[list[str]], targets: list[Path], key: str) -> int:
    # Each (key, group) pair, sorted by key: a row's groups are the run of pairs of its key.
    pairs = sorted((k, n) for n, group in enumerate(groups) for k in set(group))
    counts = Counter(k for k, _ in pairs)  # in key order, as the pairs are
    value_set = pa.array(list(counts), pa.string())
    runs = np.fromiter(counts.values(), np.int64, len(counts))
    starts = np.cumsum(runs) - runs
    group_of = np.fromiter((n for _, n in pairs), np.int64, len(pairs))
    f = pq.ParquetFile(source)
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    writers = [pa.ipc.new_stream(t, f.schema_arrow, options=options) for t in targets]
    written = 0
    try:
        for g in range(f.num_row_groups):
            rows = f.read_row_group(g)
            at = pc.fill_null(pc.index_in(rows.column(key), value_set=value_set), -1).to_numpy()
            known = np.flatnonzero(at >= 0)
            place = at[known].astype(np.int64)
            copies = runs[place]
            row = np.repeat(known, copies)
            # The n-th copy of a row goes to the n-th group of its key's run.
            nth = np.arange(len(row)) - np.repeat(np.cumsum(copies) - copies, copies)
            group = group_of[np.repeat(starts[place], copies) + nth]
            order = np.argsort(group, kind="stable")  # by group, each in the source's order
            group, taken = group[order], rows.take(row[order])
            cuts = np.flatnonzero(np.diff(group)) + 1
            for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(group)], strict=True):
                if hi > lo:
                    writers[group[lo]].write_table(taken.slice(lo, hi - lo))
            written += len(group)
    finally:
        for w in writers:
            w.close()
    return written


def read_partition(path: Path) -> pa.Table:
    """The rows partition_rows wrote into `path`."""
    with pa.ipc.open_stream(path) as reader:
        return reader.read_all()
