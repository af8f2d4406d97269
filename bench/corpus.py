"""Synthetic stories with known republication edits, built from real news prose, for every reprint benchmark.

API (deterministic for a seed; text: the Lee news corpus shipped inside the `gensim` wheel, read offline;
each paragraph is a run of sentences from a random article, names and numbers changed per story):
    docs = iter_documents(n_stories, seed=0)            # streams Document objects, origin first in each story
    corpus = generate_corpus(n_stories, seed=0)         # the same, as a Corpus (.documents, .stories())
    Options: republications_per_story=(1, 4), paragraphs_per_story=(4, 14), edit_mix=EditMix(...),
             distractors=0.0 (share of stories quoting a paragraph of another story verbatim; outlets always
             share their boilerplate across stories), first_story=0 (start index, to shard big corpora).
    Document: doc_id, story, outlet, title, published_at (origin earliest), version (0 = origin), paragraphs
             (boilerplate included), boilerplate (gold flags), base_doc_id and fates (gold rows
             (base_para_idx, para_idx, fate) over indices of the written paragraphs; boilerplate in no row),
             url (only with LinkingCases.same_outlet).
    Harder linking cases (re-cut, same-outlet revisions at one URL, heavy rewrites, hard negatives):
             iter_documents(..., cases=LinkingCases(recut=0.3, ...)); bench/link_cases.py measures them.
    write_jsonl(docs, path) -> CONTRACT's JSONL (text = paragraphs joined by blank lines, id, title, outlet,
             published_at); write_folder(docs, dir) -> DIR/<outlet>/<doc_id>.txt + DIR/manifest.csv; both
             write the gold labels (Document.gold(), one JSON per line) to a hidden file ingestion skips:
             .<stem>.gold.jsonl beside the JSONL, DIR/.gold.jsonl for a folder (or gold_path=...).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import random
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252", the codec real mojibake comes from

FATES = ("survived", "moved", "changed", "split", "merged", "disappeared", "appeared")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_NUMBER = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
_EPOCH = datetime(2025, 1, 6, 6, 0)


@dataclass(frozen=True)
class EditMix:
    """How republications differ from their origin: per-paragraph and per-document probabilities."""

    drop: float = 0.07  # a body paragraph disappears
    word_edit: float = 0.14  # 5-40% of its words substituted, deleted or inserted
    word_edit_share: tuple[float, float] = (0.05, 0.40)
    sentence_edit: float = 0.06  # a sentence added to or removed from the paragraph
    split: float = 0.05  # a paragraph of two or more sentences becomes two paragraphs
    merge: float = 0.05  # two neighbouring paragraphs become one
    add: float = 0.07  # per base paragraph: a new paragraph appears somewhere
    move: float = 0.35  # per document and per possible move: an untouched paragraph moves at least two places
    max_moves: int = 1
    move_edit: float = 0.0  # a moved paragraph also gets 5-15% of its words edited (still `moved`)
    typography: float = 0.30  # an untouched paragraph gets quotes, dashes, spaces or case changed
    truncate: float = 0.12  # per document: the republication stops early
    mojibake: float = 0.08  # per document: UTF-8 read as Windows-1252 (the pipeline's repair must undo it)
    boilerplate: float = 0.9  # per document: the outlet prints its header/footer paragraphs


@dataclass(frozen=True)
class LinkingCases:
    """Harder republications for the linking benchmarks (all off by default, so default outputs do not
    change; drawn from their own random stream). Per republication:
      recut: the body re-cut at other sentence boundaries (a third of the time: one paragraph);
      same_outlet: published again by the origin's own outlet at the origin's URL (a revision; both get a
        `url`), recut / rewrite still apply;
      rewrite: a heavy rewrite: the lead's last sentence brought to the front, paragraphs of two sentences
        or more cut in two, and `rewrite_share` of the words that are not names or numbers replaced (0.15
        keeps about half of the 5-word shingles, as churnalism does; 0.3 a quarter, a wire write-through);
      cut: a short rewrite (a broadcast or brief of a wire story): its first 3-5 paragraphs only, each cut to
        its first sentence, with 0.3 of the words that are not names or numbers replaced;
    per story: hard_negative: the story is an independent report of an earlier one, at least 8 paragraphs
      of its own plus three of the earlier story's paragraphs (quotes) verbatim;
      churn: every third paragraph of the story is a quote (in quotation marks, attributed), its first
      republication is churnalism (the quotes kept and attributed anew, the other paragraphs with half of
      their words that are not names or numbers replaced, the second half of the story brought before the
      first, two paragraphs of its own added), and an independent report of the same event (a story of its
      own: 8 paragraphs of its own) prints the same quotes (issue 12, class 3, link-10).
    Republications made by recut or rewrite have no gold fates (grouping only)."""

    recut: float = 0.0
    same_outlet: float = 0.0
    rewrite: float = 0.0
    rewrite_share: float = 0.15
    hard_negative: float = 0.0
    cut: float = 0.0
    churn: float = 0.0

    @property
    def active(self) -> bool:
        return any((self.recut, self.same_outlet, self.rewrite, self.hard_negative, self.cut, self.churn))


# A stress test: twice the edits, up to three moves (some of them edited), more truncation and mojibake.
HEAVY_EDITS = EditMix(
    drop=0.12,
    word_edit=0.22,
    sentence_edit=0.1,
    split=0.08,
    merge=0.08,
    add=0.12,
    move=0.6,
    max_moves=3,
    move_edit=0.3,
    typography=0.5,
    truncate=0.25,
    mojibake=0.2,
)


@dataclass
class Document:
    """One written document with its gold labels."""

    doc_id: str
    story: str
    outlet: str
    title: str
    published_at: datetime
    version: int
    paragraphs: list[str]
    boilerplate: list[bool]
    base_doc_id: str | None = None
    fates: list[tuple[int | None, int | None, str]] = field(default_factory=list)
    url: str | None = None  # set only by LinkingCases.same_outlet

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def gold(self) -> dict:
        row = asdict(self)
        row.pop("paragraphs")
        if row["url"] is None:
            row.pop("url")  # default outputs as before the option existed
        row["published_at"] = self.published_at.isoformat()
        row["fates"] = [list(f) for f in self.fates]
        return row


@dataclass
class Corpus:
    documents: list[Document]

    def stories(self) -> dict[str, list[Document]]:
        out: dict[str, list[Document]] = {}
        for doc in self.documents:
            out.setdefault(doc.story, []).append(doc)
        return out

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)


# --- the text source ------------------------------------------------------------------------------


@cache
def news_articles() -> tuple[tuple[str, ...], ...]:
    """The Lee corpus (ABC news articles, Lee et al. 2005) as sentence lists, from the gensim wheel."""
    spec = importlib.util.find_spec("gensim")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("bench needs the `gensim` package for its news text: run `make` to install it")
    data = Path(next(iter(spec.submodule_search_locations))) / "test" / "test_data"
    articles = []
    for name in ("lee_background.cor", "lee.cor"):
        for line in (data / name).read_text(encoding="utf-8", errors="replace").splitlines():
            sentences = [s.strip() for s in _SENTENCE_BREAK.split(line.strip()) if len(s.split()) >= 4]
            if len(sentences) >= 2:
                articles.append(tuple(sentences))
    return tuple(articles)


@cache
def _vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lower-case words, proper names): replacements for word edits, and the pool for per-story renames."""
    words, capitalised, initial = set(), set(), set()
    for article in news_articles():
        for sentence in article:
            tokens = [t for t in sentence.split() if t.isalpha()]
            words.update(t for t in tokens if t.islower())
            capitalised.update(t for t in tokens[1:] if t[0].isupper() and t[1:].islower())
            initial.update(tokens[:1])
    # A name is capitalised mid-sentence, never opens one and never occurs in lower case ("The", "Police" do).
    names = {t for t in capitalised - initial if t.lower() not in words}
    return tuple(sorted(words)), tuple(sorted(names))


