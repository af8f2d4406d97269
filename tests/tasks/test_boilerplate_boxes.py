"""boilerplate-11: an outlet's standing box with labels of its own under its heading, and the classes of text
and furniture written for this session (all text authored for these tests, none copied from the real set)."""

from tasks.boilerplate import flag_document
from tasks.stories import find_stories
from tests.tasks.test_link import FLOOD, RAIL
from tests.tasks.test_stories import corpus, raw

# A club blog's notice that closes every post: its heading, a line, and two labels of its own over lists.
NOTICE = [
    "## Stay in touch!",
    "There are many ways to help the club if you would like to take part this season.",
    "You can also:",
    "* Come along to a Thursday evening session at the club house and bring a friend.",
    "Find us online:",
    "* [Forum](https://club.example/forum) * [Newsletter](https://club.example/news)",
]


def reasons(*posts: tuple[str, list[str]]) -> dict[tuple[str, str], str | None]:
    docs, paras = corpus(*(raw(name, "club", body, day) for day, (name, body) in enumerate(posts, 1)))
    _, flagged = find_stories(docs, paras)
    return {(r["doc_id"], r["text"]): r["boilerplate_reason"] for r in flagged.to_pylist()}


def test_a_boxs_heading_over_labels_of_its_own_is_furniture_with_the_box():
    found = reasons(("rail", RAIL + NOTICE), ("flood", FLOOD + NOTICE))
    for doc in ("rail", "flood"):
        assert found[(doc, "## Stay in touch!")] == "repeated"
        assert found[(doc, "You can also:")] == "repeated"
        assert found[(doc, NOTICE[1])] == "repeated"
        assert found[(doc, RAIL[0] if doc == "rail" else FLOOD[0])] is None


def test_a_heading_over_a_label_and_the_posts_own_text_stays_structure():
    # The same heading and label, but the post's own list under the label: the section is the post's.
    own = {
        "rail": "* Ask the council to keep the Sunday trains to the coast running in the winter.",
        "flood": "* Help the sandbag crews on the river road on Saturday from eight in the morning.",
    }
    box = NOTICE[:3]
    found = reasons(
        ("rail", RAIL + box + [own["rail"]]),
        ("flood", FLOOD + box + [own["flood"]]),
    )
    for doc in ("rail", "flood"):
        assert found[(doc, "## Stay in touch!")] is None
        assert found[(doc, own[doc])] is None


# A newsletter's pointers to its copy on the web, and sentences that only look like them.
WEB_COPY = [
    "Hello, friends of the Marsh Birding Society: this month's digest is here! You can read this issue "
    "[on our website](https://birds.example/digest/2024-05). Let's see what the members have been counting.",
    "View this email in your browser",
    "Having trouble viewing this email? Open it on the society's site.",
    "*You can also read this newsletter online.*",
]
NOT_WEB_COPY = [
    "The committee asked every member to read this report before the vote on the new hides in June.",
    "Volunteers who read this post on our blog last spring counted 214 herons on the estuary, twice the "
    "figure of the year before; the county recorder has asked for the spring counts again, and this year "
    "the society will publish them with the recorder's notes on each site, the weather on the day, the "
    "tide tables and the names of every counter who gave up a Saturday morning to stand in the rain.",
]


def test_a_newsletters_pointer_to_its_web_copy_is_boilerplate():
    body = [
        "The spring count found more avocets on the lagoon than in any year since the reserve opened.",
        "Wardens think the new islands built last winter gave the birds safer places to nest.",
    ]
    flags = flag_document(body[:1] + WEB_COPY + NOT_WEB_COPY + body[1:])
    assert flags == [False] + [True] * len(WEB_COPY) + [False] * len(NOT_WEB_COPY) + [False]


# Release notes of a package (authored): each release's own changes, and sections it leaves empty.
def notes(version: str, changes: list[str]) -> list[str]:
    return [
        f"Version {version} of the tidewater package is now on the package index for everyone to install.",
        "## New features",
        *changes,
        "## Deprecated and defunct",
        "* None",
        "## Acknowledgements",
        "Thank you to everyone who filed an issue, sent a fix or reviewed a change for this release.",
    ]


def test_an_empty_sections_mark_is_the_documents_structure_not_furniture():
    found = reasons(
        ("v1", notes("0.1.0", RAIL)),
        ("v2", notes("0.2.0", FLOOD)),
    )
    for doc in ("v1", "v2"):
        assert found[(doc, "* None")] is None
        assert found[(doc, "## Deprecated and defunct")] is None
        # The series' standing thanks is still its furniture.
        assert found[(doc, notes("", [])[-1])] == "repeated"


