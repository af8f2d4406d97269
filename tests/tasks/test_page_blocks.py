"""A page's text blocks, their shallow features, and the kept lines they tell as chrome (html-12)."""

from trafilatura.utils import load_html

from tasks.page_blocks import ShallowRules, after_the_story, chrome_by_features, line_features, page_blocks

# A news page of the 2000s, written for these tests: the site's menu, the story, a box of the section's latest
# stories, a sidebar of the site's services and the menu again as a site map. Its kept text is well under 80%
# of the page's words.
MENU = "".join(
    f'<li><a href="/{name.lower()}">{name}</a></li>'
    for name in (
        "Home News Sport Business Weather Traffic Obituaries Opinion Letters Photos Video Jobs Homes Cars "
        "Dating Classifieds Horoscopes Puzzles Archive Subscribe Contact Travel Food Music Film Books "
        "Theatre Gardening Motoring Property Education Health Science Technology Environment Politics Crime "
        "Courts"
    ).split()
)
STORY = [
    "The county council voted on Tuesday to reopen the Mill Street ferry landing, closed since a storm "
    "damaged its pier in the winter of 2006, after the engineers it hired said the new pilings would hold.",
    "Residents of both towns had asked for the landing to reopen since the storm, and the repairs will cost "
    "about $1.2 million from a state grant for coastal works, the council's treasurer said on Tuesday.",
    "The operator plans to run the larger boats between the two shores from the first week of May, with a "
    "crossing every forty minutes on weekdays and every hour at weekends, its manager said.",
]
# A short line with links between two of the story's paragraphs: the story's own pointer.
POINTER = 'Council report: <a href="/docs/ferry-report.pdf">pilings and pier</a>'
TEASERS = [
    ("Council approves harbour budget", "6:59 PM"),
    ("Bridge closure enters second week", "5:12 PM"),
    ("Fishing quotas talks end without deal", "4:03 PM"),
]
SERVICES = (
    '<div class="links"><a href="/weather">Weather</a> <a href="/traffic">Traffic</a></div>'
    "<div>Inside the Herald</div>"
    '<div class="links"><a href="/jobs">Jobs</a> <a href="/homes">Homes</a></div>'
)
FOOTER = '<div><a href="/about">About us</a> and our newsroom</div>'


def _page(menu: str = MENU, extra: str = "") -> str:
    story = f"<p>{STORY[0]}</p><p>{POINTER}</p><p>{STORY[1]}</p><p>{STORY[2]}</p>"
    teasers = "".join(
        f'<li><a href="/t/{k}">{title}</a> {time}</li>' for k, (title, time) in enumerate(TEASERS)
    )
    return (
        f"<html><body><ul>{menu}</ul><div class='story'><h1>Ferry landing to reopen</h1>{story}</div>"
        f"<ul>{teasers}</ul>{extra}{SERVICES}{FOOTER}<ul>{menu}</ul></body></html>"
    )


def _kept(extra_lines: list[str] = ()) -> list[str]:
    """The lines an extractor would keep of _page: the story, the box's teasers, the sidebar, the footer."""
    return [
        STORY[0],
        "Council report: pilings and pier",
        STORY[1],
        STORY[2],
        *(f"{title} {time}" for title, time in TEASERS),
        *extra_lines,
        "Weather Traffic",
        "Inside the Herald",
        "Jobs Homes",
        "About us and our newsroom",
    ]


def _blocks(html: str):
    return page_blocks(load_html(html))


def test_blocks_end_at_block_tags_and_double_breaks_and_count_words_and_links():
    page = _blocks(
        '<html><body><div>One <b>two</b> th<i>ree</i> <a href="/x">four five</a></div>'
        '<td>six seven<br><br><a href="#notes">eight</a> nine</td><p>ten<br>eleven</p></body></html>'
    )
    # An inline element cuts no block nor a word run on across it ("th<i>ree</i>" is one word); two <br> in
    # a row end a block, one does not.
    assert [(b.words, b.linked_words) for b in page.blocks] == [(5, 2), (2, 0), (2, 0), (2, 0)]
    assert page.blocks[0].link_density == 0.4
    # A link to a place on the same page is the page's own apparatus, no link off it.
    assert page.blocks[2].link_density == 0.0


