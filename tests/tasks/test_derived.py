"""A paper's story partly derived from an agency's copy (issue 12, class 3; link-28, tasks/derived.py): its
own lead, the copy's long quotation, and a few of the copy's sentences lifted and recast between its own. One
story with the copy. Another paper's own report of the same hearing (the same names, figures and quotation,
its own sentences) stays apart, and so do two papers of one morning that lift the same third source."""

from tasks.derived import is_derived_from, lifted_sentences, narrative_sentences
from tasks.link import LinkConfig
from tasks.stories import find_stories
from tests.tasks.test_stories import by_doc, corpus, raw

# The agency's court copy, as a wire types it: ``...'' for quotation marks.
AGENCY_COPY = [
    "A retired surveyor accused of rigging the sale of a listed mill to a developer told the High Court "
    "today that he had ``never taken a penny'' from the buyers.",
    "Howard Pellinger, 66, of Marsh Lane, Elstow, is being sued by the Brackenfield Heritage Trust, which "
    "says he undervalued Carrow Mill by 400,000 pounds before it was sold in October 2021.",
    "Gemma Ashcroft, for the trust, asked whether he had met the developer's director, Neil Orriss, three "
    "times before writing his valuation.",
    "Mr Pellinger replied: ``I met him once, at the mill, with the trust's own architect present. I wrote "
    "what I saw: a roof that had failed, a floor that would not carry a lorry and a river wall that was "
    "falling into the water.''",
    "He told the court that the mill had stood empty for eleven years and that two earlier buyers had "
    "withdrawn after seeing the state of its foundations.",
    "The trust's accounts show it spent 90,000 pounds on the building's upkeep in the three years before "
    "the sale, the court heard.",
    "Mr Pellinger said he had been ``hurt and bewildered'' by the claim, which he learned of from a "
    "letter left on his doorstep.",
    "The developer converted the mill into 24 flats, which went on sale last spring for up to 380,000 "
    "pounds each.",
    "Asked whether he regretted the valuation, he said: ``I regret that I was asked to do it.''",
    "The hearing continues.",
]

# A paper's story the next morning: its own lead, the quotation, the copy's sentences recast in part.
DERIVED = [
    "A heritage trust that sold a crumbling mill for a fraction of its later worth is suing the surveyor it "
    "blames, claiming he was too friendly with the buyers.",
    "Margaret Dunmore, who chairs the Friends of Carrow Mill, said 300 villagers had signed a petition "
    "asking Bedford Borough Council and Historic England to look again at the sale.",
    "Its 24 flats went on sale last spring at up to 380,000 pounds each, after the developer converted it.",
    "Howard Pellinger, 66, is accused by the Brackenfield Heritage Trust of undervaluing the mill by "
    "400,000 pounds before it was sold.",
    "In the witness box yesterday he said: \"I met him once, at the mill, with the trust's own architect "
    "present. I wrote what I saw: a roof that had failed, a floor that would not carry a lorry and a river "
    'wall that was falling into the water."',
    "He said the mill had stood empty for eleven years and that two earlier buyers withdrew after seeing "
    "its foundations.",
    'Mr Pellinger said he was "hurt and bewildered" by the claim. The hearing continues.',
]

# Another paper's own report of the hearing: the same names, figures and quotation, its own sentences.
OWN_REPORT = [
    "The surveyor who valued Carrow Mill before its sale to developers insisted yesterday that the building "
    "was close to collapse when he walked through it.",
    "\"I met him once, at the mill, with the trust's own architect present. I wrote what I saw: a roof "
    "that had failed, a floor that would not carry a lorry and a river wall that was falling into the "
    'water," Howard Pellinger told the High Court.',
    "Brackenfield Heritage Trust claims the 66-year-old knocked 400,000 pounds off the mill's value to "
    "help the buyers, whose director Neil Orriss is expected to give evidence next week.",
    "Campaigners in Elstow, who fought for years to reopen the mill as a museum and say its flats now "
    "fetch up to 380,000 pounds, packed the public gallery.",
    "Several wore badges reading Save Our Mill, and one was asked to leave by an usher after calling out "
    "during the surveyor's evidence.",
    'Mr Pellinger, a surveyor for forty years, said the claim had left him "hurt and bewildered". The '
    "case goes on today.",
]


def documents(agency_day: int = 2):
    return corpus(
        raw("copy", "agency", AGENCY_COPY, agency_day),
        raw("derived", "gazette", DERIVED, 3),
        raw("own", "courier", OWN_REPORT, 3),
    )


# The rule is off by default (LinkConfig.max_derived_words: its cost to the generator's precision); on here.
ON = LinkConfig(max_derived_words=400)


def test_a_story_lifting_the_agencys_sentences_is_one_story_with_it():
    rows = by_doc(find_stories(*documents(), ON)[0])
    assert rows["derived"]["story_id"] == rows["copy"]["story_id"]
    assert rows["own"]["story_id"] != rows["copy"]["story_id"]
    # Without the rule the story is apart: longer than a brief, few of its words the copy's.
    rows = by_doc(find_stories(*documents())[0])
    assert rows["derived"]["story_id"] != rows["copy"]["story_id"]


def test_a_story_is_not_derived_from_what_was_printed_after_it():
    # The same texts with the copy dated after the papers: nothing is derived from it.
    rows = by_doc(find_stories(*documents(agency_day=4), ON)[0])
    assert rows["derived"]["story_id"] != rows["copy"]["story_id"]


def test_lifted_sentences_read_the_narrative_not_the_quotations():
    config = ON
    assert is_derived_from(DERIVED, AGENCY_COPY, config)
    assert not is_derived_from(OWN_REPORT, AGENCY_COPY, config)
    # The own report shares the quotation word for word, which is left out of its narrative.
    count, share = lifted_sentences(OWN_REPORT, AGENCY_COPY, config)
    assert share < config.min_derived_share
    # The wire's ``...'' marks are quotation marks: the quoted words are no narrative.
    assert [s for s in narrative_sentences(["He said: ``I regret nothing.'' He left."]) if s] == [["left"]]


def test_two_papers_of_one_morning_are_not_derived_from_each_other():
    # A paper that printed the copy whole and another that lifted from it, both dated the same morning (no
    # time): neither was printed first, so neither is the other's source; their own source is not here.
    docs = corpus(raw("fuller", "herald", AGENCY_COPY, 3), raw("derived", "gazette", DERIVED, 3))
    rows = by_doc(find_stories(*docs, ON)[0])
    assert rows["derived"]["story_id"] != rows["fuller"]["story_id"]
