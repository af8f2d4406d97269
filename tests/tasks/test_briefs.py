"""News in brief made of another outlet's story (issue 12, class 3; link-25, tasks/briefs.py): a paper's
two-paragraph brief of the agency's court copy, the lead lightly recast and the next paragraph kept, printed
the next morning. Too short for the paragraph and name rules; one story with the copy. Another paper's own
brief of the same hearing (the same names and figures, its own words and order), a digest's summary of the
copy in its own words and a short round-up listing the day's cases stay apart."""

import dataclasses
from datetime import datetime

import numpy as np

from tasks.briefs import brief_candidates, in_order, is_brief_of
from tasks.link import LinkConfig
from tasks.stories import find_stories
from tests.tasks.test_stories import by_doc, corpus, raw

AGENCY_COPY = [
    "A former harbourmaster today denied stealing more than 84,000 pounds from the Pellworth Sailing Trust "
    "by claiming payment for repairs to moorings that were never carried out.",
    "Gordon Tavistock, 61, of Quarry Lane, Pellworth, pleaded not guilty at Danbury Crown Court to nine "
    "counts of false accounting and two of theft between May 2019 and June 2021.",
    "The charges, read out by the clerk over five minutes, name eleven invoices from a marine contractor "
    "that the prosecution says did not exist.",
    "Judge Miriam Ockleton told Tavistock, who wore a grey suit and spoke only to confirm his name and "
    "his pleas, that his bail would continue until a further hearing on September 12.",
    "The trust, which runs sailing lessons for schoolchildren from the town's old ferry slipway, "
    "discovered the losses when its treasurer retired and a new auditor asked to see the contracts.",
    "Its chairman, Patricia Venn, said outside court that the trust had been forced to cancel two "
    "summers of lessons while it rebuilt its reserves.",
    "No trial date was set.",
]

# The paper's brief: one paragraph, the lead and the next two cut together ("today" made "yesterday", the
# trust's name, the counts and dates dropped), the rest left out.
BRIEF = [
    "A former harbourmaster yesterday denied stealing more than 84,000 pounds from a sailing trust by "
    "claiming payment for repairs to moorings that were never carried out. Gordon Tavistock pleaded not "
    "guilty at Danbury Crown Court to false accounting and theft and was told his bail would continue.",
]

# Another paper's own brief of the same hearing: the same facts, names and figures, its own words and order.
OWN_BRIEF = [
    "Schoolchildren in Pellworth lost two summers of sailing lessons after 84,000 pounds vanished from the "
    "trust that teaches them, its chairman Patricia Venn claimed.",
    "Ex-harbourmaster Gordon Tavistock, 61, faces eleven charges at Danbury Crown Court over invoices for "
    "mooring work. He denies them all and returns to court on September 12.",
]

# A digest's line on the copy, in its own words.
DIGEST_ITEM = [
    "Court roundup: Danbury Crown Court heard a not guilty plea from Gordon Tavistock, 61, over money "
    "missing from the Pellworth Sailing Trust; Judge Miriam Ockleton kept him on bail until September 12.",
]

# A short round-up listing the day's cases, the harbourmaster's among them.
ROUND_UP = [
    "A Kellbridge taxi driver was fined 900 pounds for carrying passengers without a licence, Kellbridge "
    "magistrates heard.",
    "At Danbury Crown Court, Gordon Tavistock, 61, denied stealing more than 84,000 pounds from the "
    "Pellworth Sailing Trust by claiming payment for repairs to moorings that were never done.",
    "Two brothers from Ashgrove admitted damaging a bus shelter on New Year's Eve and will be sentenced "
    "next month.",
]


# A short story of its own that opens on the copy's lead, then tells another matter: a shared passage.
OPENS_ON_THE_LEAD = [
    AGENCY_COPY[0],
    "Sailing clubs along the coast say insurance for their slipways has doubled since the storms of "
    "last winter, and two have closed their junior sections.",
    "Harbour councils meet in Westcombe next month to ask the county for a fund to repair moorings.",
]


def documents(brief_day: int = 3):
    return corpus(
        raw("copy", "agency", AGENCY_COPY, 2),
        raw("brief", "gazette", BRIEF, brief_day),
        raw("own-brief", "courier", OWN_BRIEF, 3),
        raw("digest", "newsletter", DIGEST_ITEM, 3),
        raw("round-up", "chronicle", ROUND_UP, 3),
    )


def test_a_brief_made_of_the_agencys_lead_is_one_story_with_it():
    rows = by_doc(find_stories(*documents())[0])
    assert rows["brief"]["story_id"] == rows["copy"]["story_id"]
    for other in ("own-brief", "digest", "round-up"):
        assert rows[other]["story_id"] != rows["copy"]["story_id"], other
    # Without the rule the brief is a story of its own: two paragraphs, too few names, little text shared.
    rows = by_doc(find_stories(*documents(), LinkConfig(max_brief_words=0))[0])
    assert rows["brief"]["story_id"] != rows["copy"]["story_id"]


def test_a_brief_printed_a_week_later_is_not_the_days_brief():
    # A brief is printed the day of its source or the next: the same words a week on are left to the other
    # rules (a later report of the same case reuses the agency's background).
    rows = by_doc(find_stories(*documents(brief_day=9))[0])
    assert rows["brief"]["story_id"] != rows["copy"]["story_id"]


