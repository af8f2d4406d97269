"""boilerplate-13 (tasks/page_tools.py): a news page's tool rows, story navigation links, box labels and
comment-box lines, each told by its own text (one page a site gives no repetition to go by). Every text here
is written for the test, in the forms news pages of the 2000s print them (docs/boilerplate.md)."""

import pytest

from tasks.boilerplate import flag_document
from tasks.page_tools import is_page_furniture

BODY = [
    "The county council voted on Tuesday to reopen the old ferry landing after a two-year closure.",
    "Residents had asked for the landing to reopen since the storm damaged its pier in 2006.",
    "Repairs will cost about $1.2 million, most of it paid from a state harbour grant.",
    "The first boats are expected to dock at the landing in early summer, officials said.",
]

FURNITURE = [
    # rows of page tools
    "Printer-friendly version Email-a-friend Respond",
    "Mail to a friend Print story Read later",
    "Print Email this Comment",
    "Digg |",
    "del.icio.us |",
    "• Add to Del.icio.us",
    "Quote | Report this post",
    "E-mail Toolbar",
    # story navigation
    "Previous story: Harbour master retires after 30 years",
    "Next story: Storm warning for the coast tonight",
    "<<prev article | back to news index | next article>>",
    "<<Back to index",
    # box labels
    "Most Read Stories",
    "Most Commented On",
    "Sponsored Links",
    "In This Section",
    "Other stories in this section",
    "Latest in Travel",
    "Brought to you by",
    # a comment box's own lines
    "Read comments",
    "- No Comments",
    "There are currently no comments for this entry.",
    # pointers to the site's feeds and coverage, a footer's links, an archive's truncation note
    "Subscribe to the Travel RSS feed",
    "Click to subscribe",
    "-- Click here for more council coverage",
    "Scroll down to read more:",
    "Read More About The Ferry",
    "Catch up on our extensive election coverage.",
    "Terms of Use/Privacy Policy",
    "The full article contains 412 words and appears in the Daily Courier newspaper.",
]

STORY_TEXT = [
    "Readers can print the form and e-mail it to the council before Friday.",
    "The most read story of the year on the paper's site was the ferry landing's closure.",
    "In this section of the river the current runs faster than anywhere else on the coast.",
    "Next, the council will decide who runs the landing's cafe.",
    "Comments from residents at the meeting were mostly in favour of the plan.",
    "Share prices of the ferry operator rose 4 per cent after the vote.",
    "Facebook",
    "Help is on the way for the island's fishermen, the minister said.",
    "The full report runs to 80 pages and will be read by the council in March.",
    "Subscribers to the paper's print edition will get a map of the new landing.",
]


@pytest.mark.parametrize("text", FURNITURE)
def test_page_furniture_is_flagged_among_a_storys_paragraphs(text):
    paragraphs = [*BODY[:2], text, *BODY[2:]]
    assert is_page_furniture(text)
    assert [i for i, flag in enumerate(flag_document(paragraphs)) if flag] == [2]


@pytest.mark.parametrize("text", STORY_TEXT)
def test_story_sentences_with_the_same_words_are_not_furniture(text):
    assert not is_page_furniture(text)
    assert not any(flag_document([*BODY[:2], text, *BODY[2:]]))


def test_a_list_marker_is_not_counted_against_a_rows_words():
    """A row of page tools or a reader prompt at its most words, behind a list's marker, is still furniture
    (the word count told before the marker is cut allows for it); one word more is not."""
    from tasks.page_tools import _MAX_WORDS, _PROMPT_WORDS, is_reader_prompt

    tools = ["Print", "Email", "Share", "Digg", "Reddit"]
    row = " ".join(tools[k % len(tools)] for k in range(_MAX_WORDS))
    assert is_page_furniture(f"- {row}") and is_page_furniture(f"•  {row}")
    assert not is_page_furniture(f"- {row} Print")
    opening = "Discuss this story on our message board with the other readers of the"
    prompt = " ".join([opening, *(["paper"] * (_PROMPT_WORDS - len(opening.split())))])
    assert len(prompt.split()) == _PROMPT_WORDS
    assert is_reader_prompt(f"* {prompt}") and is_reader_prompt(f"– {prompt}")
    assert not is_reader_prompt(f"* {prompt} too")
