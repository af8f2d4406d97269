"""What a run has to do: which input files are new or changed since the last run, and how their documents and
rejects replace what earlier runs stored for the same files.

A file is unchanged when its content hash, metadata and pipeline version equal its `inputs` row. As rsync and
make do, a file whose size and modification time also equal the row's is taken as unchanged without being
read (`unchanged_by_stat`); `reprint run --checksum` hashes every file instead."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from tasks.align import ALIGN_VERSION
from tasks.ingest import HTML_SUFFIXES, TEXT_SUFFIXES, InputFile, RawDocument, Reject, read_input, unexpected
from tasks.limits import DEFAULT_LIMITS, NotRegularFile, ReadLimits, open_regular, size_text
from tasks.link import LINK_VERSION
from tasks.warehouse import SCHEMAS

Fingerprint = tuple[str, str, str]  # content hash, metadata hash, pipeline version
Stat = tuple[int, int | None]  # size, modification time in ns (None: too recent to be trusted)
# A file modified this shortly before it was looked at may be modified again within the same tick of the file
# system's clock, keeping its size and time (git's "racily clean" files): its time is not stored, so the next
# run hashes it.
RACY_NS = 2_000_000_000
# Where an input is: its root folder and its path under the root (CONTRACT.md). Rows written before roots were
# stored have the root "" until a run given the same path adopts them (see adopt_unrooted).
InputKey = tuple[str, str]
# A file that holds one document and is larger than this is not one article (a log, a dump, a book):
# reading it would cost minutes of preparation for nothing a person wants as a story.
MAX_DOCUMENT_BYTES = DEFAULT_LIMITS.max_document_bytes
ONE_DOCUMENT_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES


@dataclass
class ShardRead:
    """A shard of input files after reading: documents of new or changed files, rejects, the files' state."""

    raws: list[RawDocument] = field(default_factory=list)
    owner: dict[str, InputKey] = field(default_factory=dict)  # doc_id -> the input file it came from
    rejects: list[Reject] = field(default_factory=list)
    inputs: list[dict] = field(default_factory=list)  # rows for the `inputs` table, one per file read
    failed: list[InputKey] = field(default_factory=list)  # files that could not be read or decoded at all
    unchanged: list[InputKey] = field(default_factory=list)


def input_key(item: InputFile) -> InputKey:
    return (item.root, item.source)


# json.dumps(..., sort_keys=True) makes an encoder per call; one made once writes the same text (a call per
# input file in every run, 100,000 at 100k files).
_SORTED_JSON = json.JSONEncoder(sort_keys=True)


def metadata_hash(item: InputFile) -> str:
    """What besides its bytes shapes a file's documents: the folder outlet and its manifest entry."""
    given = {"outlet": item.folder_outlet, "manifest": item.manifest}
    return hashlib.sha256(_SORTED_JSON.encode(given).encode()).hexdigest()[:16]


def known_inputs(inputs: pa.Table) -> dict[InputKey, Fingerprint]:
    """{(root, source): fingerprint} of every file stored by earlier runs."""
    columns = ("root", "source", "content_hash", "metadata_hash", "pipeline_version")
    rows = zip(*(inputs.column(c).to_pylist() for c in columns), strict=True)  # not a dict per row
    return {(root or "", source): (content, meta, version) for root, source, content, meta, version in rows}


def stored_stats(inputs: pa.Table) -> dict[InputKey, Stat]:
    """{(root, source): (size, mtime_ns)} of the stored files whose modification time was stored."""
    keys = zip(
        inputs.column("root").to_pylist(),
        inputs.column("source").to_pylist(),
        inputs.column("size").to_pylist(),
        inputs.column("mtime_ns").to_pylist(),
        strict=True,
    )
    return {(r or "", s): (size, mtime) for r, s, size, mtime in keys if mtime is not None}


def trusted_stat(size: int, mtime_ns: int, now_ns: int | None = None) -> Stat:
    """A file's size and modification time as stored: the time only when it is not too recent (RACY_NS)."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    return size, (mtime_ns if now_ns - mtime_ns >= RACY_NS else None)


def file_stat(path: Path) -> Stat | None:
    """The trusted size and modification time of the file `path` leads to; None when it cannot be looked at
    (then it is hashed, and reading it says why it fails)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return trusted_stat(info.st_size, info.st_mtime_ns)


