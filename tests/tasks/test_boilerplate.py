"""Boilerplate rules, the footer block, and repetition across an outlet's stories."""

from tasks.boilerplate import flag_document, is_boilerplate_by_rule, repeated_in_outlet
from tasks.clean import split_document


def test_seed_footer_is_boilerplate_and_body_is_not(seed_texts):
    origin, republication = seed_texts
    _, paragraphs = split_document(origin)
    flags = flag_document(paragraphs)
    assert [i for i, f in enumerate(flags) if f] == list(
        range(15, 25)
    )  # bio, credit, appeal, buttons, template
    _, paragraphs = split_document(republication)
    assert not any(flag_document(paragraphs))


def test_rules_catch_each_kind():
    late = 0.9
    for text in [
        "This article was produced by Globetrotter, a project of the Independent Media Institute.",
        "Originally published in The Conversation.",
        "{{ post.analytics }}",
        "© 2021 Example Media. All rights reserved.",
        "Click here to donate now.",
        "Sign up for our free newsletter to get the latest.",
        "Jane Doe is a senior reporter covering energy and climate for the Gazette.",
    ]:
        assert is_boilerplate_by_rule(text, late), text


def test_news_about_donations_or_people_is_not_boilerplate():
    assert not is_boilerplate_by_rule("The senator received a donation from an oil company in 2019.", 0.5)
    assert not is_boilerplate_by_rule("Jane Doe is a senior reporter at the Gazette, the court heard.", 0.1)


def test_repetition_needs_two_stories_of_one_outlet():
    rows = [
        ("Gazette", "s1", 7),
        ("Gazette", "s2", 7),
        ("Herald", "s1", 8),
        ("Herald", "s1", 8),
        (None, "s3", 7),
    ]
    assert repeated_in_outlet(rows) == {("Gazette", 7)}
