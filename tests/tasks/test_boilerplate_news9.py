"""Boilerplate rules of boilerplate-9: the classes the fourth blind part (saved news pages of 2005 and 2017)
and the second (a blog's release template) showed once opened: a slideshow's captions, captions credited
without parentheses, kicker teasers and gallery pointers between a story's paragraphs, tags on one line, a
video box of another story, the AP's reporting credits, a portal's byline with the time it was read, time
stamp labels, a Markdown About heading with its acronym, a list of standing links under its label, a
heading holding a template variable, and Markdown headings with their section's text run in. Every text here
is written for the test, in the forms news sites and blogs print (docs/boilerplate.md)."""

import pyarrow as pa
import pytest

from tasks.boilerplate import flag_document
from tasks.evidence import paragraph_evidence

BODY = [
    "The agency moved its field handbook online after a two-day sprint with its investigators.",
    "Investigators used to carry four binders of photocopied pages to every visit they made.",
    "The team wrote a script that turned the scanned chapters into searchable web pages.",
    "By the end of the second day the prototype showed browsable chapters and a search page.",
    "Investigators who tried it found the overtime rules in seconds instead of minutes.",
    "The division now plans to publish the full handbook with the same tools this year.",
]


def flagged(paragraphs: list[str]) -> list[int]:
    return [i for i, flag in enumerate(flag_document(paragraphs)) if flag]


NEWS_FURNITURE_9 = [
    # a caption credited after its last sentence, no parentheses
    "A view of the harbour from the new bridge, opened on Monday. Photo credit/Example Port Authority",
    "Crews clear the road near the dam on Tuesday. Photo: Jane Doe / Example Times",
    "An artist's concept of the lander on the surface. Image courtesy of Example Space Agency",
    # a teaser of another story under a kicker of capitals; a pointer to a gallery
    "LOOKING AHEAD: Council sets out plans for the next decade",
    "SPACE RACE: Startups line up for the new launch site",
    ">>>Scroll through the gallery to see the city's costliest bridges",
    "Click through the slideshow for the best photos of the parade",
    # tags on one line after their label
    "Topics: local-government, budget, transport",
    "Tags: Bridges, Harbour, City Council",
    # the AP's reporting credits, as a story's last line
    "Doe reported from Lisbon, Portugal. Sam Lee and Ana Park in Madrid, Spain, contributed.",
    "Sam Lee in Madrid contributed reporting.",
    "With reporting by Example Radio, Reuters, AFP and AP",
    # a portal's byline with the time it was read; a time stamp's label whose time was lost
    "By JANE DOE, Associated Press Writer 1 hour, 41 minutes ago",
    "First posted",
    "Last updated",
    # an editor's note on the page's player
    "The full interview will be added when video becomes available; watch a clip above.",
]
NEWS_TEXT_9 = [
    "The photo was taken on Monday, the agency said, and released on Tuesday by the port.",
    "UPDATE: Police have arrested a man in connection with the fire.",
    "NOTES:",
    "Readers can scroll through the archive to find the council's old minutes on the site.",
    "The topics discussed included the budget, transport and schools.",
    "Doe reported from the meeting that the council had voted to close the road.",
    "Every department contributed.",
    "By the end of the day, 41 minutes ago, the road was open again.",
    "The reporting by the newspaper contributed to the resignation of the mayor in May.",
    "The police released a video of the arrest on Monday, and a clip of it was shown in court.",
]


@pytest.mark.parametrize("line", NEWS_FURNITURE_9)
def test_a_news_pages_furniture_is_boilerplate_boilerplate_9(line):
    assert flagged([*BODY[:3], line, *BODY[3:]]) == [3]


@pytest.mark.parametrize("line", NEWS_TEXT_9)
def test_news_sentences_with_the_same_words_stay_text_boilerplate_9(line):
    assert flagged([*BODY[:3], line, *BODY[3:]]) == []


