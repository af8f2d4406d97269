"""A page's text blocks and their shallow text features, and the kept lines they tell as chrome (html-12).

Kohlschuetter, Fankhauser and Nejdl ("Boilerplate Detection using Shallow Text Features", WSDM 2010) cut a
page into text blocks at its block-level tags and classify each block by a few features of its own text and
of its neighbours': the number of words, the link density (the share of its words inside `<a>`), the text
density (words per line when the text is wrapped at 80 characters), the same of the previous and the next
block, and where the block stands. Such features say what a page shows of itself, not any site's words, so
they carry to sites no rule was written from. This is our own segmentation and our own decision, its
thresholds fitted on L3S-GN1's dev half (bench/l3s_shallow.py; docs/boilerplate.md says how).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Elements a browser lays out inside a line: they do not cut a block (nor a run of bare text, tasks/html.py).
INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "big",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "kbd",
        "label",
        "mark",
        "nobr",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
    }
)
# No text a reader sees (the reader's link text, tasks.html.link_text, leaves the same out).
HIDDEN = frozenset({"script", "style", "noscript", "head", "title"})
_TOKEN = re.compile(r"\S+")
_WHITE = re.compile(r"\s+")
_LIST_MARK = re.compile(r"^[-\u2022]\s+")
# What sets a line off as a box's label, entry or credit: a bullet, a dash, a parenthesis.
_SET_OFF = tuple("-\u2022\u00b7(|[\u00bb>")
# How a story's dateline ends, leading into its first sentence ("LONDON --", "WASHINGTON \u2014").
_DATELINE_ENDS = ("-", "\u2014", "\u2013")
# The paper's text density wraps a block's text at 80 characters a line.
_WRAP = 80
# A line naming a web address or a domain alone: the source a story cites, linked as its address.
_ADDRESS_LINE = re.compile(r"^(?:(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/?)$", re.IGNORECASE)
_DASHES = "\u2014\u2013"
_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S", re.IGNORECASE)
# A sentence's end; a colon too, where a sentence introduces what the next line holds (one pattern for the
# reader, tasks/html.py, and the decisions here).
ENDS_SENTENCE = re.compile(r"[.!?:\u3002\uff01\uff1f][\"'\u2019\u201d)\u300d]*$")


@dataclass(frozen=True)
class ShallowRules:
    """The two decisions by shallow features kept (html-12), each a leaf of a decision tree grown on
    L3S-GN1's dev half (bench/l3s_shallow.py) whose precision held at every threshold near the one chosen:
    - a short line in a block with links: at most `short_words` words, its block more than
      `short_link_density` of its words in links (a teaser in a list of teasers, a box's line, a promotion
      beside its link);
    - a line with no links between two blocks with links: at most `between_words` words, its block at most
      `short_link_density` link words, the blocks before and after it each more than that, not among the
      first `between_after` of the kept lines (a box's label or unlinked entry among its links; the lines
      opening a story stand next to the site's menus).
    Neither on a page whose kept text is `max_kept_share` of its words or more, nor for a short line with
    links standing between two blocks of prose (`prose_words` words or more, no links): chrome_by_features.
    Two more (html-16), judged by folds of the dev half's sites (bench.l3s_gn1 --folds 5), for chrome that
    stands inside the story's element, where a site's words are all a reader has to go on:
    - a line set off after links: at most `set_off_words` words opening with a bullet, a dash or a
      parenthesis, right after a block with links ("(Map, News)", "- Poll", "(CBS)", "(c) Indo-Asian News
      Service"): a box's label, entry or credit; a story's own list follows its prose;
    - a label after links: a block of at most `label_words` words with no links, right after a block more than
      `label_after_density` link text, not heading prose (a block of `prose_words` words or more with no
      links) and not a dateline ("LONDON --"): a box's label ("Sponsored Links", "In This Section",
      "Comments", "World Digest"); a story's subheading heads its next paragraphs.
    0 words: not decided.
    """

    short_words: int = 12
    short_link_density: float = 0.05
    between_words: int = 25
    between_after: float = 0.2
    max_kept_share: float = 0.8
    prose_words: int = 20
    set_off_words: int = 12
    label_words: int = 3
    label_after_density: float = 0.3


@dataclass(frozen=True)
class Block:
    """A text block's shallow features: its words, those inside a link, its characters with one space
    between words (for the text density)."""

    words: int
    linked_words: int
    length: int

    @property
    def link_density(self) -> float:
        return self.linked_words / self.words if self.words else 0.0

    @property
    def text_density(self) -> float:
        """Words per line with the text wrapped at 80 characters; a block of one line has its words."""
        return self.words if self.length <= _WRAP else _WRAP * self.words / self.length


@dataclass(frozen=True)
class PageBlocks:
    """A page's text without white space (`chars`), the block holding each character (`block_of`), the
    blocks that hold text, in page order, and whether each character is link text (`linked`)."""

    chars: str
    block_of: tuple[int, ...]
    blocks: tuple[Block, ...]
    linked: bytes = b""
    # Each block-level element holding text: where its text starts and ends in `chars`, in page order.
    spans: tuple[tuple[int, int], ...] = ()

    def block_of_line(self, line: str, start: int = 0) -> tuple[int, int]:
        """The block holding most of a line's text (-1 when the page does not hold it), found at or after
        `start` first (lines come in page order), and where to look for the next line."""
        compact = _WHITE.sub("", _LIST_MARK.sub("", line))
        if not compact:
            return -1, start
        at = self.chars.find(compact, start)
        if at < 0:
            at = self.chars.find(compact)
        if at < 0:
            return -1, start
        held: dict[int, int] = {}
        for k in self.block_of[at : at + len(compact)]:
            held[k] = held.get(k, 0) + 1
        return max(held, key=lambda k: (held[k], -k)), at + len(compact)


def page_blocks(tree: HtmlElement) -> PageBlocks:
    """The page's text blocks: a block ends at every block-level tag's start and end and at two `<br>` in a
    row (old pages write their paragraphs so); links are `<a href>`. Read before extraction, which prunes
    the tree."""
    chars: list[str] = []
    block_of: list[int] = []
    in_links = bytearray()
    blocks: list[Block] = []
    spans: list[tuple[int, int]] = []
    state = {"words": 0, "linked": 0, "length": 0, "space": True, "br_at": -1}

    def close() -> None:
        if state["words"]:
            blocks.append(Block(state["words"], state["linked"], state["length"]))
        state.update(words=0, linked=0, length=0, space=True)

    def add(text: str | None, linked: bool) -> None:
        if not text:
            return
        for token in _TOKEN.finditer(text):
            # A word run on from the text before it (`foo<b>bar</b>`) is one word.
            if state["space"] or token.start() > 0:
                state["words"] += 1
                state["linked"] += linked
                state["length"] += 1
            state["length"] += len(token.group())
            chars.append(token.group())
            block_of.extend([len(blocks)] * len(token.group()))
            in_links.extend(bytes([linked]) * len(token.group()))
            state["space"] = False
        if text[-1:].isspace():
            state["space"] = True

    def walk(element: HtmlElement, linked: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in HIDDEN:
            return
        if tag == "br":
            at = len(block_of)
            if at == state["br_at"]:
                close()
            state["br_at"] = at
            state["space"] = True
        block = bool(tag) and tag not in INLINE and tag != "br"
        if block:
            close()
        # A link to a place on the same page (a heading's anchor, a note's back-reference) is the page's own
        # apparatus, not a way off the page.
        href = (element.get("href") or "").strip() if tag == "a" else ""
        here = linked or bool(href and not href.startswith("#"))
        begin = len(block_of)
        if tag:
            add(element.text, here)
        for child in element:
            walk(child, here)
            add(child.tail, here)
        if block:
            close()
            if len(block_of) > begin:
                spans.append((begin, len(block_of)))

    walk(tree, False)
    close()
    return PageBlocks("".join(chars), tuple(block_of), tuple(blocks), bytes(in_links), tuple(sorted(spans)))


def line_features(lines: list[str], page: PageBlocks) -> list[dict]:
    """Each kept line's shallow features: its own words and link share, its block's words, link density and
    text density, the same of the blocks before and after it, and where it stands (its block's place on the
    page, its place among the kept lines). A line the page does not hold has `block` -1 and no others."""
    rows = []
    start = 0
    page_words = sum(block.words for block in page.blocks)
    kept_share = sum(len(line.split()) for line in lines) / page_words if page_words else 1.0
    for i, line in enumerate(lines):
        k, after = page.block_of_line(line, start)
        row: dict = {"block": k, "index": i, "lines": len(lines), "words": len(line.split())}
        row["kept_share"] = round(kept_share, 3)
        if k >= 0:
            n = len(_WHITE.sub("", _LIST_MARK.sub("", line)))
            row["link_share"] = sum(page.linked[after - n : after]) / n if n else 0.0
            row["blocks"] = len(page.blocks)
            for name, j in (("cur", k), ("prev", k - 1), ("next", k + 1)):
                block = page.blocks[j] if 0 <= j < len(page.blocks) else Block(0, 0, 0)
                row[f"{name}_words"] = block.words
                row[f"{name}_link_density"] = round(block.link_density, 3)
                row[f"{name}_text_density"] = round(block.text_density, 2)
            start = after
        rows.append(row)
    return rows


def chrome_by_features(lines: list[str], page: PageBlocks, rules: ShallowRules = ShallowRules()) -> list[str]:
    """The kept lines a page's shallow features tell as chrome (ShallowRules). Only on a page the kept text
    is less than `max_kept_share` of (by words): where the text is most of the page, little else is there to
    have been kept with it (a document, a post, a reference page: its headings, references and lists of
    changes with their links are its own). Not: a line ending a sentence or in a colon (the text's prose and
    lead-ins, with the links they cite), a line naming a web address (a source cited), a line opening in
    lower case (a sentence's part the extractor cut off), a line opening with a dash (a quote's or an
    embedded post's attribution: "— Jane Doe (@janedoe) March 21, 2017"), the text's last line (a page's
    call to action over what it offers: a closing box is a run, html-10's), and for a short line with
    links, one standing between two of the text's paragraphs (prose of `prose_words` words or more with no
    links: the story's own pointer or subheading, a live report's entry)."""
    features = line_features(lines, page)
    if not features or features[0]["kept_share"] >= rules.max_kept_share:
        return []
    chrome = []
    for line, row in zip(lines, features, strict=True):
        text = line.strip()
        if (
            row["block"] < 0
            or ENDS_SENTENCE.search(text)
            or _WEB_ADDRESS.search(text)
            or _ADDRESS_LINE.match(text)
            or text[:1].islower()
            or text[:1] in _DASHES
            or row["index"] == len(lines) - 1
        ):
            continue
        density = rules.short_link_density
        in_prose = all(
            row[f"{side}_words"] >= rules.prose_words and row[f"{side}_link_density"] <= density
            for side in ("prev", "next")
        )
        short = row["words"] <= rules.short_words and row["cur_link_density"] > density and not in_prose
        between = (
            row["words"] <= rules.between_words
            and row["cur_link_density"] <= density
            and row["prev_link_density"] > density
            and row["next_link_density"] > density
            and row["index"] >= rules.between_after * row["lines"]
        )
        set_off = (
            row["words"] <= rules.set_off_words
            and text.startswith(_SET_OFF)
            and row["prev_link_density"] > density
        )
        # A label is a block of its own: a line of a long block (a release's subheading set off by <br>) has
        # that block's neighbours, not its own.
        label = (
            max(row["words"], row["cur_words"]) <= rules.label_words
            and row["cur_link_density"] <= density
            and row["prev_link_density"] > rules.label_after_density
            and not (row["next_words"] >= rules.prose_words and row["next_link_density"] <= density)
            and not text.endswith(_DATELINE_ENDS)
        )
        if short or between or set_off or label:
            chrome.append(line)
    return chrome


def after_the_story(
    lines: list[str], page: PageBlocks, prose_words: int, share: float, max_kept_share: float
) -> list[str]:
    """The kept lines standing after the story's container on the page: the smallest block-level element
    holding `share` of the characters of the kept prose (lines of `prose_words` words or more that end a
    sentence; two at least). A news page sets its story in one element and its closing boxes (related
    stories, readers' comments, a promotion, the footer) after that element closes, whatever the site's
    template and words; the story does not resume outside its element. Not on a page whose kept text is
    `max_kept_share` of its words or more (a document, a post: little is there but its text)."""
    page_words = sum(block.words for block in page.blocks)
    if not lines or not page_words:
        return []
    if sum(len(line.split()) for line in lines) / page_words >= max_kept_share:
        return []
    placed = _placed(lines, page)
    prose = [
        at
        for line, at in zip(lines, placed, strict=True)
        if at and len(line.split()) >= prose_words and ENDS_SENTENCE.search(line.strip())
    ]
    if len(prose) < 2:
        return []
    total = sum(end - begin for begin, end in prose)
    container = None
    for begin, end in page.spans:
        held = sum(min(end, e) - max(begin, b) for b, e in prose if e > begin and b < end)
        if held >= share * total and (container is None or end - begin < container[1] - container[0]):
            container = (begin, end)
    if container is None:
        return []
    # A line printed in the story and again after it (a subheading a box repeats) is the story's.
    inside = {line for line, at in zip(lines, placed, strict=True) if at and at[0] < container[1]}
    return [
        line
        for line, at in zip(lines, placed, strict=True)
        if at and at[0] >= container[1] and line not in inside
    ]


def _placed(lines: list[str], page: PageBlocks) -> list[tuple[int, int] | None]:
    """Where each line's text stands in the page's `chars` (None where the page does not hold it), looked for
    in page order first."""
    placed: list[tuple[int, int] | None] = []
    start = 0
    for line in lines:
        compact = _WHITE.sub("", _LIST_MARK.sub("", line))
        at = page.chars.find(compact, start) if compact else -1
        if at < 0 and compact:
            at = page.chars.find(compact)
        if at < 0:
            placed.append(None)
            continue
        placed.append((at, at + len(compact)))
        start = at + len(compact)
    return placed