def unchanged_by_stat(
    items: list[InputFile],
    known: dict[InputKey, Fingerprint],
    stats: dict[InputKey, Stat],
    version: str,
    trust: bool = True,
) -> tuple[list[InputFile], list[InputKey], dict[InputKey, Stat]]:
    """Split the inputs into the files to hash (and read when changed) and those taken as unchanged unread:
    same size and modification time as stored, same metadata, same pipeline version. Also returns the
    stat of each file to hash, taken before it is hashed (what a file found unchanged refreshes its row with,
    see refreshed_inputs). trust=False (--checksum): every file is hashed."""
    to_hash: list[InputFile] = []
    unchanged: list[InputKey] = []
    seen: dict[InputKey, Stat] = {}
    for item in items:
        key = input_key(item)
        now = file_stat(item.path)
        stored = known.get(key)
        if (
            trust
            and now is not None
            and now[1] is not None
            and stats.get(key) == now
            and stored is not None
            and stored[1:] == (metadata_hash(item), version)
        ):
            unchanged.append(key)
            continue
        to_hash.append(item)
        if now is not None and now[1] is not None:
            seen[key] = now
    return to_hash, unchanged, seen


def refreshed_inputs(inputs: pa.Table, seen: dict[InputKey, Stat], unchanged: set[InputKey]) -> list[dict]:
    """`inputs` rows of files hashed and found unchanged whose size or modification time differ from the
    stored ones (a file touched, a corpus copied, a warehouse written before times were stored), with the
    stat seen now, so the next run need not hash them."""
    wanted = {key: stat for key, stat in seen.items() if key in unchanged}
    rows = []
    for row in inputs.to_pylist():
        key = (row["root"] or "", row["source"])
        if key in wanted and (row["size"], row["mtime_ns"]) != wanted[key]:
            rows.append({**row, "size": wanted[key][0], "mtime_ns": wanted[key][1]})
    return rows


def adopt_unrooted(stored: dict[str, pa.Table], items: list[InputFile]) -> dict[str, pa.Table]:
    """Give rows stored without a root (warehouses written before roots were) the root of the input that has
    their name in this run, so that input replaces or keeps them as its own instead of adding them again.

    Such a warehouse held one input per name, so each name is adopted by the first root that has it; an
    unrooted name this run does not see stays as it is, until a run given it adopts it.
    """
    roots = stored["inputs"].column("root")
    if roots.null_count == 0 and not pc.any(pc.equal(roots, "")).as_py():
        return stored  # every row has its root (every warehouse written since roots were stored)
    rooted = set(known_inputs(stored["inputs"]))
    unrooted = {key[1] for key in rooted if not key[0]}
    adopted: dict[str, str] = {}
    for item in items:
        if item.source in unrooted and item.source not in adopted and input_key(item) not in rooted:
            adopted[item.source] = item.root
    if not adopted:
        return stored
    docs = stored["documents"]
    doc_owner = [
        input_of(s, f, i)
        for s, f, i in zip(
            docs.column("source").to_pylist(),
            docs.column("input_format").to_pylist(),
            docs.column("input_source").to_pylist(),
            strict=True,
        )
    ]
    reject_owner = [
        i or reject_input(Reject(s, ""))
        for s, i in zip(
            stored["rejects"].column("source").to_pylist(),
            stored["rejects"].column("input_source").to_pylist(),
            strict=True,
        )
    ]
    return {
        **stored,
        "inputs": _with_root(
            stored["inputs"], "root", stored["inputs"].column("source").to_pylist(), adopted
        ),
        "documents": _with_root(docs, "input_root", doc_owner, adopted),
        "rejects": _with_root(stored["rejects"], "input_root", reject_owner, adopted),
    }


def _with_root(table: pa.Table, column: str, owners: list[str], adopted: dict[str, str]) -> pa.Table:
    roots = [r or adopted.get(o) for r, o in zip(table.column(column).to_pylist(), owners, strict=True)]
    return table.set_column(table.schema.get_field_index(column), column, pa.array(roots, pa.string()))


def read_changed(
    items: list[InputFile],
    known: dict[InputKey, Fingerprint],
    version: str,
    limits: ReadLimits = DEFAULT_LIMITS,
    hashed: dict[InputKey, FileHash | Exception] | None = None,
) -> ShardRead:
    """Read the files whose content, metadata or pipeline version differ from what is stored.

    hashed: file_hash of the files (or what it raised), when the caller has hashed them already (prepare_shard
    hashes a shard's files for its key): each file is then hashed once, not twice."""
    out = ShardRead()
    for item in items:
        try:
            _read_one(item, known, version, limits, out, (hashed or {}).get(input_key(item)))
        except Exception as err:  # noqa: BLE001 - one file reprint cannot read must never cost the others
            reason = f"not ingested: reprint could not read it ({unexpected(err)})"
            out.rejects.append(Reject(item.source, reason, root=item.root))
            out.failed.append(input_key(item))
    return out


