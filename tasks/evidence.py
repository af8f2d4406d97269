"""Link evidence read from a document's text once, when it is prepared, so that linking the whole corpus never
reads the text (docs/link-memory.md).

Per paragraph: its names and numbers in reading order, as 64-bit word hashes (`names`), whether it is a
Markdown heading (`is_heading`), a lead-in ending in a colon (`is_lead_in`) or a list item (`is_list_item`),
and its release-template key (`template_key`, tasks/boilerplate.py: the text with its numbers masked, for an
outlet's release templates) and the facts it carries (`template_facts`: its numbers but version strings, which
tell the template filled in for other news from furniture). Per document: its URL's canonical form
(`canonical_url`); linking also reads its title, for the release a post announces (`release_of`) and the
instance of a recurring series it is (`series_of`). Everything else linking weighs
(fingerprints, sketches, word counts, rule flags) is prepared already. The body a document is linked on is
known only over the whole corpus (text its outlet prints across stories is held out), so the evidence is
kept per paragraph and gathered over body rows at link time.
"""

from __future__ import annotations

import functools
import hashlib
import re
from itertools import chain
from urllib.parse import urlsplit

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks.boilerplate import VERSION_STRING, template_keys
from tasks.fingerprint import shingles, word_hashes

PARAGRAPH_EVIDENCE = ("names", "is_heading", "is_lead_in", "is_list_item", "template_key", "template_facts")
DOCUMENT_EVIDENCE = ("canonical_url",)

# A Markdown heading, or a run-in label alone in its paragraph ("Impact:", "Release timing:"): the document's
# structure, printed by every post of a series, not the outlet's furniture. A heading is a line of at most 16
# words: a Markdown heading with its section's text run into its paragraph ("## Thank you! A huge thank you to
# our amazing community ...", printed by every announcement of a blog) is that text, and furniture when the
# text is (boilerplate-9). "##Highlights" is a heading too (kramdown reads it as one).
_HEADING = r"^ {0,3}(#{1,6}[ \t]+|#{2,6})[^\s#]\S*(\s+\S+){0,15}\s*$|^[^\W\d_][\w'’-]*( [\w'’-]+){0,2}:$"

# A lead-in: a line of at most 25 words ending in a colon, that introduces what follows it ("The following
# methods and trait implementations are now stabilized:", "## Dependency Upgrades In this release, we've
# upgraded several dependency versions, including but not limited to the following:"). Printed by every post
# of a series, and the post's own structure when what follows is the post's own text
# (stories.lead_ins_to_own_text).
# Not an emoji's short code (":eyes:"), and not a thanks formula over the names it thanks ("Many thanks to the
# contributors to this release:"): the acknowledgements a template prints in every post are its furniture.
_LEAD_IN = r"^\s*(?:\S+\s+){0,24}[^\s:]\S*:\s*$"
_THANKS = r"(?i)\b(?:thanks?|thankful|grateful|gratitude|acknowledg)"

# A list item: a paragraph opening with a Markdown bullet or number ("* Venue", "- Rooms", "2. Objectives").
# An item need not be a sentence: a list's items are a text's own words however short (stories.shared_news).
_LIST_ITEM = r"^ {0,3}(?:[*+-]|\d{1,3}[.)])[ \t]+\S"

# A name is a capitalised word that does not open a sentence; a number holds a digit.
_TOKEN = re.compile(r"[^\W_][\w'’.,-]*[^\W_]|[^\W_]")
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$")
_SENTENCE_CLOSE = frozenset(".!?\"”’')]")  # the last character of any token _SENTENCE_END finds


def names_and_numbers(text: str) -> list[str]:
    """The names and numbers of a text in reading order, lower-cased (the part a rewrite keeps)."""
    out = []
    opening = True
    for raw_token in text.split():
        if raw_token.isalpha():  # most words: the whole token is the word, without a digit or a sentence end
            if not opening and raw_token[0].isupper():
                out.append(raw_token.lower())
            opening = False
            continue
        token = _TOKEN.search(raw_token)
        if token is not None:
            word = token.group().rstrip(".,")
            digit = not word.isalpha() and any(c.isdigit() for c in word)
            if digit or (not opening and word[:1].isupper()):
                out.append(word.lower())
        opening = raw_token[-1] in _SENTENCE_CLOSE and _SENTENCE_END.search(raw_token) is not None
    return out


