"""Boilerplate: paragraphs that belong to the outlet's page rather than to the story.

Two signals: rules (donation appeals, subscription prompts, author bios, production credits, copyright lines,
template leftovers), and repetition (a paragraph an outlet prints verbatim under different stories).
Boilerplate is flagged, never deleted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

BOILERPLATE_VERSION = "boilerplate-1"

# Each of these on its own marks a paragraph as page furniture.
_STRONG = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\{\{.*?\}\}|\{%.*?%\}|\$\{[\w.]+\}",  # template leftovers
        r"©|\(c\)\s*\d{4}|@\s?\d{4}\s*[-–]|\ball rights reserved\b",
        r"^(this|the) (article|story|piece|report|post|essay) (was|is|first|originally) "
        r"(produced|published|appeared|republished|written|distributed)",
        r"\b(originally|first) (published|appeared) (in|on|at|by)\b",
        r"\b(republished|reprinted) (here )?(with|by) (permission|arrangement)\b",
        # Donation words also occur in news ("a donation to the campaign"): only the appeal's phrasing counts.
        r"^donate|\bclick (here )?to donate\b|\bdonate (now|today|here|by|via|to (us|our))\b|"
        r"\b(your|a) (tax-deductible )?(donation|contribution) (to us|today|helps|supports|makes)\b",
        r"\b(become|click here to become) a (subscriber|member|patron|supporter)\b",
        r"\bsubscribe (now|today|to our)\b|\bsign up for (our|the) (free )?newsletter\b",
        r"\b(support|fund) (our|independent|honest|quality) (journalism|newsroom|reporting|news)\b",
        r"\bmake a (one-time|monthly|recurring) (contribution|gift|donation)\b",
        r"^(share|tweet|email|print) this (article|story)\b|^follow us on\b",
    )
]
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
    if any(rule.search(text) for rule in _STRONG):
        return True
    return position >= config.tail_start and bool(_BIO.search(text))


def flag_document(paragraphs: list[str], config: BoilerplateConfig = BoilerplateConfig()) -> list[bool]:
    """Flag a document's boilerplate paragraphs by rule.

    Footers come as a block (credit, appeal, buttons, copyright); the weaker lines inside it ("So do we.")
    match no rule, so everything between the first and last rule match in the document's tail is flagged too.
    """
    n = len(paragraphs)
    flags = [is_boilerplate_by_rule(p, i / max(n - 1, 1), config) for i, p in enumerate(paragraphs)]
    tail = [i for i, flag in enumerate(flags) if flag and i / max(n - 1, 1) >= config.tail_start]
    if len(tail) >= 2:
        for i in range(tail[0], tail[-1] + 1):
            flags[i] = True
    return flags


def repeated_in_outlet(
    rows: Iterable[tuple[str | None, str, int]], config: BoilerplateConfig = BoilerplateConfig()
) -> set[tuple[str, int]]:
    """(outlet, fingerprint) pairs printed by one outlet under at least `min_stories_repeated` stories.

    rows: (outlet, group, fingerprint), where group is a story id (or a document id before linking).
    """
    groups: dict[tuple[str, int], set[str]] = defaultdict(set)
    for outlet, group, fingerprint in rows:
        if outlet is not None:
            groups[(outlet, fingerprint)].add(group)
    return {key for key, seen in groups.items() if len(seen) >= config.min_stories_repeated}
