"""An outlet's series of posts on one template (security notices, release notes): the update that keeps its
first version whole is one story with it wherever it was published; two posts of the series filled in for
other news stay apart, even when only they print the template; a draft rewritten before publication joins the
page it became; the heading of the series' footer block is furniture (issue 12, classes 2 and 4)."""

import dataclasses

import numpy as np

from tasks.boilerplate import template_facts, template_key
from tasks.ingest import RawDocument
from tasks.link import LinkConfig, Links, cluster_stories
from tasks.stories import find_stories
from tests.tasks.test_stories import by_doc, corpus, raw

# What every notice of the series ends with: the outlet's contact block under its own heading.
CONTACT = [
    "## Contact and future updates",
    "The current security policy of the Gadget project can be found on its website under security.",
    "Subscribe to the low-volume announcement list to stay up to date on security releases of Gadget.",
]


def notice(version: str, date: str, high: int, medium: int) -> list[str]:
    """A pre-announcement of the series: its facts (versions, counts, date) filled into the template."""
    return [
        "# Summary",
        f"The Gadget project will release new versions of the {version} release lines on or shortly after "
        f"{date} in order to address {high} high severity issues and {medium} medium severity issues.",
        "## Impact",
        f"The {version} release line of Gadget is vulnerable to {high} high severity issues and {medium} "
        "medium severity issues in the parser and the network module.",
        "It is important to note that end-of-life versions are always affected by a security release.",
        "## Release timing",
        f"Releases will be available on, or shortly after, {date}, from the downloads page of the project.",
        *CONTACT,
    ]


ADVISORIES = [
    "## Parser overflow on long headers (CVE-2025-0101) - (high)",
    "A header longer than the buffer could overwrite the parser's state and let a request run code.",
    "Impact:",
    "This vulnerability affects all users of the 4.x and 5.x release lines who parse untrusted headers.",
    "Thank you to a researcher of the security team for reporting it and to the maintainers for the fix.",
]


def at(doc: RawDocument, url: str | None) -> RawDocument:
    return dataclasses.replace(doc, url=url)


def series() -> list[RawDocument]:
    site = "https://gadget.example/blog"
    feb, jul, jan = "Tuesday, February 6, 2024", "Tuesday, July 2, 2024", "Tuesday, January 21, 2025"
    return [
        at(raw("feb-pre", "gadget", notice("5.x, 4.x", feb, 2, 3), 1), f"{site}/feb"),
        at(raw("jul-pre", "gadget", notice("5.x, 4.x, 3.x", jul, 1, 4), 2), f"{site}/jul"),
        at(raw("jan-pre", "gadget", notice("6.x, 5.x", jan, 1, 2), 3), f"{site}/r/jan"),
        # The release-day post, moved to another address: the advisories on top, the notice kept whole below.
        at(
            raw("jan", "gadget", ADVISORIES + notice("6.x, 5.x", jan, 1, 2), 4),
            f"{site}/v/jan",
        ),
    ]


def test_an_update_keeping_its_first_version_whole_is_one_story_at_another_address():
    members, flagged = find_stories(*corpus(*series()))
    rows = by_doc(members)
    assert rows["jan-pre"]["story_id"] == rows["jan"]["story_id"]
    assert len({rows[d]["story_id"] for d in ("feb-pre", "jul-pre", "jan")}) == 3
    reasons = {(r["doc_id"], r["text"][:22]): r["boilerplate_reason"] for r in flagged.to_pylist()}
    # The template filled in with this post's facts is its news, though every post prints the template.
    assert reasons[("jan", "Releases will be avail")] is None
    assert reasons[("jan", "Impact:")] is None  # a run-in label is structure, like a heading
    # The series' standing lines and its footer block, heading included, are furniture.
    assert reasons[("jan", "It is important to not")] == "repeated"
    assert reasons[("jan", "## Contact and future ")] == "repeated"
    assert reasons[("jan", "## Impact")] is None  # the heading of the post's own text stays structure


def test_two_posts_of_a_series_filled_in_for_other_news_stay_apart_when_only_they_print_it():
    # Without the February notice, only July and January print the template: nothing makes it furniture
    # by count, and the two short notices read much alike; their facts tell them apart.
    members, _ = find_stories(*corpus(*series()[1:]))
    rows = by_doc(members)
    assert rows["jul-pre"]["story_id"] != rows["jan-pre"]["story_id"] == rows["jan"]["story_id"]


def test_a_draft_rewritten_before_publication_joins_the_page_it_became():
    # Documents 0-2: one page at one address (given links); the draft (3) is a rewrite of its first version
    # only (the updates reworded it again). Counted per document, the draft overlaps a third of the page and
    # stays apart; the page's versions count as one member, so it joins.
    a, b = np.array([0, 0, 1, 0]), np.array([1, 2, 2, 3])
    links = Links(a, b, np.ones(4), np.full(4, 5))
    assert len(set(cluster_stories(5, links, LinkConfig()).tolist()[:4])) == 2
    versions = np.array([0, 0, 0, 3, 4])
    label = cluster_stories(5, links, LinkConfig(), versions).tolist()
    assert len(set(label[:4])) == 1 and label[4] != label[0]


def test_template_facts_are_the_numbers_but_the_versions():
    july = "Releases will be available on, or shortly after, Tuesday, July 2, 2024."
    january = "Releases will be available on, or shortly after, Tuesday, January 21, 2025."
    assert template_key(july) == template_key(january) != 0
    assert template_facts(july) != template_facts(january) != 0
    assert template_facts("Upgrade to Flink 1.16.2 now, from v1.16.1 or 1.15.x.") == 0
    # A run of versions is one slot of the template: the next post lists one release line fewer.
    assert template_key("New versions of the 23.x, 22.x, 20.x lines are out.") == template_key(
        "New versions of the 22.x, 20.x lines are out."
    )
