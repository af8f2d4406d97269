"""link-26: OCR'd copies of one dispatch, each cut and misread its own way, link by the letters their
narratives share; an independent report of the event, sharing its names and a quote, does not."""

import random
import textwrap
from dataclasses import replace
from datetime import datetime

import numpy as np
import pyarrow as pa

from tasks.clean import COLUMN_LINES, split_page
from tasks.evidence import names_and_numbers, narrative_shingles
from tasks.link import LinkConfig
from tasks.ocr_copies import (
    copied_share,
    copies_check,
    letter_run_keys,
    narrative_letters,
    ocr_copy_pairs,
    ocr_documents,
    spaced,
)
from tasks.stories import Names, find_stories, narrative_check, narrative_paragraphs

QUOTE = '"We will hold the pass until the relief column comes up," Colonel Harwell said.'
# An authored wire dispatch of 1916, as the desk sent it.
DISPATCH = [
    "MARFIN, Tex., May 3. Two troops of the Ninth cavalry under Colonel Harwell left the railhead at "
    "daybreak today for the ford below Boquillas, where raiders crossed the river on Sunday night and "
    "burned the store of a rancher named Deemer.",
    QUOTE,
    "The troopers carried rations for ten days and were followed by a train of twelve wagons loaded with "
    "forage, ammunition and the field telegraph outfit which the signal corps sent down from El Paso last "
    "week.",
    "Officers at the post said the ford is the only place for forty miles where a mounted party can cross "
    "the river at this season, and that the raiders are believed to have gone south into the hills.",
    "A company of infantry will follow by motor truck as far as the road allows, and the engineers have "
    "been ordered to repair the bridge over Calamity creek before the end of the week.",
]
# A paper's copy cut to its first paragraphs, as its OCR read the page: words broken at line ends, letters
# misread.
COPY_A = [
    "MARFIN, Tex., May 3. Two troops of the Ninth cav alry under Colonel Harwell left the rail head at "
    "daybreak today for the ford below Boqulllas, where raiders crossed the river on Sunday night and "
    "burned tbe store of a rancher named Deemer.",
    QUOTE,
    "The troop ers carried ratlons for ten days and wero fol lowed by a traln of twelve wag ons loaded with "
    "forage, ammunltion and tho field tele graph outfit whlch the signal corps sont down from El Paso last "
    "week.",
    "Officers at tho post said the ford is tbe only place for for ty miles where a mount ed par ty can cross "
    "tho river at this season, and that the raiders are believed to havo gone south into the hllls.",
]
# Another paper's copy under a lead of its own, its end cut, misread elsewhere.
COPY_B = [
    "Cavalry is on the move again along the Big Bend, the second time this spring.",
    "Two troops of the Ninth cavalry under Col onel Harwell left the railhead at day break today for the "
    "ford below Boquillas, where raid ers crossed the river on Sunday night and burned the store of a "
    "ranch er named Deemor.",
    "The troopers carried rations for ten days and were followed by a train of twelve wagons loaded with "
    "for age, ammunltion and the field telegraph outfit which the signal corps sent down from El Paso.",
    "Officers at the post said the ford is the only place for forty miles where a mounted party can cross "
    "the river at this season, and that the raid ers are believed to have gone south into the hills.",
]
# Another service's report of the same event: the same names, places and quote, its own sentences.
REPORT = [
    "MARFIN, Tex., May 3. Colonel Harwell of the Ninth cavalry is riding for the Boquillas ford with two "
    "troops, his orders being to find the band that fired Deemer's store on Sunday night.",
    QUOTE,
    "Ten days' rations went with the column, and wagons from El Paso carry the signal corps' field "
    "telegraph, so that the post may hear from the troopers each evening.",
    "The raiders, by all accounts, have made for the hills to the south, and ranchers along the river are "
    "keeping their stock close to the houses until the soldiers arrive.",
    "Infantry is to come up by truck, and the engineers will mend the Calamity creek bridge this week.",
]
TEXTS = [COPY_A, COPY_B, REPORT]


