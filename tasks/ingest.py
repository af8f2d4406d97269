"""Find input files, read them into documents with their metadata, and say why any could not be read."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from tasks.dates import parse_timestamp
from tasks.decode import MIXED, NotText, decode_bytes
from tasks.discover import Resolver, inside, resolved, walk_files
from tasks.frontmatter import FrontMatter, split_front_matter
from tasks.limits import (
    DEFAULT_LIMITS,
    HTML_PARSER_DEPTH,
    NotRegularFile,
    ReadLimits,
    TooLarge,
    capped_lines,
    decompressed,
    file_kind,
    html_too_deep,
    json_depth_over,
    open_regular,
    read_capped,
    size_text,
)
from tasks.repair import repair_unicode

# ingest-3: a Markdown file's front matter is its metadata (tasks/frontmatter.py), not text.
# ingest-4: of a YAML front matter that cannot be read whole, the top-level fields that read alone are used.
# ingest-5: a front-matter title's generator variables ([%version]) are filled from its fields.
# ingest-6: a Markdown file's HTML comments are not its text (without_html_comments).
# ingest-7: a canonical URL keeps its query but for trackers (tasks.evidence.canonical_url): old CMSs name the
# article in it, and one URL makes documents one story.
# ingest-8: the page address a Markdown file's front matter gives (slug and date, permalink) is stored.
# ingest-9: a front matter block opening with a comment line is front matter, its fields read as they can be.
# ingest-10: a front matter block of a file with Windows line ends (CRLF) is closed by its "---\r" line.
# ingest-11: a front matter's `path` (Zola, Gatsby) is its page's address, as `permalink` and `url` are; its
# `aliases` (Hugo, Zola) or `redirect_from` (Jekyll), the page's former addresses, are stored, and the day its
# date gives the page (`page_day`).
# ingest-12: a block of OCR'd newspaper column lines (no blank line on the page) is cut into its printed
# paragraphs at the short lines that end a sentence (tasks.clean._column_paragraphs).
INGEST_VERSION = "ingest-12"
TEXT_SUFFIXES = {".txt", ".md"}
MARKDOWN_SUFFIXES = {".md"}  # read with their front matter as metadata
JSONL_SUFFIXES = {".jsonl", ".jsonl.gz", ".jsonl.zst"}
HTML_SUFFIXES = {".html", ".htm"}
WARC_SUFFIXES = {".warc", ".warc.gz"}
SUPPORTED = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES | WARC_SUFFIXES
# Formats whose text is an extracted article body: the page's title is metadata, never its first paragraph.
EXTRACTED_FORMATS = {"html", "warc"}
MANIFEST = "manifest.csv"
DEEP_PAGE = (
    f"the page nests its elements more than {HTML_PARSER_DEPTH} levels deep; the HTML parser drops "
    "everything deeper, so its text would be lost"
)
WAREHOUSE_REASON = "is the warehouse this run writes to; it is never read as input"
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
    # The file's front matter was read as its metadata (tasks/frontmatter.py): `text` is the body after it,
    # whose first block is body text, never a title to set aside.
    front_matter: bool = False
    # The address the file's front matter gives its page (frontmatter.page_address): an outlet's documents at
    # one are versions of one page, as at one URL (a post's draft in the site's repository and the post).
    page_address: str | None = None
    # ... and the page's former addresses it gives (frontmatter.page_aliases): a moved page's old address.
    page_aliases: tuple[str, ...] = ()
    # ... and the day its front matter dates the page (whatever date the manifest gives the file).
    page_day: date | None = None
    # Paragraphs the reader found standing in a box of links on the page (tasks/html.py, html-9): page
    # chrome by the page's markup, which the text alone does not show. Flagged as boilerplate.
    in_link_boxes: tuple[str, ...] = ()


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


def _read_manifest(
    path: Path,
    rejects: list[Reject],
    source: str,
    limits: ReadLimits = DEFAULT_LIMITS,
    resolve: Resolver | None = None,
) -> dict[str, dict[str, str]]:
    """{the resolved path of a file it names, as text: its metadata}; what is wrong with a row is a reject."""
    resolve = resolve or Resolver()
    entries: dict[str, dict[str, str]] = {}
    try:
        with open_regular(path) as handle:
            text, _ = decode_bytes(read_capped(handle, limits.max_document_bytes, "the manifest"))
    except (OSError, ValueError) as err:
        rejects.append(Reject(source, f"manifest could not be read: {err}"))
        return entries
    if "\x00" in text:
        rejects.append(Reject(source, "manifest holds NUL bytes: not a CSV file; its metadata was ignored"))
        return entries
    folder = str(path.parent.resolve())
    targets: dict[str, tuple[str | None, str | None]] = {}
    first_line: dict[str, int] = {}
    repeats: dict[str, list[int]] = {}
    # Fields over the cap are refused row by row below, not by the csv module's own limit for the whole file.
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_document_bytes))
    try:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or "path" not in reader.fieldnames:
            rejects.append(Reject(source, "manifest has no `path` column; its metadata was ignored"))
            return entries
        for line, row in enumerate(reader, start=2):
            reason = _manifest_fields_refused(row, limits)
            rel = str(row.get("path") or "").strip()
            if reason is None:
                if rel not in targets:  # a path named on many rows is looked up once
                    targets[rel] = _manifest_target(rel, folder, resolve)
                target, reason = targets[rel]
            if reason:
                rejects.append(Reject(f"{source}#{line}", reason))
                continue
            if target in first_line:  # the first row for a file wins, the others are named in one reject
                repeats.setdefault(target, []).append(line)
                continue
            first_line[target] = line
            entries[target] = {k: row[k].strip() for k in METADATA_FIELDS if row.get(k) and row[k].strip()}
            try:
                parse_timestamp(entries[target].get("published_at"))
            except ValueError as err:
                # A typo in a date should not keep the document out: it is ingested undated, the row says why.
                entries[target].pop("published_at")
                rejects.append(
                    Reject(
                        f"{source}#{line}", f"{err}; {rel} was ingested without a date", severity="warning"
                    )
                )
    except csv.Error as err:
        rejects.append(Reject(source, f"manifest is not valid CSV ({err}); the rows after that were ignored"))
    for target, lines in repeats.items():
        shown = ", ".join(str(n) for n in lines[:5]) + (", …" if len(lines) > 5 else "")
        rejects.append(
            Reject(
                f"{source}#{lines[0]}",
                f"manifest names {Path(target).relative_to(folder).as_posix()} on {len(lines) + 1} rows; the "
                f"first (line {first_line[target]}) was used, {len(lines)} later ignored (lines {shown})",
            )
        )
    return entries


def _manifest_fields_refused(row: dict, limits: ReadLimits) -> str | None:
    """Why a manifest row's fields are not used, or None: a field over the cap, too many fields."""
    if None in row:  # more fields than the header names
        return "manifest row has more fields than the header; the row was ignored"
    for key, value in row.items():
        if value is not None and len(value) > limits.max_field_chars:
            return (
                f"manifest field `{key}` is {len(value)} characters long, more than "
                f"{limits.max_field_chars}; the row was ignored"
            )
    return None


