"""Find input files, read them into documents with their metadata, and say why any could not be read."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import zstandard

from tasks.dates import parse_timestamp
from tasks.decode import NotText, decode_bytes
from tasks.repair import repair_unicode

INGEST_VERSION = "ingest-2"
TEXT_SUFFIXES = {".txt", ".md"}
JSONL_SUFFIXES = {".jsonl", ".jsonl.gz", ".jsonl.zst"}
HTML_SUFFIXES = {".html", ".htm"}
WARC_SUFFIXES = {".warc", ".warc.gz"}
SUPPORTED = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES | WARC_SUFFIXES
# Formats whose text is an extracted article body: the page's title is metadata, never its first paragraph.
EXTRACTED_FORMATS = {"html", "warc"}
MANIFEST = "manifest.csv"
METADATA_FIELDS = ("outlet", "url", "published_at", "title")


@dataclass(frozen=True)
class InputFile:
    """One file to ingest: where it is, its name in the warehouse, and metadata a manifest gave it."""

    path: Path
    source: str
    folder_outlet: str | None
    manifest: dict[str, str] = field(default_factory=dict)
    # The folder `source` is relative to (absolute): with it, `day1/feed.jsonl` and `day2/feed.jsonl` given as
    # two roots are two inputs, though both are named `feed.jsonl`.
    root: str = ""


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
    input_format: str  # txt, jsonl, html, warc
    repairs: tuple[str, ...] = ()  # what tasks/repair.py changed in the text or its metadata
    author: str | None = None
    captured_at: datetime | None = None  # when a web archive captured the page
    warnings: tuple[str, ...] = ()  # metadata dropped because it could not be read (a date), and why


@dataclass(frozen=True)
class Reject:
    """An input (or part of one) that was not ingested, with a reason a person can act on."""

    source: str
    reason: str
    severity: str = "error"  # error: not ingested; warning: ingested, but the reason names what was dropped
    root: str = ""  # the input root `source` is relative to, when known


def document_id(source: str, content_hash: str) -> str:
    """Stable id from where a document came from and what it says."""
    return hashlib.sha256(f"{source}\n{content_hash}".encode()).hexdigest()[:16]


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
            rejects.append(
                Reject(
                    f"{source}#{line}",
                    f"manifest row names {rel!r}, which is not a file next to "
                    "the manifest; the row was ignored",
                )
            )
            continue
        entries[target] = {k: row[k].strip() for k in METADATA_FIELDS if row.get(k) and row[k].strip()}
        try:
            parse_timestamp(entries[target].get("published_at"))
        except ValueError as err:
            # A typo in one date should not keep the document out: it is ingested undated, the row says why.
            del entries[target]["published_at"]
            rejects.append(
                Reject(f"{source}#{line}", f"{err}; {rel} was ingested without a date", severity="warning")
            )
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
            found.append(InputFile(start, start.name, None, root=str(input_root(start))))
            continue
        root = input_root(start)
        manifests: dict[Path, dict[str, str]] = {}
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            here = Path(folder)
            if MANIFEST in files:
                manifests.update(
                    _read_manifest(here / MANIFEST, rejects, str((here / MANIFEST).relative_to(root)))
                )
            rel_folder = here.relative_to(root)
            outlet = None if rel_folder == Path(".") else rel_folder.as_posix()
            for name in sorted(files):
                path = here / name
                if name.startswith(".") or name == MANIFEST:
                    continue
                source = path.relative_to(root).as_posix()
                if not _supported(path):
                    rejects.append(
                        Reject(
                            source,
                            f"unsupported file type {path.suffix or '(none)'}; "
                            f"reprint reads {', '.join(sorted(SUPPORTED))}",
                        )
                    )
                    continue
                found.append(InputFile(path, source, outlet, manifests.get(path.resolve(), {}), str(root)))
    return found, rejects


def input_root(given: Path) -> Path:
    """The folder an input's names are relative to: a folder given itself, a file given its folder."""
    return given.resolve() if given.is_dir() else given.absolute().parent.resolve()


def input_suffix(path: Path) -> str:
    """The suffix that says how a file is read, compression included (`.jsonl.gz`); lower case."""
    name = path.name.lower()
    longest_first = sorted(SUPPORTED, key=len, reverse=True)
    return next((s for s in longest_first if name.endswith(s)), path.suffix.lower())