def test_a_slideshows_captions_repeated_in_a_row_are_boilerplate():
    caption = 'Concepts for the "Harbour Homes Challenge," a contest the city runs to judge designs.'
    assert flagged([*[caption] * 5, *BODY]) == [0, 1, 2, 3, 4]
    # Twice is not a slideshow (a page can print its lead twice); nor is the same line apart.
    assert flagged([caption, caption, *BODY]) == []
    assert flagged([caption, *BODY[:2], caption, *BODY[2:4], caption]) == []


def test_tags_closing_a_page_on_one_line_are_boilerplate_a_sentences_list_is_not():
    assert flagged([*BODY, "Bridges, harbour, city council, Featured"]) == [6]
    assert flagged([*BODY, "Bridges, harbour, city council, Featured", "© 2017 Example News"]) == [6, 7]
    assert flagged([*BODY, "Bridges, harbour and city council"]) == []
    assert flagged([*BODY[:3], "Bridges, harbour, city council, Featured", *BODY[3:]]) == []


def test_a_video_box_of_another_story_closing_the_page_is_boilerplate():
    box = ["Fears for the wheat crop after the storm1:21", "Farmers fear for the wheat crop after the storm."]
    assert flagged([*BODY, *box]) == [6, 7]
    # Its description with the story's text after it is not taken.
    assert flagged([*BODY[:3], *box, *BODY[3:]]) == [3]


def test_an_about_block_under_a_markdown_heading_with_its_acronym_is_the_issuers():
    about = (
        "## About The Example Software Foundation (ESF) The Example Software Foundation (ESF) is the home of "
        "more than 300 open source projects."
    )
    assert flagged([*BODY, about]) == [6]
    assert flagged([*BODY, "## About the project", "The project started in 2019 with two people."]) == []


def test_a_list_of_standing_links_under_its_label_is_navigation():
    resources = (
        "### Resources - Website: https://example.org/ - Documentation: https://docs.example.org/ "
        "- GitHub: https://github.com/example/example - Chat: https://chat.example.org/ (Join: "
        "https://join.example.org/)"
    )
    assert flagged([*BODY[:3], resources, *BODY[3:]]) == [3]
    links = "Useful links: * [Docs](https://docs.example.org) * [Forum](https://forum.example.org)"
    assert flagged([*BODY[:3], links, *BODY[3:]]) == [3]
    # A section of the text under the same label is text.
    own = "### Resources - The team wrote new guides for reviewers - It also held two workshops"
    assert flagged([*BODY[:3], own, *BODY[3:]]) == []


def test_a_heading_holding_a_template_variable_is_a_heading_the_variable_alone_a_leftover():
    assert flagged([*BODY[:3], "### [%version] Changes:", *BODY[3:]]) == []
    assert flagged(["# [%title]", *BODY]) == [0]


def test_a_markdown_heading_with_its_sections_text_run_in_is_not_a_heading():
    texts = pa.array(
        [
            "## Thank you",
            "##Highlights",
            "## Processing Purposes: How We Use Your Personal Data",
            "## Thank you! A huge thank you to our community for supporting the project over the past twenty "
            "years and more.",
            "#1 reason to upgrade",
        ]
    )
    assert paragraph_evidence(texts)["is_heading"].to_pylist() == [True, True, True, False, False]


def test_a_run_in_about_heading_anchors_no_footer_block():
    about = (
        "## About The Example Software Foundation (ESF) The Example Software Foundation (ESF) is the home of "
        "more than 300 open source projects."
    )
    closing = "We invite the community to join us in this new chapter and help shape the project!"
    assert flagged([*BODY, about, closing, "For media inquiries, contact press@example.org."]) == [6, 8]


def test_a_figure_whose_markup_holds_its_caption_is_text():
    captioned = [
        '{{< figure src="bubble.jpg" alt="A bubble" caption="Picture by [Jo Park](https://ex.org)." >}}',
        '<figure><img src="/img/postcard.jpg"><figcaption>A postcard from the meeting.</figcaption></figure>',
    ]
    for figure in captioned:
        assert flagged([*BODY[:3], figure, *BODY[3:]]) == [], figure
    assert flagged([*BODY[:3], '{{< figure src="bubble.jpg" alt="A speech bubble" >}}', *BODY[3:]]) == [3]