def _read_one(
    item: InputFile,
    known: dict[InputKey, Fingerprint],
    version: str,
    limits: ReadLimits,
    out: ShardRead,
    hashed: FileHash | Exception | None = None,
) -> None:
    key = input_key(item)
    try:
        content, size, mtime_ns = file_hash(item.path) if hashed is None else found_hash(hashed)
    except NotRegularFile as err:
        out.rejects.append(Reject(item.source, f"not ingested: {err}", root=item.root))
        out.failed.append(key)
        return
    except OSError as err:
        out.rejects.append(
            Reject(
                item.source,
                f"could not be read ({err.strerror or err}); "
                "check that the file exists and that reprint may read it",
                root=item.root,
            )
        )
        out.failed.append(key)
        return
    mark = (content, metadata_hash(item), version)
    if known.get(key) == mark:
        out.unchanged.append(key)
        return
    if size > limits.max_document_bytes and item.path.suffix.lower() in ONE_DOCUMENT_SUFFIXES:
        out.rejects.append(
            Reject(
                item.source,
                f"is {size_text(size)}, more than one article can be "
                f"({size_text(limits.max_document_bytes)}, --max-document-bytes): split it into one file "
                "per document or convert it to JSONL, one document per line",
                root=item.root,
            )
        )
        out.failed.append(key)
        return
    docs, rejects = read_input(item, limits)
    out.rejects.extend(dataclasses.replace(r, root=item.root) for r in rejects)
    if not docs and any(r.source == item.source for r in rejects):
        out.failed.append(key)  # nothing usable: keep what an earlier run stored for it
        return
    out.raws.extend(docs)
    out.owner.update({d.doc_id: key for d in docs})
    out.inputs.append(
        {
            "root": item.root,
            "source": item.source,
            "content_hash": content,
            "metadata_hash": mark[1],
            "pipeline_version": version,
            "size": size,
            "mtime_ns": mtime_ns,
            "n_documents": len(docs),
            "n_rejects": len(rejects),
        }
    )


def prepare_isolated(
    shard: ShardRead, prepare: Callable[[list[RawDocument]], tuple[pa.Table, pa.Table]]
) -> tuple[pa.Table, pa.Table, list[Reject], list]:
    """`prepare` the shard's documents; when that fails, each input file's documents on their own, so a file
    whose text breaks a preparing step becomes a reject and costs only itself.

    Returns documents, paragraphs, rejects and the keys of the input files that failed.
    """
    try:
        docs, paras = prepare(shard.raws)
        return docs, paras, [], []
    except Exception:  # noqa: BLE001 - found out below, file by file
        pass
    by_input: dict = {}
    for raw in shard.raws:
        by_input.setdefault(shard.owner.get(raw.doc_id, ("", raw.source)), []).append(raw)
    parts, rejects, failed = [], [], []
    for key, raws in by_input.items():
        try:
            parts.append(prepare(raws))
        except Exception as err:  # noqa: BLE001 - one file reprint cannot prepare must never cost the others
            reason = f"not ingested: preparing its text failed ({unexpected(err)})"
            rejects.append(Reject(key[1], reason, root=key[0]))
            failed.append(key)
    docs = pa.concat_tables([SCHEMAS["documents"].empty_table()] + [d for d, _ in parts])
    paras = pa.concat_tables([SCHEMAS["paragraphs"].empty_table()] + [p for _, p in parts])
    return docs, paras, rejects, failed


# What file_hash says of a file: its sha256, size and trusted modification time.
FileHash = tuple[str, int, int | None]


def file_hash(path: Path) -> FileHash:
    """sha256 and size of a regular file (anything else is refused unopened), read in chunks, and its
    modification time when opened (before reading: a change while it is read makes the next run look again),
    None when too recent to be trusted (RACY_NS)."""
    h = hashlib.sha256()
    size = 0
    with open_regular(path) as handle:
        _, mtime_ns = trusted_stat(0, os.fstat(handle.fileno()).st_mtime_ns)
        while chunk := handle.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size, mtime_ns


