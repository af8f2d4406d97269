"""News wire copy (issue 12, the classes of real-dev-wire): a story the wire sends again as it grows (a first
take, then the story with paragraphs added, sent twice) is one story; the wire's templated reports of
different days, which share most of their words, stay apart."""

from tasks.boilerplate import template_facts
from tasks.evidence import lead_subject
from tasks.link import LinkConfig
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


STRIKE = [
    "Hundreds of marines were on alert at the nine harbours, a spokesman for the port authority said, and "
    "the navy had been told to be ready to take over the ships if the strike went on.",
    "The halt, the first national strike by port workers in 25 years, began on February 27 and has left an "
    "estimated 160 ships idle in the harbours and at anchor outside them.",
    "Petrol station owners in four provinces also continued their shutdown, and there were fears that the "
    "two stoppages together could lead to a serious fuel shortage.",
]


def morning_note(day: str, amount: str, funds: str, opened: str, comment: str) -> list[str]:
    """The wire's morning note on the Northland Reserve Bank's operations: one lead with the day changed,
    then that day's expectations, rates and comment."""
    return [
        "RESERVE BANK EXPECTED TO ADD TEMPORARY RESERVES",
        f"KINGSTON, March {day} - The Northland Reserve Bank is expected to enter the Northland Government "
        "securities market to add temporary reserves, economists said.",
        f"They expect it to supply the reserves indirectly by arranging {amount} of customer repurchase "
        "agreements.",
        f"Interbank funds, which averaged {funds} pct yesterday, opened at {opened} pct. {comment}",
        SIGN_OFF,
    ]


def test_a_templated_report_of_two_days_is_two_stories_and_a_story_sent_again_the_next_day_is_one():
    tuesday = raw(
        "note-3",
        "wire",
        morning_note(
            "3",
            "1.5 to two billion dlrs",
            "6.18",
            "6-3/16",
            "Dealers said the rate is under pressure from the settlement of 8.25 billion dlrs of Kingston "
            "Treasury notes and from the Northland Savings Board's quarterly call on banks.",
        ),
        3,
    )
    wednesday = raw(
        "note-4", "wire", morning_note("4", "around 1.5 billion dlrs", "6.22", "six", "It stayed there."), 4
    )
    # A story sent on the 1st and again on the 2nd under its new dateline: the same paragraphs.
    story = OTHER[0][:3] + STRIKE + [SIGN_OFF]
    sent = raw("strike-1", "wire", story, 1)
    again = raw("strike-2", "wire", [story[0], story[1].replace("March 9", "March 10"), *story[2:]], 2)
    texts = corpus(tuesday, wednesday, sent, again, raw("grain", "wire", OTHER[1], 1))
    rows = by_doc(find_stories(*texts)[0])
    assert rows["note-3"]["story_id"] != rows["note-4"]["story_id"]
    assert rows["strike-1"]["story_id"] == rows["strike-2"]["story_id"]
    # Without the rule (no span of days read as two days' reports), the two notes are read as one story.
    rows = by_doc(find_stories(*texts, LinkConfig(daily_span_days=0))[0])
    assert rows["note-3"]["story_id"] == rows["note-4"]["story_id"]


def balances(day: int, now: str, before: str, cash: str) -> list[str]:
    """The wire's daily report of the treasury's balances: one template, that day's figures."""
    return [
        f"TREASURY BALANCES AT CENTRAL BANK FELL ON MARCH {day}",
        f"KINGSTON, March {day + 1} - Treasury balances at the Northland Reserve Bank fell on March {day} to "
        f"{cash} billion dlrs from the day before, the Treasury said in its daily statement.",
        f"Balances in the tax and loan note accounts fell to {now} billion dlrs from {before} billion dlrs "
        "on the same respective days.",
        f"The Treasury's operating cash balance totaled {cash} billion dlrs on March {day}.",
        SIGN_OFF,
    ]