# A release-notes post of an authored service, ending in a pointer block.
SERVICE_NOTES = [
    "Here is what changed on the hosting service over the past month for the teams that run apps on it.",
    "Teams can now add a second administrator to an organization without opening a support ticket.",
    "The platform moved to the new load balancers, which cut the time to the first byte by a third.",
]


def test_a_pointer_block_closing_the_page_is_boilerplate_with_its_label():
    pointer = (
        "If you want the details of the mobile app's changes, you can also read its "
        "[release notes](https://hosting.example/app/releases)."
    )
    flags = flag_document(SERVICE_NOTES + ["### See also", pointer])
    assert flags == [False, False, False, True, True]
    # Furniture after the block (a share button) leaves it the page's close.
    assert flag_document(SERVICE_NOTES + ["Related links:", pointer, "Share this:"])[3:] == [True] * 3


def test_text_under_a_pointer_label_that_is_not_a_short_pointer_stays_text():
    own = (
        "The old dashboard will keep working until the end of the year, and teams that still use it will "
        "get an e-mail a month before it goes, with a guide to moving their saved views to the new one."
    )
    linked = "The guide to the new dashboard is on [the docs site](https://hosting.example/docs)."
    # A long paragraph under the label, and pointers with the post's own text after them.
    assert flag_document(SERVICE_NOTES + ["### See also", own]) == [False] * 3 + [True, False]
    flags = flag_document(SERVICE_NOTES + ["Related links:", linked, own])
    assert flags == [False] * 3 + [True, False, False]


LIBRARY = [
    "The new library on the harbour front opened its doors on Saturday to a queue that ran round the block.",
    "Its reading room looks out over the water and holds twelve thousand books on open shelves.",
    "Children's storytelling sessions will run every weekday morning during the school holidays.",
    "The old library building on Mill Street will become a community arts centre next spring.",
]


# Release posts of an authored tool: each post's own news, the template's standing command, and the line
# over it, worded one way in two posts and another way in a third.
COMMAND = "```console $ gadget self-update stable ```"


def release_post(version: str, news: list[str], wording: int) -> list[str]:
    lead_in = (
        f"If you have a previous version of Gadget installed, getting Gadget {version} is as easy as:"
        if wording == 1
        else f"If you have a previous version of Gadget installed, you can get {version} with:"
    )
    return [f"The Gadget team is happy to announce Gadget {version}.", lead_in, COMMAND, *news]


def test_a_lead_in_over_the_templates_command_printed_in_two_posts_is_furniture():
    found = reasons(
        ("v1", release_post("1.1.0", RAIL, 1)),
        ("v2", release_post("1.2.0", FLOOD, 2)),
        ("v3", release_post("1.3.0", LIBRARY, 1)),
    )
    assert found[("v1", COMMAND)] == found[("v3", COMMAND)] == "repeated"
    one = "If you have a previous version of Gadget installed, getting Gadget {} is as easy as:"
    assert found[("v1", one.format("1.1.0"))] == found[("v3", one.format("1.3.0"))] == "repeated"
    # Worded so in one post only, the line is that post's own.
    other = "If you have a previous version of Gadget installed, you can get 1.2.0 with:"
    assert found[("v2", other)] is None


# A club newsletter's closing sections: its quote of the week (the week's quote, then the standing call for
# next week's) and its standing contact block. One issue went out with the quote missing.
QUOTE_CALL = "Send us next week's quote by Friday evening: the committee votes on Saturday morning."
CONTACT = [
    "## Contact the club",
    "Write to the secretary at the club house or leave a note in the box by the boat shed door.",
]


def test_a_heading_over_furniture_only_where_it_heads_own_text_in_another_issue_stays_structure():
    quotes = {
        "rail": '"Trains are the only thing on this coast that run on time in winter," said a member.',
        "flood": '"We filled more sandbags on Saturday than in the whole of last year," said the coach.',
    }
    posts = [
        (
            doc,
            body[:4]
            + ["## Quote of the week", *([quotes[doc]] if doc in quotes else []), QUOTE_CALL, *CONTACT],
        )
        for doc, body in (("rail", RAIL), ("flood", FLOOD), ("regatta", RAIL[5:] + FLOOD[5:]))
    ]
    found = reasons(*posts)
    # The issue without its quote: the heading over the standing call alone is the outline's, as elsewhere.
    assert found[("regatta", "## Quote of the week")] is None
    assert found[("regatta", QUOTE_CALL)] == "repeated"
    # The contact block closes every issue, all furniture: its heading is the block's.
    for doc in ("rail", "flood", "regatta"):
        assert found[(doc, "## Contact the club")] == "repeated"