# A dash among a lead's first words closes its dateline ("LONDON, March 9 -", "WASHINGTON (AP) —").
_DATELINE_DASH = frozenset({"-", "--", "–", "—"})
_DATELINE_WORDS = 8


def lead_subject(text: str) -> list[str]:
    """The first run of capitalised words of a lead, after its dateline, lower-cased: who the story is about
    ("Barclays Bank Plc <BCS.L>" in "LONDON, March 9 - Barclays Bank Plc <BCS.L> and Midland ..."; "The
    Senate Intelligence Committee"). A run holds no number: "March 9" outside a dateline is a date."""
    tokens = text.split()
    dash = [k for k, t in enumerate(tokens[:_DATELINE_WORDS]) if t in _DATELINE_DASH]
    run: list[str] = []
    for raw_token in tokens[dash[0] + 1 if dash else 0 :]:
        token = _TOKEN.search(raw_token)
        word = token.group().rstrip(".,") if token is not None else ""
        if word[:1].isupper() and not any(c.isdigit() for c in word):
            run.append(word.lower())
        elif run:
            break
        # Before the run: a lead opening on a lower-case word or a number names its subject later, if at all.
        elif word:
            break
    return run


def words_of(text: str) -> set[str]:
    """Every word of a text, lower-cased, as lead_subject reads them."""
    out = set()
    for raw_token in text.split():
        token = _TOKEN.search(raw_token)
        if token is not None:
            out.add(token.group().rstrip(".,").lower())
    return out


# Quotation marks: straight and curly double quotes, and curly single quotes (British style) where a closing
# one is not an apostrophe inside a word ("it’s").
_QUOTED_TOKEN = re.compile(r"[\"“”‘]|’(?!\w)|\w+(?:[’'-]\w+)*")
_CLOSES = {'"': '"', "“": "”", "‘": "’"}  # a quote's opening mark: its closing one
NARRATIVE_SHINGLE = 5
# Words beside a quote, this many or fewer, are its attribution ("fire chief Owen Pratt said", "he told
# AAP"): they travel with the quote into every report that prints it.
ATTRIBUTION_WORDS = 8


def narrative_shingles(paragraphs: list[str]) -> list[tuple[str, ...] | None]:
    """The 5-word shingles of a text's narrative, its words outside quotation marks and their attributions,
    in reading order; None where the narrative breaks (a quote, a paragraph's end), so no shingle spans one.

    What a rewrite keeps of its source's own sentences (docs/linking.md, link-10): two reports of one event
    written apart share the quoted speech and who said it, a rewrite also the reporter's phrasing. A quote
    opened and not closed runs to the paragraph's end (a quote continued in the next paragraph opens it
    again)."""
    out: list[tuple[str, ...] | None] = []
    for text in paragraphs:
        for words in narrative_runs(text):
            out.extend(_shingles(words))
        out.append(None)
    return out


def narrative_runs(text: str) -> list[list[str]]:
    """One paragraph's runs of narrative words (lower-cased), as narrative_shingles shingles them: the words
    outside quotes, but for those beside a quote that are its attribution."""
    segments: list[tuple[list[str], bool]] = [([], False)]  # words outside quotes; beside a quote?
    closing = ""  # the mark that closes the quote open, or "" outside quotes
    for token in _QUOTED_TOKEN.findall(text):
        if closing:  # inside a quote, only its own closing mark counts (not a quote inside the quote)
            if token == closing:  # the quote closed: the words after it are beside it
                closing = ""
                segments.append(([], True))
        elif token in _CLOSES:  # a quote opens: the words before it are beside it
            segments[-1] = (segments[-1][0], True)
            closing = _CLOSES[token]
        elif token not in "”’":  # a word (a stray closing mark, a plural's apostrophe: nothing)
            segments[-1][0].append(token.lower().replace("’", "'"))
    return [words for words, beside in segments if not (beside and len(words) <= ATTRIBUTION_WORDS)]


# Odd 64-bit constants weighting a word's hash by its place in a narrative shingle (narrative_keys).
_NARRATIVE_PLACE = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53],
    dtype=np.uint64,
)


