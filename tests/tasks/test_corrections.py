"""A wire's correction (issue 12, class 2; link-25, tasks/corrections.py): a short take sent again an hour
later, its title marked "CORRECTED -", the paragraph with the wrong figure rewritten and a note at its end,
the rest as sent. One story with the take; the same texts without the mark, or a day apart, are left to the
other rules, which keep them apart (too little of the correction is verbatim for an update)."""

import dataclasses

from tasks.corrections import is_correction
from tasks.link import LinkConfig
from tasks.stories import find_stories
from tests.tasks.test_stories import by_doc, corpus, raw

TAKE = [
    "OSLO, June 4 - Tarnvik Shipping ASA said it agreed to sell four bulk carriers to Meridan Maritime "
    "Ltd of Piraeus for 61 mln dlrs, or about 15 mln dlrs a vessel.",
    "It said the sale would cut its debt by a third.",
    "Meridan will pay 20 mln dlrs on signing and the rest on delivery of the ships in the third "
    "quarter, Tarnvik said, and the buyer will take over their crews and charters.",
    "Reuter",
]

CORRECTED = [
    TAKE[0],
    TAKE[1],
    "Meridan will pay 12 mln dlrs on signing and the rest on delivery of the ships in the fourth "
    "quarter, Tarnvik said, and the buyer will take over their crews and charters. - Corrects "
    "payment on signing to 12 mln dlrs from 20 mln and delivery to fourth quarter from third.",
    "Reuter",
]


def documents(title: str, day: int = 4):
    take = dataclasses.replace(raw("take", "wire", TAKE, 4), title="TARNVIK TO SELL FOUR BULK CARRIERS")
    corrected = dataclasses.replace(raw("corrected", "wire", CORRECTED, day), title=title)
    return corpus(take, corrected)


def test_a_corrected_take_is_one_story_with_the_take_it_corrects():
    rows = by_doc(find_stories(*documents("CORRECTED - TARNVIK TO SELL FOUR BULK CARRIERS"))[0])
    assert rows["take"]["story_id"] == rows["corrected"]["story_id"]
    # Without the rule, too little of the correction is verbatim: two stories.
    config = LinkConfig(correction_days=-1)
    rows = by_doc(find_stories(*documents("CORRECTED - TARNVIK TO SELL FOUR BULK CARRIERS"), config)[0])
    assert rows["take"]["story_id"] != rows["corrected"]["story_id"]


def test_without_the_wires_mark_or_a_week_later_the_texts_are_left_to_the_other_rules():
    rows = by_doc(find_stories(*documents("TARNVIK TO SELL FOUR BULK CARRIERS"))[0])
    assert rows["take"]["story_id"] != rows["corrected"]["story_id"]
    rows = by_doc(find_stories(*documents("CORRECTED - TARNVIK TO SELL FOUR BULK CARRIERS", day=11))[0])
    assert rows["take"]["story_id"] != rows["corrected"]["story_id"]


def test_the_correction_mark_opens_the_title():
    assert is_correction("CORRECTED - LIFETIME<LFT> TO BUY NIPPON LACE SAHRES")
    assert is_correction("Correction: Storm-Power Outages story")
    assert not is_correction("Court hears of corrected invoices")
    assert not is_correction("Corrected accounts show a loss")
    assert not is_correction(None)
