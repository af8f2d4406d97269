"""Release announcements from one template (issue 12, boilerplate-10): two announcements of other releases are
two stories however much of the template they print word for word, so the template's standing paragraphs are
the outlet's furniture (`repeated`); a draft and its post announce one release and stay one story; editions of
a text name their version without announcing a release and stay one story. And a lead-in ending in a colon
over the post's own text is its structure, not furniture. Every text here is written for the test, in the
forms project blogs print (docs/boilerplate.md)."""

import dataclasses
from datetime import datetime

import pyarrow as pa
import pytest

from tasks.evidence import paragraph_evidence, release_of
from tasks.ingest import RawDocument
from tasks.prepare import prepare_documents
from tasks.stories import find_stories

# The blog's announcement template: its generator fills `[%version]` when the page is built; the Markdown
# source, which is what a reader of the repository gets, keeps the variable.
TEMPLATE_HEAD = [
    "## Download the source code and the binaries",
    "[Gadget downloads](/download.html)",
]
TEMPLATE_TAIL = [
    "## Installing Gadget [%version] with the package manager If you have the package manager installed, "
    "you can install Gadget [%version] with one command:",
    "```shell pm install gadget [%version] ```",
    "Once it is installed, check that the command line tool runs and prints the version you asked for.",
    "## Upgrading your existing projects Open the project in your editor and change the Gadget version in "
    "its build file to [%version], then run the tests of your project before you deploy it again.",
    "Normally the libraries Gadget depends on are updated for you by its bill of materials; if you pinned "
    "some of them yourself, update them to the versions of this release too.",
    "## Mailing lists The users list is for questions and discussion about Gadget; the developers list is "
    "for the work on the framework itself. Never post your address or phone number to either list.",
    "## Thank you! A huge thank you to our community for supporting Gadget over the past ten years, and to "
    "everyone who tested the release candidates and reported what they found.",
    "Join the Gadget chat, share your feedback, and help make the framework even better in the future.",
]
LEAD_IN = (
    "## Dependency upgrades In this release we upgraded several libraries, including but not limited to "
    "the following:"
)


def _announcement(lead: str, changes: list[str], upgrades: str) -> list[str]:
    return [lead, *TEMPLATE_HEAD, *changes, LEAD_IN, upgrades, *TEMPLATE_TAIL]


RC = _announcement(
    "The Gadget community is excited to announce the second release candidate of Gadget 3.0. Please try it "
    "and tell us what breaks before the final release.",
    [
        "- Remove the unused documentation generator from the project builder (#1501)",
        "- Reformat the code of the command line tool and enforce the style in the build (#1502)",
        "- Fix the reloading of templates when a project holds two modules of one name (#1503)",
    ],
    "* Parser library 5.0.16 * Web server 6.2.10 * Test runner 3.5.5",
)
FINAL = _announcement(
    "The Gadget community is proud to announce Gadget 3.0, the first stable version of the new major "
    "release, after a year of milestones and two release candidates.",
    [
        "- Publish the documentation to the new project site with every release (#1528)",
        "- Persist timestamps of the document store the same way in every driver (#1531)",
        "- Generate a software bill of materials for every published package (#1537)",
    ],
    "* Parser library 5.0.19 * Web server 6.2.11 * Test runner 3.5.6",
)


def raw(doc_id: str, title: str, paragraphs: list[str], day: int) -> RawDocument:
    return RawDocument(
        doc_id,
        f"gadget/{doc_id}.md",
        "\n\n".join(paragraphs),
        "gadget-blog",
        title,
        None,
        datetime(2025, 9, day),
        "utf-8",
        doc_id,
        "md",
    )


def stories_and_reasons(*raws: RawDocument) -> tuple[dict[str, str], dict[tuple[str, str], str | None]]:
    docs, paras = prepare_documents(list(raws))
    members, flagged = find_stories(docs, paras)
    story = {r["doc_id"]: r["story_id"] for r in members.to_pylist()}
    reasons = {(r["doc_id"], r["text"]): r["boilerplate_reason"] for r in flagged.to_pylist()}
    return story, reasons


def test_two_announcements_of_other_releases_from_one_template_are_two_stories_and_share_furniture():
    rc = raw("gadget-3.0.0-rc2", "Gadget 3.0.0-RC2 Release Announcement", RC, 1)
    final = raw("gadget-3.0.0", "Gadget 3.0.0 Release Announcement", FINAL, 20)
    story, reasons = stories_and_reasons(rc, final)
    assert story["gadget-3.0.0-rc2"] != story["gadget-3.0.0"]
    # What the template prints in both, word for word, is the blog's furniture once they are two stories.
    for text in TEMPLATE_TAIL[2:]:
        assert reasons[("gadget-3.0.0", text)] == reasons[("gadget-3.0.0-rc2", text)] == "repeated"
    # Each post's own news is text; so is the template's lead-in to each post's own list of versions.
    assert reasons[("gadget-3.0.0", FINAL[0])] is None
    assert reasons[("gadget-3.0.0", FINAL[3])] is None
    assert reasons[("gadget-3.0.0", LEAD_IN)] is None