def _check(copies: bool):
    names = Names.from_lists([names_and_numbers(" ".join(t)) for t in TEXTS])

    def narrative(docs: np.ndarray) -> dict[int, list]:
        return {d: [(hash(p), narrative_shingles([p])) for p in TEXTS[d]] for d in docs.tolist()}

    def letters(docs: np.ndarray) -> dict[int, list]:
        return {d: [(hash(p), spaced(p)) for p in TEXTS[d]] for d in docs.tolist()}

    rule = copies_check(letters, LinkConfig()) if copies else None
    check = narrative_check(names, narrative, np.array([0, 1, 2]), copies=rule)
    a, b = np.array([0, 0, 1]), np.array([1, 2, 2])
    return check(a, b, np.zeros(3, dtype=bool), np.full(3, 0.5)).tolist()


def test_ocr_copies_of_one_dispatch_link_where_the_narrative_check_does_not():
    # Without the rule, the misread and broken words leave the copies too few shared phrases.
    shingles = [[narrative_shingles([p]) for p in t] for t in (COPY_A, COPY_B)]
    assert narrative_paragraphs(*shingles) < LinkConfig().min_narrative_paragraphs
    assert _check(copies=False) == [0, 0, 0]
    # With it the two copies link; the independent report of the event links to neither.
    assert _check(copies=True) == [1, 0, 0]


def test_letters_mend_broken_words_and_leave_quotes_out():
    assert narrative_letters("the field tele graph out- fit") == narrative_letters(
        "the field telegraph outfit"
    )
    assert narrative_letters(QUOTE) == ""  # the quote and its attribution: what independent reports share
    # A misread letter spoils only the runs across it.
    whole = narrative_letters(DISPATCH[2])
    misread = whole.replace("wagons", "wagous")
    assert 0.5 < copied_share(whole, misread, LinkConfig().copy_run) < 1.0
    assert copied_share(whole, narrative_letters(REPORT[2]), LinkConfig().copy_run) < 0.2


def test_clean_texts_sharing_sentences_word_for_word_are_left_to_the_narrative_check():
    # Two clean texts (no broken word) sharing their sentences: the letters and the words agree, so the rule
    # adds nothing to the narrative check, which judges such pairs by its own chain.
    texts = [DISPATCH, DISPATCH[:1] + DISPATCH[2:4]]

    def letters(docs: np.ndarray) -> dict[int, list]:
        return {d: [(hash(p) + d, spaced(p)) for p in texts[d]] for d in docs.tolist()}

    assert copies_check(letters, LinkConfig())(np.array([0]), np.array([1])).tolist() == [False]


def test_copied_share_counts_the_letters_a_plain_reading_of_every_run_counts():
    # The share as first written: each run of the shorter string looked up, its letters marked one by one.
    def plain(a: str, b: str, run: int) -> float:
        short, long = (a, b) if len(a) <= len(b) else (b, a)
        if len(short) < run:
            return 0.0
        held = {long[i : i + run] for i in range(len(long) - run + 1)}
        covered = [False] * len(short)
        for i in range(len(short) - run + 1):
            if short[i : i + run] in held:
                covered[i : i + run] = [True] * run
        return sum(covered) / len(short)

    rng = random.Random(5)
    for _ in range(400):
        base = "".join(rng.choice("abc ") for _ in range(rng.randint(0, 200)))
        a = "".join(c if rng.random() > 0.05 else rng.choice("abcd") for c in base[rng.randint(0, 40) :])
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 30))) + base
        for run in (1, 4, 25):
            assert copied_share(a, b, run) == plain(a, b, run)
    assert copied_share("abcdef", "xxabcdxx", 4) == 4 / 6


