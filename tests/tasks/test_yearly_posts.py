"""An outlet's yearly post under one standing title (the board it announces after each members' meeting, its
January review of its code of conduct) is one story a year, however much of its template two years print
alike; an edition of a standing text re-issued a year on, recast in a paragraph or only in its year, is one
text (issue 12, class 2; docs/linking.md, link-17)."""

import dataclasses
from datetime import date, datetime

from tasks.evidence import own_share, standing_title_of
from tasks.stories import find_stories
from tests.tasks.test_stories import by_doc, corpus, raw

SITE = "https://blog.gadget.example/foundation"
BOARD_TITLE = "Announcing the New Gadget Foundation Board"


def board(elected: list[str], thanks: str) -> list[str]:
    """A year's board announcement: the election sentence, the year's names, that year's thanks to those who
    left, and the two standing pointers every year's post ends with."""
    return [
        "At the Gadget Foundation's annual members' meeting held this week, the following people were "
        "elected to the Foundation's board of directors:",
        " - ".join(elected),
        thanks,
        "An overview of the Foundation's governance, with the full list of its directors, officers and "
        "project leads, can be found on the Foundation's website under governance.",
        "For more on how the Foundation works and how its members elect the board, see the page on its "
        "structure and bylaws.",
    ]


BOARD_23 = ["Ada Brennan", "Tomas Ruiz", "Mei Okafor", "Lena Varga", "Paul Decker", "Ines Moreau"]
BOARD_24 = ["Ada Brennan", "Tomas Ruiz", "Mei Okafor", "Karl Lindqvist", "Sofia Amari", "Ruth Nakamura"]
THANKS_23 = (
    "The Foundation thanks Oskar Wendt and Clara Fiore, who chose not to stand again, and lauds Wendt's "
    "twelve years on the board, most of them as its treasurer."
)
THANKS_24 = (
    "Our thanks go to Lena Varga, Paul Decker and Ines Moreau for their service; the Foundation welcomes "
    "its three new directors and its returning ones."
)


def dated(doc, title: str, url: str, day: datetime):
    return dataclasses.replace(doc, title=title, url=url, published_at=day)


def boards(second: datetime) -> list:
    return [
        dated(
            raw("board-23", "gadget", board(BOARD_23, THANKS_23), 1),
            BOARD_TITLE,
            f"{SITE}/new-board",
            datetime(2023, 3, 21, 18),
        ),
        dated(
            raw("board-24", "gadget", board(BOARD_24, THANKS_24), 2),
            BOARD_TITLE,
            f"{SITE}/new-board-1",
            second,
        ),
    ]


def test_two_years_board_announcements_under_one_title_are_two_stories():
    rows = by_doc(find_stories(*corpus(*boards(datetime(2024, 3, 26, 17))))[0])
    assert rows["board-23"]["story_id"] != rows["board-24"]["story_id"]
    # Posted the same month (no yearly post: a correction at a new address), they are one text.
    rows = by_doc(find_stories(*corpus(*boards(datetime(2023, 3, 29, 10))))[0])
    assert rows["board-23"]["story_id"] == rows["board-24"]["story_id"]


POLICY = [
    "This policy describes how the Gadget Foundation collects, uses and shares information about the people "
    "who use its websites, forums and package registry.",
    "We collect the information you give us when you create an account: a user name, an email address and, "
    "if you choose to, a display name and a short biography.",
    "We collect information about how you use the registry, such as the packages you download and publish, "
    "to keep the service running and to find abuse.",
    "We never sell your information to anyone, and we share it with service providers only to run the "
    "Foundation's websites and only under written agreements.",
    "You can ask us to correct or delete your information at any time by writing to the privacy team; we "
    "answer every request within thirty days.",
    "We keep server logs for ninety days and account information for as long as the account exists and a "
    "year after it is closed.",
    "If we change this policy we will announce it on the Foundation's blog and by email thirty days before "
    "the change takes effect.",
]


def test_a_standing_text_re_issued_a_year_on_stays_one_story():
    policy = dataclasses.replace(
        raw("privacy-23", "gadget", POLICY, 1),
        title="Gadget Foundation Privacy Policy",
        url=f"{SITE}/privacy-2023",
        published_at=datetime(2023, 5, 10),
    )
    # A year on, at a new address: one paragraph recast (logs kept for sixty days now), the rest kept.
    recast = POLICY[:5] + [
        "We keep server logs for sixty days, account information as long as the account exists, and nothing "
        "about a closed account after thirty days.",
        POLICY[6],
    ]
    revised = dataclasses.replace(
        raw("privacy-24", "gadget", recast, 2),
        title="Gadget Foundation Privacy Policy",
        url=f"{SITE}/privacy-2024",
        published_at=datetime(2024, 5, 2),
    )
    rows = by_doc(find_stories(*corpus(policy, revised))[0])
    assert rows["privacy-23"]["story_id"] == rows["privacy-24"]["story_id"]


