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
        "© 2008 Reuters. All rights reserved. Users may download and print extracts of content from this "
        "website for their own personal and non-commercial use only. Republication or redistribution of "
        "Reuters content is expressly prohibited without the prior written consent of Reuters.",
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
    """The strong rules as plain regex searches on every paragraph (what the word prefilter must agree with),
    then the same document-level rules."""
    from tasks.boilerplate import _STRONG, flags_from_rules

    return flags_from_rules(paragraphs, [any(rule.search(p) for _, rule in _STRONG) for p in paragraphs])


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
        "Acme is a registered trademark of Acme Corp.",
        "All other product names are the property of their owners.",
        "Cautionary Statement Regarding Forward-Looking Statements",
        "This release contains forward-looking statements.",
        "Media Relations",
        "Source: Acme Corp.",
        "For more information, please contact Jane Liu.",
        "Sign up to our daily newsletter.",
        "Next page: What the rules mean",
        "Continue reading",
        "Copyright 2008 The Associated Press.",
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


# Issue 12, class 4: real boilerplate, each snippet written the way real releases and old news pages write it.
RELEASE_NEWS = [
    "SAN JOSE, Calif., March 3, 2008 -- Lumen Networks Inc. (NASDAQ: LMNW) today announced a line of "
    "wireless routers for small offices, priced from $199.",
    'The routers ship in April. "Small offices want what large ones have," said chief executive Patrick Lo.',
    "Analysts expect the market for such devices to grow by a fifth this year.",
]
RELEASE_TAIL = [
    "About Lumen Networks Inc.",
    "Lumen Networks Inc. (NASDAQ: LMNW) designs networking products for homes and businesses. "
    "Founded in 1996, the company is headquartered in San Jose, California, and employs about 1,200 people.",
    "For more information about Lumen, visit www.lumen.example.",
    "Cautionary Note Regarding Forward-Looking Statements",
    "This press release contains forward-looking statements within the meaning of Section 27A of the "
    "Securities Act of 1933, including statements about the timing of product shipments.",
    "Actual results may differ materially. Lumen undertakes no obligation to update these statements.",
    "Lumen and the Lumen logo are registered trademarks of Lumen Networks Inc. in the United States "
    "and other countries. All other trademarks are the property of their respective owners.",
    "Media Contact:",
    "Jane Liu",
    "Lumen Networks Inc.",
    "+1 (408) 555-0142",
    "jane.liu@lumen.example",
    "Copyright",
    "2008",
    "Lumen Networks Inc. All rights reserved.",
    "###",
]


def test_press_release_tail_is_boilerplate_and_its_news_is_not():
    flags = flag_document(RELEASE_NEWS + RELEASE_TAIL)
    assert flags == [False] * len(RELEASE_NEWS) + [True] * len(RELEASE_TAIL)


def test_each_release_block_is_caught_on_its_own():
    """Without the footer block to fill gaps: each piece after the news, alone, is flagged by its own rule."""
    pieces = [
        [
            "About Halcyon Foods AG",
            "Halcyon Foods AG makes frozen meals sold under its own brands in 14 countries.",
        ],
        ["About Halcyon: Halcyon Foods AG makes frozen meals sold under its own brands in 14 countries."],
        ["Safe Harbor Statement", "Statements in this release that are not historical facts involve risks."],
        ["Halcyon is a trademark of Halcyon Foods AG."],
        ["Press contact", "Tom Becker", "tom.becker@halcyon.example"],
        ["Copyright 2008 Halcyon Foods AG"],
    ]
    for tail in pieces:
        flags = flag_document(RELEASE_NEWS + tail)
        assert flags == [False] * len(RELEASE_NEWS) + [True] * len(tail), tail


