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


def _plain_flags(paragraphs):
    """The rules as plain regex searches on every paragraph (what the word prefilter must agree with)."""
    from tasks.boilerplate import _BIO, _STRONG, BoilerplateConfig

    tail_start = BoilerplateConfig().tail_start
    n = len(paragraphs)
    flags = [
        any(rule.search(p) for _, rule in _STRONG)
        or (i / max(n - 1, 1) >= tail_start and bool(_BIO.search(p)))
        for i, p in enumerate(paragraphs)
    ]
    tail = [i for i, f in enumerate(flags) if f and i / max(n - 1, 1) >= tail_start]
    if len(tail) >= 2:
        flags[tail[0] : tail[-1] + 1] = [True] * (tail[-1] + 1 - tail[0])
    return flags


def _variants(text, rng):
    """The text as written, in other cases, and with letters re.IGNORECASE equates with ASCII ones."""
    twins = {"i": "\u0131", "I": "\u0130", "s": "\u017f", "k": "\u212a"}
    yield text
    yield text.upper()
    yield text.swapcase()
    for cased in (text, text.upper()):
        yield "".join(twins.get(ch, ch) if rng.random() < 0.5 else ch for ch in cased)
    yield "".join(ch.upper() if rng.random() < 0.3 else ch for ch in text)


def test_batched_rules_flag_exactly_what_plain_regexes_flag():
    import random
    from itertools import islice

    from bench.corpus import iter_documents
    from tasks.boilerplate import _STRONG, _strong_matches, flag_documents

    rng = random.Random(7)
    documents = [split_document(doc.text)[1] for doc in islice(iter_documents(40, seed=3), 120)]
    footers = [  # one rule each
        "This article was produced by Globetrotter, a project of the Independent Media Institute.",
        "Originally published in The Conversation.",
        "Republished with permission of the author.",
        "{{ post.analytics }}",
        "${site.name} {% endif %}",
        "(C) 2021 Example Media.",
        "All Rights Reserved.",
        "@ 2020 - The Gazette",
        "Donate today to keep us going.",
        "Your donation helps.",
        "Click here to become a member.",
        "Subscribe now.",
        "Sign up for our free newsletter.",
        "Support independent journalism.",
        "Make a monthly gift.",
        "Share this article.",
        "Follow us on social media.",
        "Jane Doe is a senior reporter covering energy and climate for the Gazette.",
        "The story was first written by our staff; the post is distributed by wire.",
        "Nothing to see here: a donation to the campaign, the news in brief.",
    ]
    varied = [[v for p in doc for v in _variants(p, rng)] for doc in documents[:40]]
    varied += [[v for p in footers for v in _variants(p, rng)] for _ in range(3)]
    for k in range(0, len(varied), 10):
        rng.shuffle(varied[k])
    batch = documents + varied + [[], ["Donate"], ["{"]]
    expected = [_plain_flags(doc) for doc in batch]
    assert flag_documents(batch) == expected
    assert sum(map(sum, expected)) > 100  # the sample holds plenty of boilerplate, and plenty of body text
    assert sum(map(len, expected)) - sum(map(sum, expected)) > 1000
    assert [flag_document(doc) for doc in batch[:20]] == expected[:20]
    # Paragraph by paragraph too: in a document, the footer block can hide a rule that missed.
    paragraphs = [p for doc in batch for p in doc]
    assert _strong_matches(paragraphs) == [any(rule.search(p) for _, rule in _STRONG) for p in paragraphs]