def test_an_edition_that_changes_only_its_year_stays_one_story():
    code = [
        "Gadget Conf 2023 is dedicated to a harassment-free conference experience for everyone, regardless "
        "of gender, sexual orientation, disability, appearance, race or religion.",
        *POLICY[1:4],
    ]
    docs = [
        dataclasses.replace(
            raw(f"coc-{y}", "conf", [code[0].replace("2023", str(y)), *code[1:]], 1),
            title=f"Gadget Conf Code of Conduct ({y})",
            url=f"https://conf.gadget.example/{y}/coc",
            published_at=datetime(y, 3, 20 + y - 2023),
        )
        for y in (2023, 2024)
    ]
    rows = by_doc(find_stories(*corpus(*docs))[0])
    assert rows["coc-2023"]["story_id"] == rows["coc-2024"]["story_id"]


def test_a_standing_title_masks_its_instance_and_reads_no_release():
    assert standing_title_of("Gadget 2019 Code of Conduct Transparency Report") == standing_title_of(
        "Gadget 2020 Code of Conduct Transparency Report"
    )
    assert standing_title_of(BOARD_TITLE) == "announcing the new gadget foundation board"
    assert standing_title_of("Gadget 2.1.0 released") is None
    assert standing_title_of(None) is None


def test_own_share_counts_the_words_in_paragraphs_the_other_has_no_near_copy_of():
    one, other = board(BOARD_23, THANKS_23), board(BOARD_24, THANKS_24)
    # The year's names and thanks are its own; the election sentence and the pointers are the template's.
    own = len(one[1].split()) + len(one[2].split())
    assert own_share(one, other) == own / sum(len(p.split()) for p in one)
    assert own_share(POLICY, POLICY) == 0.0
    assert own_share(POLICY, []) == 1.0


def test_a_draft_begun_as_a_copy_of_last_years_post_is_this_years_post():
    def review(doc_id: str, paragraphs: list[str], address: str, published: datetime):
        doc = raw(doc_id, "gadget", paragraphs, 1)
        return dataclasses.replace(
            doc, title=BOARD_TITLE, page_address=address, published_at=published, url=None
        )

    docs = [
        review("board-23", board(BOARD_23, THANKS_23), "2023-03-21/new-board", datetime(2023, 3, 21)),
        # Next year's post begun as a copy of last year's, its front matter already the new one's.
        review(
            "board-24-draft", board(BOARD_23, THANKS_23), "2024-03-26/new-board-24", datetime(2024, 3, 18)
        ),
        review("board-24", board(BOARD_24, THANKS_24), "2024-03-26/new-board-24", datetime(2024, 3, 26)),
    ]
    rows = by_doc(find_stories(*corpus(*docs))[0])
    assert rows["board-24-draft"]["story_id"] == rows["board-24"]["story_id"] != rows["board-23"]["story_id"]


# An outlet's election call, posted each time a term ends: the process is copied from the last call, the
# seats, the candidates' days and the people running it are the call's own (link-21).
ELECTION = [
    "Today we are launching the process to elect new Gadget Stewards to the board of the Gadget Foundation. "
    "As we begin, we want to explain the goals of the election and the procedure the council will follow.",
    "Gadget Stewards represent the project's contributors on the Foundation's board; they vote on the "
    "Foundation's budget, its grants and its hiring, and they report back to the council each month.",
    "Each team may nominate candidates through its council representative. A candidate must have been a "
    "member of a Gadget team for at least a year and must agree to serve a full two-year term.",
    "The council interviews every candidate in private and publishes a short statement from each of them "
    "on the project's forum, so that every member can read what the candidates plan to do.",
    "The council then votes by ranked ballot. No two stewards may work for the same employer, so the "
    "council skips a candidate whose employer already holds a seat, and the next one is elected.",
    "Questions about the process can be asked on the council's forum thread or by writing to the council's "
    "mailing list; the full election policy is kept in the council's repository.",
    "We thank every contributor who takes part in the nomination process, and every candidate who stands.",
]


def election_call(year: int, seats: str, days: str, people: str) -> list[str]:
    return [ELECTION[0], seats, *ELECTION[1:4], days, *ELECTION[4:], people]


