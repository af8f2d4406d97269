"""Bytes to text: UTF-8 first, byte-order marks honoured, other encodings detected; binary refused."""

from __future__ import annotations

import codecs

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


class NotText(ValueError):
    """The bytes are not a text a person could read; the message says why."""


def _as_western(data: bytes) -> str | None:
    """cp1252 (a superset of latin-1's printable range) when the result reads as mostly-ASCII Western text.

    Detectors guess among many single-byte code pages and pick cp1250 or cp1257 for short English or French
    text; most non-UTF-8 news text is cp1252, and a Cyrillic or Greek file decoded as cp1252 shows itself by
    being almost all accented letters.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
        return None
    letters = [ch for ch in text if ch.isalpha()]
    accented = sum(1 for ch in letters if ord(ch) > 127)
    return text if letters and accented / len(letters) < 0.3 else None


MIXED = "utf-8+cp1252"


def _cp1252_stretch(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 read as cp1252 (its five unused bytes as U+FFFD)."""
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("reprint-cp1252", _cp1252_stretch)


def _as_mixed(data: bytes) -> str | None:
    """UTF-8 with cp1252 stretches, when a line with non-ASCII text is valid UTF-8 and others are not.

    Files pasted together from two sources (an editor's UTF-8 and an old system's cp1252) are common; read
    whole as one single-byte code page, every UTF-8 character of them would become mojibake.
    """
    for line in data.split(b"\n"):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return data.decode("utf-8", errors="reprint-cp1252")
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise NotText with a reason."""
    if not data.strip():
        raise NotText("the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise NotText(
                    f"it starts with a {encoding} byte-order mark but does not decode as {encoding}"
                ) from err
    if b"\x00" in data[:65536]:
        raise NotText("it contains NUL bytes: a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _as_mixed(data)
    if mixed is not None:
        return mixed, MIXED
    western = _as_western(data)
    if western is not None:
        return western, "cp1252"
    from charset_normalizer import from_bytes  # imported at use: UTF-8 and Windows-1252 files never get here

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise NotText("no text encoding fits its bytes: it is probably binary")
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError) as err:
        raise NotText(f"its detected encoding {best.encoding} does not decode the whole file") from err