def _manifest_target(rel: str, folder: str, resolve: Resolver) -> tuple[str | None, str | None]:
    """The file a manifest row names, or why it names none: rows may only name files under the folder."""
    if not rel:
        return None, "manifest row has an empty `path`; the row was ignored"
    if rel.startswith("/") or ".." in rel.split("/"):  # what Path(rel) says, without making one per row
        return None, (
            f"manifest row names {rel!r}, outside the manifest's folder (paths must be relative, "
            "without `..`); the row was ignored"
        )
    target = resolve(os.path.join(folder, rel))
    if target is None or not inside(target, folder) or not resolve.is_file(target):  # no second stat
        return None, (
            f"manifest row names {rel!r}, which is not a file next to the manifest or below it; "
            "the row was ignored"
        )
    return target, None


def discover_inputs(
    inputs: list[str | Path], warehouse: str | Path | None = None
) -> tuple[list[InputFile], list[Reject]]:
    """Walk the inputs (files or folders, recursively, hidden entries skipped) in a deterministic order.

    Only regular files inside each folder are found (see tasks/discover.py); `warehouse`, and any other
    reprint warehouse met on the way, is never read as input.
    """
    found: list[InputFile] = []
    rejects: list[Reject] = []
    own = resolved(Path(warehouse)) if warehouse is not None else None
    for given in inputs:
        start = Path(given)
        try:
            mode = start.stat().st_mode
        except (OSError, RuntimeError) as err:
            reason = (
                "no such file or folder" if isinstance(err, FileNotFoundError) else f"cannot be read: {err}"
            )
            rejects.append(Reject(str(given), reason))
            continue
        place = resolved(start)
        if own is not None and place is not None and inside(place, own):
            rejects.append(Reject(str(given), WAREHOUSE_REASON))
            continue
        if stat.S_ISREG(mode):
            found.append(InputFile(start, start.name, None, root=str(input_root(start))))
            continue
        if not stat.S_ISDIR(mode):
            rejects.append(Reject(str(given), f"is {file_kind(mode)}, not a regular file or a folder"))
            continue
        root = input_root(start)

        def refuse(path: Path, reason: str, root: Path = root, given: str | Path = given) -> None:
            rel = path.relative_to(root).as_posix()
            rejects.append(Reject(str(given) if rel == "." else rel, reason))

        # The whole tree is listed before a manifest is read, so the rows naming a file the listing found
        # (a regular file, no link on the way) need no lstat each (a manifest names every file of a folder
        # tree: 100,000 rows). What the walk refused is kept with the folder listed next, and said in the
        # order it was before, when the manifests were read as their folders were listed.
        refused: list[list[tuple[Path, str]]] = [[]]
        walked = []

        def held(path: Path, reason: str, refused: list = refused) -> None:
            refused[-1].append((path, reason))

        for here, files, links in walk_files(root, held):
            walked.append((here, files, links, refused[-1]))
            refused.append([])
        manifests: dict[str, dict[str, str]] = {}  # keyed by resolved paths as text (Resolver)
        # Tens of thousands of files in a few folders: each folder resolved once, the listed files known.
        resolve = Resolver({str(here): set(files) - links for here, files, links, _ in walked})
        for here, files, links, before in walked:
            for path, reason in before:
                refuse(path, reason)
            if own is not None and inside(here, own):
                if here == own:
                    refuse(here, WAREHOUSE_REASON)
                continue
            if MANIFEST in files:
                manifests.update(
                    _read_manifest(
                        here / MANIFEST,
                        rejects,
                        str((here / MANIFEST).relative_to(root)),
                        resolve=resolve,
                    )
                )
            rel_folder = here.relative_to(root)
            outlet = None if rel_folder == Path(".") else rel_folder.as_posix()
            prefix = "" if outlet is None else outlet + "/"
            for name in files:
                if name == MANIFEST:
                    continue
                path = here / name
                source = prefix + name  # path.relative_to(root).as_posix(), without parsing a path per file
                if not _supported(path):
                    rejects.append(
                        Reject(
                            source,
                            f"unsupported file type {path.suffix or '(none)'}; "
                            f"reprint reads {', '.join(sorted(SUPPORTED))}",
                        )
                    )
                    continue
                # `here` is resolved (walk_files): a file that is not a link is where its path says.
                if manifests:
                    at = os.path.join(here, name)
                    entry = manifests.get(at if name not in links else resolve(at) or at, {})
                else:
                    entry = {}
                found.append(InputFile(path, source, outlet, entry, str(root)))
        for path, reason in refused[-1]:  # refused after the last folder listed
            refuse(path, reason)
    return found, rejects