def test_a_templated_report_filled_with_each_days_figures_is_not_furniture():
    figures = [("25.137", "25.780", "3.412"), ("21.334", "25.164", "3.871"), ("14.350", "14.391", "2.905")]
    days = [raw(f"balances-{k}", "wire", balances(k + 2, *f), k + 3) for k, f in enumerate(figures)] + [
        raw(f"other-{k}", "wire", text, 9) for k, text in enumerate(OTHER)
    ]
    _, flagged = find_stories(*corpus(*days))
    reasons = {(r["doc_id"], r["text"][:20]): r["boilerplate_reason"] for r in flagged.to_pylist()}
    # The decimals before "billion dlrs" are that day's figures (facts), not version strings: three days'
    # reports fill the sentence with three sets, so it is each report's news.
    for k in range(3):
        assert reasons[(f"balances-{k}", "Balances in the tax ")] is None
    assert template_facts("Balances fell to 21.334 billion dlrs.") != template_facts(
        "Balances fell to 25.137 billion dlrs."
    )
    # A version is still no fact: the next release's note changes only its version.
    assert template_facts("Upgrade to Gadget 1.16.2 now, from 1.15 or older.") == 0
    assert reasons[("other-0", SIGN_OFF)] == "repeated"


def earnings(company: str, city: str, quarter: tuple[str, str], year: tuple[str, str]) -> list[str]:
    """An earnings table as the wire prints it, a line a row: the quarter's figures, "Year", the year's."""
    return [
        f"{company.upper()} 4TH QTR NET",
        f"{city}, March 4 - Shr {quarter[0]} cts vs {quarter[1]} cts",
        f"Net {quarter[0]}4,000 vs {quarter[1]}7,000",
        "Year",
        f"Shr {year[0]} dlrs vs {year[1]} dlrs",
        f"Net {year[0].replace('.', '')}1,000 vs {year[1].replace('.', '')}5,000",
        SIGN_OFF,
    ]


def payout(fund: str, amount: str) -> list[str]:
    """A fund's dividend notice: one line of figures, then its fields."""
    return [
        f"{fund.upper()} SETS PAYOUT",
        f"HILLTOWN, March 2 - Mthly div {amount} cts vs {amount} cts prior",
        "Pay April 15",
        "Record April 1",
        f"NOTE: {fund} Income Fund.",
        SIGN_OFF,
    ]


def column(topic: str, first: str, second: str) -> list[str]:
    """A paper's column with its standing box between two paragraphs."""
    return [
        f"A column on {topic}",
        f"{first} The council will take up the question again at its meeting after the spring recess.",
        "Council notes",
        f"{second} Residents can send their comments to the council's office until the end of the month.",
    ]


def test_the_rows_of_a_table_the_wire_prints_as_lines_are_its_own_text():
    tables = [
        raw("acme", "wire", earnings("Acme Corp", "BOSTON", ("71", "43"), ("1.51", "1.32")), 4),
        raw("brill", "wire", earnings("Brill Inc", "DENVER", ("22", "19"), ("0.84", "0.77")), 4),
        raw("corto", "wire", earnings("Corto Ltd", "AUSTIN", ("9", "12"), ("0.35", "0.41")), 4),
        raw("fund-a", "wire", payout("Hilltown Insured Tax-Free", "7.1"), 2),
        raw("fund-b", "wire", payout("Hilltown California Tax-Free", "6.5"), 2),
        raw("fund-c", "wire", payout("Hilltown High-Yield Tax-Free", "8.2"), 2),
    ]
    columns = [
        raw(
            "roads",
            "gazette",
            column("roads", "The road budget rose 12 pct to 4.5 mln.", "Potholes rose."),
            5,
        ),
        raw(
            "parks",
            "gazette",
            column("parks", "Two parks will close in 2025 for 18 months.", "Trees fell."),
            6,
        ),
        raw("bins", "gazette", column("bins", "Bins will be emptied 3 times in 2 weeks.", "Fees rose."), 7),
    ]
    _, flagged = find_stories(*corpus(*tables, *columns))
    reasons = {(r["doc_id"], r["text"]): r["boilerplate_reason"] for r in flagged.to_pylist()}
    # Printed alike by every report, but between the report's own lines of figures: the table's rows.
    for doc in ("acme", "brill", "corto"):
        assert reasons[(doc, "Year")] is None
    for doc in ("fund-a", "fund-b", "fund-c"):
        assert reasons[(doc, "Pay April 15")] is None and reasons[(doc, "Record April 1")] is None
        assert reasons[(doc, SIGN_OFF)] == "repeated"
    # A paper's box between sentences is furniture, though a sentence with figures stands above it.
    for doc in ("roads", "parks", "bins"):
        assert reasons[(doc, "Council notes")] == "repeated"