# link-27: the candidates and the rule for documents read as OCR'd columns.
# Another dispatch of the same day and front: the same names and places, another event told.
OTHER_DISPATCH = [
    "MARFIN, Tex., May 3. The infantry camp at the railhead was moved today to higher ground above the "
    "river, after the rains of Sunday night flooded the tents of two companies and spoiled their stores.",
    "Colonel Harwell, who left with the Ninth cavalry at daybreak, had asked for the move before he went, "
    "and the quartermaster sent forty wagons from El Paso to carry the camp up the hill.",
    "Ranchers along the river say the water is the highest since the spring of 1911, and the ford below "
    "Boquillas cannot be crossed on foot for some days.",
]


def _ocr_pairs(texts: list[list[str]], ocr: list[bool], outlets: list[int], config=LinkConfig()):
    paragraphs = [(d, k, p) for d, text in enumerate(texts) for k, p in enumerate(text)]
    rows = np.arange(len(paragraphs))
    doc_index = np.array([d for d, _, _ in paragraphs])
    para_idx = np.array([k for _, k, _ in paragraphs])
    read = []

    def texts_of(wanted: np.ndarray) -> list[str]:
        read.append(wanted)
        return [paragraphs[r][2] for r in wanted.tolist()]

    pairs = ocr_copy_pairs(np.array(ocr), rows, doc_index, para_idx, np.array(outlets), texts_of, config)
    return pairs.tolist(), read


def test_ocr_copies_are_found_and_linked_where_a_report_and_another_dispatch_are_not():
    texts = [COPY_A, COPY_B, REPORT, OTHER_DISPATCH]
    pairs, _ = _ocr_pairs(texts, [True] * 4, [0, 1, 2, 3])
    assert pairs == [[0, 1]]


def test_the_ocr_rule_reads_only_ocr_text_and_only_pairs_two_outlets():
    texts = [COPY_A, COPY_B]
    pairs, read = _ocr_pairs(texts, [False, False], [0, 1])
    assert pairs == [] and read == []  # clean text: no text read, nothing paired
    assert _ocr_pairs(texts, [True, False], [0, 1])[0] == []
    assert _ocr_pairs(texts, [True, True], [0, 0])[0] == []  # one paper's two prints: not this rule's class
    assert _ocr_pairs(texts, [True, True], [0, 1])[0] == [[0, 1]]


def test_letter_run_keys_sample_the_runs_two_copies_share_alike():
    whole = narrative_letters(" ".join(DISPATCH))
    keys = letter_run_keys(whole, 25, 4)
    assert 0 < len(keys) < len(whole) / 2
    cut = letter_run_keys(whole[100:], 25, 4)
    assert set(cut.tolist()) <= set(keys.tolist())
    assert len(np.intersect1d(keys, letter_run_keys(narrative_letters(" ".join(REPORT)), 25, 4))) <= 1


def test_documents_read_as_columns_say_so_in_their_repairs():
    lines = [
        "CAVALRY MOVES ON FORD",
        "MARFIN, Tex., May 3. Two troops of",
        "the Ninth cavalry under Colonel Har-",
        "well left the railhead at daybreak to",
        "day for the ford below Boquillas,",
        "where raiders crossed the river on",
        "Sunday night and burned the store",
        "of a rancher named Deemer.",
        "The troopers carried rations for ten",
        "days and were followed by a train of",
        "twelve wagons loaded with forage.",
    ]
    assert split_page("\n".join(lines))[2] is True
    assert split_page("\n\n".join(lines))[2] is False
    docs = pa.table({"repairs": [[], [COLUMN_LINES], None, ["mojibake fixed", COLUMN_LINES]]})
    assert ocr_documents(docs).tolist() == [False, True, False, True]
    assert ocr_documents(pa.table({"doc_id": ["a"]})).tolist() == [False]