def test_containment_in_order_tells_a_cut_from_a_retelling():
    config = LinkConfig()

    def brief_of(brief: list[str]) -> bool:
        return is_brief_of(brief, AGENCY_COPY, config)

    assert brief_of(BRIEF)
    assert not brief_of(OWN_BRIEF)
    assert not brief_of(DIGEST_ITEM)
    # The round-up's item is the copy's lead nearly whole, but its own lead is another case's.
    assert not brief_of(ROUND_UP)
    # Its lead is the copy's, word for word, but its other paragraphs are not drawn from it.
    assert not brief_of(OPENS_ON_THE_LEAD)
    assert in_order(["b", "c"], ["a", "b", "x", "c"]) == 1.0
    assert in_order(["c", "b"], ["a", "b", "x", "c"]) == 0.5


def test_a_daily_run_links_a_new_brief_to_its_stored_source_as_a_fresh_run_does():
    # The brief shares no paragraph with the stored copy; the daily run links the two again together (the
    # pair is grouped for tasks.relink as versions of one text are), and finds what a fresh run finds.
    from tests.tasks.test_stories import assert_same_tables, grow

    before = [raw("copy", "agency", AGENCY_COPY, 2), raw("own-brief", "courier", OWN_BRIEF, 3)]
    stored, grown, fresh = grow(before, [raw("brief", "gazette", BRIEF, 3)], daily=True)
    assert_same_tables(grown, fresh)
    rows = by_doc(grown["story_members"])
    assert rows["brief"]["story_id"] == rows["copy"]["story_id"] != rows["own-brief"]["story_id"]


def test_a_name_printed_often_on_other_days_is_still_rare_on_the_briefs_day():
    # Other months' stories print the brief's names (the court, the town, the sum), more often than the rare
    # names' cap: among the documents of the briefs' days they are still rare, so the brief finds its copy
    # as it does alone, whatever other days the corpus holds. (Other days' briefs count: their days are
    # briefs' days too.)
    config = LinkConfig(max_name_documents=2)
    later = [
        dataclasses.replace(
            raw(f"later-{k}", f"paper-{k}", [f"{p} {k} weeks on." for p in AGENCY_COPY], 2),
            published_at=datetime(2024, 5 + k, 2),
        )
        for k in range(3)
    ]
    pair = [raw("copy", "agency", AGENCY_COPY, 2), raw("brief", "gazette", BRIEF, 3)]
    alone = by_doc(find_stories(*corpus(*pair), config)[0])
    assert alone["brief"]["story_id"] == alone["copy"]["story_id"]
    rows = by_doc(find_stories(*corpus(*pair, *later), config)[0])
    assert rows["brief"]["story_id"] == rows["copy"]["story_id"]


def test_a_name_is_rare_or_not_on_the_briefs_own_days_whatever_other_days_briefs_print():
    # Other months' stories print the brief's names, each beside a brief of its own day: their days are
    # briefs' days too, but a name is counted over the days near each brief, so this brief's names are still
    # rare on its own day (the real set inside a generated corpus of other years, link-28).
    config = LinkConfig(max_name_documents=2)
    later = []
    for k in range(3):
        day = datetime(2024, 5 + k, 2)
        later.append(
            dataclasses.replace(
                raw(f"later-{k}", f"paper-{k}", [f"{p} {k} weeks on." for p in AGENCY_COPY], 2),
                published_at=day,
            )
        )
        later.append(dataclasses.replace(raw(f"brief-{k}", f"digest-{k}", BRIEF, 2), published_at=day))
    pair = [raw("copy", "agency", AGENCY_COPY, 2), raw("brief", "gazette", BRIEF, 3)]
    rows = by_doc(find_stories(*corpus(*pair, *later), config)[0])
    assert rows["brief"]["story_id"] == rows["copy"]["story_id"]


def _candidates_by_definition(hashes, starts, short, day, outlet, min_names, max_documents, days):
    """brief_candidates' pairs read off its definition, document by document."""
    names = [set(hashes[starts[d] : starts[d + 1]].tolist()) for d in range(len(short))]
    dated = [d for d in range(len(short)) if day[d] >= 0]
    pairs = []
    for b in dated:
        if not short[b] or outlet[b] < 0:
            continue
        near = [d for d in dated if abs(day[d] - day[b]) <= days]
        rare = {n for n in names[b] if sum(n in names[d] for d in near) <= max_documents}
        for s in near:
            if s != b and outlet[s] >= 0 and outlet[s] != outlet[b] and len(rare & names[s]) >= min_names:
                pairs.append((b, s))
    return sorted(pairs)


def test_brief_candidates_are_their_definition_on_random_corpora():
    # The pairs are counted name by name over the documents within `days` of each brief only (a name rare on
    # each of many days made a pair of every two documents printing it: 7 GB at 35,000 generated documents).
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(5, 120))
        starts = np.r_[0, np.cumsum(rng.integers(0, 8, n))].astype(np.int64)
        hashes = rng.integers(0, int(rng.integers(3, 40)), starts[-1]).astype(np.int64)
        short = rng.random(n) < 0.4
        day = rng.integers(-1, int(rng.integers(1, 30)), n).astype(np.int64)
        outlet = rng.integers(-1, 5, n).astype(np.int64)
        args = (hashes, starts, short, day, outlet, int(rng.integers(1, 4)), int(rng.integers(1, 10)), 1)
        assert brief_candidates(*args).tolist() == [list(p) for p in _candidates_by_definition(*args)]