def narrative_keys(paragraphs: list[str]) -> list[np.ndarray]:
    """Per paragraph, its narrative_shingles as distinct 64-bit keys (sorted): what narrative_paragraphs
    compares, held in 8 bytes a shingle (a shingle as a tuple of words holds about 160). A key is the
    shingle's words' hashes (tasks.fingerprint.word_hash), each times an odd constant of its place, summed:
    two shingles have one key when their words are the same; two different ones, with odds of 2**-64."""
    words: list[str] = []
    lengths, owner = [], []
    for k, text in enumerate(paragraphs):
        for run in narrative_runs(text):
            words.extend(run)
            lengths.append(len(run))
            owner.append(k)
    n = NARRATIVE_SHINGLE
    lengths = np.array(lengths, dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    windows = np.maximum(lengths - n + 1, 0)  # shingles per run
    first = (
        np.repeat(starts, windows)
        + np.arange(int(windows.sum()))
        - np.repeat(np.cumsum(windows) - windows, windows)
    )
    hashes = word_hashes(pa.array(words, pa.string())) if words else np.zeros(0, dtype=np.uint64)
    keys = np.zeros(len(first), dtype=np.uint64)
    for place in range(n):
        keys += hashes[first + place] * _NARRATIVE_PLACE[place]
    of = np.repeat(np.array(owner, dtype=np.int64), windows)
    order = np.lexsort((keys, of))
    keys, of = keys[order], of[order]
    distinct = np.r_[True, (keys[1:] != keys[:-1]) | (of[1:] != of[:-1])] if len(keys) else np.zeros(0, bool)
    keys, of = keys[distinct], of[distinct]
    bounds = np.searchsorted(of, np.arange(len(paragraphs) + 1))
    return [keys[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]


def _shingles(words: list[str]) -> list[tuple[str, ...] | None]:
    n = NARRATIVE_SHINGLE
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)] + [None]


def canonical_url(url: str | None) -> str | None:
    """One form per page: scheme, `www.`, a trailing slash, a fragment and tracking parameters dropped.

    Every other part of the query stays: old news CMSs name the article in it, not in the path
    (`bloomberg.com/apps/news?pid=20601101&sid=a3wJQohP8pyo`, `telegraph.co.uk/sport/main.jhtml?xml=/sport/
    2008/01/10/sfntot210.xml`, `index.php?/site/article/4255/`), and one canonical URL makes documents one
    story before their text is read: dropping such a query made every article of a site one URL. A URL kept
    apart by a parameter that does not name the page (a session id) costs nothing: its copies link on
    their text."""
    if not url or not url.strip():
        return None
    from courlan import normalize_url  # imported at use: a run with nothing new reads no page

    try:
        parts = urlsplit(url.strip())
        # courlan drops trackers (utm_*, fbclid, ref, …) and keeps key=value pairs; a query that is a
        # path (no `=`) it would drop whole, so it is kept as written.
        path_query = parts.query if parts.query and "=" not in parts.query else ""
        normal = normalize_url(parts._replace(fragment=""), strict=False, trailing_slash=False)
    except (ValueError, TypeError):
        return None
    host_path = normal.split("://", 1)[-1]
    host_path = host_path[4:] if host_path.startswith("www.") else host_path
    host_path = host_path.rstrip("/")
    if path_query:
        host_path = f"{host_path}?{path_query}"
    return host_path or None


# A title that announces a release ("Apache Flink 1.16.2 Release Announcement", "Announcing Rust 1.64.0",
# "Drill 1.1 Released"): the versions it names are the release the post is about (release_of).
_ANNOUNCES = re.compile(r"\b(?:releas(?:e|es|ed)|announc(?:e|es|ed|ing|ement))\b", re.IGNORECASE)
_TITLE_WORD = re.compile(r"[^\W_]+(?:[.-][^\W_]+)*")
_TRAILING_ZEROS = re.compile(r"(?:\.0)+(?=$|[-a-z])")


# Titles whose release and series are kept (series_apart reads every title of the corpus three times, by the
# series, the series' lead and the standing title; a corpus repeats its titles).
_TITLES_KEPT = 1 << 17