def test_about_block_ends_at_the_next_section():
    doc = RELEASE_NEWS + [
        "About Tidewater Energy",
        "Tidewater Energy builds solar farms for utilities in Australia and New Zealand.",
        "Related coverage",  # the page's next section: no longer the issuer's block
        "Solar farm approvals doubled in 2007, the regulator said in its annual report on Friday.",
    ]
    assert flag_document(doc) == [False] * 3 + [True, True, False, False]


def test_login_newsletter_and_next_page_boxes():
    story = [
        "The council approved the bypass on Monday after a four-hour debate about its cost and route.",
        "Work is due to start in the spring and to take three years, the mayor said.",
        "Opponents said they would seek a judicial review of the decision.",
    ]
    login = ["Log in", "Username", "Password", "Forgot your password?", "Not a subscriber? Subscribe here."]
    assert flag_document(story + login) == [False] * 3 + [True] * 5
    assert flag_document(story + ["Sign up for the Morning Briefing newsletter"]) == [False] * 3 + [True]
    assert flag_document(story + ["Next page: Residents question the route"]) == [False] * 3 + [True]
    assert flag_document(story + ["Continue reading"]) == [False] * 3 + [True]


def test_news_that_uses_the_same_words_is_not_boilerplate():
    news = [
        "About 200 people attended the vigil outside the embassy on Sunday night.",
        "About Face, the charity's youth programme, lost its funding in the budget.",
        "The company's chief executive said the forecast was cautious and declined to give a figure.",
        "Investors have sued the firm, saying its statements about sales were misleading.",
        "Next year, the council will review the contract, a spokeswoman said.",
        "Police asked anyone with information to contact them.",
        "The copyright case is due to be heard in the High Court in May.",
        "She said she would sign up for the programme as soon as it opened.",
    ]
    assert not any(flag_document(news))
    assert not any(flag_document(news[::-1]))


def test_markdown_headings_of_a_document_are_not_boilerplate():
    _, paragraphs = split_document(
        "# Acme Widgets privacy policy\n\n## About this policy\n\nThis policy explains what data we keep.\n\n"
        "## Contact\n\nWrite to the data protection officer at the address below.\n\n"
        "## Changes\n\nWe may change this policy; the date at the top says when it last changed.\n"
    )
    assert not any(flag_document(paragraphs))


def test_template_leftovers_front_matter_and_comments_but_not_text_with_a_variable():
    doc = [
        '--- title: GitHub Terms of Service redirect_from: - /tos/ - /terms/ versions: fpt: "*" ---',
        "Thank you for using GitHub! We're happy you're here. Please read this Agreement carefully.",
        "Also be sure to check out the [press release]({{ site.baseurl }}/blog/2015/05/19/drill-1.0/) "
        "for the announcement and what is next.",
        "<!-- markdownlint-disable GHD034 -->",
        "You retain ownership of and responsibility for Your Content, and you agree to these terms.",
        "<!-- markdownlint-enable GHD034 -->",
        "If you collaborate on or become a member of an Organization, its owners may receive your data.",
        "GitHub and our licensors retain ownership of all intellectual property rights in the Website. "
        "The look and feel of the Website is copyright © GitHub, Inc. All rights reserved. You may not "
        "duplicate, copy, or reuse any portion of the HTML/CSS, JavaScript, or visual design elements.",
        "{% endif %}",
    ]
    assert flag_document(doc) == [True, False, False, True, False, True, False, False, True]


def test_page_lines_and_link_labels_of_a_paginated_text():
    story = [
        "This document describes a protocol for storing data on the web, and how clients discover it.",
        "de Jong                 Expires April 23, 2015                 [Page 1]",
        "Servers MUST support the methods described in this section, and MAY support others.",
        "Learn more",
    ]
    assert flag_document(story) == [False, True, False, True]


def test_a_press_release_heading_run_into_its_description():
    doc = RELEASE_NEWS + [
        "About The Apache Software Foundation (ASF) Established in 1999, the all-volunteer Foundation "
        "oversees more than 350 leading Open Source projects.",
        "\\# \\# \\#",
    ]
    assert flag_document(doc) == [False] * 3 + [True, True]


