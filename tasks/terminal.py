"""Text from inputs made inert before it reaches a terminal: file names, outlets, titles and paragraphs may
hold escape sequences (clear the screen, retitle the window, hide a link), line breaks that forge a
`reprint:` line, or Rich markup and emoji codes. They are shown as the characters they are, never obeyed."""

from __future__ import annotations

import re

from rich.text import Text

# C0 and C1 controls, DEL, and the invisible characters that reorder or hide text (bidi overrides, zero
# width spaces, line and paragraph separators).
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def inert(value: object, width: int | None = None) -> str:
    """`value` as one line of plain characters, controls shown as `\\x1b`-style escapes, cut to `width`."""
    text = "" if value is None else str(value)
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return _UNSEEN.sub(_escaped, text)


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain(value: object, width: int | None = None, style: str = "") -> Text:
    """A Rich Text of `value` made inert: Text is never read as markup or emoji codes."""
    return Text(inert(value, width), style=style)


def json_lines(console, records) -> None:
    """Dataclass records as one JSON object per line, printed as they are (no markup, no wrapping)."""
    import json
    from dataclasses import asdict

    for record in records:
        console.print(json.dumps(asdict(record), default=str), markup=False, highlight=False, soft_wrap=True)