def test_a_draft_and_its_post_announce_one_release_and_are_one_story():
    final = raw("gadget-3.0.0", "Gadget 3.0.0 Release Announcement", FINAL, 20)
    fixed = [p.replace("two release candidates", "two release candidates and a beta") for p in FINAL]
    draft = raw("gadget-3.0.0-draft", "Gadget 3.0 Release Announcement (draft)", fixed, 18)
    story, reasons = stories_and_reasons(draft, final)
    assert story["gadget-3.0.0-draft"] == story["gadget-3.0.0"]
    assert not [key for key, reason in reasons.items() if reason == "repeated"]


def test_two_editions_of_a_text_name_their_versions_without_announcing_a_release_and_are_one_story():
    code = [
        "## Our pledge We as members, contributors and leaders pledge to make participation in our "
        "community a harassment-free experience for everyone.",
        "## Our standards Examples of behaviour that contributes to a positive environment include "
        "demonstrating empathy and kindness toward other people.",
        "## Enforcement Instances of abusive behaviour may be reported to the community leaders "
        "responsible for enforcement at the address below.",
        "## Scope This code applies within all community spaces, and also when an individual is "
        "officially representing the community in public spaces.",
    ]
    old = raw("code-1.4", "Gadget Code of Conduct 1.4", [*code, "This code is version 1.4."], 1)
    new = code[:2] + [code[2].replace("address below", "address below or in private")] + code[3:]
    edition = raw("code-2.0", "Gadget Code of Conduct 2.0", [*new, "This code is version 2.0."], 20)
    story, _ = stories_and_reasons(old, edition)
    assert story["code-1.4"] == story["code-2.0"]


ANNOUNCING = [
    "Apache Gadget 3.0.0-RC2 Release Announcement",
    "Announcing Gadget 1.64.0",
    "Gadget 1.1 Released",
    "The Example Foundation Announces Gadget 1.0",
    # A name and a three-part number is a release note's title (link-14: Node.js titles its notes so).
    "gadget v0.3.0",
]
NOT_ANNOUNCING = [
    "Gadget Code of Conduct 2.1",  # an edition names its version
    "Tuesday, July 2, 2024 Security Releases",  # a series' posts: no version in the title
    "Released on 2024-05-01, the report names 12 councils",
    "How we moved our build farm to gadget v0.3.0",  # a sentence that mentions a version
]


@pytest.mark.parametrize("title", ANNOUNCING)
def test_a_title_announcing_a_release_names_it(title):
    assert release_of(title)


@pytest.mark.parametrize("title", NOT_ANNOUNCING)
def test_a_title_that_announces_no_release_names_none(title):
    assert release_of(title) is None


def test_one_release_however_its_title_writes_the_version():
    assert release_of("Gadget 1.0 Released") == release_of("The Example Foundation Announces Gadget 1.0.0")
    assert release_of("Announcing Gadget v2.1") == release_of("Gadget 2.1 release announcement")
    rc, final = "Gadget 3.0.0-RC2 Release Announcement", "Gadget 3.0.0 Release Announcement"
    assert release_of(rc) != release_of(final)


LEAD_INS = [
    "The following methods and trait implementations are now stabilized:",
    "## Dependency upgrades In this release we upgraded several libraries, including the following:",
    "Impact:",
]
NOT_LEAD_INS = [
    "Some useful tips for package developers. :eyes:",  # an emoji's short code
    "Many thanks to the contributors to this release, from issues, code, reviews or discussions:",
    "He said: the bridge will open in May.",  # a colon inside a sentence
    "The council listed the roads it will close this summer, the first of them the main street, the "
    "bridge over the river, the road to the station, the lane behind the school and a dozen more across "
    "the whole of the northern valley:",  # longer than a lead-in
]


def test_a_lead_in_is_a_short_line_ending_in_a_colon_that_thanks_no_one():
    evidence = paragraph_evidence(pa.array(LEAD_INS + NOT_LEAD_INS))["is_lead_in"].to_pylist()
    assert evidence == [True] * len(LEAD_INS) + [False] * len(NOT_LEAD_INS)


