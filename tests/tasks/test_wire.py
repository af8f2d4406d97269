"""News wire copy (issue 12, the classes of real-dev-wire): a story the wire sends again as it grows (a first
take, then the story with paragraphs added, sent twice) is one story; the wire's templated reports of
different days, which share most of their words, stay apart."""

from tasks.stories import find_stories
from tests.tasks.test_stories import by_doc, corpus, raw

SIGN_OFF = "Wire"

FIRST_TAKE = [
    "NORTHBANK, SOUTHBANK FOLLOW EASTBANK RATE CUT",
    "LONDON, March 9 - Northbank Plc and Southbank Plc said they are cutting their base lending rates to "
    "10.5 pct from 11 pct. The cuts follow a similar move by Eastbank Plc earlier in the morning.",
    "The rate changes take effect tomorrow.",
    SIGN_OFF,
]
ADDED = [
    "The reductions came after the central bank cut its dealing rates this morning in a signal to the money "
    "markets that it would not resist a half point drop in base lending rates, market sources said.",
    "Until the end of last week the central bank had held out against market pressure for lower rates, in "
    "an apparent effort to keep the expected cuts for the time of the annual budget on March 17.",
    "Sterling remained firm around 1.59 dlrs compared with its close here on Friday at 1.5865 dlrs.",
]

OTHER = [
    [
        "PORT WORKERS EXTEND STRIKE AT NINE HARBOURS",
        "HARBOURTON, March 9 - Port workers at nine harbours voted to extend their strike into a second "
        "week, union officials said, after talks with the shipping owners broke down on Sunday night.",
        "The owners offered a pay rise of eight pct, which the union rejected as far below inflation.",
        SIGN_OFF,
    ],
    [
        "GRAIN SHIPMENTS FROM THE NORTH COAST RISE",
        "COASTVILLE, March 9 - Grain shipments from the north coast ports rose in February as the harbour "
        "ice cleared early, the shipping board said in its monthly bulletin.",
        "The board expects loadings to stay high until the new crop reaches the ports in the summer.",
        SIGN_OFF,
    ],
]


def test_a_first_take_sent_before_two_fuller_versions_is_one_story_with_them():
    # The first take's lead is printed verbatim in three of the wire's documents, but they are one text
    # sent three times: it is the first take's own text, not the wire's furniture, so the update that keeps
    # it whole joins it.
    first = raw("take-1", "wire", FIRST_TAKE, 9)
    full = FIRST_TAKE[:-1] + ADDED + [SIGN_OFF]
    again = raw("take-2", "wire", full, 9)
    third = raw("take-3", "wire", full[:-1] + ["WIRE"], 9)
    others = [raw(f"other-{k}", "wire", text, 9) for k, text in enumerate(OTHER)]
    members, _ = find_stories(*corpus(first, again, third, *others))
    rows = by_doc(members)
    assert rows["take-1"]["story_id"] == rows["take-2"]["story_id"] == rows["take-3"]["story_id"]
    assert len({rows[d]["story_id"] for d in ("take-1", "other-0", "other-1")}) == 3
