"""An outlet's yearly post under one standing title (the board it announces after each members' meeting, its
January review of its code of conduct) is one story a year, however much of its template two years print
alike; an edition of a standing text re-issued a year on, recast in a paragraph or only in its year, is one
text (issue 12, class 2; docs/linking.md, link-17)."""

import dataclasses
from datetime import datetime

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