def test_a_lines_features_are_its_blocks_and_its_neighbours():
    rows = line_features(["Council approves harbour budget 6:59 PM"], _blocks(_page()))
    (row,) = rows
    assert row["words"] == 6 and row["cur_words"] == 6
    assert row["cur_link_density"] == 0.667  # 4 of its 6 words are its link
    assert row["prev_words"] == 34 and row["prev_link_density"] == 0.0  # the story's last paragraph
    assert row["next_link_density"] == 0.714  # the next teaser, 5 of its 7 words linked
    assert row["kept_share"] < 0.1


def test_teasers_in_a_box_of_links_and_a_label_among_links_are_chrome_and_the_story_is_not():
    lines = _kept()
    chrome = chrome_by_features(lines, _blocks(_page()))
    teasers = [f"{title} {time}" for title, time in TEASERS]
    # The box's teasers (short lines in blocks with links), the sidebar's links and its label with no link
    # of its own between two blocks of links.
    assert chrome == [*teasers, "Weather Traffic", "Inside the Herald", "Jobs Homes"]
    # Each decision alone.
    no_short = chrome_by_features(lines, _blocks(_page()), ShallowRules(short_words=0))
    assert no_short == ["Inside the Herald"]
    # "Inside the Herald" is a label after links too (html-16).
    no_between = chrome_by_features(lines, _blocks(_page()), ShallowRules(between_words=0, label_words=0))
    assert "Inside the Herald" not in no_between and set(teasers) <= set(no_between)


def test_the_storys_pointer_between_its_paragraphs_and_the_texts_last_line_are_the_texts():
    lines = _kept()
    chrome = chrome_by_features(lines, _blocks(_page()))
    assert "Council report: pilings and pier" not in chrome
    assert "About us and our newsroom" not in chrome
    # They are shaped as the rule's lines: without their exclusions they would be taken.
    loose = ShallowRules(prose_words=10_000)
    assert "Council report: pilings and pier" in chrome_by_features(lines, _blocks(_page()), loose)
    assert "About us and our newsroom" in chrome_by_features([*lines, "-"], _blocks(_page()))


def test_sentences_lead_ins_addresses_attributions_and_cut_fragments_with_links_are_the_texts():
    extra = [
        ('<a href="/t/9">Council</a> approves the harbour budget.', "Council approves the harbour budget."),
        ('<a href="/t/8">Full list</a> of closures:', "Full list of closures:"),
        (
            'Program at <a href="https://example.org/p">https://example.org/p</a>',
            "Program at https://example.org/p",
        ),
        (
            '\u2014 Mayor Ruth Ellery (@ellery) <a href="https://example.org/s/1">May 2, 2008</a>',
            "\u2014 Mayor Ruth Ellery (@ellery) May 2, 2008",
        ),
        ('and <a href="/t/7">the new pier</a> opened', "and the new pier opened"),
        ('<a href="https://ferrynews.example/">FerryNews.com</a>', "FerryNews.com"),
    ]
    html = _page(extra="".join(f"<div>{markup}</div>" for markup, _ in extra))
    lines = _kept([line for _, line in extra])
    chrome = chrome_by_features(lines, _blocks(html))
    for _, line in extra:
        assert line not in chrome, line
    # The teasers beside them still are.
    assert f"{TEASERS[0][0]} {TEASERS[0][1]}" in chrome


def test_a_page_whose_text_is_most_of_its_words_keeps_its_lines_with_links():
    # A document or a post: without the site's menu the kept text is most of the page, and a short line
    # with links in it (a heading's link, a reference) is its own.
    assert chrome_by_features(_kept(), _blocks(_page(menu=""))) == []
    assert chrome_by_features(_kept(), _blocks(_page(menu="")), ShallowRules(max_kept_share=1.01)) != []