def _page(doc_id: str, outlet: str, paragraphs: list[str], day: int):
    """A story cut out of an OCR'd page: column lines, no blank line (tasks.clean reads it as columns)."""
    from tests.tasks.test_stories import raw

    page = raw(doc_id, outlet, paragraphs, day)
    return replace(page, text="\n".join(line for p in paragraphs for line in textwrap.wrap(p, 38)) + "\n")


# Two pages' copies of DISPATCH, the second cut after four paragraphs, each misread its own way and far more
# than COPY_A and COPY_B (about one word in three broken at a line end or misread: `tnoops`, `und er`, `fhe`),
# as the worst real pages are: their 3-word shingles are broken so often that no word-based rule links them.
PAGE_A = [
    "MA RFIN, Tox., May 3. Two tnoops of the Ninth cavalry und er Colouel Harwell leff fhe railhead af "
    "daybreak today for the ford below Boquillas, where raiders crossed the river on Sunday night aud bur"
    " ned the store of a rancher named Deemor.",
    '"We will hold the pass un til the relief column comes up," Colonel Harwell sa id.',
    "The troopers carried rations fon ten days and were followed by n train of twelve wagous loaded with "
    "forage, ammunitlon and the field telegraph outfit which the sign al eorps sent down from El Paso "
    "last week.",
    "Office rs at the post snid the ford ls the only place fon fo rty miles where n mou nted party ean "
    "eross the river af this seas on, and that fhe raidens are believed to have gono so uth into the "
    "hills.",
    "A company of infantry will follow by motor truck as far as fhe road allows, and the engineers have "
    "been ondered to repair the bridgo over Calamity creek before the ond of tho week.",
]
PAGE_B = [
    "MARFIN, Tex., Mny 3. Two troops of fhe Ninth cavalry undor Colonel Harwell left the railhead at "
    "daybreak today for the ford below Boquillas, where rniders erossed fhe riv er on Sunday nighf and "
    "burned the store of a rancher named Deemen.",
    '"We will hold the pass until the relief column comes up," Colonel Harwell said.',
    "The troopors carried rations for ten days and were followed by a train of twelve wagons loaded with "
    "forage, ammunition and the fi eld telegraph outf it which fhe signal corps sent dowu fnom El Pnso "
    "lasf woek.",
    "Of ficers nt the posf said the fond is fhe ouly plaee fon forty miles whe re a mounted party can "
    "cnoss the ri ver at this season, and that the raidors are believed to have goue soufh into tho "
    "hills.",
]

PAGES = [
    ("page-a", "republican", PAGE_A),
    ("page-b", "herald", PAGE_B),
    ("report", "journal", REPORT),
    ("other", "tribune", OTHER_DISPATCH),
]


def test_ocr_pages_printing_one_dispatch_are_one_story_and_a_daily_run_finds_the_same():
    from tests.tasks.test_stories import assert_same_tables, by_doc, corpus, grow, story_of

    pages = [_page(d, o, p, 3) for d, o, p in PAGES]
    docs, paras = corpus(*pages)
    assert ocr_documents(docs).all()
    rows = by_doc(find_stories(docs, paras)[0])
    assert rows["page-a"]["story_id"] == rows["page-b"]["story_id"]
    assert len({rows[d]["story_id"] for d in ("page-a", "report", "other")}) == 3
    # Without the rule (no share reaches 1.01) the copies are two stories: the word-based rules miss them.
    off = by_doc(find_stories(docs, paras, LinkConfig(min_ocr_share=1.01))[0])
    assert off["page-a"]["story_id"] != off["page-b"]["story_id"]
    # A copy printed the next day joins its dispatch on a daily run as on a fresh one.
    _, grown, fresh = grow(
        [pages[0], *pages[2:]], [replace(pages[1], published_at=datetime(2024, 3, 4))], daily=True
    )
    assert_same_tables(grown, fresh)
    assert story_of(grown)["page-b"] == story_of(grown)["page-a"] != story_of(grown)["report"]
