"""How much of an input reprint will hold at once, and reading that keeps to it: a document, a JSONL line or
a web-archive record larger than its cap is refused with its size, and compressed input is expanded as a
stream, so no input can make a run's memory grow without bound."""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import zstandard

CHUNK = 1 << 20


@dataclass(frozen=True)
class ReadLimits:
    """Caps on what one input may hold. Generous for real news: a long article with inline images encoded in
    its HTML is a few MB; a line of a news dump a few hundred KB."""

    # One document: a .txt/.md/.html file, one JSONL line, one web-archive record (after decompression).
    max_document_bytes: int = 32 * 2**20
    # A compressed input may expand to this many times its size (plus one document): real text expands
    # 3-10x; a decompression bomb 1000x.
    max_expansion: int = 100
    # A title, outlet, author or URL longer than this is not one (a whole article pasted into a field).
    max_field_chars: int = 4096
    # JSON nested deeper than this is not a news record; Python's parser would fail near 1000 anyway.
    max_json_depth: int = 64


DEFAULT_LIMITS = ReadLimits()


class TooLarge(ValueError):
    """An input, or a part of one, is over its cap; the message gives its size and the cap."""


class NotRegularFile(OSError):
    """The path is a FIFO, a device, a socket or a folder, which reprint never opens as input."""


def size_text(n: int) -> str:
    """A byte count a person reads: 512 bytes, 3.2 MB, 1.5 GB."""
    if n < 1024:
        return f"{n} bytes"
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, name in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading; anything else is refused before a byte is read.

    O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; the type is then checked
    on the open descriptor, so a file swapped for a pipe after discovery is caught too.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"it is {file_kind(mode)}, not a regular file; reprint reads only files")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(stream: BinaryIO, cap: int, what: str = "the file") -> bytes:
    """All bytes of `stream`, or TooLarge as soon as there are more than `cap`."""
    parts, held = [], 0
    while held <= cap and (chunk := stream.read(min(CHUNK, cap + 1 - held))):  # reads may return less
        parts.append(chunk)
        held += len(chunk)
    data = b"".join(parts)
    if len(data) > cap:
        rest = len(data)
        while chunk := stream.read(CHUNK):
            rest += len(chunk)
        raise TooLarge(f"{what} is {size_text(rest)}, more than the {size_text(cap)} one document may be")
    return data


class _Expansion:
    """A decompressed stream that stops with TooLarge once it has given more than `cap` bytes."""

    def __init__(self, inner: BinaryIO, cap: int, kind: str) -> None:
        self.inner, self.cap, self.kind, self.given = inner, cap, kind, 0

    def read(self, n: int = -1) -> bytes:
        try:
            data = self.inner.read(CHUNK if n is None or n < 0 else n)
        except (OSError, EOFError, zlib.error, zstandard.ZstdError) as err:
            raise DamagedCompression(f"it is not a readable {self.kind} file ({err})") from err
        self.given += len(data)
        if self.given > self.cap:
            raise TooLarge(
                f"it expands to more than {size_text(self.cap)} ({self.kind} bomb?); reprint reads "
                "compressed inputs that expand up to the cap in docs/hostile-inputs.md"
            )
        return data


class DamagedCompression(ValueError):
    """The compressed bytes are damaged or not of the kind the name says."""


def decompressed(stream: BinaryIO, suffix: str, compressed_size: int, limits: ReadLimits) -> BinaryIO:
    """The bytes inside a `.gz` or `.zst` stream, expanded as they are read and capped; others unchanged."""
    cap = compressed_size * limits.max_expansion + limits.max_document_bytes
    if suffix.endswith(".gz"):
        return _Expansion(gzip.GzipFile(fileobj=stream, mode="rb"), cap, "gz")  # type: ignore[return-value]
    if suffix.endswith(".zst"):
        # zstd frames written by a stream (as dump tools do) do not record their size: read across frames.
        reader = zstandard.ZstdDecompressor().stream_reader(stream, read_across_frames=True)
        return _Expansion(reader, cap, "zst")  # type: ignore[return-value]
    return stream


def capped_lines(stream: BinaryIO, cap: int) -> Iterator[tuple[int, bytes | int]]:
    """(line number, line bytes) for each line, or (line number, its size) for a line longer than `cap`, which
    is skipped without being held: memory stays under `cap` plus one chunk whatever the input."""
    number, parts, held, over = 1, [], 0, False
    while chunk := stream.read(CHUNK):
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            held += len(piece)
            if not over:
                if held > cap:
                    over, parts = True, []
                else:
                    parts.append(piece)
            if end < 0:
                break
            yield (number, held) if over else (number, b"".join(parts))
            number, parts, held, over = number + 1, [], 0, False
            start = end + 1
    if held or parts:
        yield (number, held) if over else (number, b"".join(parts))


def json_depth_over(line: bytes, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than `limit` (checked before parsing, which recurses)."""
    if line.count(b"[") + line.count(b"{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for byte in line:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


# libxml2, under lxml and trafilatura, stops building the tree at this depth and drops what is deeper.
HTML_PARSER_DEPTH = 256


def html_too_deep(data: bytes) -> bool:
    """Whether a page nests elements deeper than the HTML parser keeps (its text there would be lost)."""
    if data.count(b"<") <= HTML_PARSER_DEPTH:  # each level needs a tag of its own
        return False
    import lxml.html

    parser = lxml.html.HTMLParser(recover=True)
    try:
        lxml.html.document_fromstring(data, parser=parser)
    except Exception:  # noqa: BLE001 - an unparsable page is the extractor's to refuse, with its reason
        return False
    return any("Excessive depth" in error.message for error in parser.error_log)