def _inside_story(before_second: str = "", before_third: str = "", after_third: str = "") -> str:
    """_page with markup set inside the story's element, around its second and third paragraphs."""
    return (
        _page()
        .replace(f"<p>{STORY[1]}</p>", f"{before_second}<p>{STORY[1]}</p>")
        .replace(f"<p>{STORY[2]}</p>", f"{before_third}<p>{STORY[2]}</p>{after_third}")
    )


def _kept_inside(before_second: list[str] = (), before_third: list[str] = (), after_third: list[str] = ()):
    """_kept with the lines an extractor keeps of _inside_story's markup."""
    lines = _kept()
    story = [STORY[0], lines[1], *before_second, STORY[1], *before_third, STORY[2], *after_third]
    return [*story, *lines[4:]]


def test_a_line_set_off_after_links_is_chrome_and_a_list_after_the_storys_prose_is_not():
    # Inside the story's element: a box of one link with its label set off in parentheses under it; after
    # the story's prose (no links), the story's own list, which the extractor writes with a dash.
    html = _inside_story(
        before_third='<ul><li><a href="/maps/ferry">Ferry crossing map</a></li></ul><p>(Map, Timetable)</p>',
        after_third="<ul><li>Crossings every forty minutes</li></ul>",
    )
    story_list = "- Crossings every forty minutes"
    lines = _kept_inside(before_third=["- Ferry crossing map", "(Map, Timetable)"], after_third=[story_list])
    chrome = chrome_by_features(lines, _blocks(html))
    assert "(Map, Timetable)" in chrome
    assert story_list not in chrome
    assert "(Map, Timetable)" not in chrome_by_features(lines, _blocks(html), ShallowRules(set_off_words=0))
    # A longer line so set off is a paragraph of the story's.
    assert "(Map, Timetable)" not in chrome_by_features(lines, _blocks(html), ShallowRules(set_off_words=1))


def test_a_label_after_links_is_chrome_and_a_subheading_over_the_storys_prose_is_not():
    # Inside the story's element: a box of links, its label over an advertiser's line, another link, then
    # the story's subheading over its next paragraph (the box's link items themselves the reader leaves out).
    html = _inside_story(
        before_third='<ul><li><a href="/t/5">Ferry timetable</a></li>'
        '<li><a href="/t/6">Harbour webcam</a></li></ul><p>Sponsored Links</p>'
        "<p>Half-price crossings this May</p>"
        '<ul><li><a href="/t/7">Pier history</a></li></ul><p>Repairs and costs</p>'
    )
    lines = _kept_inside(
        before_third=["Sponsored Links", "Half-price crossings this May", "Repairs and costs"]
    )
    chrome = chrome_by_features(lines, _blocks(html))
    assert "Sponsored Links" in chrome
    assert "Repairs and costs" not in chrome
    assert "Sponsored Links" not in chrome_by_features(lines, _blocks(html), ShallowRules(label_words=0))
    # A dateline after links leads into the story's first sentence.
    dateline = html.replace("<p>Sponsored Links</p>", "<p>HARBOUR CITY --</p>")
    dated = [line.replace("Sponsored Links", "HARBOUR CITY --") for line in lines]
    assert "HARBOUR CITY --" not in chrome_by_features(dated, _blocks(dateline))
    # A subheading set off by a single <br> inside a long block after links (a release printed as one
    # block) is a line of that block, not a label standing alone.
    one_block = _page().replace(
        f"<p>{STORY[1]}</p><p>{STORY[2]}</p>",
        f'<ul><li><a href="/t/5">Ferry timetable</a></li></ul><div>Repairs and costs<br>{STORY[1]}<br>'
        f"{STORY[2]}</div>",
    )
    in_block = _kept_inside(before_second=["Repairs and costs"])
    assert "Repairs and costs" not in chrome_by_features(in_block, _blocks(one_block))
    # The block before it must be more than `label_after_density` link text; none is more than all of it.
    assert "Sponsored Links" not in chrome_by_features(
        lines, _blocks(html), ShallowRules(label_after_density=1.0)
    )