@cache
def _name_index() -> dict[str, int]:
    return {name: k for k, name in enumerate(_vocabulary()[1])}


def _story_paragraphs(rng: random.Random, n: int, sources: set[int] | None = None) -> list[str]:
    """n paragraphs, each a run of 1-3 consecutive sentences from a random article (indices added to
    `sources`), with the story's own names and numbers.

    Runs from random articles rather than one article's walk: with 350 articles, stories following one
    article would share whole stretches and stop being distinct stories at scale. Two stories share a
    sentence about as often as two real stories share a quote, and even then its names differ.
    """
    articles = news_articles()
    own = _own_names(rng)
    used: set[tuple[int, int]] = set()
    out = []
    while len(out) < n:
        for _ in range(20):  # a run that repeats no sentence of the story, if one is found quickly
            a = rng.randrange(len(articles))
            s = rng.randrange(len(articles[a]))
            k = min(rng.choice((1, 2, 2, 2, 3, 3)), len(articles[a]) - s)
            if not any((a, s + t) in used for t in range(k)):
                break
        used.update((a, s + t) for t in range(k))
        if sources is not None:
            sources.add(a)
        out.append(own(" ".join(articles[a][s : s + k])))
    return out


def _own_names(rng: random.Random) -> Callable[[str], str]:
    """A text's names shifted along the name pool (one shift drawn now) and its numbers drawn anew: text of
    the article pool made a story's own, so two stories built from one article do not print its sentences
    verbatim."""
    _, names = _vocabulary()
    index, shift = _name_index(), rng.randrange(1, len(names))

    def rename(token: str) -> str:
        k = index.get(token)
        return token if k is None else names[(k + shift) % len(names)]

    def own(text: str) -> str:
        text = " ".join(map(rename, text.split(" ")))
        return _NUMBER.sub(
            lambda m: str(rng.randrange(10 ** (len(m.group()) - 1), 10 ** len(m.group()))), text
        )

    return own


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_BREAK.split(text) if s]


