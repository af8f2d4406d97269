"""Posts cross-posted between blogs (issue 12, boilerplate-15, the classes of real-dev-xpost): a note saying
where else the post is printed, a blog's closing formula alone near a post's end, and a code comment inside a
fenced code block, which is code and not an editor's placeholder. Every text here is written for the test, in
the forms project and personal blogs print (docs/boilerplate.md)."""

from tasks.boilerplate import flag_document

POST = [
    "The plotting library's new release draws text in several fonts at once, one for each script.",
    "Until now a label mixing Latin and Cyrillic letters fell back to boxes for every missing glyph.",
    "## Finding a fallback",
    "Each font of a family is asked in turn for a glyph, and the first one that has it draws it.",
    "The search costs little, since most labels need one font and stop at the first try.",
    "Next month the same search comes to the vector backends, which embed the fonts they use.",
]


def flagged(paragraphs: list[str]) -> list[int]:
    return [i for i, flag in enumerate(flag_document(paragraphs)) if flag]


def test_a_note_saying_where_else_the_post_is_printed_is_furniture():
    # An author's copy on a project blog points at the personal blog it also lives on, often as a heading.
    note = "#### NOTE: This blog post is also available at my [personal website](https://example.org/fonts/)."
    assert flagged([*POST, note]) == [6]
    elsewhere = "*This article is also published on [the lab's blog](https://example.org/)*"
    assert flagged([elsewhere, *POST]) == [0]
    assert flagged([*POST, "_A version of this post first appeared on the Example Labs blog._"]) == [6]
    # News that something is available elsewhere names no post, and a long paragraph is the text's.
    assert flagged([*POST, "The report is also available in Spanish and French on the agency's site."]) == []
    long = (
        "This post is also available on the project's wiki, where every section links to the issue "
        "that motivated it, to the pull requests that closed it, to the benchmarks we ran on three "
        "machines before and after each change, to the discussion on the mailing list, and to the "
        "minutes of the two calls in which the maintainers agreed on the plan and on who would review "
        "which part of it, week after week."
    )
    assert flagged([long, *POST]) == []


def test_a_blogs_closing_formula_alone_near_the_end_is_furniture():
    assert flagged([*POST, "Happy plotting!"]) == [6]
    note = "#### NOTE: This post is also available at my blog."
    assert flagged([*POST, "Thanks for reading!", note]) == [6, 7]
    assert flagged([*POST, "Again, thanks a ton for spending time reading these posts. :D", "<hr>"]) == [6, 7]
    # With a see-you-next-time line after it.
    assert flagged([*POST, "Thanks a lot for reading! I'll be back with the next report in a month."]) == [6]
    # A sentence of news after the thanks is the post's text.
    assert flagged([*POST, "Thanks for reading! The vector backends get the same search next month."]) == []
    # In a sentence of the post's own it is the text; away from the end it is a heading or a quote.
    assert flagged([*POST, "I hope you all enjoy the new fonts! And happy plotting!!!"]) == []
    assert flagged(["Happy holidays", *POST]) == []
    assert flagged(["Happy birthday, matplotlib!", *POST[:3], "Happy reading!", *POST[3:]]) == []


def test_a_comment_inside_a_fenced_code_block_is_code_not_a_placeholder():
    # A fenced block with a blank line in it is cut in two paragraphs; the second opens with the code's
    # comment.
    code = [
        "```python with open(path, 'rb') as handle: data = handle.read()",
        "# TODO: accept file objects here too convert(data, out) ```",
    ]
    assert flagged([*POST[:4], *code, *POST[4:]]) == []
    # A draft's placeholder outside code is still one.
    assert flagged([*POST[:4], "TODO: a screenshot of the new labels", *POST[4:]]) == [4]
    # After the block is closed, the fence state is back to prose.
    assert flagged([*POST[:2], *code, "TODO: link the release notes", *POST[2:]]) == [4]
