"""Find input files, read them into documents with their metadata, and say why any could not be read."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from tasks.decode import NotText, decode_bytes

INGEST_VERSION = "ingest-1"
TEXT_SUFFIXES = {".txt", ".md"}
JSONL_SUFFIXES = {".jsonl"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES
MANIFEST = "manifest.csv"
METADATA_FIELDS = ("outlet", "url", "published_at", "title")


@dataclass(frozen=True)
class InputFile:
    """One file to ingest: where it is, its name in the warehouse, and metadata a manifest gave it."""

    path: Path
    source: str
    folder_outlet: str | None
    manifest: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RawDocument:
    """A document as read: decoded text plus metadata, before cleaning."""

    doc_id: str
    source: str
    text: str
    outlet: str | None
    title: str | None
    url: str | None
    published_at: datetime | None
    encoding: str
    content_hash: str
    input_format: str  # txt, jsonl, html, ...


@dataclass(frozen=True)
class Reject:
    """An input (or part of one) that was not ingested, with a reason a person can act on."""

    source: str
    reason: str


def document_id(source: str, content_hash: str) -> str:
    """Stable id from where a document came from and what it says."""
    return hashlib.sha256(f"{source}\n{content_hash}".encode()).hexdigest()[:16]


def parse_timestamp(value: str | None) -> datetime | None:
    """ISO 8601 date or date-time to a naive UTC datetime; raises ValueError naming the bad value."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as err:
        raise ValueError(f"published_at {value!r} is not an ISO 8601 date (expected e.g. 2019-06-25 or "
                         f"2019-06-25T14:30:00Z)") from err
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _read_manifest(path: Path, rejects: list[Reject], source: str) -> dict[Path, dict[str, str]]:
    entries: dict[Path, dict[str, str]] = {}
    try:
        text, _ = decode_bytes(path.read_bytes())
    except (OSError, NotText) as err:
        rejects.append(Reject(source, f"manifest could not be read: {err}"))
        return entries
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "path" not in reader.fieldnames:
        rejects.append(Reject(source, "manifest has no `path` column; its metadata was ignored"))
        return entries
    for line, row in enumerate(reader, start=2):
        rel = (row.get("path") or "").strip()
        target = (path.parent / rel).resolve()
        if not rel or not target.is_file():
            rejects.append(Reject(f"{source}#{line}", f"manifest row names {rel!r}, which is not a file next to "
                                  "the manifest; the row was ignored"))
            continue
        entries[target] = {k: row[k].strip() for k in METADATA_FIELDS if row.get(k) and row[k].strip()}
        try:
            parse_timestamp(entries[target].get("published_at"))
        except ValueError as err:
            # A typo in one date should not keep the document out: it is ingested undated, and the row says why.
            del entries[target]["published_at"]
            rejects.append(Reject(f"{source}#{line}", f"{err}; {rel} was ingested without a date"))
    return entries


def discover_inputs(inputs: list[str | Path]) -> tuple[list[InputFile], list[Reject]]:
    """Walk the inputs (files or folders, recursively, hidden entries skipped) in a deterministic order."""
    found: list[InputFile] = []
    rejects: list[Reject] = []
    for given in inputs:
        start = Path(given)
        if not start.exists():
            rejects.append(Reject(str(given), "no such file or folder"))
            continue
        if start.is_file():
            found.append(InputFile(start, start.name, None))
            continue
        root = start.resolve()
        manifests: dict[Path, dict[str, str]] = {}
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            here = Path(folder)
            if MANIFEST in files:
                manifests.update(_read_manifest(here / MANIFEST, rejects, str((here / MANIFEST).relative_to(root))))
            rel_folder = here.relative_to(root)
            outlet = None if rel_folder == Path(".") else rel_folder.as_posix()
            for name in sorted(files):
                path = here / name
                if name.startswith(".") or name == MANIFEST:
                    continue
                source = path.relative_to(root).as_posix()
                if not _supported(path):
                    rejects.append(Reject(source, f"unsupported file type {path.suffix or '(none)'}; "
                                          f"reprint reads {', '.join(sorted(SUPPORTED))}"))
                    continue
                found.append(InputFile(path, source, outlet, manifests.get(path.resolve(), {})))
    return found, rejects


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED


def _document(source: str, text: str, content_hash: str, encoding: str, fmt: str,
              meta: dict[str, str | None]) -> RawDocument:
    return RawDocument(
        doc_id=document_id(source, content_hash),
        source=source,
        text=text,
        outlet=meta.get("outlet"),
        title=meta.get("title"),
        url=meta.get("url"),
        published_at=parse_timestamp(meta.get("published_at")),
        encoding=encoding,
        content_hash=content_hash,
        input_format=fmt,
    )


def _with_defaults(item: InputFile, found: dict[str, str | None]) -> dict[str, str | None]:
    meta: dict[str, str | None] = {"outlet": item.folder_outlet}
    meta.update({k: v for k, v in found.items() if v})
    meta.update(item.manifest)
    return meta


def read_text_file(item: InputFile, data: bytes) -> tuple[list[RawDocument], list[Reject]]:
    """A .txt or .md file: one document."""
    text, encoding = decode_bytes(data)
    return [_document(item.source, text, _hash(data), encoding, "txt", _with_defaults(item, {}))], []


def read_jsonl(item: InputFile, data: bytes) -> tuple[list[RawDocument], list[Reject]]:
    """A JSONL file: one document per line; bad lines become rejects, the rest still count."""
    text, encoding = decode_bytes(data)
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{item.source}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            rejects.append(Reject(source, f"line {number} is not valid JSON ({err.msg} at column {err.colno})"))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
            rejects.append(Reject(source, f"line {number} has no non-empty string field `text`"))
            continue
        meta = _with_defaults(item, {})
        # A line's own fields are more specific than the manifest entry for the whole file.
        meta.update({k: str(record[k]) for k in METADATA_FIELDS if record.get(k) not in (None, "")})
        try:
            docs.append(_document(source, record["text"], _hash(line.encode()), encoding, "jsonl", meta))
        except ValueError as err:
            rejects.append(Reject(source, f"line {number}: {err}"))
    return docs, rejects


def read_html(item: InputFile, data: bytes) -> tuple[list[RawDocument], list[Reject]]:
    """An HTML page: one document, its article text extracted (see tasks/html.py)."""
    from tasks.html import extract_article

    article = extract_article(data)
    meta = _with_defaults(item, article.metadata)
    return [_document(item.source, article.text, _hash(data), article.encoding, "html", meta)], []


READERS = {**{s: read_text_file for s in TEXT_SUFFIXES}, **{s: read_jsonl for s in JSONL_SUFFIXES},
           **{s: read_html for s in HTML_SUFFIXES}}


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_inputs(items: list[InputFile]) -> tuple[list[RawDocument], list[Reject]]:
    """Read a batch of input files; a file that fails becomes a reject and the batch goes on."""
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    for item in items:
        try:
            data = item.path.read_bytes()
            got, bad = READERS[item.path.suffix.lower()](item, data)
        except OSError as err:
            rejects.append(Reject(item.source, f"could not be read: {err.strerror or err}"))
            continue
        except NotText as err:
            rejects.append(Reject(item.source, f"not ingested: {err}"))
            continue
        except ValueError as err:
            rejects.append(Reject(item.source, f"not ingested: {err}"))
            continue
        docs.extend(got)
        rejects.extend(bad)
    return docs, rejects


def with_source_prefix(doc: RawDocument, prefix: str) -> RawDocument:
    """The same document under a source name qualified by `prefix` (used when two inputs collide)."""
    source = f"{prefix}/{doc.source}"
    return replace(doc, source=source, doc_id=document_id(source, doc.content_hash))