# --- outlets and their boilerplate ----------------------------------------------------------------

OUTLETS = (
    "Harbour Daily",
    "The Riverside Courier",
    "Northern Ledger",
    "Coastal Post",
    "Valley Herald",
    "The Plainsman",
    "Metro Wire",
    "Capital Observer",
    "The Highland Times",
    "Bay Chronicle",
    "Eastern Star",
    "The Lakeside Record",
    "Frontier Dispatch",
    "Sunday Examiner",
    "The Civic Review",
    "Western Gazette",
    "Port Sentinel",
    "The Daily Current",
    "Ridge Report",
    "Common Ground News",
)
_REPORTERS = (
    "Alex Morgan",
    "Sam Whitfield",
    "Jordan Reyes",
    "Casey Lindqvist",
    "Robin Okafor",
    "Taylor Brandt",
)


def _boilerplate(outlet: str, origin_outlet: str | None, rng: random.Random) -> tuple[list[str], list[str]]:
    """(header, footer) paragraphs this outlet prints around a story; fixed per outlet, credit per origin."""
    k = OUTLETS.index(outlet)
    header = (
        [f"Sign up for our free newsletter and get {outlet}'s top stories every morning."] if k % 2 else []
    )
    footer = []
    if origin_outlet:
        footer.append(
            f"This story was originally published by {origin_outlet} and is republished with permission."
        )
    reporter = _REPORTERS[k % len(_REPORTERS)]
    if k % 3 != 1:
        footer.append(f"{reporter} is a reporter for {outlet} covering state politics and the environment.")
    if k % 4 == 0:
        footer.append(f"Support independent journalism: make a monthly contribution to {outlet} today.")
    if rng.random() < 0.5:
        footer.reverse()
    return header, footer


# Press-release and page furniture (issue 12, class 4): what real releases and old news pages carry after the
# story. Drawn from random generators of their own (seeded by story and version), so that the story's text,
# edits and fates are the same with or without it.
_COMPANY = (
    (
        "Northwind",
        "Bluefin",
        "Cedar Ridge",
        "Halcyon",
        "Ironbark",
        "Lumen",
        "Meridian",
        "Quarry Lane",
        "Solstice",
        "Tidewater",
        "Verdant",
        "Keystone",
        "Orchard",
        "Pioneer Peak",
        "Silverline",
        "Redwood",
        "Aurora",
        "Crescent",
        "Granite",
        "Harbourview",
    ),
    (
        "Systems",
        "Therapeutics",
        "Networks",
        "Energy",
        "Foods",
        "Analytics",
        "Robotics",
        "Financial",
        "Biosciences",
        "Semiconductor",
        "Logistics",
        "Software",
        "Pharmaceuticals",
        "Media",
        "Materials",
    ),
    ("Inc.", "Corp.", "Ltd.", "plc", "Holdings", "Group", "AG", "N.V."),
)
_PRODUCTS = (
    "wireless networking equipment for homes and small businesses",
    "diagnostic tests for infectious diseases",
    "cloud software for hospitals and clinics",
    "frozen and chilled foods sold under its own brands",
    "industrial robots for the automotive and electronics industries",
    "payment processing services for online retailers",
    "solar panels and storage systems for utilities",
    "freight and warehousing services across Europe and Asia",
)
_CITIES = (
    "San Jose, California",
    "Boston, Massachusetts",
    "Austin, Texas",
    "London",
    "Munich",
    "Toronto",
    "Sydney",
    "Amsterdam",
    "Seattle, Washington",
    "Singapore",
)
_PEOPLE = (
    "Jane Liu",
    "Mark Okonjo",
    "Sarah Feldman",
    "David Price",
    "Maria Santos",
    "Tom Becker",
    "Aisha Khan",
)
_NEXT_PAGES = (
    "Council weighs the cost of flood defences",
    "What the new rules mean for renters",
    "Residents question emergency response times",
    "How the deal was done",
    "Critics say the plan leaves rural towns behind",
)