def test_a_lead_in_printed_under_two_stories_is_furniture_only_over_furniture():
    # Two posts of one blog (other releases) print two lead-ins word for word: one over each post's own list,
    # one over the template's command. The first is the post's structure; the second is the template's.
    own = "The following functions are now stable and can be used in released code:"
    command = "To check the installation, run:"
    posts = []
    releases = [("1.60.0", ["`Vec::leak`", "`Box::pin`"]), ("1.64.0", ["`ready`"])]
    for k, (version, items) in enumerate(releases):
        posts.append(
            raw(
                f"gadget-{version}",
                f"Announcing Gadget {version}",
                [
                    f"The Gadget team is happy to announce Gadget {version}, released this week.",
                    own,
                    " ".join(f"- {item}" for item in items) + f" stabilized in {version}",
                    command,
                    "```shell gadget --version ```",
                    "Gadget is built by a community of volunteers who answer questions on the forum.",
                ],
                k * 10 + 1,
            )
        )
    story, reasons = stories_and_reasons(*posts)
    assert story["gadget-1.60.0"] != story["gadget-1.64.0"]
    assert reasons[("gadget-1.64.0", own)] is None
    assert reasons[("gadget-1.64.0", command)] == "repeated"


# Two wire stories of one hurricane printed by one portal: each its own report, sharing two background
# paragraphs the newsroom wrote once; and the portal's standing box between paragraphs, printed under both.
STORM_A = [
    "The storm's march toward land sent thousands out of the port city in slow traffic on Thursday.",
    "Drivers waited for hours on the highway north as service stations ran out of fuel by the afternoon.",
    "The toll of last month's hurricane in the state rose to 832 on Thursday; workers kept searching homes.",
    "Officials said the shelters in the north of the state had room for another twenty thousand people.",
    "As for those who refuse to leave, the governor said they should write their names on their arms in ink.",
    "The forecast called for a storm surge of fifteen to twenty feet along the western part of the coast.",
    "Check our live map for road closures and shelter openings across the region this week.",
    "Forecasters said the storm could weaken before it reaches the coast late on Friday night.",
]
STORM_B = [
    "Rain fell on the flooded city on Thursday for the first time since last month's hurricane hit.",
    "Engineers added sandbags to the patched levees and said they would hold three to five inches of rain.",
    "The toll of last month's hurricane in the state rose to 832 on Thursday; workers kept searching homes.",
    "In the lower wards, water seeped through a patched levee and covered a street a foot deep by evening.",
    "As for those who refuse to leave, the governor said they should write their names on their arms in ink.",
    "The mayor asked the few thousand people who had come back to leave again until the rain stops.",
    "Check our live map for road closures and shelter openings across the region this week.",
    "Pumps were running at two thirds of their capacity, the engineers said late on Thursday.",
]


def news_raw(doc_id: str, paragraphs: list[str], day: int) -> RawDocument:
    return RawDocument(
        doc_id, f"portal/{doc_id}.txt", "\n\n".join(paragraphs), "portal", None, None,
        datetime(2005, 9, day), "utf-8", doc_id, "txt",
    )  # fmt: skip


def test_background_paragraphs_two_stories_of_one_news_share_inside_their_text_are_not_furniture():
    story, reasons = stories_and_reasons(
        news_raw("storm-traffic", STORM_A, 22), news_raw("storm-rain", STORM_B, 23)
    )
    assert story["storm-traffic"] != story["storm-rain"]
    for doc in ("storm-traffic", "storm-rain"):
        assert reasons[(doc, STORM_A[2])] is None and reasons[(doc, STORM_A[4])] is None
    # Shared alone, the box is a box: furniture, as before. A single shared paragraph inside the text is not
    # enough to call two stories one news.
    one = [p for k, p in enumerate(STORM_A) if k != 4]
    other = [p for k, p in enumerate(STORM_B) if k not in (2, 4)]
    story, reasons = stories_and_reasons(
        news_raw("storm-traffic", one, 22), news_raw("storm-rain", other, 23)
    )
    assert reasons[("storm-traffic", STORM_A[6])] == reasons[("storm-rain", STORM_A[6])] == "repeated"


def test_a_shared_paragraph_that_opens_or_closes_a_story_stays_furniture():
    header = "Morning edition of the portal, your trusted source for the whole of the gulf coast this week."
    a = [header, *STORM_A[:6], STORM_A[7]]
    b = [header, *STORM_B[:6], STORM_B[7]]
    story, reasons = stories_and_reasons(news_raw("storm-traffic", a, 22), news_raw("storm-rain", b, 23))
    assert story["storm-traffic"] != story["storm-rain"]
    assert reasons[("storm-traffic", header)] == reasons[("storm-rain", header)] == "repeated"
    assert reasons[("storm-traffic", STORM_A[2])] is None  # the background inside the text is still news


def test_a_markdown_image_with_a_caption_as_its_title_is_a_captioned_figure():
    from tasks.boilerplate import flag_document

    captioned = '![History](/images/history.png "Milestones in the history of the two organisations")'
    bare = "![History](/images/history.png)"
    named = '![Logo](/images/logo.png "logo")'
    text = "The two organisations have worked side by side for years, as the timeline below shows."
    assert flag_document([text, captioned, text, bare, text, named, text]) == [
        False, False, False, True, False, True, False,
    ]  # fmt: skip