def _supported(path: Path) -> bool:
    return input_suffix(path) in SUPPORTED


def decompress(data: bytes, suffix: str) -> bytes:
    """The bytes inside a `.gz` or `.zst` file (other suffixes: unchanged); NotText when they are damaged."""
    try:
        if suffix.endswith(".gz"):
            return gzip.decompress(data)
        if suffix.endswith(".zst"):
            # Streamed: zstd frames written by a stream (as dump tools do) do not record their size.
            with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True) as zst:
                return zst.read()
    except (OSError, EOFError, zlib.error, zstandard.ZstdError) as err:
        raise NotText(f"it is not a readable {suffix.rsplit('.', 1)[-1]} file ({err})") from err
    return data


_HOST_PREFIX = re.compile(r"^(www\d*|m|amp)\.")


def outlet_from_url(url: str | None) -> str | None:
    """The publisher as the URL's host without a `www.`-like prefix: `https://www.bbc.co.uk/a` → `bbc.co.uk`.

    Null for hosts that are not domain names (no dot), which say nothing about an outlet.
    """
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    host = _HOST_PREFIX.sub("", (host or "").rstrip("."))
    return host if "." in host else None


def _document(
    source: str,
    text: str,
    content_hash: str,
    encoding: str,
    fmt: str,
    meta: dict[str, str | None],
    repaired: tuple[str, ...] = (),
) -> RawDocument:
    """A read document with its text and metadata repaired; `repaired`: repairs already made to its source."""
    repairs = list(repaired)
    dates, warnings = _dates(meta)
    fixed: dict[str, str | None] = {}
    for key, value in (
        ("text", text),
        ("title", meta.get("title")),
        ("outlet", meta.get("outlet")),
        ("author", meta.get("author")),
    ):
        fixed[key], more = repair_unicode(value) if value else (None, [])
        repairs += [label for label in more if label not in repairs]
    return RawDocument(
        doc_id=document_id(source, content_hash),
        source=source,
        text=fixed["text"] or "",
        outlet=fixed["outlet"],
        title=fixed["title"],
        url=meta.get("url"),
        published_at=dates["published_at"],
        encoding=encoding,
        content_hash=content_hash,
        input_format=fmt,
        repairs=tuple(repairs),
        author=fixed["author"],
        captured_at=dates["captured_at"],
        warnings=warnings,
    )


def _dates(meta: dict[str, str | None]) -> tuple[dict[str, datetime | None], tuple[str, ...]]:
    """The document's dates; one that cannot be read is dropped (a date lost, never the document), and why."""
    dates: dict[str, datetime | None] = {}
    warnings: list[str] = []
    for key in ("published_at", "captured_at"):
        try:
            dates[key] = parse_timestamp(meta.get(key))
        except ValueError as err:
            dates[key] = None
            warnings.append(f"{str(err).replace('published_at', key, 1)}; ingested without it")
    return dates, tuple(warnings)


def _with_defaults(
    item: InputFile, found: dict[str, str | None], found_wins: bool = False
) -> dict[str, str | None]:
    """A document's metadata: the manifest entry and what the file says (`found_wins` when the file's is the
    more specific, as for a line of a dump), then outlet from the URL's host, else from the folder."""
    given = {k: v for k, v in found.items() if v}
    meta: dict[str, str | None] = {**item.manifest, **given} if found_wins else {**given, **item.manifest}
    if not meta.get("outlet"):
        host = outlet_from_url(meta.get("url")) or outlet_from_url(meta.get("domain"))
        meta["outlet"] = host or item.folder_outlet
    return meta


def read_text_file(item: InputFile, data: bytes) -> tuple[list[RawDocument], list[Reject]]:
    """A .txt or .md file: one document."""
    text, encoding = decode_bytes(data)
    return [_document(item.source, text, _hash(data), encoding, "txt", _with_defaults(item, {}))], []


# Names the same fields have in CC-News (Hugging Face `cc_news`) and news-please dumps.
JSONL_ALIASES = {
    "published_at": ("date", "date_publish"),
    "author": ("authors",),
    "domain": ("source_domain",),
}