def _release_furniture(rng: random.Random) -> list[str]:
    """The paragraphs a press release carries after its news: About the issuer, safe harbour, trademark
    notice, media contact, a copyright line split in three, the end mark (some of them, in varied wording)."""
    company = " ".join(rng.choice(part) for part in _COMPANY)
    short = company.rsplit(" ", 1)[0]
    ticker = "".join(w[0] for w in short.split()).upper() + rng.choice("ABCXZ")
    exchange = rng.choice(("NASDAQ", "NYSE", "LSE", "TSX"))
    year = rng.randint(1998, 2012)
    description = (
        f"{company} ({exchange}: {ticker}) is a {rng.choice(('leading', 'global', 'fast-growing'))} "
        f"provider of {rng.choice(_PRODUCTS)}. Founded in {rng.randint(1950, 2005)}, the company is "
        f"headquartered in {rng.choice(_CITIES)} and employs about {rng.randrange(200, 9000, 50)} people."
    )
    out = []
    if rng.random() < 0.3:
        out.append(f"About {short}: {description}")
    else:
        out += [rng.choice((f"About {company}", f"About {short}", f"About {company}:")), description]
        if rng.random() < 0.5:
            out.append(f"For more information about {short}, visit www.{short.lower().replace(' ', '')}.com.")
    if rng.random() < 0.6:
        out.append(
            rng.choice(
                (
                    "Forward-Looking Statements",
                    "Safe Harbor Statement",
                    "Cautionary Note Regarding Forward-Looking Statements",
                )
            )
        )
        out.append(
            f"This press release contains forward-looking statements within the meaning of the Private "
            f"Securities Litigation Reform Act of 1995, including statements about {short}'s expected "
            f"revenue and the timing of product launches."
        )
        out.append(
            f"Actual results may differ materially from those expressed or implied. {company} undertakes no "
            f"obligation to update these statements after the date of this release."
        )
    if rng.random() < 0.6:
        out.append(
            rng.choice(
                (
                    f"{short} and the {short} logo are registered trademarks of {company} in the United "
                    f"States and other countries.",
                    f"{short} is a trademark of {company}. All other trademarks are the property of their "
                    f"respective owners.",
                )
            )
        )
    if rng.random() < 0.7:
        person = rng.choice(_PEOPLE)
        out += [
            rng.choice(("Media Contact:", "Press contact", "Media Relations", "Investor Contact:")),
            person,
            company,
            f"+1 ({rng.randint(200, 989)}) 555-{rng.randint(1000, 9999)}",
            f"{person.split()[0].lower()}@{short.lower().replace(' ', '')}.com",
        ]
    if rng.random() < 0.5:
        out += ["©", str(year), f"{company}. All rights reserved."]
    if rng.random() < 0.4:
        out.append("###")
    return out


def _page_furniture(outlet: str, rng: random.Random) -> list[str]:
    """A page's login box, newsletter box or next-page link, extracted with the story (fixed per outlet,
    the next page's headline per document)."""
    k = OUTLETS.index(outlet)
    out = []
    if k % 5 == 3:
        out += [
            "Log in",
            "Username",
            "Password",
            "Forgot your password?",
            f"Not a subscriber? Subscribe here for full access to {outlet}.",
        ]
    if k % 5 == 4 and rng.random() < 0.6:
        out.append(
            f"{rng.choice(('Next page:', 'Continue reading:', 'Next page'))} {rng.choice(_NEXT_PAGES)}"
        )
    if k % 7 == 2:
        out.append(f"Sign up for the {outlet} Morning Briefing newsletter")
    return out


# --- republication edits --------------------------------------------------------------------------

_TYPO = (
    (re.compile(r"(^|\s)\"(\w)"), "\\1\u201c\\2"),
    (re.compile(r"(\w[.,!?]?)\"(\s|$)"), "\\1\u201d\\2"),
    (re.compile(r"(\w)'(\w)"), "\\1\u2019\\2"),
    (re.compile(r" - "), " \u2014 "),
    (re.compile(r"(\w)-(\w)"), "\\1\u2013\\2"),
)


def typographic_noise(text: str, rng: random.Random) -> str:
    """Quotes curled, dashes swapped, a doubled space, a word's case changed: same fingerprint, same words."""
    for pattern, repl in _TYPO:
        if rng.random() < 0.6:
            text = pattern.sub(repl, text)
    words = text.split(" ")
    i = rng.randrange(len(words))
    choice = rng.random()
    if choice < 0.4:
        words[i] = words[i].upper() if rng.random() < 0.3 else words[i].capitalize()
        text = " ".join(words)
    elif choice < 0.8:
        text = " ".join(words[:i]) + "  " + " ".join(words[i:]) if i else text + " "
    if rng.random() < 0.3 and not any(ch in text for ch in "\u201c\u201d\u2019"):
        text = text.replace("'", "\u2019") if "'" in text else "\u201c" + text + "\u201d"
    return text.strip() if rng.random() < 0.5 else text


def mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252, the commonest mojibake."""
    return text.encode("utf-8").decode("sloppy-windows-1252")


def _edit_words(text: str, share: float, rng: random.Random) -> str:
    words, vocab = text.split(), _vocabulary()[0]
    n = max(1, round(share * len(words)))
    for _ in range(n):
        op = rng.random()
        i = rng.randrange(len(words))
        if op < 0.6:
            words[i] = rng.choice(vocab)
        elif op < 0.8 and len(words) > 3:
            del words[i]
        else:
            words.insert(i, rng.choice(vocab))
    # An editor who changes the last words keeps the sentence's end: a paragraph that lost its full stop reads
    # as a headline where it opens a file (a lone line not ending a sentence), and its text no longer splits
    # back into the paragraphs gold gives it.
    edited, end = " ".join(words), _SENTENCE_END.search(text)
    if end and not _SENTENCE_END.search(edited):
        edited = edited.rstrip(",;:") + end.group()
    return edited


def _foreign_article(rng: random.Random, sources: set[int]) -> tuple[str, ...]:
    """An article the story was not built from, so added text is new to the story."""
    articles = news_articles()
    others = len(articles) - len(sources)
    if others <= 0:
        return rng.choice(articles)  # a story long enough to use every article: nothing is new to it
    k = rng.randrange(others)
    for a in range(len(articles)):
        if a not in sources:
            if k == 0:
                return articles[a]
            k -= 1
    raise AssertionError("unreachable")


def _edit_sentences(text: str, rng: random.Random, sources: set[int]) -> str:
    sentences = _sentences(text)
    if len(sentences) >= 2 and rng.random() < 0.5:
        del sentences[rng.randrange(len(sentences))]
    else:
        extra = rng.choice(_foreign_article(rng, sources))
        sentences.insert(rng.randint(0, len(sentences)), extra)
    return " ".join(sentences)


@dataclass
class _Piece:
    text: str
    bases: list[int]
    fate: str


def _gaps(pieces: list[_Piece]) -> list[int]:
    """Where a paragraph can be inserted: anywhere but between the pieces of one split."""
    return [
        t
        for t in range(len(pieces) + 1)
        if not (0 < t < len(pieces) and pieces[t].fate == "split" and pieces[t - 1].bases == pieces[t].bases)
    ]


def _settle_moves(pieces: list[_Piece], body: list[str]) -> None:
    """A paragraph moved among others that moved or vanished can land back in order: then it did not move."""
    for k, piece in enumerate(pieces):
        if piece.fate != "moved":
            continue
        b = piece.bases[0]
        before = [p.bases[-1] for p in pieces[:k] if p.fate not in ("moved", "appeared")]
        after = [p.bases[0] for p in pieces[k + 1 :] if p.fate not in ("moved", "appeared")]
        if all(x < b for x in before) and all(x > b for x in after):
            piece.fate = "survived" if piece.text == body[b] else "changed"


def _republish(
    body: list[str], mix: EditMix, rng: random.Random, sources: set[int], own: Callable[[str], str]
) -> list[_Piece]:
    """The republication's body as pieces, each knowing which base paragraphs it came from and how. An added
    paragraph is the lead of an article the story was not built from, made the story's own (`own`: its names
    and numbers changed, as the story's paragraphs are): text the republisher wrote for this story."""
    n = len(body)
    cut = n
    if n >= 4 and rng.random() < mix.truncate:
        cut = rng.randint(max(2, n // 2), n - 1)
    pieces: list[_Piece] = []
    gone: list[int] = list(range(cut, n))
    edges = [mix.drop, mix.word_edit, mix.sentence_edit, mix.split, mix.merge]
    bounds = [sum(edges[: k + 1]) for k in range(len(edges))]
    i = 0
    while i < cut:
        text = body[i]
        r = rng.random()
        sentences = _sentences(text)
        if r < bounds[0]:
            gone.append(i)
        elif r < bounds[1]:
            lo, hi = mix.word_edit_share
            pieces.append(_Piece(_edit_words(text, rng.uniform(lo, hi), rng), [i], "changed"))
        elif r < bounds[2]:
            pieces.append(_Piece(_edit_sentences(text, rng, sources), [i], "changed"))
        elif r < bounds[3] and len(sentences) >= 2:
            at = rng.randint(1, len(sentences) - 1)
            pieces.append(_Piece(" ".join(sentences[:at]), [i], "split"))
            pieces.append(_Piece(" ".join(sentences[at:]), [i], "split"))
        elif r < bounds[4] and i + 1 < cut:
            pieces.append(_Piece(text + " " + body[i + 1], [i, i + 1], "merged"))
            i += 1
        else:
            pieces.append(_Piece(text, [i], "survived"))
        i += 1
    # A move takes one untouched paragraph at least two places away from where it was.
    for _ in range(mix.max_moves):
        movable = [k for k, p in enumerate(pieces) if p.fate == "survived"]
        if rng.random() >= mix.move or len(pieces) < 4 or not movable:
            continue
        k = rng.choice(movable)
        piece = pieces.pop(k)
        targets = [t for t in _gaps(pieces) if abs(t - k) >= 2]
        if not targets:
            pieces.insert(k, piece)
            continue
        piece.fate = "moved"
        if rng.random() < mix.move_edit:
            piece.text = _edit_words(piece.text, rng.uniform(0.05, 0.15), rng)
        pieces.insert(rng.choice(targets), piece)
    _settle_moves(pieces, body)
    for _ in range(sum(rng.random() < mix.add for _ in range(cut))):
        extra = own(" ".join(_foreign_article(rng, sources)[: rng.choice((1, 2, 2, 3))]))
        pieces.insert(rng.choice(_gaps(pieces)), _Piece(extra, [], "appeared"))
    for p in pieces:
        if p.fate in ("survived", "moved") and rng.random() < mix.typography:
            p.text = typographic_noise(p.text, rng)
    pieces += [_Piece("", [g], "disappeared") for g in sorted(gone)]
    return pieces


def _recut(body: list[str], rng: random.Random) -> list[str]:
    """The same sentences in other paragraphs: runs of 1-4 sentences, or (a third of the time) one."""
    sentences = [x for p in body for x in _sentences(p)]
    if rng.random() < 1 / 3:
        return [" ".join(sentences)]
    out = []
    while sentences:
        k = rng.randint(1, 4)
        out.append(" ".join(sentences[:k]))
        sentences = sentences[k:]
    return out


def _reworded(text: str, share: float, rng: random.Random) -> str:
    """`share` of the words that are not names or numbers (nor the first) replaced by others."""
    vocab = _vocabulary()[0]
    words = text.split()
    for i, w in enumerate(words):
        if i and w[:1].islower() and not any(c.isdigit() for c in w) and rng.random() < share:
            words[i] = rng.choice(vocab)
    return " ".join(words)


def _cut(body: list[str], rng: random.Random) -> list[str]:
    """A short rewrite: the first 3-5 paragraphs, each cut to its first sentence and reworded."""
    kept = body[: rng.randint(3, 5)]
    return [_reworded((_sentences(text) or [text])[0], 0.3, rng) for text in kept]


def _quoted(body: list[str]) -> list[str]:
    """The story with every third paragraph (from the third) a quote, attributed as a wire story does."""
    return [f"“{text}” a spokesperson said." if k % 3 == 2 else text for k, text in enumerate(body)]


def _churn(body: list[str], rng: random.Random) -> list[str]:
    """Churnalism of a story with quotes (_quoted): the quotes kept and attributed anew, the other paragraphs
    reworded (half the words that are not names or numbers replaced: a phrase of five words survives about
    one time in sixteen), the second half of the story brought before the first (its attribution and facts
    moved), two paragraphs of the outlet's own added."""
    out = []
    for text in body:
        if text.startswith("“") and "”" in text:
            out.append("The spokesperson said: " + text[: text.rindex("”") + 1])
        else:
            out.append(_reworded(text, 0.5, rng))
    half = len(out) // 2
    return out[half:] + out[:half] + _story_paragraphs(rng, 2)


def _report_quoting(body: list[str], rng: random.Random) -> list[str]:
    """An independent report of the event of a story with quotes: 8 paragraphs of its own and the story's
    quotes, attributed its own way."""
    quotes = [text[: text.rindex("”") + 1] for text in body if text.startswith("“") and "”" in text]
    report = _story_paragraphs(rng, 8)
    for quote in quotes:
        report.insert(rng.randint(1, len(report)), f"{quote} the spokesperson told the paper.")
    return report


def _rewrite(body: list[str], share: float, rng: random.Random) -> list[str]:
    """A heavy rewrite keeping the names and numbers: lead recast, paragraphs cut in two, words replaced."""
    if body:
        lead = _sentences(body[0])
        body = [" ".join(lead[-1:] + lead[:-1])] + body[1:]
    out = []
    for text in body:
        words = _reworded(text, share, rng).split()
        sentences = _sentences(" ".join(words))
        if len(sentences) >= 2:
            at = rng.randint(1, len(sentences) - 1)
            out += [" ".join(sentences[:at]), " ".join(sentences[at:])]
        else:
            out.append(" ".join(words))
    return out


# --- stories --------------------------------------------------------------------------------------


def _story_rng(seed: int, story: int) -> random.Random:
    return random.Random(seed * 1_000_003 + story)


def _with_boilerplate(
    body: list[str], header: list[str], footer: list[str]
) -> tuple[list[str], list[bool], int]:
    paragraphs = header + body + footer
    return paragraphs, [True] * len(header) + [False] * len(body) + [True] * len(footer), len(header)


def _furniture(label: str, version: int, outlet: str, is_release: bool) -> list[str]:
    """The release's furniture (the same in every version of the story) and this page's own."""
    release = _release_furniture(random.Random(f"{label}-release")) if is_release else []
    return release + _page_furniture(outlet, random.Random(f"{label}-v{version}-page"))


def generate_story(
    story: int,
    seed: int = 0,
    republications_per_story: tuple[int, int] = (1, 4),
    paragraphs_per_story: tuple[int, int] = (4, 14),
    edit_mix: EditMix = EditMix(),
    distractors: float = 0.0,
    cases: LinkingCases = LinkingCases(),
) -> list[Document]:
    """The origin and republications of one story, the same for the same (story, seed, options)."""
    rng = _story_rng(seed, story)
    cases_rng = random.Random(f"cases-{seed}-{story}")  # its own stream: default outputs stay as they were
    label = f"story-{seed}-{story:06d}"
    sources: set[int] = set()
    body = _story_paragraphs(rng, rng.randint(*paragraphs_per_story), sources)
    if cases.active and story > 0 and cases_rng.random() < cases.hard_negative:
        other = cases_rng.randrange(max(0, story - 50), story)
        quotes = _story_paragraphs(_story_rng(seed, other), 3, sources)
        body = _story_paragraphs(cases_rng, max(8, len(body)), sources)
        for quote in quotes:
            body.insert(cases_rng.randint(1, len(body)), quote)
    # Drawn only when asked for, so that the other cases' corpora stay as they were.
    churned = bool(cases.churn) and story > 0 and cases_rng.random() < cases.churn
    if churned:
        body = _quoted(body)
    if story > 0 and rng.random() < distractors:
        # A quotation shared with an unrelated story: the same paragraph, verbatim, in two stories.
        other = rng.randrange(max(0, story - 50), story)
        quoted = _story_paragraphs(_story_rng(seed, other), 1, sources)[0]
        body.insert(rng.randint(1, len(body)), quoted)
    title = " ".join(body[0].split()[: rng.randint(6, 11)]).rstrip(",.;:")
    outlets = rng.sample(OUTLETS, 1 + rng.randint(*republications_per_story))
    when = _EPOCH + timedelta(minutes=7 * story + rng.randrange(7))
    header, footer = _boilerplate(outlets[0], None, rng) if rng.random() < edit_mix.boilerplate else ([], [])
    # A fifth of the stories are press releases: every outlet that prints one prints the issuer's furniture.
    is_release = random.Random(f"release-{seed}-{story}").random() < 0.2
    if header or footer:
        footer = _furniture(label, 0, outlets[0], is_release) + footer
    paragraphs, flags, offset = _with_boilerplate(body, header, footer)
    origin = Document(f"{label}-v0", label, outlets[0], title, when, 0, paragraphs, flags)
    docs = [origin]
    # Text the republications add is new to the story, with its own names and numbers as the story's text
    # has them: verbatim leads of the pool's 350 articles met again under other stories of one outlet as the
    # corpus grew (at 1,000 stories, 89 added paragraphs an outlet printed under two stories, as furniture
    # is).
    # Its own stream, so that everything else stays as it was.
    own = _own_names(random.Random(f"added-{seed}-{story}"))
    for version, outlet in enumerate(outlets[1:], start=1):
        when += timedelta(minutes=rng.randint(30, 60 * 48))
        pieces = _republish(body, edit_mix, rng, sources, own)
        written = [p for p in pieces if p.fate != "disappeared"]
        texts, url, no_fates = [p.text for p in written], None, False
        if cases.active:
            if cases_rng.random() < cases.same_outlet:
                outlet = outlets[0]
                url = origin.url = f"https://{_slug(outlet)}.example/news/{label}"
            if cases_rng.random() < cases.recut:
                texts, no_fates = _recut(texts, cases_rng), True
            if cases_rng.random() < cases.rewrite:
                texts, no_fates = _rewrite(texts, cases.rewrite_share, cases_rng), True
            # Drawn only when asked for, so that the other cases' corpora stay as they were.
            if cases.cut and cases_rng.random() < cases.cut:
                texts, no_fates = _cut(texts, cases_rng), True
            if churned and version == 1:
                texts, no_fates = _churn(texts, cases_rng), True
        use_bp = rng.random() < edit_mix.boilerplate
        # An outlet's own revision credits no one.
        credit = None if outlet == outlets[0] else outlets[0]
        rep_header, rep_footer = _boilerplate(outlet, credit, rng) if use_bp else ([], [])
        if use_bp:
            rep_footer = _furniture(label, version, outlet, is_release) + rep_footer
        rep_paragraphs, rep_flags, rep_offset = _with_boilerplate(texts, rep_header, rep_footer)
        if rng.random() < edit_mix.mojibake:
            rep_paragraphs = [mojibake(p) for p in rep_paragraphs]
        fates: list[tuple[int | None, int | None, str]] = []
        position = {id(p): rep_offset + k for k, p in enumerate(written)}
        for p in pieces:
            j = position.get(id(p))
            if p.fate == "appeared":
                fates.append((None, j, "appeared"))
            else:
                fates += [(offset + b, j, p.fate) for b in p.bases]
        fates.sort(key=lambda f: (f[0] is None, f[0] or 0, f[1] is None, f[1] or 0))
        if no_fates:
            fates = []
        rep_title = title if rng.random() < 0.7 else f"{title} | {outlet}"
        docs.append(
            Document(
                f"{label}-v{version}",
                label,
                outlet,
                rep_title,
                when,
                version,
                rep_paragraphs,
                rep_flags,
                origin.doc_id,
                fates,
                url,
            )
        )
    if churned:
        report = _report_quoting(body, cases_rng)
        outlet = cases_rng.choice([o for o in OUTLETS if o != outlets[0]])
        when = origin.published_at + timedelta(minutes=cases_rng.randint(30, 60 * 24))
        docs.append(
            Document(
                f"{label}-report",
                f"{label}-report",
                outlet,
                report[0],
                when,
                0,
                report,
                [False] * len(report),
            )
        )
    return docs


def iter_documents(
    n_stories: int,
    seed: int = 0,
    republications_per_story: tuple[int, int] = (1, 4),
    paragraphs_per_story: tuple[int, int] = (4, 14),
    edit_mix: EditMix = EditMix(),
    distractors: float = 0.0,
    first_story: int = 0,
    cases: LinkingCases = LinkingCases(),
) -> Iterator[Document]:
    """Stream the documents of stories first_story .. first_story + n_stories - 1, story by story."""
    for story in range(first_story, first_story + n_stories):
        yield from generate_story(
            story, seed, republications_per_story, paragraphs_per_story, edit_mix, distractors, cases
        )


def generate_corpus(
    n_stories: int,
    seed: int = 0,
    republications_per_story: tuple[int, int] = (1, 4),
    paragraphs_per_story: tuple[int, int] = (4, 14),
    edit_mix: EditMix = EditMix(),
    distractors: float = 0.0,
) -> Corpus:
    """All documents of n_stories stories in memory."""
    return Corpus(
        list(
            iter_documents(
                n_stories, seed, republications_per_story, paragraphs_per_story, edit_mix, distractors
            )
        )
    )


# --- writers --------------------------------------------------------------------------------------


def write_gold(docs: Iterable[Document], path: str | Path) -> int:
    """Gold labels, one JSON object per document (everything but the text)."""
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc.gold(), ensure_ascii=False) + "\n")
            n += 1
    return n