# A story of six paragraphs, then a reader's comment and a promotion's blurb after the story's element
# closes: prose with no links, signed in no form a rule knows, as a site nobody read prints them.
LONG_STORY = [
    *STORY,
    "Engineers from the state's coastal office inspected the new pilings in December and found them sound, "
    "though they asked for a second survey of the pier's deck before the first boats carry cars.",
    "Shops near the landing lost much of their summer trade while it was closed, and their association "
    "welcomed the vote, saying that the ferry had brought visitors across the water for sixty years.",
    "A petition signed by more than two thousand residents of both towns was handed to the council in "
    "October, and several of them spoke at Tuesday's meeting before the vote was taken.",
]
AFTER = [
    "I crossed on that ferry every day for twenty years and I am glad they finally listened to us.",
    "Win a weekend for two",
    "Enter our free draw",
]


def _story_page(menu: str = MENU, story_tail: str = "", after: list[str] = AFTER) -> str:
    story = "".join(f"<p>{paragraph}</p>" for paragraph in LONG_STORY)
    boxes = "".join(f"<div class='c'><p>{line}</p></div>" for line in after)
    return (
        f"<html><body><ul>{menu}</ul><div class='story'><h1>Ferry landing to reopen</h1>{story}</div>"
        f"{story_tail}<div class='comments'>{boxes}</div><ul>{menu}</ul></body></html>"
    )


def _after(html: str, lines: list[str], prose_words: int = 15, share: float = 0.9, max_kept: float = 0.8):
    return after_the_story(lines, _blocks(html), prose_words, share, max_kept)


def test_the_lines_after_the_storys_element_closes_are_chrome_and_the_story_is_not():
    lines = ["Ferry landing to reopen", *LONG_STORY, *AFTER]
    # The story is the smallest element holding 90% of the kept prose; all after it is the page's boxes,
    # the comment's sentence too.
    assert _after(_story_page(), lines) == AFTER
    # With the share of the prose to hold at 1.01, no element holds it: nothing is decided.
    assert _after(_story_page(), lines, share=1.01) == []


def test_a_story_continued_in_an_element_of_its_own_keeps_its_paragraphs():
    # The story's last two paragraphs in a second element after an ad's slot: the smallest element holding
    # 90% of the prose then holds both, and they are not after it.
    more = [
        "The ferry's operator said the fares would stay at the 2006 prices for the first season, and that "
        "a pass for commuters would be sold from the harbour office in April.",
        "The council will meet again in March to decide on the parking for the landing, which neighbours "
        "have said should not take the green beside the slipway.",
    ]
    tail = "<div class='ad'></div><div class='more'>" + "".join(f"<p>{p}</p>" for p in more) + "</div>"
    lines = ["Ferry landing to reopen", *LONG_STORY, *more, *AFTER]
    assert _after(_story_page(story_tail=tail), lines) == []
    # Were 70% of the prose enough, the story's first element would be its container and its last
    # paragraphs after it.
    assert set(more) <= set(_after(_story_page(story_tail=tail), lines, share=0.7))


def test_a_page_that_is_mostly_its_text_or_a_line_the_story_prints_too_are_not_after_it():
    lines = ["Ferry landing to reopen", *LONG_STORY, *AFTER]
    # Without the site's menus the kept text is most of the page's words: a document's or a post's own.
    assert _after(_story_page(menu=""), lines) == []
    assert _after(_story_page(menu=""), lines, max_kept=1.01) == AFTER
    # The story's headline printed again in the box after it, and kept there too, is the story's.
    again = _story_page(after=[*AFTER, "Ferry landing to reopen"])
    assert _after(again, [*lines, "Ferry landing to reopen"]) == AFTER