def input_root(given: Path) -> Path:
    """The folder an input's names are relative to: a folder given itself, a file given its folder."""
    return given.resolve() if given.is_dir() else given.absolute().parent.resolve()


def input_suffix(path: Path) -> str:
    """The suffix that says how a file is read, compression included (`.jsonl.gz`); lower case."""
    name = path.name.lower()
    # Every supported suffix is one or two dotted parts: the longest that ends the name, looked up (a file
    # is asked this several times, tens of thousands of files a run).
    last = name.rfind(".")
    before = name.rfind(".", 0, last) if last > 0 else -1
    for start in (before, last):
        if start >= 0 and name[start:] in SUPPORTED:
            return name[start:]
    return path.suffix.lower()


def _supported(path: Path) -> bool:
    return input_suffix(path) in SUPPORTED


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
    front_matter: FrontMatter | None = None,
    in_link_boxes: tuple[str, ...] = (),
) -> RawDocument:
    """A read document with its text and metadata repaired; `repaired`: repairs already made to its source;
    `front_matter`: the metadata block `text` was read from (its body), if it had one."""
    repairs = list(repaired)
    dates, warnings = _dates(meta)
    if front_matter is not None and front_matter.warning:
        warnings = (front_matter.warning, *warnings)
    fixed: dict[str, str | None] = {}
    for key, value in (
        ("text", text),
        ("title", meta.get("title")),
        ("outlet", meta.get("outlet")),
        ("author", meta.get("author")),
        ("url", meta.get("url")),
    ):
        value, more = storable(key, value)
        repairs += more
        if key == "url":
            fixed[key] = value
            continue
        fixed[key], more = repair_unicode(value) if value else (None, [])
        repairs += [label for label in more if label not in repairs]
    return RawDocument(
        doc_id=document_id(source, content_hash),
        source=source,
        text=fixed["text"] or "",
        outlet=fixed["outlet"],
        title=fixed["title"],
        url=fixed["url"],
        published_at=dates["published_at"],
        encoding=encoding,
        content_hash=content_hash,
        input_format=fmt,
        repairs=tuple(repairs),
        author=fixed["author"],
        captured_at=dates["captured_at"],
        warnings=warnings,
        front_matter=front_matter is not None,
        page_address=storable("page_address", front_matter.fields.get("page"))[0] if front_matter else None,
        page_aliases=tuple(
            a
            for a in (
                storable("page_address", line)[0]
                for line in front_matter.fields.get("aliases", "").split("\n")
            )
            if a
        )
        if front_matter
        else (),
        page_day=_page_day(front_matter.fields.get("day")) if front_matter else None,
        # As the text: a paragraph's repaired form is what the flags will meet.
        in_link_boxes=tuple(repair_unicode(line)[0] for line in in_link_boxes),
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


def _page_day(day: str | None) -> date | None:
    try:
        return date.fromisoformat(day) if day else None
    except ValueError:  # "2023-02-30": no day
        return None


def storable(key: str, value: str | None) -> tuple[str | None, list[str]]:
    """A text value that can be stored: lone surrogates (from JSON `\\ud800` escapes) replaced by U+FFFD,
    metadata over the field cap cut (a title) or dropped (a URL cut short would point elsewhere)."""
    if not value:
        return value, []
    repairs = []
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Pairs of surrogates become the character they encode; a lone one becomes U+FFFD.
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        repairs.append(f"{key}: lone surrogates replaced")
    cap = DEFAULT_LIMITS.max_field_chars
    if key != "text" and len(value) > cap:
        if key == "url":
            return None, [*repairs, f"url dropped: {len(value)} characters, more than {cap}"]
        repairs.append(f"{key} cut to {cap} characters from {len(value)}")
        value = value[: cap - 1] + "…"
    return value, repairs


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


Input = bytes | BinaryIO  # readers take a file opened by open_regular (tests may pass the bytes)


def _stream(data: Input) -> BinaryIO:
    return io.BytesIO(data) if isinstance(data, bytes | bytearray) else data


def _size(data: Input) -> int:
    return len(data) if isinstance(data, bytes | bytearray) else os.fstat(data.fileno()).st_size


def _whole(data: Input, limits: ReadLimits) -> bytes:
    """A one-document file's bytes, refused with its size when over the document cap."""
    if isinstance(data, bytes | bytearray):
        if len(data) > limits.max_document_bytes:
            raise TooLarge(
                f"the file is {size_text(len(data))}, more than the "
                f"{size_text(limits.max_document_bytes)} one document may be"
            )
        return bytes(data)
    return read_capped(data, limits.max_document_bytes)


def read_text_file(
    item: InputFile, data: Input, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[list[RawDocument], list[Reject]]:
    """A .txt or .md file: one document. A Markdown file's front matter gives its title, date and authors
    (a manifest's win) and is not part of its text."""
    data = _whole(data, limits)
    text, encoding = decode_bytes(data)
    markdown = input_suffix(item.path) in MARKDOWN_SUFFIXES
    front = split_front_matter(text) if markdown else None
    if front is not None:
        text = front.body
    if markdown:
        text = without_html_comments(text)
    meta = _with_defaults(item, front.fields if front is not None else {})
    repairs = mixed_repair(encoding)
    return [_document(item.source, text, _hash(data), encoding, "txt", meta, repairs, front)], []


# An HTML comment in Markdown (`<!-- ... -->`, on one line or across paragraphs) is not rendered: an
# editor's placeholder in a newsletter's template ("<!-- Perf results go here -->"), a linter directive, a
# passage taken out of the page. A code fence shows its text literally, so comments inside one stay.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BLOCK_COMMENT = re.compile(r"^[ \t]*<!--.*?-->[ \t]*(\n|\Z)", re.DOTALL | re.MULTILINE)


def without_html_comments(text: str) -> str:
    """A Markdown text as its page shows it: its HTML comments left out (a line left empty by one goes too),
    the text of its fenced code blocks untouched."""
    if "<!--" not in text:
        return text
    out, at, fence = [], 0, None
    for mark in _FENCE.finditer(text):
        if fence is None:  # text before a fence opens: comments go
            out.append(_strip_comments(text[at : mark.start()]))
            fence, at = mark.group(1), mark.start()
        elif mark.group(1)[0] == fence[0] and len(mark.group(1)) >= len(fence):  # the fence closes
            fence = None
            end = text.find("\n", mark.end())
            end = len(text) if end < 0 else end
            out.append(text[at:end])
            at = end
    out.append(text[at:] if fence is not None else _strip_comments(text[at:]))
    return "".join(out)


def _strip_comments(text: str) -> str:
    # A comment alone on its lines is an HTML block, which ends the paragraph before it (CommonMark): a blank
    # line in its place keeps the lines around it two paragraphs, as the page shows them.
    text = _BLOCK_COMMENT.sub("\n", text)
    return _HTML_COMMENT.sub("", text)


def mixed_repair(encoding: str) -> tuple[str, ...]:
    """The repair a file decoded as UTF-8 with cp1252 stretches records."""
    return ("mixed encodings: utf-8 with cp1252 stretches",) if encoding == MIXED else ()


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


def read_jsonl(
    item: InputFile, data: Input, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[list[RawDocument], list[Reject]]:
    """A JSONL file (plain, .gz or .zst): one document per line; bad lines become rejects, the rest count.

    Read as a stream, line by line: memory holds one line (at most the document cap) whatever the file's size.
    """
    raw = _stream(data)
    stream = decompressed(raw, input_suffix(item.path), _size(data), limits)
    head = stream.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # UTF-16/32 lines are not split by a newline byte: such a (rare) file is read whole, within the cap.
        whole = head + read_capped(stream, limits.max_document_bytes - len(head))
        text, encoding = decode_bytes(whole)
        lines = ((n, line.encode()) for n, line in enumerate(text.splitlines(), start=1))
    else:
        encoding = None
        lines = capped_lines(_Joined(head.removeprefix(codecs.BOM_UTF8), stream), limits.max_document_bytes)
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    blank = True
    for number, line in lines:
        source = f"{item.source}#{number}"
        if isinstance(line, int):
            rejects.append(
                Reject(
                    source,
                    f"line {number} is {size_text(line)}, more than the "
                    f"{size_text(limits.max_document_bytes)} one document may be; it was skipped",
                )
            )
            continue
        line = line.removesuffix(b"\r")
        if not line.strip():
            continue
        blank = False
        try:
            doc = _jsonl_document(item, source, number, line, encoding, limits)
        except ValueError as err:
            rejects.append(Reject(source, str(err)))
            continue
        except Exception as err:  # noqa: BLE001 - one bad line must never cost the file's other lines
            rejects.append(Reject(source, f"line {number} could not be read: {unexpected(err)}"))
            continue
        docs.append(doc)
    if blank and not rejects:
        raise NotText("the file is empty")
    return docs, rejects


class _Joined:
    """A stream with bytes already read put back in front."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head, self.rest = head, rest

    def read(self, n: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            return head
        return self.rest.read(n)


def _jsonl_document(
    item: InputFile, source: str, number: int, line: bytes, encoding: str | None, limits: ReadLimits
) -> RawDocument:
    """One line of a dump as a document; ValueError with a reason a person can act on."""
    if encoding is None:
        try:
            text, encoding = line.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = decode_bytes(line)
    else:
        text = line.decode("utf-8")
    if json_depth_over(line, limits.max_json_depth):
        raise ValueError(f"line {number} nests JSON more than {limits.max_json_depth} levels deep")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"line {number} is not valid JSON ({err.msg} at column {err.colno})") from err
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        raise ValueError(f"line {number} has no non-empty string field `text`")
    # A line's own fields are more specific than the manifest entry for the whole file.
    meta = _with_defaults(item, _jsonl_metadata(record), found_wins=True)
    try:
        return _document(
            source, record["text"], _hash(text.encode()), encoding, "jsonl", meta, mixed_repair(encoding)
        )
    except ValueError as err:
        raise ValueError(f"line {number}: {err}") from err


def unexpected(err: BaseException) -> str:
    """An error reprint did not foresee, named briefly (its message may quote kilobytes of input)."""
    message = str(err).splitlines()[0] if str(err) else ""
    message = message[:200] + ("…" if len(message) > 200 else "")
    return f"{type(err).__name__}: {message}" if message else type(err).__name__


def read_html(
    item: InputFile, data: Input, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[list[RawDocument], list[Reject]]:
    """An HTML page: one document, its article text extracted (see tasks/html.py)."""
    from tasks.html import extract_article

    data = _whole(data, limits)
    if html_too_deep(data):
        raise ValueError(DEEP_PAGE)
    # The manifest's URL is where the page was found: the reader tells by its host whether the site name the
    # page states names the outlet (tasks.html.site_name).
    article = extract_article(data, item.manifest.get("url") or None)
    meta = _with_defaults(item, article.metadata)
    repairs = article.repairs + mixed_repair(article.encoding)
    doc = _document(
        item.source,
        article.text,
        _hash(data),
        article.encoding,
        "html",
        meta,
        repairs,
        in_link_boxes=article.in_link_boxes,
    )
    return [doc], []


def read_warc(
    item: InputFile, data: Input, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[list[RawDocument], list[Reject]]:
    """A web archive: one document per captured HTML page, named `<file>#<record number>`, with the URL and
    time of capture. Pages without an article become rejects; so does damage, after the pages before it."""
    from tasks.html import charset_label, extract_article
    from tasks.warc import NotWarc, captured_pages

    stream = _stream(data)
    head = stream.read(4096)
    if not head.strip():
        raise NotText("the file is empty")
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    first_capture: dict[str, int] = {}
    pages = captured_pages(_Joined(head, stream), limits.max_document_bytes)
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
        if page.oversize:
            rejects.append(
                Reject(
                    source,
                    f"record {page.number} ({page.url}) is {page.oversize}, more than the "
                    f"{size_text(limits.max_document_bytes)} one document may be; it was skipped",
                )
            )
            continue
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
            if html_too_deep(page.body):
                raise ValueError(DEEP_PAGE)
            article = extract_article(page.body, page.url, charset_label(page.content_type))
            # The captured URL is a fact of the crawl; a canonical URL is only the page's claim.
            found = {
                **article.metadata,
                "url": page.url or article.metadata.get("url"),
                "captured_at": page.captured_at,
            }
            meta = _with_defaults(item, found, found_wins=True)
            docs.append(
                _document(
                    source,
                    article.text,
                    body_hash,
                    article.encoding,
                    "warc",
                    meta,
                    article.repairs,
                    in_link_boxes=article.in_link_boxes,
                )
            )
        except ValueError as err:
            rejects.append(Reject(source, f"record {page.number} ({page.url}): {err}"))
        except Exception as err:  # noqa: BLE001 - one bad record must never cost the archive's other pages
            rejects.append(
                Reject(source, f"record {page.number} ({page.url}) could not be read: {unexpected(err)}")
            )
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


def read_inputs(
    items: list[InputFile], limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[list[RawDocument], list[Reject]]:
    """Read a batch of input files; a file that fails, whatever the reason, becomes a reject and the batch
    goes on."""
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    for item in items:
        got, bad = read_input(item, limits)
        docs.extend(got)
        rejects.extend(bad)
    return docs, rejects


def read_input(
    item: InputFile, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[list[RawDocument], list[Reject]]:
    """One input file's documents and rejects; never raises for anything the file holds."""
    reader = READERS.get(input_suffix(item.path))
    if reader is None:
        kind = input_suffix(item.path) or "(none)"
        reason = f"unsupported file type {kind}; reprint reads {', '.join(sorted(SUPPORTED))}"
        return [], [Reject(item.source, reason)]
    try:
        with open_regular(item.path) as handle:
            docs, rejects = reader(item, handle, limits)
        # A warning: the document was ingested, without what the reason names (a date it could not read).
        return docs, rejects + [Reject(d.source, w, severity="warning") for d in docs for w in d.warnings]
    except NotRegularFile as err:
        return [], [Reject(item.source, f"not ingested: {err}")]
    except OSError as err:
        return [], [Reject(item.source, f"could not be read: {err.strerror or err}")]
    except ValueError as err:  # NotText, TooLarge, damaged compression, a malformed value
        return [], [Reject(item.source, f"not ingested: {err}")]
    except Exception as err:  # noqa: BLE001 - a file reprint cannot read must never cost the other files
        return [], [Reject(item.source, f"not ingested: reprint could not read it ({unexpected(err)})")]