def test_a_standards_body_notice_and_a_badge_but_not_text_about_them():
    # Issue 12, class 4: the notices every IETF draft carries (authored here on their pattern), and a licence
    # badge that is only an image link; a sentence that discusses BCP 78 or shows an inline image is text.
    doc = [
        "This memo describes how a client finds the storage server of a user, and how it is granted access.",
        "This Internet-Draft is submitted in full conformance with the provisions of BCP 78 and BCP 79.",
        "Internet-Drafts are working documents of the Internet Engineering Task Force (IETF).",
        "This document is subject to BCP 78 and the IETF Trust's Legal Provisions.",
        "Authors who cite BCP 78 in the body of a draft explain the rights contributors grant.",
        "[![Creative Commons License](http://example.org/by/3.0/88x31.png)](http://example.org/by/3.0/)",
        "The build status is shown by ![a green badge](https://example.org/badge.svg) at the top.",
        "Servers MUST answer every request with one of the status codes listed in this section.",
    ]
    assert flag_document(doc) == [False, True, True, True, False, True, False, False]
    assert is_boilerplate_by_rule(doc[5], 0.1) and not is_boilerplate_by_rule(doc[6], 0.9)


def test_a_lines_verdict_where_it_stands_is_not_carried_to_its_next_copy():
    """The rules on a text alone are kept for its copies in a process's later documents; what depends on
    where the text stands is read each time: an address line inside a document's own authors' section, a
    to-do line inside a fenced code block."""
    from tasks.boilerplate import flag_documents

    body = [
        "The committee met on Tuesday to weigh the proposal for a new bridge over the river, which residents "
        "have asked for since the old ferry stopped running in the spring.",
        "Members said the cost would be shared between the county and the state, with work to start next "
        "year if the plan is approved at the next meeting.",
        "Several residents spoke in favour, saying the crossing would cut their journey to the hospital by "
        "half an hour, while two farmers asked about the road through their fields.",
    ]
    address = "Email: pat.quinn@example.org"
    todo = "# TODO: handle the empty case first"
    authors = [*body, "Authors' Addresses", "Pat Quinn Example Institute", address]
    contact = [*body, "Pat Quinn, Example Institute", address]
    code = [*body[:2], "```python def first(xs): return xs[0]", todo + " ```", body[2]]
    draft = [*body[:2], todo, body[2]]
    for batch in ([authors, contact, code, draft], [draft, code, contact, authors]):
        flags = dict(zip(map(id, batch), flag_documents(batch), strict=True))
        assert not any(flags[id(authors)]) and not any(flags[id(code)])
        assert flags[id(contact)][-1] and flags[id(draft)][2]


def test_the_texts_a_process_keeps_verdicts_for_stay_under_the_cap(monkeypatch):
    """A worker prepares millions of paragraphs in a long run: the verdicts it keeps per text are dropped
    once they pass the cap, so what it holds stays flat however many texts it meets (and the flags are the
    same as with nothing kept)."""
    from tasks import boilerplate

    monkeypatch.setattr(boilerplate, "_SEEN_CAP", 20)
    boilerplate._LINES_SEEN.clear()
    boilerplate._VERDICTS_SEEN.clear()
    documents = [
        [f"Paragraph {k} of report {n} says the council met on day {n} to weigh item {k}." for k in range(5)]
        for n in range(40)
    ]
    documents[7][4] = "Subscribe to our newsletter"
    flags = [flag_document(d) for d in documents]
    kept = max(len(texts) for texts in boilerplate._LINES_SEEN.values())
    assert kept <= 20 + 5
    assert len(boilerplate._VERDICTS_SEEN) <= 20 + 5
    boilerplate._LINES_SEEN.clear()
    boilerplate._VERDICTS_SEEN.clear()
    assert flags == [flag_document(d) for d in documents]
    assert flags[7][4] and not any(f for n, d in enumerate(flags) for f in d if n != 7)