def _jsonl_metadata(record: dict) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key in (*METADATA_FIELDS, "author", "domain"):
        for name in (key, *JSONL_ALIASES.get(key, ())):
            value = record.get(name)
            if isinstance(value, list):  # news-please gives a list of authors
                value = ", ".join(str(v) for v in value if v)
            if value not in (None, ""):
                meta[key] = str(value)
                break
    return meta


def read_jsonl(item: InputFile, data: bytes) -> tuple[list[RawDocument], list[Reject]]:
    """A JSONL file (plain, .gz or .zst): one document per line; bad lines become rejects, the rest count."""
    text, encoding = decode_bytes(decompress(data, input_suffix(item.path)))
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{item.source}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            rejects.append(
                Reject(source, f"line {number} is not valid JSON ({err.msg} at column {err.colno})")
            )
            continue
        if (
            not isinstance(record, dict)
            or not isinstance(record.get("text"), str)
            or not record["text"].strip()
        ):
            rejects.append(Reject(source, f"line {number} has no non-empty string field `text`"))
            continue
        # A line's own fields are more specific than the manifest entry for the whole file.
        meta = _with_defaults(item, _jsonl_metadata(record), found_wins=True)
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
    doc = _document(item.source, article.text, _hash(data), article.encoding, "html", meta, article.repairs)
    return [doc], []


def read_warc(item: InputFile, data: bytes) -> tuple[list[RawDocument], list[Reject]]:
    """A web archive: one document per captured HTML page, named `<file>#<record number>`, with the URL and
    time of capture. Pages without an article become rejects; so does damage, after the pages before it."""
    from tasks.html import charset_label, extract_article
    from tasks.warc import NotWarc, captured_pages

    if not data.strip():
        raise NotText("the file is empty")
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    first_capture: dict[str, int] = {}
    pages = captured_pages(io.BytesIO(data))
    while True:
        try:
            page = next(pages, None)
        except NotWarc as err:
            stopped = "not read to the end" if docs or rejects else "not ingested"
            rejects.append(Reject(item.source, f"{stopped}: {err}"))
            break
        if page is None:
            break
        source = f"{item.source}#{page.number}"
        body_hash = _hash(page.body)
        # Crawls capture a page twice (http and https, a retry); two copies would read as an outlet repeating
        # every paragraph, i.e. as boilerplate.
        if body_hash in first_capture:
            rejects.append(
                Reject(
                    source,
                    f"record {page.number} ({page.url}) is the same page as record "
                    f"{first_capture[body_hash]}; it was ingested once",
                )
            )
            continue
        first_capture[body_hash] = page.number
        try:
            article = extract_article(page.body, page.url, charset_label(page.content_type))
            # The captured URL is a fact of the crawl; a canonical URL is only the page's claim.
            found = {
                **article.metadata,
                "url": page.url or article.metadata.get("url"),
                "captured_at": page.captured_at,
            }
            meta = _with_defaults(item, found, found_wins=True)
            docs.append(
                _document(source, article.text, body_hash, article.encoding, "warc", meta, article.repairs)
            )
        except ValueError as err:
            rejects.append(Reject(source, f"record {page.number} ({page.url}): {err}"))
    if not docs and not rejects:
        rejects.append(Reject(item.source, "the archive holds no HTML page captured with status 200"))
    return docs, rejects


READERS = {
    **{s: read_text_file for s in TEXT_SUFFIXES},
    **{s: read_jsonl for s in JSONL_SUFFIXES},
    **{s: read_html for s in HTML_SUFFIXES},
    **{s: read_warc for s in WARC_SUFFIXES},
}


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_inputs(items: list[InputFile]) -> tuple[list[RawDocument], list[Reject]]:
    """Read a batch of input files; a file that fails becomes a reject and the batch goes on."""
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    for item in items:
        try:
            reader = READERS.get(input_suffix(item.path))
            if reader is None:
                kind = input_suffix(item.path) or "(none)"
                rejects.append(
                    Reject(
                        item.source,
                        f"unsupported file type {kind}; reprint reads {', '.join(sorted(SUPPORTED))}",
                    )
                )
                continue
            got, bad = reader(item, item.path.read_bytes())
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
        rejects.extend(Reject(d.source, w, severity="warning") for d in got for w in d.warnings)
    return docs, rejects
