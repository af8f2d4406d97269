"""An agency's write-through of its own story (issue 12, class 2; the Press Association's nightleads of
real-dev-meter): the day's court copy rewritten for the next morning's papers by the same agency, a new
lead, the order recast, every paragraph reworded but much of the reporter's own phrasing kept through the
text. One outlet, one news day: versions of one story. The same outlet's report of another case that day
stays apart."""

from tasks.link import LinkConfig
from tasks.stories import find_stories
from tests.tasks.test_stories import by_doc, corpus, raw

FIRST_PAGE = [
    "A retired harbour pilot told a jury at Eastbury Crown Court today how he watched the tanker Marisol "
    "drift onto the sandbank after her engine failed off Kellow Point.",
    "Thomas Pendry, 64, said he had warned the port's duty officer twice that the tide was turning and the "
    "ship was far too close to the shoal for a vessel of her size.",
    '"I said to him, she will be aground within the hour if nobody sends a tug," Mr Pendry told the court.',
    "The ship's master, Arvid Solberg, 52, of Bergen, denies endangering the safety of the harbour by "
    "sailing without a working backup generator.",
    "The port company, Eastbury Marine Services Ltd, denies failing to keep a tug on standby as its licence "
    "requires during the night shift.",
    "The court heard that the Marisol was carrying 28,000 tonnes of diesel when she grounded shortly after "
    "two in the morning on January 14 last year.",
    "Prosecutor Helen Marchbank said oil had leaked from one of the forward tanks for three days before "
    "salvage crews were able to pump the cargo into a second ship.",
    "Clean-up work along eleven miles of the estuary cost the harbour authority more than 4.2 million "
    "pounds, she told the jury.",
    "Under cross-examination Mr Pendry agreed that he had not been on the bridge himself and had followed "
    "the ship's course on the radar screen at the pilot station.",
    "The trial, expected to last three weeks, continues tomorrow.",
]

NIGHTLEAD = [
    "The master of a tanker that spilled diesel along eleven miles of coastline ignored two warnings "
    "that his "
    "ship was drifting into danger, a court was told today.",
    "Arvid Solberg, 52, from Bergen in Norway, is accused of endangering the safety of the harbour by "
    "sailing "
    "the Marisol without a working backup generator.",
    "Eastbury Marine Services Ltd, which runs the port, is accused of failing to keep a tug on standby "
    "as its "
    "licence requires during the night shift. Both deny the charges.",
    "Giving evidence at Eastbury Crown Court, retired harbour pilot Thomas Pendry, 64, said he watched the "
    "tanker drift onto the sandbank after her engine failed off Kellow Point.",
    "He said he had warned the duty officer twice that the tide was turning and that the tanker was far too "
    "close to the shoal for a vessel of her size.",
    '"I said to him, she will be aground within the hour if nobody sends a tug," he said. "Nobody came."',
    "The jury heard the Marisol was carrying 28,000 tonnes of diesel when she grounded shortly after two in "
    "the morning last January.",
    "Helen Marchbank, prosecuting, said oil leaked from one of the forward tanks for three days before the "
    "salvage crews could pump the cargo into a second ship.",
    "The clean-up of the estuary cost the harbour authority more than 4.2 million pounds.",
    "Mr Pendry agreed under cross-examination that he had not been on the bridge himself and had "
    "followed the "
    "tanker's course on a radar screen.",
    "The case continues.",
]

OTHER_CASE = [
    "A former council treasurer took 310,000 pounds from a fund meant to repair village halls and spent "
    "it on "
    "racehorses, Westmoor Crown Court heard today.",
    "Graham Ashcombe, 58, of Lowfield, denies eleven charges of false accounting and one of theft between "
    "March 2019 and October 2021.",
    "Prosecutor Simon Tregarth said the money had been moved through a charity account that Mr Ashcombe "
    "alone "
    "controlled and that the council's auditors never asked to see.",
    '"He treated the fund as his own savings account," Mr Tregarth told the jury.',
    "Three of the horses were bought at the autumn sales at Newbridge for a total of 164,000 pounds, "
    "the court "
    "was told.",
    "The trial continues.",
]


def documents(nightlead_day: int = 2):
    return corpus(
        raw("first-page", "agency", FIRST_PAGE, 2),
        raw("nightlead", "agency", NIGHTLEAD, nightlead_day),
        raw("other-case", "agency", OTHER_CASE, 2),
    )


def test_an_agencys_write_through_of_its_own_story_is_one_story_with_it():
    rows = by_doc(find_stories(*documents())[0])
    assert rows["first-page"]["story_id"] == rows["nightlead"]["story_id"]
    assert rows["other-case"]["story_id"] != rows["first-page"]["story_id"]
    # Without the rule (no span of days read as one news day), the write-through is a story of its own: its
    # names are recast in another order and it shares too few paragraphs for the other rules.
    rows = by_doc(find_stories(*documents(), LinkConfig(write_through_days=-1))[0])
    assert rows["first-page"]["story_id"] != rows["nightlead"]["story_id"]


def test_one_outlets_two_texts_weeks_apart_need_more_than_a_shared_phrasing():
    # The same wording three weeks later is not the day's write-through: an outlet's phrasing recurs across
    # its stories, so this rule reads one news day only.
    rows = by_doc(find_stories(*documents(nightlead_day=23))[0])
    assert rows["first-page"]["story_id"] != rows["nightlead"]["story_id"]