# Another bank's cut of the same morning: the same rate, lead bank and central bank, the budget's day.
WESTBANK = [
    "WESTBANK MATCHES BASE RATE CUT TO 10.5 PCT",
    "LONDON, March 9 - Westbank Plc said it is cutting its base lending rate to 10.5 pct from 11 pct, "
    "effective tomorrow.",
    "The reduction follows similar moves from the three other clearing banks of the country.",
    "Eastbank Plc led the way this morning after the central bank cut its dealing rates in a signal to the "
    "money markets that it would not resist a half point drop in base lending rates.",
    "Until the end of last week the central bank had held out against market pressure for lower rates, "
    "before the annual budget on March 17.",
    SIGN_OFF,
]


def test_a_first_take_joins_its_takes_and_another_banks_cut_of_the_morning_stays_apart():
    # With the first take's lead its own text again (its takes are one text), the story reads like another
    # bank's cut of the same morning by its names, in order: the rate, the lead bank, the central bank, the
    # budget's day. Each lead is about a bank the other never names.
    first = raw("take-1", "wire", FIRST_TAKE, 9)
    full = FIRST_TAKE[:-1] + ADDED + [SIGN_OFF]
    takes = [first, raw("take-2", "wire", full, 9), raw("take-3", "wire", full[:-1] + ["WIRE"], 9)]
    westbank = [raw(f"westbank-{k}", "wire", WESTBANK, 9) for k in (1, 2)]
    others = [raw(f"other-{k}", "wire", text, 9) for k, text in enumerate(OTHER)]
    texts = corpus(*takes, *westbank, *others)
    rows = by_doc(find_stories(*texts)[0])
    assert rows["take-1"]["story_id"] == rows["take-2"]["story_id"] == rows["take-3"]["story_id"]
    assert rows["westbank-1"]["story_id"] == rows["westbank-2"]["story_id"] != rows["take-1"]["story_id"]
    # Without a lead to read (none is long enough), the two banks' stories are one.
    rows = by_doc(find_stories(*texts, LinkConfig(min_lead_words=1000))[0])
    assert rows["westbank-1"]["story_id"] == rows["take-1"]["story_id"]


def new_issue(issuer: str, day: int, amount: str, coupon: str, guarantor: str) -> list[str]:
    """A wire's notice of a new eurobond, on its standing template: the issuer, that issue's terms."""
    return [
        f"{issuer.upper()} ISSUES NOVEL BOND",
        f"LONDON, March {day} - The {issuer} is issuing a novel {amount} mln Northland dlr eurobond due "
        f"April {day + 3}, 1994 paying an initial coupon of {coupon} pct and priced at 101 pct, lead "
        "manager Alpine Securities International said.",
        "The coupon will then be re-fixed annually at the one-year Northland Treasury rate. There will also "
        "be an investor put option annually at par. The selling concession is 3/4 pct while management and "
        "underwriting combined pays 3/8 pct.",
        f"The non-callable bond is guaranteed by {guarantor} and will be listed in Luxembourg. It is "
        "available in denominations of 1,000 and 10,000 Northland dlrs.",
        SIGN_OFF,
    ]


def test_two_issuers_notices_on_one_template_are_two_stories():
    harbour = new_issue("Harbour Bank of Northland", 5, "100", "16", "Northland")
    valley = new_issue("State Bank of West Northland", 6, "50", "16-1/4", "the state of West Northland")
    others = [raw(f"other-{k}", "wire", text, 9) for k, text in enumerate(OTHER)]
    texts = corpus(raw("harbour", "wire", harbour, 5), raw("valley", "wire", valley, 6), *others)
    rows = by_doc(find_stories(*texts)[0])
    assert rows["harbour"]["story_id"] != rows["valley"]["story_id"]
    # Without a lead to read, their terms and names in order make them one story.
    rows = by_doc(find_stories(*texts, LinkConfig(min_lead_words=1000))[0])
    assert rows["harbour"]["story_id"] == rows["valley"]["story_id"]
    # Who a lead is about: its first run of capitalised words after the dateline.
    assert lead_subject(harbour[1]) == ["the", "harbour", "bank"]
    assert lead_subject("WASHINGTON (AP) — Senator Ann Lee said on Monday ...") == ["senator", "ann", "lee"]
    assert lead_subject("Shares of Westbank Plc fell 3 pct.") == ["shares"]
