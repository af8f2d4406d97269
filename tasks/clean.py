"""Text normalisation: repair and readable form, paragraph splitting, title spotting, and the comparison form
that fingerprints and similarity are computed on."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks.repair import ftfy_changes_nothing

# clean-2: a text read as OCR'd newspaper columns says so (split_page), for linking's OCR copies (link-27).
CLEAN_VERSION = "clean-2"

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")
# Apostrophes and quotes vanish without a trace so that "Ha'aretz" and "Haaretz" compare equal.
_QUOTES = re.compile(
    r"[\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2032\u2033]"
)
_SENTENCE_END = re.compile(r"[.!?:;\u2026][\"'\u2019\u201d)\]]*$")


@dataclass(frozen=True)
class CleanConfig:
    """How titles are told from body text."""

    max_title_chars: int = 160
    max_title_lines: int = 4
    version: str = CLEAN_VERSION


def repair_text(raw: str) -> str:
    """Fix mojibake and odd Unicode (ftfy), normalise to NFC and unify line ends."""
    return _fix_text(raw).replace("\r\n", "\n").replace("\r", "\n")


def _fix_text(text: str) -> str:
    """ftfy.fix_text, line by line as it works, skipping the lines it would return unchanged.

    Most lines are plain ASCII, and ftfy spends ~50 us on each only to find nothing to fix.
    """
    if ftfy_changes_nothing(text):  # then so it does on each of its lines
        return text
    import ftfy  # imported at use (a run with nothing new reads no text)

    # Keep curly quotes as the outlet printed them; the comparison form folds them anyway.
    config = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=False)
    out = []
    pos = 0
    while pos < len(text):
        textbreak = text.find("\n", pos) + 1 or len(text)
        textbreak = min(textbreak, pos + config.max_decode_length)
        segment = text[pos:textbreak]
        if config.unescape_html == "auto" and "<" in segment:
            config = config._replace(unescape_html=False)
        if ftfy_changes_nothing(segment):
            out.append(segment)
        else:
            out.append(ftfy.fix_and_explain(segment, config).text)
        pos = textbreak
    return "".join(out)


def readable_paragraph(block: str, collapse: bool = True) -> str:
    """A paragraph as a person should read it: hard-wrapped lines joined, white space collapsed.

    collapse: False when the block is known to hold single spaces only (see `_only_single_spaces`).
    """
    if collapse and not _only_single_spaces(block):
        block = _SPACES.sub(" ", block)
    if "\n" not in block:  # one line (most paragraphs of a page): nothing to join
        return block.strip()
    lines = [line.strip() for line in block.split("\n")]
    return " ".join(line for line in lines if line)


def _only_single_spaces(text: str) -> bool:
    """True when collapsing white space would copy every line unchanged: most texts, and cheap to check."""
    return "  " not in text and _ODD_SPACE.search(text) is None


def comparison_form(text: str) -> str:
    """Fold case, Unicode compatibility forms, quotes, punctuation and white space."""
    return " ".join(comparison_words(text))


class _FoldTable(dict):
    """str.translate table for the comparison form, filled as characters are met: quotes vanish, punctuation,
    symbols, separators and control characters become spaces, everything else stays."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        if _QUOTES.match(ch):
            folded = None
        elif unicodedata.category(ch)[0] in "PSZC":
            folded = " "
        else:
            folded = ch
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def comparison_words(text: str) -> list[str]:
    """The word sequence of the comparison form."""
    return _folded(text).split()


def _folded(text: str) -> str:
    # Every character str.split() splits on is a separator or control character, which the fold turns into a
    # space: a folded text holds no white space but spaces.
    if text.isascii():  # most texts: NFKC keeps ASCII text, casefold is lower(), the fold is by byte
        return text.encode("ascii").translate(_ASCII_FOLD, _ASCII_DROPPED).decode("ascii")
    return unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)


# _FOLD of each ASCII character's case fold as a bytes.translate table, and the characters it drops (quotes):
# one C pass over an ASCII text, where str.translate leaves its ASCII fast path at the first quote.
_ASCII_FOLD = bytes(ord(_FOLD[ord(chr(code).casefold())] or " ") for code in range(128)) + bytes(
    range(128, 256)
)
_ASCII_DROPPED = bytes(code for code in range(128) if _FOLD[ord(chr(code).casefold())] is None)


def comparison_batch(texts: list[str]) -> tuple[list[str], pa.Array, np.ndarray]:
    """For many texts at once: their comparison forms, all their words in order (an Arrow array), and how
    many words each has. The words of `comparison_words`, split in Arrow rather than into Python lists."""
    pieces = pc.split_pattern(pa.array([_folded(t) for t in texts], pa.string()), " ")
    flat = pieces.flatten()
    kept = pc.not_equal(pc.binary_length(flat), 0)
    owners = pc.filter(pc.list_parent_indices(pieces), kept).to_numpy()
    counts = np.bincount(owners, minlength=len(texts)).astype(np.int32)
    words = flat.filter(kept)
    offsets = np.zeros(len(texts) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    forms = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), words), " ")
    return forms.to_pylist(), words, counts


