"""What the boilerplate rules (tasks/boilerplate.py, post_furniture.py, page_tools.py) ask of a paragraph's
text before a pattern: its lower case as re.IGNORECASE sees ASCII letters, for the rules that look for a
pattern's words before searching it (a search at every position of a paragraph costs more than a substring
test), and its number of words, kept per text."""

from __future__ import annotations

import re
from functools import lru_cache

# re.IGNORECASE also lets these match an ASCII letter, which lower() does not give: İ and ı match i, ſ s, K k.
_CASE_TWINS = re.compile("[\u0130\u0131\u017f\u212a]")
_TWIN_LETTERS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def lowered(text: str) -> str:
    """Lower case as re.IGNORECASE sees ASCII letters, one character for one (offsets are kept): an ASCII
    word a case-insensitive pattern matches in `text` is in `lowered(text)` as written in lower case."""
    if not text.isascii() and _CASE_TWINS.search(text):
        text = text.translate(_TWIN_LETTERS)
    return text.lower()


@lru_cache(maxsize=1 << 17)
def word_count(text: str) -> int:
    """len(text.split()) of a paragraph, kept: a dozen rules ask it of every paragraph, and their copies."""
    return len(text.split())
