"""Boilerplate: paragraphs that belong to the outlet's page rather than to the story.

Two signals: rules (donation appeals, subscription prompts, author bios, production credits, copyright lines,
template leftovers), and repetition (a paragraph an outlet prints verbatim under different stories).
Boilerplate is flagged, never deleted.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

BOILERPLATE_VERSION = "boilerplate-2"

# Each of these on its own marks a paragraph as page furniture. Each rule comes with words of which any text
# it matches holds one (lower-cased): a case-insensitive regex costs ~10 us a paragraph, a substring search
# over a whole batch far less, so a rule runs only on the few paragraphs that hold one of its words. In the
# batch every text follows a line break: a word starting with one stands for the start of a text.
_RULES = [
    (("{",), r"\{\{.*?\}\}|\{%.*?%\}|\$\{[\w.]+\}"),  # template leftovers
    (("©", "(c)", "@", "all rights reserved"), r"©|\(c\)\s*\d{4}|@\s?\d{4}\s*[-–]|\ball rights reserved\b"),
    (
        ("\nthis ", "\nthe "),
        r"^(this|the) (article|story|piece|report|post|essay) (was|is|first|originally) "
        r"(produced|published|appeared|republished|written|distributed)",
    ),
    (("published", "appeared"), r"\b(originally|first) (published|appeared) (in|on|at|by)\b"),
    (
        ("permission", "arrangement"),
        r"\b(republished|reprinted) (here )?(with|by) (permission|arrangement)\b",
    ),
    # Donation words also occur in news ("a donation to the campaign"): only the appeal's phrasing counts.
    (
        ("donat", "contribution"),
        r"^donate|\bclick (here )?to donate\b|\bdonate (now|today|here|by|via|to (us|our))\b|"
        r"\b(your|a) (tax-deductible )?(donation|contribution) (to us|today|helps|supports|makes)\b",
    ),
    (("become a ",), r"\b(become|click here to become) a (subscriber|member|patron|supporter)\b"),
    (
        ("subscribe ", "newsletter"),
        r"\bsubscribe (now|today|to our)\b|\bsign up for (our|the) (free )?newsletter\b",
    ),
    (
        ("journalism", "news", "reporting"),
        r"\b(support|fund) (our|independent|honest|quality) (journalism|newsroom|reporting|news)\b",
    ),
    (("make a ",), r"\bmake a (one-time|monthly|recurring) (contribution|gift|donation)\b"),
    (
        ("this article", "this story", "\nfollow us on"),
        r"^(share|tweet|email|print) this (article|story)\b|^follow us on\b",
    ),
]
_STRONG = [(words, re.compile(pattern, re.IGNORECASE)) for words, pattern in _RULES]
# re.IGNORECASE also lets these match an ASCII letter, which lower() does not give: İ and ı match i, ſ s, K k.
_CASE_TWINS = re.compile("[\u0130\u0131\u017f\u212a]")
_TWIN_LETTERS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_BIO = re.compile(
    r"^([A-Z][\w.'’-]+ ){1,3}[A-Z][\w.'’-]+ (is|was|has been) (a|an|the)\b.{0,200}\b(writer|fellow|editor|"
    r"reporter|correspondent|journalist|author|columnist|contributor|professor|director|analyst)\b"
)


@dataclass(frozen=True)
class BoilerplateConfig:
    """Where in a document the rules look for a footer, and how repetition counts."""

    tail_start: float = 0.5  # bios and credits count only in the second half of a document
    min_stories_repeated: int = 2
    version: str = BOILERPLATE_VERSION


def is_boilerplate_by_rule(
    text: str, position: float, config: BoilerplateConfig = BoilerplateConfig()
) -> bool:
    """Whether a paragraph at relative `position` (0..1) in its document matches a boilerplate rule."""
    if _strong_matches([text])[0]:
        return True
    return position >= config.tail_start and bool(_BIO.search(text))


def _lowered(text: str) -> str:
    """Lower case as re.IGNORECASE sees ASCII letters, one character for one (offsets are kept)."""
    if not text.isascii() and _CASE_TWINS.search(text):
        text = text.translate(_TWIN_LETTERS)
    return text.lower()


def _strong_matches(texts: list[str]) -> list[bool]:
    """Whether each text matches a strong rule; each rule's words are searched for once in the whole batch."""
    lowered = [_lowered(t) for t in texts]
    joined = "\n" + "\n".join(lowered)
    # Where each text ends (at the line break after it): a word's last character lies inside its text.
    ends = list(accumulate(len(t) + 1 for t in lowered))
    matched = [False] * len(texts)
    for words, rule in _STRONG:
        candidates: set[int] = set()
        for word in words:
            at = joined.find(word)
            while at != -1:
                candidates.add(bisect_right(ends, at + len(word) - 1))
                at = joined.find(word, at + 1)
        for k in sorted(candidates):
            if not matched[k] and rule.search(texts[k]):
                matched[k] = True
    return matched


def flag_document(paragraphs: list[str], config: BoilerplateConfig = BoilerplateConfig()) -> list[bool]:
    """Flag a document's boilerplate paragraphs by rule.

    Footers come as a block (credit, appeal, buttons, copyright); the weaker lines inside it ("So do we.")
    match no rule, so everything between the first and last rule match in the document's tail is flagged too.
    """
    return flag_documents([paragraphs], config)[0]


def flag_documents(
    documents: list[list[str]], config: BoilerplateConfig = BoilerplateConfig()
) -> list[list[bool]]:
    """`flag_document` for each document (its paragraphs) of a batch, the rules run over the batch at once."""
    strong = iter(_strong_matches([p for paragraphs in documents for p in paragraphs]))
    flagged = []
    for paragraphs in documents:
        n = len(paragraphs)
        flags = []
        for i, text in enumerate(paragraphs):
            late = i / max(n - 1, 1) >= config.tail_start
            flags.append(next(strong) or (late and _BIO.search(text) is not None))
        tail = [i for i, flag in enumerate(flags) if flag and i / max(n - 1, 1) >= config.tail_start]
        if len(tail) >= 2:
            for i in range(tail[0], tail[-1] + 1):
                flags[i] = True
        flagged.append(flags)
    return flagged


def repeated_in_outlet(
    rows: Iterable[tuple[str | None, str, int]], config: BoilerplateConfig = BoilerplateConfig()
) -> set[tuple[str, int]]:
    """(outlet, fingerprint) pairs printed by one outlet under at least `min_stories_repeated` stories, the
    outlet printing at least half of all the text's copies: furniture is an outlet's own, while a sentence
    two stories share by chance or by quoting is printed by the outlets of both (chances that grow with the
    corpus: at 1,000 generated stories, 1,414 body paragraphs were flagged without this).

    rows: (outlet, group, fingerprint), where group is a story id (or a document id before linking).
    """
    groups: dict[tuple[str, int], set[str]] = defaultdict(set)
    printed: dict[tuple[str, int], int] = defaultdict(int)
    copies: dict[int, int] = defaultdict(int)
    for outlet, group, fingerprint in rows:
        copies[fingerprint] += 1
        if outlet is not None:
            groups[(outlet, fingerprint)].add(group)
            printed[(outlet, fingerprint)] += 1
    return {
        key
        for key, seen in groups.items()
        if len(seen) >= config.min_stories_repeated and 2 * printed[key] >= copies[key[1]]
    }