@functools.lru_cache(maxsize=_TITLES_KEPT)
def release_of(title: str | None) -> str | None:
    """The release a post announces: the version strings its title names, when the title announces a release
    (a word of `release` or `announce`), lower-cased, `v` and trailing `.0` parts dropped ("7.0.0" and "7.0"
    are one release, "7.0.0-RC2" another), sorted and joined by spaces; None for any other title.

    The class (issue 12): a blog's release announcements built from one template share most of their text
    word for word (its install, upgrade, mailing-list and thanks sections, the version an unfilled variable),
    so two announcements of two releases read as one text and its revision. Their titles name the release.
    Editions of a text ("Contributor Covenant Code of Conduct 2.1") name their version without announcing
    it, and are versions of one text; a draft and its post announce the same release. A title that is a
    name and a release number of three parts ("Node.js 0.10.11 (Stable)", "Node v12.15.0 (LTS)") announces
    that release too (_names_a_release)."""
    if not title:
        return None
    if _ANNOUNCES.search(title) is None and not _names_a_release(title):
        return None
    found = set()
    for word in _TITLE_WORD.findall(title.lower()):
        if VERSION_STRING.fullmatch(word) and any(c.isdigit() for c in word):
            found.add(_TRAILING_ZEROS.sub("", word.removeprefix("v")))
    return " ".join(sorted(found)) or None


# A release number of three parts or more ("0.10.11", "v12.15.0", "7.0.0-rc2"), as release notes title it; an
# edition of a text numbers itself in two ("Contributor Covenant 2.1").
_RELEASE_NUMBER = re.compile(r"v?\d+\.\d+\.\d+(?:[.-][0-9a-z]+)*")
# A release note's title is the product's name, the number and its channel: "Node.js 0.10.11 (Stable)".
_RELEASE_TITLE_WORDS = 3


def _names_a_release(title: str) -> bool:
    """Whether a title is a name and a release number only: at most _RELEASE_TITLE_WORDS words besides one
    number of three parts (a project's release notes, titled without the word "release": Node.js's blog
    titles 1,000 of them so, one template each; found by bench.revisions, issue 12)."""
    words = _TITLE_WORD.findall(title.lower())
    numbers = [w for w in words if _RELEASE_NUMBER.fullmatch(w)]
    return len(numbers) == 1 and len(words) - 1 <= _RELEASE_TITLE_WORDS


# An instance of an outlet's recurring series in a title (series_of): a number ("This Week in Rust 552", "News
# Round-up #41", "the 3rd"), a year, a date ("2024-06-19", "19/06"), a month's name ("Monthly Update - March
# 2025"). A version string (with dots) is no instance unless the title announces a release: "Contributor
# Covenant 2.0" and "2.1" are editions of one text.
_SERIES_WORD = re.compile(r"#?[^\W_]+(?:[./:-][^\W_]+)*")
_INSTANCE = re.compile(r"#?\d+(?:st|nd|rd|th)?|\d{1,4}(?:[/-]\d{1,4}){1,2}|\d{1,2}:\d\d")
# Months' names and their abbreviations, with their numbers (dates_of reads days by them).
_MONTH_NUMBER = {
    name: k % 12 + 1
    for k, name in enumerate(
        "january february march april may june july august september october november december "
        "jan feb mar apr may jun jul aug sep oct nov dec".split()
    )
} | {"sept": 9}
_MONTHS = frozenset(_MONTH_NUMBER)
_MIN_SERIES_WORDS = 2  # "2024" or "Week 3" alone names no series