CALL_23 = election_call(
    2023,
    "This year two of the three seats are up for election: the terms of Ada Brennan and Tomas Ruiz end "
    "with the board's October meeting, and neither of them will stand again.",
    "Nominations are due by September 15, 2023; the council interviews candidates until October 2, and the "
    "new stewards are announced on October 9.",
    "The election is run by Mei Okafor and Lena Varga for the council, with Paul Decker keeping the ballot.",
)
CALL_25 = election_call(
    2025,
    "This is the second round of seats since the board was enlarged: three seats, held by Karl Lindqvist, "
    "Sofia Amari and Ruth Nakamura, are up, and all three may stand again.",
    "Nominations are due by September 18, 2025; interviews run from September 22 to October 3, and the "
    "results are posted on October 10.",
    "This round is run by Oskar Wendt and Clara Fiore, with Ines Moreau counting the ranked ballots.",
)


def test_an_outlets_first_call_and_a_later_years_call_dated_by_their_paths_are_two_stories():
    # Both files dated by one migration commit (their published_at alike); their front matter's `path` puts
    # each under its own day, two years apart. The first call names no instance in its title, the later
    # one its year.
    def call(doc_id: str, paragraphs: list[str], title: str, address: str | None, day: date | None = None):
        doc = raw(doc_id, "gadget", paragraphs, 1)
        migrated = datetime(2025, 3, 27, 22, 28)
        return dataclasses.replace(
            doc, title=title, page_address=address, page_day=day, published_at=migrated, url=None
        )

    docs = [
        call("call-23", CALL_23, "Electing New Gadget Stewards", "2023/08/30/electing-new-gadget-stewards"),
        call(
            "call-25",
            CALL_25,
            "Electing new Gadget Stewards 2025",
            "inside-gadget/2025/08/20/electing-new-gadget-stewards-2025",
        ),
        # A fix of the 2025 call at its own path: the same page, one story with it.
        call(
            "call-25-fix",
            [*CALL_25[:-1], CALL_25[-1].replace("counting", "who counts")],
            "Electing new Gadget Stewards 2025",
            "inside-gadget/2025/08/20/electing-new-gadget-stewards-2025",
        ),
    ]
    rows = by_doc(find_stories(*corpus(*docs))[0])
    assert rows["call-25"]["story_id"] == rows["call-25-fix"]["story_id"] != rows["call-23"]["story_id"]
    # Undated (no day in their addresses), the two calls read as one text: what tells them apart is the days.
    undated = [dataclasses.replace(d, page_address=d.page_address.split("/")[-1]) for d in docs]
    rows = by_doc(find_stories(*corpus(*undated))[0])
    assert rows["call-23"]["story_id"] == rows["call-25"]["story_id"]
    # The first call's file from before the site gave it a `path`: its front matter's date dates it.
    docs[0] = call("call-23", CALL_23, "Electing New Gadget Stewards", None, date(2023, 8, 30))
    rows = by_doc(find_stories(*corpus(*docs))[0])
    assert rows["call-25"]["story_id"] != rows["call-23"]["story_id"]


def test_next_terms_call_copied_from_the_last_but_its_days_is_another_story():
    # The 2025 call is the 2023 one copied, its seats and people too; only its days are its own (under a
    # quarter of its words): the days a call names are its instance (link-21).
    copied = [CALL_25[5] if k == 5 else p for k, p in enumerate(CALL_23)]
    assert CALL_23[5] != copied[5] and own_share(copied, CALL_23) < 0.25

    def call(doc_id: str, paragraphs: list[str], title: str, day: date):
        doc = raw(doc_id, "gadget", paragraphs, 1)
        return dataclasses.replace(doc, title=title, page_day=day, url=f"https://gadget.example/{doc_id}")

    first = call("call-23", CALL_23, "Electing New Gadget Stewards", date(2023, 8, 30))
    rows = by_doc(
        find_stories(
            *corpus(first, call("call-25", copied, "Electing new Gadget Stewards 2025", date(2025, 8, 20)))
        )[0]
    )
    assert rows["call-23"]["story_id"] != rows["call-25"]["story_id"]
    # The same days again (a copy re-posted two years on): one text.
    rows = by_doc(
        find_stories(
            *corpus(first, call("call-25", CALL_23, "Electing new Gadget Stewards 2025", date(2025, 8, 20)))
        )[0]
    )
    assert rows["call-23"]["story_id"] == rows["call-25"]["story_id"]


def test_a_standing_title_leaves_its_instance_out():
    assert standing_title_of("Electing New Gadget Stewards") == standing_title_of(
        "Electing new Gadget Stewards 2025"
    )
    assert standing_title_of("Gadget 2019 Code of Conduct Transparency Report") == (
        "gadget code of conduct transparency report"
    )