def write_jsonl(docs: Iterable[Document], path: str | Path, gold_path: str | Path | None = None) -> int:
    """CONTRACT's JSONL input, gold labels in a hidden .<stem>.gold.jsonl beside it; returns the count."""
    path = Path(path)
    gold_path = gold_path or path.with_name(f".{path.stem}.gold.jsonl")
    n = 0
    with open(path, "w", encoding="utf-8") as out, open(gold_path, "w", encoding="utf-8") as gold:
        for doc in docs:
            row = {
                "id": doc.doc_id,
                "title": doc.title,
                "outlet": doc.outlet,
                "published_at": doc.published_at.isoformat(),
                "text": doc.text,
            }
            if doc.url:
                row["url"] = doc.url
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            gold.write(json.dumps(doc.gold(), ensure_ascii=False) + "\n")
            n += 1
    return n


def _slug(outlet: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-")


def write_folder(docs: Iterable[Document], directory: str | Path, gold_path: str | Path | None = None) -> int:
    """One .txt per document under DIR/<outlet>/, DIR/manifest.csv, gold labels in hidden DIR/.gold.jsonl."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    n = 0
    with (
        open(directory / "manifest.csv", "w", newline="", encoding="utf-8") as manifest,
        open(gold_path or directory / ".gold.jsonl", "w", encoding="utf-8") as gold,
    ):
        writer = csv.writer(manifest)
        writer.writerow(["path", "outlet", "published_at", "title"])
        for doc in docs:
            rel = Path(_slug(doc.outlet)) / f"{doc.doc_id}.txt"
            (directory / rel).parent.mkdir(exist_ok=True)
            (directory / rel).write_text(doc.text + "\n", encoding="utf-8")
            writer.writerow([rel.as_posix(), doc.outlet, doc.published_at.isoformat(), doc.title])
            gold.write(json.dumps(doc.gold(), ensure_ascii=False) + "\n")
            n += 1
    return n
