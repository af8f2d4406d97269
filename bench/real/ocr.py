"""Articles cut out of OCR'd newspaper front pages, for the real set's OCR parts.

dchud/chronam-text holds the OCR text of about 28,000 front pages of 1916 from Chronicling America (Library of
Congress, public domain), one file a page (`dates/19160315/sn82014086-ed-1_seq-1.txt`: day, the paper's LCCN,
edition, page). A file is the page as the OCR read it: one line a printed column line, no blank line anywhere,
columns read one after the other (now and then two columns run into one line), line-end hyphens dropped
(`Ma` / `jor`), headlines and decks on lines of their own, misread letters (`tbe`, `wero`). A front page holds
a dozen stories, so each document of the part is one story cut out of a page: `cut` keeps the lines `first` to
`last` (1-based, both kept) exactly as the OCR gave them, with nothing added (no blank line: the page has
none, and where its paragraphs begin is what an OCR reader cannot see either). How each cut was chosen:
docs/real-set.md, the OCR parts.
"""

from __future__ import annotations


class CutError(ValueError):
    """The lines named are not on the page."""


def cut(page: bytes, first: int, last: int) -> str:
    """Lines first..last (1-based, inclusive) of one OCR page, newline-terminated."""
    lines = page.decode("utf-8").splitlines()
    if not 1 <= first <= last <= len(lines):
        raise CutError(f"lines {first}-{last} not on a page of {len(lines)} lines")
    return "\n".join(lines[first - 1 : last]) + "\n"