@functools.lru_cache(maxsize=_TITLES_KEPT)
def series_of(title: str | None) -> tuple[str, str] | None:
    """The recurring series a title names and the instance of it (issue 12, class 2): (series, instance), the
    series being the title with its instance words masked, the instance those words in order; None for a
    title naming no instance.

    The class: an outlet publishes series from one template (weekly newsletter issues, yearly calls for
    papers or hosts, monthly updates, release announcements), and two instances share most of the template's
    wording while they are two stories; their titles differ only in the instance: "This Week in Rust 551" and
    "552", "openSUSE.Asia Summit 2024: Call for Host" and "2025", "Tumbleweed Monthly Update - March 2025" and
    "April 2025". A revision of one instance keeps its title's instance (a draft and its issue, a fix). A
    title announcing a release (`release_of`) is an instance of the outlet's release series whatever its
    wording ("Apache Grails 7.0.0-RC2 Released", "Announcing Apache Grails 7.0.0"), the release the
    instance."""
    release = release_of(title)
    if release is not None:
        return "release", release
    if not title:
        return None
    key, instance = [], []
    for word in _SERIES_WORD.findall(title.lower()):
        if _INSTANCE.fullmatch(word) or word in _MONTHS:
            # A run of instance words is one slot: an outlet names one instance by its month in one title and
            # by its month and year in the next ("Council September Selections", "Council September 2025
            # Selections"), one series either way (bench.revisions: Rust's half-yearly council selections).
            if not key or key[-1] != "#":
                key.append("#")
            instance.append(word.lstrip("#"))
        else:
            key.append(word)
    if not instance or len(key) - key.count("#") < _MIN_SERIES_WORDS:
        return None
    return " ".join(key), " ".join(instance)


# Words a series' title holds before its first instance (series_lead_of): "Devroom at FOSDEM 17" names the
# series by more than a word or two; "Top 10" or "Week 3" does not.
_MIN_LEAD_WORDS = 3


def series_lead_of(title: str | None) -> tuple[str, str] | None:
    """The series a title names by its words up to its first instance, and that instance: (lead, instance),
    None when the title names no instance or fewer than `_MIN_LEAD_WORDS` words before it (a release
    announcement's series is `series_of`'s).

    The class (issue 12, class 2): an outlet's series whose title is reworded after its instance from one
    instance to the next, so the whole masked titles differ: "Open Document Editors Devroom at FOSDEM 17,
    Brussels 4-5 Feb 2017" and "... at FOSDEM 18, Brussels FOSDEM is 3-4 Feb 2018". The lead names the series,
    its first instance the instance."""
    if not title or release_of(title) is not None:
        return None
    lead = []
    for word in _SERIES_WORD.findall(title.lower()):
        if _INSTANCE.fullmatch(word) or word in _MONTHS:
            if len(lead) < _MIN_LEAD_WORDS:
                return None
            return " ".join(lead), word.lstrip("#")
        lead.append(word)
    return None


# A day named in a text (dates_of): a month's name with a day ("March 4", "Oct. 1", "October 5th", "21
# October", "the 22nd of December": a survey's closing day as Rust's 2021 launch wrote it), or an ISO date
# ("2024-06-19"). Years alone are left out: a standing text names its year too.
_MONTH = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
_DAY = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:\d)"
    rf"|(?P<d2>\d{{1,2}})(?:(?:st|nd|rd|th)(?:\s+of)?)?\s+(?P<m2>{_MONTH})\b"
    rf"|(?:19|20)\d\d-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)\b)",
    re.IGNORECASE,
)


def dates_of(texts: list[str]) -> set[str]:
    """The days the texts name, as "MM-DD" (a month's name with a day number, an ISO date; year left out).

    What tells two instances of a series from an edition of a standing text (series_of): a newsletter issue,
    a call with its deadlines, an update on its events is about its own days ("Rusty Events between
    2024-06-19 - 2024-07-17", "March 4: Deadline of application"); a code of conduct re-issued for each
    year's conference names no day."""
    days = set()
    for text in texts:
        for m in _DAY.finditer(text):
            month = m.group("m1") or m.group("m2")
            month_number = _MONTH_NUMBER[month.lower()] if month else int(m.group("m3"))
            day = int(m.group("d1") or m.group("d2") or m.group("d3"))
            if 1 <= day <= 31 and 1 <= month_number <= 12:
                days.add(f"{month_number:02d}-{day:02d}")
    return days


