"""Article text and metadata from an HTML page, with trafilatura: page chrome (navigation, share bars,
related links, footers) is dropped; title, publication time, author, site name and canonical URL come from
the page.

Two passes. The first asks trafilatura for precision and leaves tables out, so that chrome stays out of
ordinary pages. Pages from before CSS layouts (a 2008 BBC News story, an old CMS) hold their article inside
layout tables, where that pass finds nothing; only then a second pass reads layout tables as blocks, asks for
precision and, failing that, recall, and keeps the result only when most of it is prose (an index, search or
shop page is lists of links and short lines)."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tasks.dates import parse_timestamp
from tasks.decode import NotText, decode_bytes
from tasks.frontmatter import split_front_matter
from tasks.page_blocks import (
    ENDS_SENTENCE,
    HIDDEN,
    INLINE,
    ShallowRules,
    after_the_story,
    chrome_by_features,
    page_blocks,
)
from tasks.repair import may_hold_mojibake, repair_unicode

if TYPE_CHECKING:  # trafilatura is imported at use: a run with nothing new reads no page
    from lxml.html import HtmlElement
    from trafilatura.settings import Document as Extraction

# html-2: a second pass for pages whose article sits in layout tables; <pre> split at blank lines only.
# html-3: source line ends inside a paragraph are spaces (a <br> no longer lets them cut a sentence); a <br>
# in a <pre> is a line end.
# html-4: source line ends inside inline elements are spaces (ticker links no longer cut a sentence), runs of
# spaces one; a line ending in a colon counts as prose in the second pass's test (it introduces a quote).
# html-5: a static-site source file's front matter (Jekyll's `---` block before the HTML) is metadata, not
# text; a paragraph typed from an e-mail with a <br /> at each of its line ends is one paragraph; a post's
# body stored without a page around it is read for recall.
# html-6: markup a damaged capture cut (a DOCTYPE cut before its `>`, a <title> never closed) is mended before
# the page is parsed (mend_cut_markup), and recorded in `repairs`.
# html-7: a short paragraph the extractor kept whose text is all link text on the page (a navigation entry,
# a box's "Read comments" or "Learn more") is left out: page chrome, not the article's text (L3S-GN1).
# html-8: a static-site post whose whole body sits in one element is read inside the page it lacks
# (_load_post_body): the parser's sanity check had rejected it as no HTML.
# html-9: a line standing in a box of links (most of its box's other text is link text: related stories'
# teasers, a section menu's labels, a forum's latest posts) or in a block the markup names as chrome is
# flagged boilerplate (Article.in_link_boxes), unless the kept text is itself mostly links; a list item's
# marker is no part of its text when it is looked for in the page (L3S-GN1).
# html-10: a short line after the page's main text whose block is link-dense by jusText's measure (the shallow
# text features of Kohlschuetter et al. and Pomikalek: a block's length and link density, with its
# neighbours') is flagged boilerplate (Article.in_link_boxes): a closing box's entries, a reference list,
# a blogroll (L3S-GN1).
# html-11: a third pass when the first two find no article, for recall: jusText's good blocks (long and not
# link-dense, read without a stoplist), kept when they read as an article (a story among 200 kB of chrome
# whose recall pass fails the prose test); an <html> start tag a damaged capture cut mid-attribute is mended
# (the parser kept nothing of the page); a page of whole documents run together (a CMS's include that printed
# a page inside the page) is read as one document, as a browser reads it, not up to the first </html>; a
# short line mostly of link text in a block of links by jusText's measure is flagged wherever it stands, alone
# too (a menu's entry among a story's paragraphs: Article.in_link_boxes); the site name a page states is read
# as its outlet's name or none (site_name) (L3S-GN1).
# html-12: a kept line told as chrome by the shallow text features of its block and its neighbours' (words,
# link density; Kohlschuetter et al.), two decisions fitted on L3S-GN1's dev half (tasks/page_blocks.py):
# a short line in a block with links, a line with no links between two blocks with links.
# html-13: after the text's last paragraph of prose, once a kept line is told as chrome every kept line after
# it is chrome too (tail_chrome): a page's closing boxes follow one another, and a box's unlinked entries (a
# record list, a promotion's blurb) no rule tells alone stand among its flagged ones (L3S-GN1).
# html-14: a run of bare text standing before a <p> in a block (the tail of a photo's <table> or of a box's
# </div>, the text after a heading on a page that writes <p> as a separator between paragraphs) is a paragraph
# of its own when it reads as prose (_bare_text_as_paragraphs): the extractor dropped it, and with it the
# story's lead (L3S-GN1).
# html-15: a kept line standing after the story's container (the smallest element holding nearly all the kept
# prose) is chrome (page_blocks.after_the_story): a page's closing boxes stand after the element its story
# is set in, on any site and in any words; chosen by folds of L3S-GN1's dev half by site.
# html-16: two more decisions by shallow features, for chrome inside the story's element (ShallowRules): a
# short line opening with a bullet, a dash or a parenthesis right after a block with links (a box's entry,
# label or credit), and a label of a few words with no links right after a block mostly of links.
HTML_VERSION = "html-16"

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard), and so do the pages written for them.
_AS_WINDOWS_1252 = {"iso8859-1", "ascii", "cp1252"}
# Where pages state their publication time to the second; trafilatura's own date has day precision only.
_LAYOUT_TAGS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption")
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_WHITE = re.compile(r"\s+")
_SPACES = re.compile(r"[ \t]{2,}")
# Elements a browser lays out inside a line: no line end in their source text is a break on the page.
_INLINE_TAGS = (
    "span",
    "a",
    "b",
    "i",
    "em",
    "strong",
    "font",
    "u",
    "small",
    "big",
    "sup",
    "sub",
    "abbr",
    "cite",
)
# Elements that hold no paragraph of bare text of their own: a paragraph, a list, a table's rows, a form's
# controls, a heading.
_NOT_A_CONTAINER = frozenset(
    {
        "p",
        "pre",
        "script",
        "style",
        "head",
        "title",
        "html",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "ol",
        "dl",
        "select",
        "option",
        "textarea",
        "button",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
# A line that opens a list item: a paragraph whose <br>-ended lines start so is a list written with breaks.
_LIST_ITEM = re.compile(r"^\s*(?:[-*\u2022\u00b7\u2013]\s|\d{1,3}[.)]\s)")
# What a served page has and a stored post body has not: its document, head, scripts, forms, navigation.
_PAGE_PARTS = re.compile(r"<(?:html|head|body|title|meta|script|form|nav|header|footer)\b", re.IGNORECASE)
_MAIL_HEADING = re.compile(r"^#{1,6}\s")
# Words of a class or id that name a box of page chrome: advertising, a footer, readers' comments, a sports
# page's fixtures table; words that make such a name a quality of what the element holds.
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_NAME_PART = re.compile(r"[-_.:]+")
_CHROME_BOX_WORDS = frozenset(
    {
        "ad",
        "ads",
        "advert",
        "adverts",
        "advertisement",
        "advertising",
        "sponsor",
        "sponsored",
        "promo",
        "promos",
        "foot",
        "footer",
        "copyright",
        "comment",
        "comments",
        "sidebar",
        "fixtures",
    }
)
_NOT_A_BOX = frozenset({"no", "non", "has", "free", "with", "without"})
_BOX_NAME_WORDS = 3
# Places on the page a line's text is looked at to tell whether it stands in a box of links.
_MAX_PLACES = 4
# A list item's marker as the extractor writes it ("- "), which the page's text does not hold.
_LIST_MARK = re.compile(r"^[-\u2022]\s+")
_BARE_LINK = re.compile(r"^(?:https?://|www\.)\S+$")
_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S", re.IGNORECASE)
# Markup cut by a damaged capture (a record whose bytes lost a stretch, a page saved halfway): a declaration
# whose `>` went with the cut swallows the markup up to the next `>`, a <title> never closed makes the whole
# page its title (HTML reads a title's text raw up to </title>), and the page reads as empty.
_CUT_DOCTYPE = re.compile(r"\A(\s*<!DOCTYPE[^<>\n]*)(?=\s*\n[^>]*<)", re.IGNORECASE)
_TITLE_OPEN = re.compile(r"(<title\b[^>]*>)([^\n<]*)", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)
# The page's <html> start tag, up to the first `>` (a quote cut open inside it runs on past that `>`).
_HTML_START = re.compile(r"<html\b([^<>]*)>", re.IGNORECASE)
_DOCUMENT_TAG = re.compile(r"<(?:html|body)\b[^<>]*>|</(?:html|body)\s*>", re.IGNORECASE)
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
# What a page's stated site name joins its pieces with: the site and its section, the headline and the site.
_SITE_NAME_PARTS = re.compile(r"\s+(?:[|>\u00bb:\u2013\u2014-]|::)\s+")
# A line naming a web address or a domain alone: the source a story cites, which it links to.
_ADDRESS_LINE = re.compile(r"^(?:(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/?)$", re.IGNORECASE)
# A mail's hard wraps fill their lines (mail clients wrap near 72 characters); an address block, a contact
# list or a verse has short lines.
_WRAPPED_LINE_CHARS = 40
_PUBLISHED_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @name='pubdate' or @name='publishdate' or @name='date'"
    " or @name='dc.date.issued' or @name='DC.date.issued' or @property='og:published_time']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)


@dataclass(frozen=True)
class HtmlConfig:
    """How trafilatura is asked to extract: precision over recall, so that chrome stays out."""

    favor_precision: bool = True
    include_tables: bool = False
    # Index, tag and error pages leave a few words of navigation behind; a news brief has more than this.
    min_article_chars: int = 100
    # The second pass is kept when its prose (paragraphs of `prose_chars` or more that end a sentence) makes
    # up `min_prose_share` of its text and at least `min_prose_chars`: a shop or quote page's text is mostly
    # short lines and links, a story's mostly sentences.
    prose_chars: int = 60
    min_prose_share: float = 0.6
    min_prose_chars: int = 250
    # A paragraph is a link's when at least this share of its characters is link text on the page, and it
    # is left out when it has at most `link_line_words` words.
    link_share: float = 0.9
    link_line_words: int = 4
    # A line is in a box of links when at least `link_box_share` of the other text of its box (the nearest
    # element holding `link_box_chars` characters and three times the line's) is link text; such lines are
    # left out while the kept text's own link share is below `article_link_share`. Found on L3S-GN1's dev
    # half: the chrome lines stood in boxes of 0.6 and more, the stories' paragraphs below 0.56, and the
    # kept text of a news page is at most 0.17 link text.
    link_box_share: float = 0.6
    link_box_chars: int = 300
    article_link_share: float = 0.25
    # After the page's main text (its last block jusText calls good), a run of `closing_run` lines or more,
    # each of at most `closing_words` words, it and its block more than `closing_link_density` link text
    # (jusText's own bound for a good block), is a box's entries. Found on L3S-GN1's dev half.
    closing_words: int = 25
    closing_link_density: float = 0.2
    closing_run: int = 2
    # Anywhere on the page, a line shaped as an entry more than `link_line_share` link text, in a block
    # jusText calls bad more than `link_line_share` link text, is a menu's or a box's entry (html-11;
    # L3S-GN1's dev half: 68 such lines the assessors call chrome, 4 content, two of those a site's menu).
    link_line_share: float = 0.5
    # html-12: the decisions by the shallow features of a line's block and its neighbours'; None: not made.
    shallow: ShallowRules | None = ShallowRules()
    # html-13: the story's last paragraph is the last kept line not told as chrome of `tail_prose_words`
    # words or more that ends a sentence; once a line after it is chrome, so is the rest (tail_chrome).
    # None: not decided. L3S-GN1's dev half: 12 lines more its assessors call chrome, none content.
    tail_prose_words: int | None = 15
    # html-14: a run of bare text before a <p> of this many words or more that ends a sentence is a
    # paragraph of its own (_bare_text_as_paragraphs); None: left as it is.
    bare_prose_words: int | None = 10
    # html-15: the kept lines after the story's container (the smallest element holding `story_share` of the
    # characters of the kept prose, lines of `story_prose_words` words or more ending a sentence) are chrome
    # (after_the_story), on a page whose kept text is less than `story_max_kept_share` of its words. None:
    # not decided. Chosen by folds of L3S-GN1's dev half (bench.l3s_gn1 --folds 3): at 10-25 words and a
    # share of 0.9-0.95, 62-64 lines its assessors call chrome and none content, on every fold.
    story_prose_words: int | None = 15
    story_share: float = 0.9
    story_max_kept_share: float = 0.8
    version: str = HTML_VERSION


@dataclass(frozen=True)
class Article:
    """Extracted text (paragraphs separated by blank lines), page metadata, the encoding read, the repairs
    made to the page before extraction, and the paragraphs of the text that stand in a box of links on the
    page (page chrome by the page's own markup: `without_link_lines`)."""

    text: str
    metadata: dict[str, str | None]
    encoding: str
    repairs: tuple[str, ...] = ()
    in_link_boxes: tuple[str, ...] = ()


def charset_label(content_type: str | None) -> str | None:
    """The charset named in an HTTP Content-Type header, if any."""
    found = _HEADER_CHARSET.search(content_type or "")
    return found.group(1) if found else None


def _codec_name(label: str | bytes | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.decode("ascii") if isinstance(label, bytes) else label).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def decode_page(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Bytes of a page to (text, encoding): byte-order mark, valid UTF-8, the charset the server or the page
    declares, then detection.

    Valid UTF-8 wins over a declaration because pages mislabelled as latin-1 are far more common than
    latin-1 pages that happen to be valid UTF-8.
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    found = _META_CHARSET.search(data[:4096])
    for label in (declared, (found.group(1) or found.group(2)) if found else None):
        codec = _codec_name(label)
        if codec and codec != "utf-8":
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue
    return decode_bytes(data)


def _json_ld_values(node: object, key: str) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, str):
                yield v
            else:
                yield from _json_ld_values(v, key)
    elif isinstance(node, list):
        for item in node:
            yield from _json_ld_values(item, key)


def published_time(tree: HtmlElement) -> str | None:
    """The publication time the page states in its meta tags or JSON-LD, as written there."""
    for value in tree.xpath(_PUBLISHED_XPATH):
        if str(value).strip():
            return str(value).strip()
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            found = next(_json_ld_values(json.loads(script), "datePublished"), None)
        except (json.JSONDecodeError, RecursionError):
            continue
        if found and found.strip():
            return found.strip()
    return None


def _iso_or_none(value: str | None) -> str | None:
    try:
        return value if parse_timestamp(value) else None
    except ValueError:
        return None


def _extract(tree: HtmlElement, url: str | None, precision: bool, tables: bool) -> Extraction | None:
    import trafilatura

    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=precision,
        favor_recall=not precision,
        include_tables=tables,
        # Only dates the page states, never guesses from its text.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _load_html(html: str) -> HtmlElement | None:
    from trafilatura.utils import load_html

    return load_html(html)


def _load_post_body(body: str) -> HtmlElement | None:
    """A static site's post source (front matter, then the post's HTML) holds a page's body without the
    page. trafilatura takes markup naming no `html` in its first 50 characters for another kind of text unless
    it parses to two elements or more, so a post whose whole body sits in one element (a <p> wrapping a <div>,
    as text pasted from another page leaves it) read as no HTML at all: it is read again inside the page it
    lacks."""
    return _load_html(f"<html><body>{body}</body></html>")


def _lines(result: Extraction | None) -> list[str]:
    """The extracted paragraphs: trafilatura gives one a line and may repeat the title as the first one."""
    if result is None:
        return []
    # Runs of spaces as a browser shows them, one (the source's spaces around inline elements add up).
    lines = [_SPACES.sub(" ", line.strip()) for line in (result.text or "").split("\n") if line.strip()]
    if lines and result.title and lines[0] == result.title.strip():
        lines = lines[1:]
    return lines


def _pre_as_paragraphs(tree: HtmlElement) -> None:
    """A <pre> block (a wire story or release pasted as plain text) as paragraphs split at its blank lines:
    its line ends are the typewriter's, not paragraph breaks."""
    for pre in list(tree.iter("pre")):
        # A <br> in a <pre> is a line end too (syntax-highlighted code is often written so): two in a row are
        # a blank line.
        for br in list(pre.iter("br")):
            br.tail = "\n" + (br.tail or "")
        blocks = [_WHITE.sub(" ", b).strip() for b in _BLANK_LINE.split(pre.text_content())]
        block = pre.makeelement("div", {})
        for text in blocks:
            if text:
                paragraph = block.makeelement("p", {})
                paragraph.text = text
                block.append(paragraph)
        block.tail = pre.tail
        pre.getparent().replace(pre, block)


def _join_hard_wraps(tree: HtmlElement) -> None:
    """A paragraph typed from an e-mail as one <p> with a <br /> at each line end (the mail's wraps, blog
    editors of the 2000s-2010s pasted them so) as one paragraph: those breaks as spaces. A reader sees one
    wrapped block, and each break would cut a sentence ("Apache" / "OpenOffice supports ..."). Breaks stay
    where they mark lines of their own: an address or contact block, a verse (short lines), a list (lines
    opening with a marker), lines that each end a sentence, a break with no source line end after it (a
    heading run into its text: "<b>Availability and Oversight<br></b>As ...")."""
    for paragraph in list(tree.iter("p")):
        breaks = list(paragraph.iter("br"))
        wraps = _hard_wraps(paragraph, breaks) if breaks else []
        for br in wraps:
            br.tail = " " + (br.tail or "")
            br.drop_tree()  # keeps its tail
        if wraps:
            _collapse_inside(paragraph)


def _hard_wraps(paragraph: HtmlElement, breaks: list) -> list:
    """The <br>s of `paragraph` that are a mail's line wraps, or none: those standing at a source line end,
    when the lines they end are long and mostly run on (no sentence end) and none of the lines opens a list
    item."""
    marker = "\u2028"  # a character no page text holds as a break of its own here
    saved = [br.tail for br in breaks]
    for br in breaks:
        br.tail = marker + (br.tail or "")
    lines = [_WHITE.sub(" ", line).strip() for line in paragraph.text_content().split(marker)]
    for br, tail in zip(breaks, saved, strict=True):
        br.tail = tail
    if len(lines) != len(breaks) + 1 or any(_LIST_ITEM.match(line) for line in lines[1:]):
        return []
    # A break with no text after it (closing the paragraph, or doubled) wraps nothing.
    at_line_end = [
        i
        for i, br in enumerate(breaks)
        if (br.tail or "").lstrip(" \t").startswith(("\n", "\r")) and lines[i + 1]
    ]
    wrapped = [lines[i] for i in at_line_end if lines[i]]
    if len(wrapped) == 1 and len(at_line_end) == 1:
        # One break: a wrap only where it plainly cuts a sentence (a long line running on into lower case).
        i = at_line_end[0]
        runs_on = lines[i + 1][:1].islower() and not ENDS_SENTENCE.search(lines[i])
        return [breaks[i]] if runs_on and len(lines[i]) >= _WRAPPED_LINE_CHARS else []
    if len(wrapped) < 2:
        return []
    lengths = sorted(len(line) for line in wrapped)
    ended = sum(1 for line in wrapped if ENDS_SENTENCE.search(line))
    if lengths[len(lengths) // 2] < _WRAPPED_LINE_CHARS or 2 * ended > len(wrapped):
        return []
    # Lines of their own inside the wrapped text: a mail's "# Heading" line, a list of bare links.
    return [
        breaks[i]
        for i in at_line_end
        if not _MAIL_HEADING.match(lines[i])
        and not (_BARE_LINK.match(lines[i]) and _BARE_LINK.match(lines[i + 1]))
    ]


def _collapse_source_line_ends(tree: HtmlElement) -> None:
    """White space in the page source as a browser renders it, one space, inside <p> elements and inside
    inline elements: with a <br> in a paragraph, the extractor keeps the source's own line ends, and each
    would cut a sentence in two ("make it work the way" / "you do."); a sentence in a <span> whose ticker
    links stand on lines of their own ("Intel (nasdaq:" / "INTC -" / "news -" ..., Forbes's 2005 pages) would
    be cut at each. Elsewhere an old page's line ends are all the paragraph breaks it has."""
    for inline in tree.iter(*_INLINE_TAGS):
        # An inline element inside another was collapsed with it.
        if inline.getparent() is None or inline.getparent().tag not in _INLINE_TAGS:
            _collapse_inside(inline)
    for paragraph in tree.iter("p"):
        if paragraph.find(".//br") is not None:
            _collapse_inside(paragraph)


def _collapse_inside(root: HtmlElement) -> None:
    """Line ends in the text inside `root` (not its own tail) as one space."""
    for element in root.iter():
        if element is not root and element.tail and "\n" in element.tail:
            element.tail = _WHITE.sub(" ", element.tail)
        if isinstance(element.tag, str) and element.text and "\n" in element.text:
            element.text = _WHITE.sub(" ", element.text)


def _bare_text_as_paragraphs(tree: HtmlElement, config: HtmlConfig) -> None:
    """A paragraph written as bare text before a <p>, as a <p> of its own. The extractor reads paragraphs and
    blocks, and drops text that stands between a block and the next paragraph (the tail of a <div> or a
    <table>), which is where pages of the 2000s print a story's lead: after the photo's table (`</table>The
    council voted on Tuesday to close the library.<p>Members said …`), after a box's `</div>`, or after the
    headline on pages that write <p> as a separator of paragraphs (HTML 3.2: `<h1>…</h1>Lead.<p>Second.`).
    A run is the text and inline elements after a block or `<br>` up to a `<p>`; it is wrapped when it reads
    as a paragraph of prose (`bare_prose_words` words or more, ending a sentence), so a menu's separators or
    a bare credit stay as they were. Only before a `<p>`: wrapping every run between blocks (text between
    `<br>`s beside an ad's empty `<div>`) changed which part of the page the extractor took for the article
    and lost whole stories on L3S-GN1's dev half."""
    if config.bare_prose_words is None:
        return
    for box in list(tree.iter()):
        if not isinstance(box.tag, str) or box.tag in INLINE or box.tag in _NOT_A_CONTAINER:
            continue
        children = list(box)
        anchor, members = None, []
        for child in children:
            if not _is_block(child) and child.tag != "br":
                members.append(child)
                continue
            if child.tag == "p":
                _wrap_run(box, anchor, members, config.bare_prose_words)
            anchor, members = child, []


def _is_block(element: HtmlElement) -> bool:
    """A block-level element (a script or a style, no text a reader sees, stands in a run as nothing)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return bool(tag) and tag not in INLINE and tag not in HIDDEN and tag != "br"


def _wrap_run(box: HtmlElement, anchor: HtmlElement | None, members: list, prose_words: int) -> None:
    """Wrap the run that starts after `anchor` (None: at the start of `box`) and holds the inline `members`
    in a <p>, if it reads as prose."""
    if any(_is_block(inner) or inner.tag == "br" for member in members for inner in member.iterdescendants()):
        return  # breaks or blocks inside an inline element (a <font> round a story): the extractor reads them
    lead = box.text if anchor is None else anchor.tail
    text = (lead or "") + "".join(
        (member.text_content() if isinstance(member.tag, str) and member.tag not in HIDDEN else "")
        + (member.tail or "")
        for member in members
    )
    text = _WHITE.sub(" ", text).strip()
    if len(text.split()) < prose_words or not ENDS_SENTENCE.search(text):
        return
    paragraph = box.makeelement("p", {})
    paragraph.text = lead
    if anchor is None:
        box.text = None
        box.insert(0, paragraph)
    else:
        anchor.tail = None
        anchor.addnext(paragraph)
    for member in members:
        paragraph.append(member)  # moves it, with its tail


def mend_cut_markup(html: str) -> tuple[str, list[str]]:
    """The page with markup a damaged capture cut mended as a browser would need it, and what was mended:
    a DOCTYPE declaration cut before its `>` ends at its line end (else it swallows the markup up to the
    next `>` and the page does not parse), a <title> never closed is closed at its line end (else the page's
    whole text is its title). Only what cannot be read otherwise: a page with its </title> is not touched."""
    mended: list[str] = []
    if _CUT_DOCTYPE.match(html):
        # What the cut left of it says nothing a parser uses; `html` is what tells a reader the file is HTML.
        html = _CUT_DOCTYPE.sub("<!DOCTYPE html>", html, count=1)
        mended.append("cut doctype closed")
    if _TITLE_CLOSE.search(html) is None and _TITLE_OPEN.search(html):
        html = _TITLE_OPEN.sub(r"\1\2</title>", html, count=1)
        mended.append("unclosed title closed")
    start = _HTML_START.search(html, 0, 4096)
    if start and (start.group(1).count('"') % 2 or start.group(1).count("'") % 2):
        # The capture cut the start tag mid-attribute and joined it to a later tag's tail (`<html …" alt="…"
        # />` and the end tags of the cell it stood in): the parser kept nothing of the page. What the cut
        # left of its attributes says nothing the page's text needs.
        html = html[: start.start()] + "<html>" + html[start.end() :]
        mended.append("cut html tag closed")
    end = _HTML_END.search(html)
    if end and _HTML_START.search(html, end.end()):
        # Documents run together (a CMS's include printed a whole page, <html> to </html>, inside the page): a
        # browser shows them all as one body, the parser stops at the first </html>. Their <html> and <body>
        # start and end tags are dropped; the parser puts in the ones the page needs.
        first = _HTML_START.search(html)
        cut = first.end() if first and first.start() < end.start() else 0
        html = html[:cut] + _DOCUMENT_TAG.sub("", html[cut:])
        mended.append("documents run together joined")
    return html, mended


@dataclass(frozen=True)
class LinkText:
    """A page's text with white space taken out (`chars`), and for each character whether it is inside a
    link (`linked`) and which element holds it (`owner`, an index into `parent`, `size` and `size_linked`:
    each element's parent and how many of its characters, and of those in links, it holds): what is needed
    to tell a paragraph that is only link text, and one that stands in a box of links."""

    chars: str
    linked: bytes
    owner: tuple[int, ...] = ()
    parent: tuple[int, ...] = ()
    size: tuple[int, ...] = ()
    size_linked: tuple[int, ...] = ()
    # Each element's first character, and the innermost element around it (itself included) whose class or
    # id names a box of page chrome (-1: none).
    start: tuple[int, ...] = ()
    named_box: tuple[int, ...] = ()

    def find(self, line: str, start: int) -> tuple[int, int]:
        """Where a paragraph's text (white space and a list item's marker ignored) is in the page, at or
        after `start` first (paragraphs come in page order), then anywhere; (-1, 0) when it is not."""
        compact = _WHITE.sub("", _LIST_MARK.sub("", line))
        if not compact:
            return -1, 0
        at = self.chars.find(compact, start)
        if at < 0:
            at = self.chars.find(compact)
        return at, len(compact)

    def in_link_box(self, at: int, n: int, min_chars: int, share: float) -> bool:
        """Whether the text at [at, at+n) stands in a box of links wherever the page prints it: a story's
        headline printed in the page's menu too ("6. Monitoring Distributed Systems") is the story's where it
        heads the story. At most a few places are looked at (a word printed all over the page is short
        enough for the other rules)."""
        if not self.owner:
            return False
        text = self.chars[at : at + n]
        where = self.chars.find(text)
        for _ in range(_MAX_PLACES):
            if where < 0:
                return True
            if self.box_link_share(where, n, min_chars) < share:
                return False
            where = self.chars.find(text, where + 1)
        return True

    def in_named_box(self, at: int, lead: int) -> bool:
        """Whether the text at `at` stands in a box the page's markup names as chrome (an ad column, a
        footer, a comments thread, a fixtures table) that does not hold `lead`, where the story's first
        paragraph is: a box beside the story, not a frame a site put around it (a story inside a "rail")."""
        if not self.owner:
            return False
        box = self.named_box[self.owner[at]]
        return box >= 0 and not self.start[box] <= lead < self.start[box] + self.size[box]

    def box_link_share(self, at: int, n: int, min_chars: int) -> float:
        """The share of link text in the box around the characters [at, at+n), leaving their own out: the
        nearest element holding at least `min_chars` characters and three times theirs."""
        element = self.owner[at]
        while self.size[element] < max(3 * n, min_chars):
            if self.parent[element] < 0:
                # No box holds it: a paragraph that is much of the page is the page's, not a box's.
                return 0.0
            element = self.parent[element]
        own_linked = sum(self.linked[at : at + n])
        rest = self.size[element] - n
        return (self.size_linked[element] - own_linked) / rest if rest > 0 else 0.0


def link_text(tree: HtmlElement) -> LinkText:
    """The page's text in document order, each character marked in a link or not and with the element that
    holds it (scripts and styles are no text). Read before extraction: the extractor prunes the tree it is
    given and drops the links."""
    chars: list[str] = []
    linked = bytearray()
    owner: list[int] = []
    parent: list[int] = []
    size: list[int] = []
    size_linked: list[int] = []
    start: list[int] = []
    named_box: list[int] = []
    at = 0

    def add(text: str | None, inside: bool, index: int) -> int:
        nonlocal at
        compact = _WHITE.sub("", text or "")
        chars.append(compact)
        linked.extend(bytes([inside]) * len(compact))
        owner.extend([index] * len(compact))
        at += len(compact)
        return len(compact)

    def walk(element: HtmlElement, inside: bool, up: int, box: int) -> tuple[int, int]:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in HIDDEN:
            return 0, 0
        here = inside or (tag == "a" and bool(element.get("href")))
        index = len(parent)
        parent.append(up)
        size.append(0)
        size_linked.append(0)
        start.append(at)
        if tag and _names_chrome_box(element):
            box = index
        named_box.append(box)
        n = add(element.text, here, index) if tag else 0
        total, in_links = n, n * here
        for child in element:
            child_total, child_links = walk(child, here, index, box)
            n = add(child.tail, here, index)
            total += child_total + n
            in_links += child_links + n * here
        size[index], size_linked[index] = total, in_links
        return total, in_links

    walk(tree, False, -1, -1)
    return LinkText(
        "".join(chars),
        bytes(linked),
        tuple(owner),
        tuple(parent),
        tuple(size),
        tuple(size_linked),
        tuple(start),
        tuple(named_box),
    )


def _names_chrome_box(element: HtmlElement) -> bool:
    """Whether a block's class or id names a box of page chrome by one of its words ("AdColList", "piFoot",
    "storyCopyright", "tabcontent fixtures"). Not: a quality of what it holds ("noads", "has-ads"), an
    anchor made of a heading's words ("conducting-ad-hoc-analysis": a name of more than three words), an
    inline element or code (a syntax highlighter's "token comment")."""
    if element.tag in _INLINE_TAGS or element.tag in ("code", "pre", "samp", "kbd", "var"):
        return False
    for name in f"{element.get('class') or ''} {element.get('id') or ''}".split():
        # Words at separators and camel case; a part holding digits is a generated id ("e1ad"), no word.
        words = {
            w.lower()
            for part in _NAME_PART.split(name)
            for w in (_NAME_WORD.findall(part) if part.isalpha() else [part])
        }
        if len(words) <= _BOX_NAME_WORDS and words & _CHROME_BOX_WORDS and not words & _NOT_A_BOX:
            return True
    return False


def without_link_lines(
    lines: list[str], links: LinkText, config: HtmlConfig
) -> tuple[list[str], tuple[str, ...]]:
    """`lines` without page chrome told by the links around it, and the lines kept that stand in a box of
    links. Left out:
    - a short line whose text is all link text on the page: a site's navigation entries ("COLUMNISTS",
      "Recipe Swap"), a box's links ("Read comments", "Learn more"). Trafilatura keeps such lines when they
      stand beside the article in its container; a reader sees them as links, and a story's own paragraphs
      are text with links in it, not links. Kept: a longer line (a related story's headline, a call to
      action, are as often the page's own list of what it offers as chrome: the boilerplate rules judge
      them by their text), a web address or domain alone (the source a story cites links to itself), a line
      opening in lower case (a sentence's linked words the extractor cut off, not a link of its own).
    In a box of links (html-8): a line most of whose box's other text is link text (a related-stories box's
    teasers and unlinked headlines, a section menu's labels, a forum's latest posts). A story's paragraphs
    stand among the story's own, which are text. Such lines are kept and named, for the boilerplate flags
    (a reader who wants the page's text as the extractor kept it still has it); only where the text the
    extractor kept is not itself mostly links (a post that is a list of links, a link roundup, is read as
    it is), and not a line ending in a colon (a story's lead-in to a list of links it offers). In a box the
    page's markup names as chrome (its class or id: an ad column, a footer, a comments thread, a fixtures
    table) that does not hold the story's first paragraph. A line not found in the page's text (the extractor
    reworded it) is kept."""
    found, start = [], 0
    for line in lines:
        at, n = links.find(line, start)
        found.append((at, n))
        if at >= 0:
            start = at + n
    shares = [sum(links.linked[at : at + n]) / n if at >= 0 else 0.0 for at, n in found]
    located = sum(n for at, n in found if at >= 0)
    article_links = sum(s * n for s, (at, n) in zip(shares, found, strict=True) if at >= 0)
    in_boxes = located > 0 and article_links < config.article_link_share * located
    lead = next((at for at, _ in found if at >= 0), -1)
    kept, boxed = [], []
    for line, (at, n), share in zip(lines, found, shares, strict=True):
        if at < 0:
            kept.append(line)
            continue
        short = len(line.split()) <= config.link_line_words
        # A list item (the extractor's "- ") is one of a list: the list's box judges it, not its own links.
        link_line = share >= config.link_share and short and not _LIST_MARK.match(line)
        if link_line and (_ADDRESS_LINE.match(line) or line[:1].islower()):
            link_line = False
        if link_line:
            continue
        kept.append(line)
        # A line ending in a colon leads into what follows it: the list of links a story offers is its own.
        lead_in = line.rstrip().endswith(":")
        if links.in_named_box(at, lead) or (
            in_boxes
            and not lead_in
            and links.in_link_box(at, n, config.link_box_chars, config.link_box_share)
        ):
            boxed.append(line)
    return kept, tuple(boxed)


def _mostly_links(lines: list[str], links: LinkText, config: HtmlConfig) -> bool:
    """Whether the text kept is itself mostly links (a link roundup, a list of resources): read as it is."""
    located = linked = 0
    start = 0
    for line in lines:
        at, n = links.find(line, start)
        if at >= 0:
            located += n
            linked += sum(links.linked[at : at + n])
            start = at + n
    return located > 0 and linked >= config.article_link_share * located


def tail_chrome(lines: list[str], chrome: set[str], prose_words: int) -> list[str]:
    """The kept lines after the text's last paragraph (the last line not in `chrome` of `prose_words` words
    or more that ends a sentence) that follow a line in `chrome`. A page's closing boxes follow one another
    (related stories, a section's menu, a list of records, a promotion, the site's footer), and once one has
    begun the story does not resume: the unlinked entries and blurbs among a box's flagged lines are the
    box's too. Lines between the last paragraph and the first chrome (a credit line, a note, a short closing
    line) are the story's, as they were."""
    last = max(
        (
            i
            for i, line in enumerate(lines)
            if line not in chrome and len(line.split()) >= prose_words and ENDS_SENTENCE.search(line.strip())
        ),
        default=None,
    )
    if last is None:
        return []
    begun = False
    tail = []
    for line in lines[last + 1 :]:
        if line in chrome:
            begun = True
        elif begun:
            tail.append(line)
    return tail


def after_main_text(html: str, lines: list[str], links: LinkText, config: HtmlConfig) -> list[str]:
    """The kept lines that close the page after its main text as a box's entries: a related or latest
    stories box, a row of page tools, a list of references or honours, a blogroll. The evidence is the
    shallow text features of Kohlschuetter et al. (WSDM 2010) as jusText (Pomikalek's paragraph classifier)
    reads them: it segments the page into blocks and calls a block good when it is long and not link-dense,
    or short between good ones. Read without a stoplist (its language-independent mode: length and links
    only), so a page in any language is read alike. A line is such an entry when it comes after the last kept
    line whose block jusText calls good, has at most `closing_words` words, its block is more than
    `closing_link_density` link text and so is the line itself, and it stands in a run of `closing_run` such
    lines or more (a box's entries come in rows; one link line alone after a story is as often the story's
    own pointer). Not: a line ending a sentence or in a colon (the page's prose, a lead-in), a list item (its
    list's box judges it), a web address alone (the source a story cites). And (html-11), wherever it
    stands, a line of that shape more than `link_line_share` link text in a block jusText calls bad that is
    as much link text: a menu's or a box's entry standing among the story's paragraphs or alone."""
    shaped = [_may_be_entry(line, config) for line in lines]
    # Not a text's closing line (a product page's call to action: a closing box is a run, below), a line
    # naming a web address (the source a text cites, linked as its address), a word alone (a linked
    # source credit, "[THR]": html-7's to judge).
    linked = [
        shaped[i]
        and i < len(lines) - 1
        and len(line.split()) >= 2
        and not _WEB_ADDRESS.search(line)
        and _link_share(line, links) > config.link_line_share
        for i, line in enumerate(lines)
    ]
    # jusText parses the page again (a third more of the reader's time): only for a page that has a run of
    # lines shaped as entries, or a line shaped so that is mostly link text.
    runs = any(all(shaped[i : i + config.closing_run]) for i in range(len(lines) - config.closing_run + 1))
    if not runs and not any(linked):
        return []
    blocks = _justext_blocks(html)
    if blocks is None:
        return []
    compact, owner = [], []
    for k, block in enumerate(blocks):
        text = _WHITE.sub("", block.text)
        compact.append(text)
        owner += [k] * len(text)
    chars = "".join(compact)
    placed: list[int] = []  # each line's block (-1: not found)
    start = 0
    for line in lines:
        text = _WHITE.sub("", _LIST_MARK.sub("", line))
        at = chars.find(text, start) if text else -1
        if at < 0 and text:
            at = chars.find(text)
        if at < 0:
            placed.append(-1)
            continue
        start = at + len(text)
        # The block holding most of the line: jusText may join a line with its neighbours at a <br>.
        held: dict[int, int] = {}
        for k in owner[at : at + len(text)]:
            held[k] = held.get(k, 0) + 1
        placed.append(max(held, key=lambda k: (held[k], -k)))
    # html-11: wherever it stands, a line shaped as an entry and mostly link text, in a block jusText calls
    # bad whose text is mostly links: a menu's or a box's entry among its neighbours (a section's teasers
    # with their times, "<club> homepage | Transfer talk", "disable ad"). A story's own linked words stand
    # in blocks of its prose.
    in_menus = [
        linked[i]
        and k >= 0
        and blocks[k].class_type == "bad"
        and blocks[k].links_density() > config.link_line_share
        for i, k in enumerate(placed)
    ]
    good = [i for i, k in enumerate(placed) if k >= 0 and blocks[k].class_type == "good"]
    if not good:
        return [line for line, menu in zip(lines, in_menus, strict=True) if menu]
    entry = [False] * len(lines)
    at = 0
    for i in range(good[-1] + 1, len(lines)):
        line, k = lines[i], placed[i]
        if k < 0 or not shaped[i]:
            continue
        found, n = links.find(line, at)
        if found < 0:
            continue
        at = found + n
        own = sum(links.linked[found : found + n]) / n
        entry[i] = min(own, blocks[k].links_density()) > config.closing_link_density
    closing = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and entry[j]:
            j += 1
        if j - i >= config.closing_run:
            closing += lines[i:j]
        i = max(j, i + 1)
    chosen = set(closing)
    return [line for line, menu in zip(lines, in_menus, strict=True) if menu or line in chosen]


def _link_share(line: str, links: LinkText) -> float:
    """The share of a line's characters that are link text on the page (0 where it is not found)."""
    at, n = links.find(line, 0)
    return sum(links.linked[at : at + n]) / n if at >= 0 and n else 0.0


def _may_be_entry(line: str, config: HtmlConfig) -> bool:
    """Whether a line has the shape of a box's entry by its text: short, no sentence end or colon, no list
    item, no web address alone."""
    return (
        len(line.split()) <= config.closing_words
        and not ENDS_SENTENCE.search(line)
        and not _LIST_MARK.match(line)
        and not _ADDRESS_LINE.match(line.strip())
    )


def _layout_table_pass(html: str, url: str | None, config: HtmlConfig) -> tuple[Extraction, list[str]] | None:
    """(result, paragraphs) of the page read with its tables as blocks, precision first, then recall; None
    when neither reads as an article."""
    for precision in (True, False):
        tree = _load_html(html)  # trafilatura prunes the tree it is given: each pass parses afresh
        if tree is None:
            return None
        _pre_as_paragraphs(tree)
        _join_hard_wraps(tree)
        _collapse_source_line_ends(tree)
        _bare_text_as_paragraphs(tree, config)
        for element in tree.iter(*_LAYOUT_TAGS):
            element.tag = "div"
        result = _extract(tree, url, precision, False)
        lines = _lines(result)
        if _reads_as_article(lines, config):
            return result, lines
    return None


def site_name(stated: str | None, title: str | None, url: str | None) -> str | None:
    """The outlet's name as the page states it (trafilatura reads og:site_name, then the title's pieces), or
    None where what is stated names no outlet and the reader takes the URL's host instead. An outlet's pages
    must give one name, or the text it prints on every page (its furniture) is never seen repeated. What
    pages of 2008 state (L3S-GN1): the site with the page's section ("TheStar.com | Sports",
    "SignOnSanDiego.com > News"): the site's part; the page's headline with the site ("Allardyce leaves
    Magpies - Football News | SPORTBOX.tv"): the part naming the host; the headline alone ("John Cleese and
    wife No. 3 split up"): None; the host in other capitals ("PittsburghLIVE.com"): None, as the host
    itself."""
    from trafilatura.metadata import META_URL

    if not stated or not stated.strip():
        return None
    found = META_URL.match(url or "")
    host = found[1].lower() if found else ""
    parts = [part.strip() for part in _SITE_NAME_PARTS.split(stated) if part.strip()]
    if len(parts) > 1:
        # The part naming the host ("SPORTBOX.tv"), else the first: a site names itself before its section.
        named = [part for part in parts if host and _compact_name(part) in _host_names(host)]
        stated = named[0] if named else parts[0]
    name, hosts = _compact_name(stated), _host_names(host) if host else set()
    if name in hosts:
        return None  # the host itself: the reader takes it from the URL, in one spelling
    if title and name == _compact_name(title):
        return None  # the headline, not a name
    return stated


def _compact_name(name: str) -> str:
    return _WHITE.sub("", name).lower()


def _host_names(host: str) -> set[str]:
    """A host and the names under it that still hold a site's name: news.smh.com.au, smh.com.au."""
    labels = host.split(".")
    return {".".join(labels[k:]) for k in range(len(labels) - 1)}


def _good_blocks_pass(html: str, config: HtmlConfig) -> list[str] | None:
    """The page's paragraphs jusText calls good (long and not link-dense, or short between such: the shallow
    text features of Kohlschuetter et al., read without a stoplist, so a page in any language is read alike),
    when they read as an article; else None. For recall, where trafilatura's passes find nothing: a story
    among 200 kB of a portal's chrome, whose recall pass runs the story and every menu into one text."""
    blocks = _justext_blocks(html)
    if blocks is None:
        return None
    lines = [_SPACES.sub(" ", _WHITE.sub(" ", b.text).strip()) for b in blocks if b.class_type == "good"]
    lines = [line for line in lines if line]
    return lines if _reads_as_article(lines, config) else None


def _justext_blocks(html: str) -> list | None:
    """jusText's blocks of a page, classified without a stoplist (its length and link-density features only,
    so a page in any language is read alike); None when the page does not parse."""
    import justext
    from lxml.etree import ParserError

    try:
        return justext.justext(html, frozenset(), stopwords_low=0, stopwords_high=0)
    except (ParserError, ValueError):
        return None


def _reads_as_article(lines: list[str], config: HtmlConfig) -> bool:
    """Whether extracted paragraphs are mostly prose: sentences, not link lists, prices or short labels."""
    total = sum(map(len, lines))
    prose = sum(len(line) for line in lines if len(line) >= config.prose_chars and ENDS_SENTENCE.search(line))
    return prose >= config.min_prose_chars and prose >= config.min_prose_share * total


def extract_article(
    data: bytes,
    url: str | None = None,
    declared_charset: str | None = None,
    config: HtmlConfig = HtmlConfig(),
) -> Article:
    """Extract the main text and metadata of a page; raises NotText when the page holds no article.

    url: where the page was found (a crawl's target URI), used when the page names no canonical URL.
    """
    html, encoding = decode_page(data, declared_charset)
    # A static-site generator's source file (a Jekyll post written in HTML, an archive's export) opens with
    # front matter the site reads and never shows: its fields are the page's metadata, the HTML after it the
    # page.
    front = split_front_matter(html)
    if front is not None:
        html = front.body
    repairs: list[str] = []
    # Repaired before parsing: the parser drops the C1 bytes that mojibake of ” and other characters needs.
    if may_hold_mojibake(html):
        html, repairs = repair_unicode(html)
    html, mended = mend_cut_markup(html)
    repairs += mended
    tree = _load_html(html)
    if tree is None and front is not None:
        tree = _load_post_body(html)
    if tree is None:
        raise NotText("it does not parse as HTML")
    stated = published_time(tree)
    links = link_text(tree)
    blocks = page_blocks(tree) if config.shallow or config.story_prose_words else None
    _pre_as_paragraphs(tree)
    _join_hard_wraps(tree)
    _collapse_source_line_ends(tree)
    _bare_text_as_paragraphs(tree, config)
    # A post's body as its blog stored it (an export, a static site's source) has no page chrome to keep out:
    # read for recall, or the extractor's precision drops its lists and its <div>-wrapped paragraphs.
    precision = config.favor_precision and _PAGE_PARTS.search(html) is not None
    result = _extract(tree, url, precision, config.include_tables)
    lines = _lines(result)
    if len("\n\n".join(lines)) < config.min_article_chars:
        # Only now the second pass: a parse and one or two extractions more, which ordinary pages never pay.
        second = _layout_table_pass(html, url, config)
        good = _good_blocks_pass(html, config) if second is None else None
        if second is not None:
            result, lines = second
        elif good is not None:
            lines = good
            if result is None:
                from trafilatura.metadata import extract_metadata

                # Only dates the page states, as _extract asks.
                result = extract_metadata(_load_html(html), default_url=url, extensive=False)
        elif result is None or not (result.text or "").strip():
            raise NotText("no article text found in the page")
    kept, boxed = without_link_lines(lines, links, config)
    if not _mostly_links(kept, links, config):
        closing = set(after_main_text(html, kept, links, config))
        if blocks is not None and config.shallow is not None:
            closing |= set(chrome_by_features(kept, blocks, config.shallow))
        if blocks is not None and config.story_prose_words is not None:
            closing |= set(
                after_the_story(
                    kept, blocks, config.story_prose_words, config.story_share, config.story_max_kept_share
                )
            )
        boxed += tuple(line for line in kept if line in closing and line not in boxed)
        if config.tail_prose_words is not None:
            tail = set(tail_chrome(kept, set(boxed), config.tail_prose_words))
            boxed += tuple(line for line in kept if line in tail and line not in boxed)
    text = "\n\n".join(kept)
    if len(text) < config.min_article_chars:
        raise NotText(
            f"no article in the page: its main text is {len(text)} characters long (an index or "
            f"error page?), fewer than {config.min_article_chars}"
        )
    sitename = site_name(result.sitename, result.title, result.url)
    metadata = {
        "title": result.title,
        "published_at": _iso_or_none(stated) or _iso_or_none(result.date),
        "url": result.url,
        "outlet": sitename,
        "author": result.author,
    }
    if front is not None:  # what the front matter states is what the site printed in the page's header
        metadata |= {k: v for k, v in front.fields.items() if k in metadata and v}
    return Article(text, metadata, encoding, tuple(repairs), boxed)