def hash_or_error(path: Path) -> FileHash | Exception:
    """file_hash of a file, or what it raised (a file that cannot be hashed is refused when it is read)."""
    try:
        return file_hash(path)
    except Exception as err:  # noqa: BLE001 - kept for read_changed, which says why the file was not read
        return err


def found_hash(hashed: FileHash | Exception) -> FileHash:
    """A hash_or_error result as file_hash gives it: the hash, or what file_hash raised, raised again."""
    if isinstance(hashed, Exception):
        raise hashed
    return hashed


def printable_names(items: list[InputFile]) -> tuple[list[InputFile], list[Reject]]:
    """Inputs whose names can be stored; a name that is not valid UTF-8 cannot be, and is rejected."""
    good, bad = [], []
    for item in items:
        if item.source == printable(item.source):
            good.append(item)
        else:
            bad.append(
                Reject(
                    printable(item.source),
                    "its file name is not valid UTF-8, so it cannot be stored as a source: rename the file",
                )
            )
    return good, bad


def printable(name: str) -> str:
    """A file name as text that can be stored: undecodable bytes shown as U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def links_current(members: pa.Table, align_versions: set[str | None], n_documents: int) -> bool:
    """Whether the stored stories (`members`) and fates (their `align_version`s) were made by this code's
    linking and alignment versions, every one of the `n_documents` stored documents in a story."""
    linked = set(members.column("link_version").to_pylist()) <= {LINK_VERSION}
    aligned = align_versions <= {ALIGN_VERSION}
    return linked and aligned and members.num_rows == n_documents


def with_owner(docs: pa.Table, owner: dict[str, InputKey]) -> pa.Table:
    """documents with `input_root` and `input_source` filled from {doc_id: input file}."""
    keys = [owner.get(d, (None, None)) for d in docs.column("doc_id").to_pylist()]
    for k, name in enumerate(("input_root", "input_source")):
        column = pa.array([key[k] for key in keys], pa.string())
        docs = docs.set_column(docs.schema.get_field_index(name), name, column)
    return docs


def input_of(source: str, input_format: str | None, input_source: str | None) -> str:
    """The input file a stored document came from (rows written before `input_source` existed derive it)."""
    if input_source:
        return input_source
    return source.rsplit("#", 1)[0] if input_format == "jsonl" else source


def replace_documents(
    old_docs: pa.Table,
    old_paras: pa.Table,
    new_docs: pa.Table,
    new_paras: pa.Table,
    replaced: set[InputKey],
) -> tuple[pa.Table, pa.Table]:
    """Stored documents minus those of the `replaced` input files, plus the new ones (each id once), and their
    paragraphs as linking takes them (a stored `repeated` flag let go of: linking judges it again)."""
    docs, paras = combined_documents(old_docs, old_paras, new_docs, new_paras, replaced)
    return docs, without_repeated_flags(paras)


def combined_documents(
    old_docs: pa.Table,
    old_paras: pa.Table,
    new_docs: pa.Table,
    new_paras: pa.Table,
    replaced: set[InputKey],
) -> tuple[pa.Table, pa.Table]:
    """Stored documents minus those of the `replaced` input files, plus the new ones (each id once: the first
    given), sorted by (source, doc_id), and their paragraphs as stored or staged, sorted by (doc_id,
    para_idx).

    Works on any columns that include the ones it reads: the run passes only what linking reads and what says
    which input a document came from, never the text (tasks/run.py)."""
    owners = [
        (r or "", input_of(s, f, i))
        for s, f, i, r in zip(
            old_docs.column("source").to_pylist(),
            old_docs.column("input_format").to_pylist(),
            old_docs.column("input_source").to_pylist(),
            old_docs.column("input_root").to_pylist(),
            strict=True,
        )
    ]
    new_ids = set(new_docs.column("doc_id").to_pylist())
    keep = [
        o not in replaced and d not in new_ids
        for o, d in zip(owners, old_docs.column("doc_id").to_pylist(), strict=True)
    ]
    docs = pa.concat_tables([old_docs.filter(pa.array(keep, pa.bool_())), new_docs])
    docs = _first_of_each(docs.sort_by([("doc_id", "ascending")]), "doc_id")
    ids = docs.column("doc_id")
    old_paras = old_paras.filter(
        pc.and_(
            pc.is_in(old_paras.column("doc_id"), value_set=ids),
            pc.invert(pc.is_in(old_paras.column("doc_id"), value_set=pa.array(sorted(new_ids), pa.string()))),
        )
    )
    paras = pa.concat_tables([old_paras, new_paras]).sort_by(
        [("doc_id", "ascending"), ("para_idx", "ascending")]
    )
    paras = _first_of_each(paras, "doc_id", "para_idx")
    return docs.sort_by([("source", "ascending"), ("doc_id", "ascending")]), paras


def without_repeated_flags(paras: pa.Table) -> pa.Table:
    """Paragraphs as prepared: flags for text repeated across an outlet's stories are redone by every linking,
    so a stored one must not outlive the documents that made it true."""
    repeated = pc.fill_null(pc.equal(paras.column("boilerplate_reason"), "repeated"), False)
    flags = pc.and_(paras.column("is_boilerplate"), pc.invert(repeated))
    reasons = pc.if_else(repeated, pa.scalar(None, pa.string()), paras.column("boilerplate_reason"))
    paras = paras.set_column(paras.schema.get_field_index("is_boilerplate"), "is_boilerplate", flags)
    return paras.set_column(paras.schema.get_field_index("boilerplate_reason"), "boilerplate_reason", reasons)


def _first_of_each(table: pa.Table, *keys: str) -> pa.Table:
    """Rows sorted by `keys` with repeats dropped (the same file given twice in one run is stored once)."""
    if table.num_rows < 2:
        return table
    columns = [table.column(k) for k in keys]
    same = None
    for col in columns:
        eq = pc.equal(col.slice(1), col.slice(0, len(col) - 1))
        same = eq if same is None else pc.and_(same, eq)
    keep = pa.concat_arrays([pa.array([True]), pc.invert(same).combine_chunks()])
    return table.filter(keep)


def reject_input(reject: Reject) -> str:
    """The input file a reject is about (`path#line` rows belong to `path`)."""
    head, _, tail = reject.source.rpartition("#")
    return head if head and tail.isdigit() else reject.source


def merge_rejects(
    old: pa.Table,
    new: list[Reject],
    revisited: set[InputKey],
    unchanged: set[InputKey],
    roots: list[Path],
    kept_old: set[InputKey],
) -> pa.Table:
    """Stored rejects still true after this run, plus this run's.

    revisited: input files read (or tried) in this run; unchanged: files skipped because nothing changed,
    whose stored rejects (bad JSONL lines) still hold; roots: the folders walked, so a stored reject about a
    manifest or an unsupported file found there again is replaced by whatever this run found; kept_old: files
    that failed now but whose earlier documents are kept, which the reason says.
    """
    fresh = {(r.root, reject_input(r)) for r in new}
    walked = {root.resolve() for root in roots}

    def still_true(row: dict) -> bool:
        key = (row["input_root"] or "", row["input_source"] or reject_input(Reject(row["source"], "")))
        if key in revisited or key in fresh:
            return False
        if key in unchanged:
            return True
        if key[0]:  # found again under a root walked now, this run's discovery said what holds for it
            return not (Path(key[0]) in walked and (Path(key[0]) / key[1]).exists())
        return not any((root / key[1]).exists() for root in roots)  # a row from before roots were stored

    rows = {
        (
            r["source"],
            r["reason"],
            r["input_source"] or reject_input(Reject(r["source"], "")),
            r["input_root"],
            r["severity"] or "error",
        )
        for r in old.to_pylist()
        if still_true(r)
    }
    for r in new:
        r = dataclasses.replace(r, source=printable(r.source))
        owner = reject_input(r)
        reason = r.reason
        if (r.root, owner) in kept_old and r.source == owner:
            reason += "; the version stored by an earlier run is kept"
        rows.add((r.source, reason, owner, r.root or None, r.severity))
    return pa.Table.from_pylist(
        [
            {"source": s, "reason": m, "input_source": o, "input_root": root, "severity": level}
            for s, m, o, root, level in sorted(rows, key=lambda row: tuple(v or "" for v in row))
        ],
        schema=SCHEMAS["rejects"],
    )


def merge_inputs(old: pa.Table, rows: list[dict]) -> pa.Table:
    """The `inputs` table after this run: files read now replace their stored state."""
    if not rows:  # nothing read (a run with nothing new): the stored table, not a copy of it made row by row
        return old
    read = {(r["root"], r["source"]) for r in rows}
    kept = [r for r in old.to_pylist() if (r["root"] or "", r["source"]) not in read]
    return pa.Table.from_pylist(
        sorted(kept + rows, key=lambda r: (r["source"], r["root"] or "")), schema=SCHEMAS["inputs"]
    )