# A year named in this many of a text's paragraphs at least is a year the text is about (year_of).
_MIN_YEAR_PARAGRAPHS = 3
# A year named in a text or a title (year_of; tasks.stories reads titles by it too).
YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def year_of(texts: list[str]) -> str | None:
    """The year a text is about: the year its paragraphs name most often, when at least
    `_MIN_YEAR_PARAGRAPHS` of them name it (and no other year as often); None otherwise.

    What tells two years' instances of a yearly report apart (series_apart), where dates_of cannot: a report
    on a year ("Security Report: 2021") names its year throughout ("for the calendar year 2021", "In 2021 our
    security email addresses received...", "During 2021 there were...") and its days seldom, the same ones
    each year ("As of January 1st"). An edition of a standing text re-issued each year names its year in its
    title and a line or two ("PyCon US Code of Conduct (2013)": two paragraphs)."""
    counts: dict[str, int] = {}
    for text in texts:
        for year in set(YEAR.findall(text)):
            counts[year] = counts.get(year, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.values(), reverse=True)
    if ranked[0] < _MIN_YEAR_PARAGRAPHS or (len(ranked) > 1 and ranked[1] == ranked[0]):
        return None
    return max(counts, key=counts.get)


def name_lists(names: list[list[str]]) -> pa.ListArray:
    """The `names` column for lists of names: each name's word hash (tasks.fingerprint.word_hash)."""
    counts = np.fromiter(map(len, names), dtype=np.int32, count=len(names))
    offsets = np.r_[np.int32(0), np.cumsum(counts, dtype=np.int32)]
    flat = pa.array(chain.from_iterable(names), pa.string())
    hashes = word_hashes(flat) if len(flat) else np.empty(0, np.uint64)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(hashes, pa.uint64()))


def paragraph_evidence(
    texts: pa.Array, known: dict | None = None, distinct: tuple[list[str], list[bytes]] | None = None
) -> dict[str, pa.Array]:
    """The paragraph evidence columns for paragraph texts.

    known: evidence of texts met before, by the text's digest (evidence_of), reused and extended: prepare
    keeps one per process, so a text its worker prepared in an earlier shard is not read again.
    distinct: when `texts` is a dictionary array of texts without nulls (prepare's), its dictionary as a list
    and the digests of those texts, which the caller has already."""
    # Each distinct text once (an outlet's furniture, a story's copies): the per-text steps are Python.
    if distinct is None:
        coded = pc.fill_null(texts, "").dictionary_encode()
        values, digests = coded.dictionary.to_pylist(), None
    else:
        coded, (values, digests) = texts, distinct
    read = evidence_of(values, {} if known is None else known, digests)
    at, once = coded.indices, coded.dictionary  # a null text is "" here: no pattern below matches it
    names = name_lists([names.split(" ") if names else [] for names, _, _ in read]).take(at)
    heading = pc.match_substring_regex(once, _HEADING).take(at)
    lead_in = pc.and_(
        pc.match_substring_regex(once, _LEAD_IN), pc.invert(pc.match_substring_regex(once, _THANKS))
    ).take(at)
    keys = np.array([(key, facts) for _, key, facts in read], dtype=np.int64).reshape(-1, 2)
    template = pa.array(keys[:, 0]).take(at)
    facts = pa.array(keys[:, 1]).take(at)
    return {
        "names": names,
        "is_heading": heading,
        "is_lead_in": lead_in,
        "is_list_item": pc.match_substring_regex(once, _LIST_ITEM).take(at),
        "template_key": template,
        "template_facts": facts,
    }


def text_digest(text: str) -> bytes:
    """A paragraph text's 128-bit digest: the key under which what is computed from the text alone is kept
    for the copies met again (evidence_of, prepare's passage keys)."""
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def evidence_of(
    texts: list[str], known: dict, digests: list[bytes] | None = None
) -> list[tuple[str, int, int]]:
    """(names_and_numbers joined by spaces, template_key, template_facts) of each text; a text whose 128-bit
    digest (text_digest, or `digests` when the caller has them) is in `known` takes the evidence stored
    there, the others are read and added."""
    out = []
    for text, digest in zip(texts, digests or map(text_digest, texts), strict=True):
        found = known.get(digest)
        if found is None:
            # Names are cut from whitespace-free tokens: joined by a space, they split back as they were.
            found = known[digest] = (" ".join(names_and_numbers(text)), *template_keys(text))
        out.append(found)
    return out


def document_evidence(urls: pa.Array) -> dict[str, pa.Array]:
    """The document evidence columns for document URLs."""
    return {"canonical_url": pa.array([canonical_url(u) for u in urls.to_pylist()], pa.string())}


