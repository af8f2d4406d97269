"""Broken Unicode repaired at read time (mojibake, HTML entities, ligatures, stray controls), with a short
record per document of what was repaired, so a researcher can find and check the texts that were changed."""

from __future__ import annotations

import functools
import re

REPAIR_VERSION = "repair-1"


_STEP_NAMES = {
    "unescape_html": "html entities",
    "fix_latin_ligatures": "ligatures",
    "fix_character_width": "full-width characters",
    "fix_line_breaks": "line breaks",
    "remove_terminal_escapes": "terminal escapes",
    "remove_control_chars": "control characters",
    "fix_c1_controls": "c1 control characters",
    "fix_surrogates": "surrogate pairs",
    "replace_lossy_sequences": "mojibake: unrecoverable characters marked",
    "decode_inconsistent_utf8": "mojibake: utf-8 read as windows-1252 among correct text",
}


# UTF-8 read as windows-1252 or latin-1 always leaves a lead byte (Â..ô) before a continuation byte, or a C1
# control. Searching for that is cheap; ftfy over a whole page is not, so pages without it are left alone.
_MOJIBAKE_HINT = re.compile(
    "[\u0080-\u009f]|[\u00c2-\u00f4][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


# ftfy leaves a line alone when it holds nothing but printable ASCII other than `&`, tabs, and the punctuation
# English news prints: curly quotes, en and em dashes, the ellipsis, no-break spaces. No fixer touches these
# (entities need `&`; widths, ligatures, controls, line breaks and surrogates are other characters; all are
# NFC), and its mojibake test (ftfy.badness) only fires on a sequence holding some other non-ASCII character.
# Checking that costs far less than the ~50-300 us ftfy spends on a line to find nothing to fix.
_FTFY_WORK = re.compile("[^\t\n\x20-\x25\x27-\x7e\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026]")


def ftfy_changes_nothing(line: str) -> bool:
    """True when ftfy certainly returns `line` unchanged."""
    return _FTFY_WORK.search(line) is None


def may_hold_mojibake(text: str) -> bool:
    """A fast test that is true for every text with UTF-8 mojibake (and for a few without)."""
    return _MOJIBAKE_HINT.search(text) is not None


def _codec(name: str) -> str:
    return name.removeprefix("sloppy-")


def describe_steps(steps: list[tuple[str, str]]) -> list[str]:
    """ftfy's explanation of one fix as short labels, e.g. `mojibake: utf-8 read as windows-1252`."""
    labels: list[str] = []
    encoded: str | None = None
    for action, parameter in steps:
        if action == "encode":
            encoded = parameter
        elif action == "decode":
            labels.append(f"mojibake: {_codec(parameter)} read as {_codec(encoded or '?')}")
            encoded = None
        elif action == "transcode":
            continue  # a step inside the mojibake repair labelled at its `decode`
        elif action == "normalize":
            labels.append(f"unicode normalization ({parameter})")
        else:
            labels.append(_STEP_NAMES.get(parameter, parameter.replace("_", " ")))
    return labels


def _ftfy():
    """ftfy, imported at use: a run with nothing new reads no text."""
    import ftfy

    return ftfy


@functools.cache
def _ftfy_config():
    # The same settings as tasks/clean.py: curly quotes are kept as the outlet printed them.
    return _ftfy().TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=True)


def repair_unicode(text: str) -> tuple[str, list[str]]:
    """Return the repaired text and the labels of the repairs made, in first-seen order, each once.

    Line by line, as ftfy.fix_text does, so that one mis-encoded line does not decide for the whole text.
    """
    fixed: list[str] = []
    labels: dict[str, None] = {}
    # Windows and old Mac line ends are a convention, not damage: unified here without being recorded.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if ftfy_changes_nothing(text):  # then so it does on each of its lines
        return text, []
    for line in text.splitlines(keepends=True):
        if ftfy_changes_nothing(line):
            fixed.append(line)
            continue
        result = _ftfy().fix_and_explain(line, config=_ftfy_config())
        fixed.append(result.text)
        for label in describe_steps(result.explanation or []):
            labels.setdefault(label)
    return "".join(fixed), list(labels)