def test_a_link_alone_naming_a_version_is_a_template_line_and_a_link_without_one_is_not():
    from tasks.boilerplate import template_key

    one = template_key("* [gadget==1.16.1](https://pypi.org/project/gadget/1.16.1/)")
    assert one != 0 and one == template_key("* [gadget==1.17.1](https://pypi.org/project/gadget/1.17.1/)")
    assert template_key("* [Forum](https://forum.example.org)") == 0
    assert template_key("See [gadget 1.16.1](https://x.org) now") == 0  # a sentence: four words needed


def test_a_front_matter_titles_generator_variables_are_filled_from_the_front_matter():
    from tasks.frontmatter import split_front_matter

    def title(front: str) -> str:
        return split_front_matter(f"---\n{front}\n---\n\nThe post's first paragraph.\n").fields["title"]

    grails = title("version: 7.0.0-RC2\ntitle: Apache Gadget [%version] - Release Announcement")
    assert grails == "Apache Gadget 7.0.0-RC2 - Release Announcement"
    assert release_of(grails) == "7-rc2"
    jekyll = title("version: 2.1\ntitle: 'Announcing Gadget {{ page.version }}'")
    assert jekyll == "Announcing Gadget 2.1"
    unfilled = "Gadget [%version] - Release Announcement"  # no version field: left as it stands
    assert title(f"title: {unfilled}") == unfilled


# A choir festival's yearly call for host cities, re-issued the next year: the list of what a bid must cover
# keeps most of its items word for word, among items and paragraphs of each year's own. Written for this test.
def festival_call(year: int, own: list[str], day: int, input_format: str = "txt") -> RawDocument:
    paragraphs = [
        f"The committee of the Northern Choir Festival invites towns to bid for the {year} festival, which "
        f"will take place in the second half of {['May', 'June'][year % 2]} as every year.",
        f"Bids for {year} are due by the end of {['March', 'February'][year % 2]}; the committee votes a "
        "month later and announces the host at the closing concert of this year's festival.",
        "A bid must cover the following, and the committee weighs each point when it votes:",
        "1. Venues",
        own[0],
        "* Concert hall",
        "* Rehearsal rooms",
        own[1],
        "2. Budget",
        "* Travel grants",
        "* Printed programmes",
        "* Volunteers' meals",
        own[2],
        f"Send the bid for {year} to the committee by mail, with a letter from the town's council.",
    ]
    return dataclasses.replace(
        news_raw(f"call-{year}", paragraphs, day), outlet="festival", input_format=input_format
    )


def test_list_items_two_calls_share_between_their_own_items_are_their_text_unless_extracted_from_a_page():
    calls = (
        festival_call(2024, ["* A hall for 1,200 seats", "* Parking near the venue", "* Street banners"], 1),
        festival_call(
            2025, ["* A cathedral or a church", "* Hotels within walking distance", "* Ferries"], 20
        ),
    )
    story, reasons = stories_and_reasons(*calls)
    assert story["call-2024"] != story["call-2025"]
    lead_in = "A bid must cover the following, and the committee weighs each point when it votes:"
    for item in (lead_in, "1. Venues", "* Concert hall", "* Rehearsal rooms", "* Travel grants", "2. Budget"):
        assert reasons[("call-2024", item)] is None and reasons[("call-2025", item)] is None
    # Lists a reader took from two web pages may be the site's boxes: printed under both, they stay furniture.
    pages = [dataclasses.replace(c, input_format="html") for c in calls]
    _, reasons = stories_and_reasons(*pages)
    assert (
        reasons[("call-2024", "* Rehearsal rooms")]
        == reasons[("call-2025", "* Rehearsal rooms")]
        == "repeated"
    )


def test_a_paragraph_opening_with_a_bullet_or_a_number_is_a_list_item():
    texts = [
        "* Venue",
        "- Rooms",
        "2. Objectives",
        "10) Budget",
        "*Emphasis* is no item.",
        "2024 was a year.",
    ]
    assert paragraph_evidence(pa.array(texts))["is_list_item"].to_pylist() == [True] * 4 + [False] * 2


def test_an_ascii_text_is_cut_into_the_template_words_the_unicode_pattern_cuts():
    import random

    from tasks.boilerplate import _ASCII_TOKEN, _TOKEN

    alphabet = "".join(map(chr, range(128)))
    pick = random.Random(7)
    texts = ["".join(pick.choice(alphabet) for _ in range(pick.randrange(60))) for _ in range(3000)]
    texts += ["v1.64.0 and 23.x: see https://x.org/a_b-c, 2023-05-25_rc1", "__init__ a__b 1,000.5/7"]
    for text in texts:
        assert _ASCII_TOKEN.findall(text) == _TOKEN.findall(text)