def with_evidence(docs: pa.Table, paras: pa.Table) -> tuple[pa.Table, pa.Table]:
    """The tables with their evidence columns filled: rows that lack it (written before it was prepared, or
    by code that leaves it out) get it from their text and URL here. Paragraphs that lack it need `text`."""
    missing = _missing(paras, PARAGRAPH_EVIDENCE)
    if missing.any():
        if "text" not in paras.column_names:
            raise ValueError(
                f"{int(missing.sum())} paragraphs have no link evidence ({', '.join(PARAGRAPH_EVIDENCE)}) "
                "and no text to compute it from: read their `text` column too"
            )
        computed = paragraph_evidence(paras.column("text").filter(pa.array(missing)).combine_chunks())
        paras = _filled(paras, missing, computed)
    missing = _missing(docs, DOCUMENT_EVIDENCE)
    if "url" in docs.column_names:
        # A document without a URL has no canonical one: nothing to compute.
        missing &= docs.column("url").is_valid().to_numpy(zero_copy_only=False)
    else:
        missing[:] = False
    if missing.any():
        docs = _filled(docs, missing, document_evidence(docs.column("url").filter(pa.array(missing))))
    elif not set(DOCUMENT_EVIDENCE) <= set(docs.column_names):
        docs = _filled(docs, missing, {c: pa.nulls(0, pa.string()) for c in DOCUMENT_EVIDENCE})
    return docs, paras


def _missing(table: pa.Table, columns: tuple[str, ...]) -> np.ndarray:
    """Per row: whether any of the columns is absent or null."""
    missing = np.zeros(table.num_rows, dtype=bool)
    for name in columns:
        if name not in table.column_names:
            return np.ones(table.num_rows, dtype=bool)
        missing |= table.column(name).is_null().to_numpy(zero_copy_only=False)
    return missing


def _filled(table: pa.Table, missing: np.ndarray, computed: dict[str, pa.Array]) -> pa.Table:
    """The table with the rows marked `missing` taking `computed` (in row order) in those columns."""
    kept = np.flatnonzero(~missing)
    at = np.empty(len(missing), dtype=np.int64)
    at[kept] = np.arange(len(kept))
    at[missing] = len(kept) + np.arange(int(missing.sum()))
    for name, values in computed.items():
        if name in table.column_names:
            old = table.column(name).filter(pa.array(~missing)).combine_chunks()
            column = pa.concat_arrays([old.cast(values.type), values]).take(pa.array(at))
            table = table.set_column(table.schema.get_field_index(name), name, column)
        else:
            column = pa.concat_arrays([pa.nulls(len(kept), values.type), values]).take(pa.array(at))
            table = table.append_column(name, column)
    return table


def standing_title_of(title: str | None) -> str | None:
    """The title an outlet's yearly post is printed under each year (link-17): its words but the instance
    (series_of: "rOpenSci Code of Conduct Transparency Report" of "rOpenSci 2023 Code of Conduct Transparency
    Report"), all of them where it names no instance ("announcing new asf board of directors"); None for no
    title or a release announcement (told apart by the release it names). The instance is left out, not
    masked (link-21): an outlet's first post of a recurring announcement names no instance and the next ones
    add their year ("Electing New Project Directors", "Electing new Project Directors 2025")."""
    named = series_of(title)
    if named is not None:
        return None if named[0] == "release" else " ".join(w for w in named[0].split() if w != "#")
    words = _SERIES_WORD.findall((title or "").lower())
    return " ".join(words) or None


def own_share(texts: list[str], others: list[str], min_jaccard: float = 0.5) -> float:
    """The share of the words of `texts` (a document's paragraphs) in paragraphs with no near paragraph in
    `others` (a 3-word-shingle Jaccard of `min_jaccard` or more): what the document says that the other does
    not (link-17). An edition of a standing text keeps its paragraphs and recasts a few; the next year's
    post of a series keeps the template's and fills the rest with that year's news (who was elected, which
    reports came in)."""
    theirs = [shingles(t.lower().split(), 3) for t in others]
    total = own = 0
    for text in texts:
        words = text.lower().split()
        mine = shingles(words, 3)
        total += len(words)
        if not any(mine and len(mine & s) >= min_jaccard * len(mine | s) for s in theirs):
            own += len(words)
    return own / total if total else 0.0