def _blocks(text: str) -> list[tuple[str, int]]:
    """Blank-line separated blocks, each with the number of blank lines after it."""
    parts = _BLANK_LINE.split(text.strip("\n"))
    blocks: list[tuple[str, int]] = []
    for part in parts:
        if part.strip():
            blocks.append((part.strip("\n"), 1))
        elif blocks:
            # An empty part means two blank lines in a row: a stronger break after the block before it.
            blocks[-1] = (blocks[-1][0], blocks[-1][1] + 1)
    return blocks


# OCR'd newspaper columns (ingest-12): the OCR text of a page (Chronicling America's, passim's input) gives
# each printed column line a line of text and no blank line anywhere, so a story is one block however many
# paragraphs it printed. A paragraph's last line is the one the column leaves short, and it ends a sentence; a
# line of running text fills the column. So a text that is one block of many lines, most no wider than a page
# set in columns prints (30-50 characters a column, up to 80 where a story runs across two), is cut there. A
# text with blank lines has its paragraphs already (the narrow lines of its code blocks, lists and verse are
# not columns).
_COLUMN_MIN_LINES = 8
_COLUMN_MAX_WIDTH = 80  # the block's median line, in characters
# Of the column's width (the block's 80th percentile line): a line this short ends its paragraph. A justified
# column's full lines vary by a tenth or so with their letters; a paragraph's last line can be nearly full.
_COLUMN_SHORT = 0.85
# The label a document read as OCR'd columns carries in its `repairs` (the lines joined into its printed
# paragraphs): linking reads it to know OCR text (link-27, tasks/ocr_copies.py).
COLUMN_LINES = "ocr column lines joined into paragraphs"
_COLUMN_PARAGRAPH_END = re.compile(r"[.!?][\"'\u2019\u201d)\]]*$")


def _column_paragraphs(block: str) -> list[str] | None:
    """An OCR'd newspaper column's block cut into its printed paragraphs, at each line that ends a sentence
    short of the column's width; None for any other block."""
    lines = [line for line in block.split("\n") if line.strip()]
    if len(lines) < _COLUMN_MIN_LINES:
        return None
    widths = sorted(len(line.strip()) for line in lines)
    if widths[len(widths) // 2] > _COLUMN_MAX_WIDTH:
        return None
    short = _COLUMN_SHORT * widths[(len(widths) * 4) // 5]
    paragraphs: list[str] = []
    start = 0
    for i, line in enumerate(lines):
        text = line.strip()
        if len(text) < short and _COLUMN_PARAGRAPH_END.search(text):
            paragraphs.append("\n".join(lines[start : i + 1]))
            start = i + 1
    if start < len(lines):
        paragraphs.append("\n".join(lines[start:]))
    return paragraphs


def _looks_like_title(block: str, blank_after: int, config: CleanConfig) -> bool:
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    if not lines or len(lines) > config.max_title_lines:
        return False
    if any(len(line) > config.max_title_chars for line in lines):
        return False
    # A lone line ending like a sentence is a lede, unless the writer set it apart with extra blank lines.
    if len(lines) == 1 and _SENTENCE_END.search(lines[0]) and blank_after < 2:
        return False
    return True


def split_document(raw: str, config: CleanConfig = CleanConfig()) -> tuple[str | None, list[str]]:
    """Repair a document's text and return (title, body paragraphs).

    The first block is a title when it is a few short lines (headline, kicker, dek) rather than prose.
    """
    title, paragraphs, _ = split_page(raw, config)
    return title, paragraphs


def split_page(raw: str, config: CleanConfig = CleanConfig()) -> tuple[str | None, list[str], bool]:
    """split_document's (title, body paragraphs), and whether the text was read as OCR'd newspaper columns
    (one block of narrow lines, ingest-12): the one sure sign of OCR text the input gives (link-27)."""
    text = repair_text(raw)
    collapse = not _only_single_spaces(text)  # checked once for the whole text, not once a paragraph
    blocks = _blocks(text)
    columns = None
    if len(blocks) == 1:
        columns = _column_paragraphs(blocks[0][0])
        if columns is not None:
            blocks = [(part, 1) for part in columns]
    title = None
    if len(blocks) > 1 and _looks_like_title(*blocks[0], config):
        title_lines = [
            readable_paragraph(line, collapse) for line in blocks[0][0].split("\n") if line.strip()
        ]
        title = " — ".join(title_lines)
        blocks = blocks[1:]
    paragraphs = [readable_paragraph(block, collapse) for block, _ in blocks]
    return title, [p for p in paragraphs if p], columns is not None
