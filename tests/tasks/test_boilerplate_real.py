"""Boilerplate rules for the classes of real text issue 12 found (boilerplate-5): figures between a post's
paragraphs, Markdown About blocks of a press release, pointers and credits, sign-offs, rules, an RFC's
authors' addresses. Every text here is written for the test, on the pattern of the real text in
docs/boilerplate.md."""

import pytest

from tasks.boilerplate import flag_document, template_key

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


def test_figures_alone_are_flagged_but_never_start_a_footer_block():
    figures = [
        '{{< legacy-img src="2015/09/binders.jpg" alt="Three binders" >}}',
        '<center>\n<img src="{{site.baseurl}}/img/logo.png" style="height:200px">\n</center>',
        '[{% image "assets/blog/home.jpg" "The home page" %}](https://example.gov)',
        '<a href="https://example.gov"><img src="{{ site.baseurl }}/a.png" alt="A chart" /></a>',
    ]
    for figure in figures:
        doc = BODY[:3] + [figure] + BODY[3:] + ["_This post was originally published on the Example blog._"]
        # The figure and the credit are flagged; the body between them is not swallowed.
        assert flagged(doc) == [3, 7], figure


def test_a_figure_with_its_caption_is_text():
    captioned = '{% image "assets/blog/demo.jpg" "A team at a demo" %}\n*One of our many demos.*'
    doc = BODY[:4] + [captioned] + BODY[4:]
    assert flagged(doc) == []


def test_a_markdown_about_block_in_the_second_half_is_the_issuers_and_in_the_first_half_structure():
    about = [
        "### About the Office of Open Data",
        "The Office of Open Data is the agency's centre for publishing public records online.",
    ]
    assert flagged(BODY + about) == [6, 7]
    assert flagged([BODY[0], *about, *BODY[1:]]) == []


def test_pointers_credits_sign_offs_and_rules():
    tail = [
        "Learn more about the Office of Open Data at: <https://example.gov/open>",
        "Learn more about the digital service at:[Digital Service](https://example.gov/ds)",
        "_This article was originally posted on the [Example blog](https://example.gov/blog)._",
    ]
    assert flagged(BODY + tail) == [6, 7, 8]
    # A sign-off, wherever it stands (a draft prints the issuer's release after it), and a rule alone.
    assert flagged(BODY[:2] + ["Happy Gardening! Ann Lee and Bo Park", "---"] + BODY[2:]) == [2, 3]
    assert flagged(BODY[:2] + ["Drill On! Ann Lee", "<hr />"] + BODY[2:]) == [2, 3]
    # News that reads a bit like those is text.
    for text in [
        "The video was first posted on a local forum before the agency removed it.",
        "Learn more about the scheme at the town hall on Monday, officials said.",
        "Wow! this is the best result the club has had in years.",
    ]:
        assert flagged(BODY[:3] + [text] + BODY[3:]) == [], text


def test_front_matter_left_at_the_end_of_a_body_and_the_asf_template():
    assert flagged(BODY + ["expirydate: 2025-01-01 ---"]) == [6]
    asf = (
        "Availability and Oversight Apache Gadget 1.0 is available immediately as a free download. As with "
        "all Apache products, Apache Gadget software is released under the Apache License v2.0, and is "
        "overseen by a self-selected team of active contributors to the project."
    )
    assert flagged(BODY[:4] + [asf] + BODY[4:]) == [4]


def test_an_rfcs_authors_addresses_are_text_but_a_release_contact_line_is_not():
    rfc = BODY + ["18. Authors' Addresses", "Ann Lee Example Hosting", "Email: ann@example.net"]
    assert flagged(rfc) == []
    assert flagged(BODY + ["Ann Lee, Example Hosting", "Email: ann@example.net"]) == [7]


def test_a_template_key_ignores_code_fences():
    fenced = template_key("```console\nrustup update stable\n```")
    assert fenced == template_key("```\nrustup update stable\n```") != 0
    assert template_key("```\nls\n```") == 0  # one word is no template


def test_credit_lines_pointer_blocks_and_run_in_about_headings_boilerplate_6():
    # A credit alone in its paragraph; a sentence that opens the same way is news.
    assert flagged(["Interviewed by [Jane Doe](https://example.org/jane).", *BODY]) == [0]
    assert flagged([*BODY, "_Photos by Sam Lee_"]) == [6]
    news = "Written by hand on hotel paper, the letter reached the court a week after the vote."
    assert flagged([news, *BODY]) == []
    # A pointer block: its heading (Markdown or not) and a "Learn more" list item of links.
    pointers = ["### See Also", "- Learn more about the [Example Foundation](https://example.org) and us"]
    assert flagged([*BODY, *pointers]) == [6, 7]
    assert flagged([*BODY[:3], "Additional Resources", *BODY[3:]]) == [3]
    assert flagged(["## Resources for investigators", *BODY]) == []  # a heading of the story's own text
    # An About heading run into its description: the name printed twice.
    about = "About Example Foundation Example Foundation is a collaborative project that hosts open tools."
    assert flagged([*BODY, about]) == [6]
    assert flagged(["About Example Foundation staff, the report says little.", *BODY]) == []


def test_a_blog_engines_unfilled_variables_alone_are_template_leftovers():
    # Apache Grails's announcements print "[%title]" and "[%author]" where the engine fills in front matter.
    assert flagged(["# [%title]", "[%author]", *BODY]) == [0, 1]
    assert flagged([*BODY, "Generating a new Grails [%version] application takes one command."]) == []


def test_markup_placeholders_bylines_and_cross_post_notes_boilerplate_7():
    # Classes read in the opened third blind part (rOpenSci, pyOpenSci, R-hub, Openscapes), authored here.
    # HTML wrappers alone in a Markdown post's paragraph; markup around an image is a figure, judged apart.
    assert flagged([*BODY[:3], '<div class="notice" markdown="1">', *BODY[3:], "</div>"]) == [3, 7]
    assert flagged(["<b>Bold</b> words open this paragraph of the story's own text.", *BODY]) == []
    tweet = '<br> <center> <a href = "https://example.org/status/1"> <img src="/a.png"></a> </center>'
    assert 4 not in flagged([*BODY[:3], "Read the thread below, a caption for it.", tweet, *BODY[3:]])
    # A draft's editorial placeholder; the word in a sentence is text.
    assert flagged([*BODY[:3], "*TODO: photo of the team at the conference*", *BODY[3:]]) == [3]
    assert flagged(["Todo lists and to-dos: the app's new features arrive in May.", *BODY]) == []
    # A byline of names only; a colon after "Authors" in prose is text.
    byline = "*Authors: Jane Doe, Sam L. Lee, Ana María Ruiz, Bo Chen, Kim Park, Lee Smith, Yo Tan, Al Roe*"
    assert flagged([byline, *BODY]) == [0]
    assert flagged(["Authors: we asked them what they think, and they said it was fine.", *BODY]) == []
    # Where else the post is printed.
    note = "*This post has been [cross-posted on the Example blog](https://example.org/)*"
    assert flagged([*BODY, note]) == [6]
    assert flagged(["***Cross-posted on [Example](https://example.org/blog/)***", *BODY]) == [0]
    news = "The story was cross-posted on many sites before the election, officials said."
    assert flagged([news, *BODY]) == []


def test_a_ci_workflows_expressions_are_code_not_template_leftovers():
    # A GitHub Actions workflow in a post, cut at its blank lines: `${{ }}` is the workflow's syntax.
    assert flagged([*BODY, "env: GITHUB_PAT: ${{ secrets.GITHUB_TOKEN }} R_KEEP_PKG_SOURCE: yes"]) == []
    assert flagged([*BODY, "{{ post.analytics }}"]) == [6]


def test_a_sign_up_invitation_inside_a_long_paragraph_of_the_text_is_text():
    # rOpenSci's notice that its forum closed ends its 110-word middle paragraph with "subscribe to our RSS
    # feed or our newsletter!": the text's own invitation. A sign-up box is short.
    long = (
        "We're not putting our community building aside or behind a wall! We remain committed to our values "
        "of open community. We've migrated the most active part of the forum, the use cases collection, to "
        "our website, and we will continue to collect them via GitHub discussions. Your contributions to our "
        "packages, infrastructure and software review are still welcome! You can meet with us at events "
        "including coworking and community calls. You can also reach us by e-mail and check out our "
        "contributing guide. And to hear from us, subscribe to our RSS feed or our newsletter!"
    )
    assert flagged([*BODY[:3], long, *BODY[3:]]) == []
    assert flagged([*BODY[:3], "Subscribe to our newsletter for the week's news.", *BODY[3:]]) == [3]
    assert flagged([*BODY[:3], "Sign up for our free newsletter.", *BODY[3:]]) == [3]


# A news page's furniture as extractors leave it in the text (wire services, press-release wires, news sites'
# widgets), authored here in the forms those services print; each beside a sentence of news that must stay.
NEWS_FURNITURE = [
    "This material may not be published, broadcast, rewritten or redistributed.",
    "AP's climate coverage receives support from foundations. AP is solely responsible for all content.",
    "(Reporting by Jane Doe in Washington; Additional reporting by Sam Lee; Editing by Bo Chen)",
    "Reporting by Jane Doe; Editing by John Smith",
    "Our Standards: The Thomson Reuters Trust Principles.",
    "Associated Press writer Jane Doe in Washington contributed to this report.",
    "Story continues below advertisement",
    "ADVERTISEMENT",
    "Related: City council approves new budget",
    "READ MORE: City council approves new budget",
    "Follow AP's coverage of the election at https://apnews.com/hub/election-2024",
    "(AP Photo/Jane Doe)",
    "Image: Getty Images",
    "Get the latest news delivered to your inbox.",
    "The views expressed in this article are the author's own.",
    "5 min read",
    "Updated 3:45 PM ET, Mon May 6, 2024",
    "Posted on May 6, 2024 by Jane Doe",
    "Posted in Politics | Tagged budget, council",
    "Terms of Use | Privacy Policy | Contact Us",
    "Click to share on Twitter (Opens in new window)",
    "Share this:",
    "Comments are closed.",
    "We use cookies to improve your experience on our site.",
    "Subscribe to Example News for unlimited access.",
    "Follow Jane Doe on Twitter @janedoe.",
    "Distributed by Tribune Content Agency, LLC.",
    "SOURCE Example Corp.",
    "View original content to download multimedia: https://www.prnewswire.com/news-releases/example.html",
    "Logo - https://mma.prnewswire.com/media/456/example_logo.jpg",
    # The classes the news-dev part showed (its pages' forms, authored here).
    "MORE: Why the studio cut the scene / The cast reunites for the premiere",
    "6:30am PT by Jane Doe",
    "Sunday October 22",
    "Technology In Chips, Two Cores Are Better Than One Jane Doe, 08.24.04, 6:00 AM ET",
    "[via Example Daily]",
    "–",
    "Follow Jane Doe @janedoe. Follow us @ExampleNews, Facebook and Google+. Original article on Example.",
    "Do you think the sequel should be made? Debate about it in the comments below, and stay tuned for more.",
    "The film is now playing in theaters.",
    "Example Show airs on NBC Saturdays at 11:35 p.m. ET.",
    "Reuse content",
    "Sign up now for the Example Weekly newsletter to get breaking news.",
    # Captions with a wire's photo credit, bylines, a box's label, a slideshow's controls (field knowledge of
    # news pages: the forms wire services and news sites print).
    "Protesters march in the capital on Friday, April 7, 2017. (AP Photo/Jane Doe)",
    "A view of the damaged bridge after the storm on Friday. (Photo: Jane Doe/Reuters)",
    "By JANE DOE, Associated Press",
    "By Jane Doe and Sam Lee | Reuters",
    "Video",
    "1 of 12",
    "Hide caption",
    "You may also like",
]
NEWS_TEXT = [
    "Updated figures released on Tuesday show a 3% rise in the jobless rate.",
    "Published in 2019, the report found that 40% of roads needed repair.",
    "Source code for the app was released on GitHub last week.",
    "Share prices fell 3% on Monday after the announcement.",
    "The advertisement ran in three newspapers last week.",
    "The poll results do not necessarily reflect the views of all voters, the researchers said.",
    "The company said it uses cookies to track users, a practice regulators have questioned.",
    "Credit card debt rose for the third quarter in a row, the bank said.",
    "Related research has found similar effects in other cities.",
    "Reporting by local newspapers has exposed the problem for years.",
    "Home prices rose 4% | rents rose 6% | wages rose 3%",
    "Several reporters contributed to the investigation, which took a year.",
    "The views expressed by residents at the meeting varied widely.",
    "Editor's note: This story has been updated to include comment from the mayor.",
    "In 2017 the city spent $3 million on the roads.",
    "- ...",
    "One user wrote in the comments that the plan would never work.",
    "By the end of the day, the council had approved the plan.",
    "The photo (taken by a resident) shows the flooded street.",
    "He said the file (which the AP obtained) was incomplete.",
    "Photos of the event were shared widely online, officials said.",
    "Finally here are some tweets from the day. ![A tweet](/images/tweet-one.png)",
]


def test_a_pages_tag_list_is_boilerplate_a_storys_own_list_is_not():
    tags = ["- More about:", "- Australia", "- Nature", "- Tasmania"]
    assert flagged([*BODY, *tags]) == [6, 7, 8, 9]
    assert flagged([*BODY, "- Microsoft", "- Windows 10", "- Tablets"]) == [6, 7, 8]  # closing the page
    own = ["The council listed three priorities:", "- Roads", "- Schools", "- Parks"]
    assert flagged([*BODY[:3], *own, *BODY[3:]]) == []  # text after it


@pytest.mark.parametrize("line", NEWS_FURNITURE)
def test_a_news_pages_furniture_is_boilerplate_boilerplate_7(line):
    assert flagged([*BODY[:3], line, *BODY[3:]]) == [3]


@pytest.mark.parametrize("line", NEWS_TEXT)
def test_news_sentences_with_the_same_words_are_text(line):
    assert flagged([*BODY[:3], line, *BODY[3:]]) == []


# boilerplate-8: the classes of a news page's furniture that saved news pages of 2008 showed (bench/real
# news-dev2), authored here in the forms news sites print; each beside a sentence of news with the same words.
NEWS_FURNITURE_8 = [
    # teasers of other stories: a headline with its date and section, or its date after a dash
    "Council approves new budget (12 Jan 08 | Politics )",
    "- Mayor Opens The New Bridge - March 28, 2017",
    "- Senate Rejects The Aid Cuts - March 21st, 2017",
    # a time stamp run into the headline after it
    "Tuesday, 8 January 2008, 09:15 GMT Council approves new budget",
    # a byline's pieces and a wire's slug and desk credit
    "AP Sports Writer",
    "Associated Press Writer",
    "Associated Press",
    "AP-NY-03-14-08 1532EDT",
    "Reuters/Example",
    # a site's promotions and pointers
    "The Example Times is now available on your mobile phone.",
    "Click here to get Example News headlines on your phone.",
    "Search our archive for more stories on this topic. Click here",
    "WIN a weekend away - just sign up now for our tipping competition.",
    "Don't miss out - register today.",
    "Watch the mayor's speech here.",
    "[ Back to the homepage ]",
    # comment forms, a comment's signature, a links box's disclaimer
    "Posted by: Sam of Leeds 3:45pm March 2, 2008",
    "We welcome your comments on this story. Comments may be edited before publication.",
    "Comments are moderated and may take a day to appear.",
    "Post a comment",
    "Limit: 500 characters",
    "Example News is not responsible for the content of external internet sites",
    # (with its terms, longer than the short copyright rule looks at)
    "Copyright Example Wire Ltd 2008. All rights reserved. The copying, republication or redistribution of "
    "Example Wire content, including by framing or similar means, is expressly prohibited without the prior "
    "written consent of Example Wire.",
    # a site's navigation row, whatever its links name
    "Home | News | Sport | Business | Weather | Travel",
    # box labels and page links
    "Key points:",
    "ALSO",
    "Updated",
    "Related to this story:",
    "RELATED INTERNET LINKS:",
    "RELATED:",
    "Article:",
    "101: DEBATE",
    "Have your say",
    "E-mail this to a friend",
    "Send this article to a friend",
    "Printer friendly page",
]
NEWS_TEXT_8 = [
    "The council met on Monday (12 Jan 2008).",
    "The AP sports writer who covered the game said the crowd was small.",
    "Associated Press reporters visited the site on Monday.",
    "The paper is now available on newsstands across the state.",
    "Voters should click here to register, the website says, but the link was broken.",
    "Watch out here, rangers warned the hikers on the trail.",
    "Posted by the school at 3:45pm, the notice said classes would resume on Monday and Tuesday.",
    "Comments are welcome until March 1, the agency said.",
    "The court said the site is not responsible for the content its users post.",
    # (longer than the short copyright rule looks at)
    "Copyright law changed in 2008, and all rights reserved by authors now last longer than before, the "
    "professor said in a lecture that ran for two hours and drew students from three departments of the "
    "university's law school.",
    "Also, the council approved the budget on Tuesday.",
    "The article was shared widely on Monday.",
    "The debate over the budget lasted until midnight.",
    "Sign up now, the mayor told residents, because the program closes on Friday.",
    "Home, work and school | the three places where most accidents happen",
]


@pytest.mark.parametrize("line", NEWS_FURNITURE_8)
def test_a_news_pages_furniture_is_boilerplate_boilerplate_8(line):
    assert flagged([*BODY[:3], line, *BODY[3:]]) == [3]


@pytest.mark.parametrize("line", NEWS_TEXT_8)
def test_news_sentences_with_the_same_words_stay_text_boilerplate_8(line):
    assert flagged([*BODY[:3], line, *BODY[3:]]) == []


def test_a_thread_of_readers_comments_is_boilerplate_but_a_posts_signature_flags_only_itself():
    thread = [
        "Great news for the town, I hope they finish it on time.",
        "Posted by: Sam of Leeds 3:45pm March 2, 2008",
        "They said that last year too and nothing happened at all.",
        "Posted by: Jo of York 1:10pm March 2, 2008",
    ]
    assert flagged([*BODY, *thread]) == [6, 7, 8, 9]
    # One signature under a post is its byline: the paragraph above it is the post's own.
    assert flagged([*BODY, "Posted by: Jane Doe 3:45pm May 6, 2008"]) == [6]


def test_what_a_news_pages_boxes_hold_beside_their_labels():
    # A byline cut in two by the page's markup.
    assert flagged([*BODY[:3], "By", "Associated Press", *BODY[3:]]) == [3, 4]
    # A box inviting readers' views and its question; a story's own question stays.
    assert flagged([*BODY[:3], "101: DEBATE", "Should the council raise taxes?", *BODY[3:]]) == [3, 4]
    assert flagged([*BODY[:3], "Should the council raise taxes?", *BODY[3:]]) == []
    # A related-links box: its label, teasers and links, up to the story's next sentence.
    links = ["Related to this story:", "Mayor resigns (10 Jan 08 | Politics )", "Example Times", "Council"]
    assert flagged([*BODY[:3], *links, *BODY[3:]]) == [3, 4, 5, 6]


def test_teasers_closing_a_page_as_list_items_are_boilerplate_a_storys_own_list_is_not():
    teasers = [
        "- Mayor Opens The New Bridge",
        "- Council Approves Budget For Next Year",
        "- Storm Closes Schools Across The County",
    ]
    assert flagged([*BODY, *teasers]) == [6, 7, 8]
    assert flagged([*BODY, *teasers, "© 2008 Example News"]) == [6, 7, 8, 9]
    # The same items with the story's text after them, or a story's own list of sentences, are text.
    assert flagged([*BODY[:3], *teasers, *BODY[3:]]) == []
    own = ["- The bridge opens on Monday.", "- Tolls start in May.", "- Buses use it from June."]
    assert flagged([*BODY, *own]) == []


def test_a_thread_of_comments_of_several_paragraphs_runs_from_its_first_signature_to_its_last():
    thread = [
        "Posted by: Sam, Leeds on 3:45pm Sun 2 Mar 08",
        "I live near the bridge and the traffic has been terrible for a year now.",
        "It cannot open soon enough for those of us on the east side.",
        "Posted by: Jo, York on 4:10pm Sun 2 Mar 08",
        "Another waste of money, in my view, and nobody asked the residents.",
        "Posted by: Al, Hull on 5:20pm Sun 2 Mar 08",
    ]
    assert flagged([*BODY, *thread]) == list(range(6, 12))


def test_a_signers_line_closing_a_post_is_a_sign_off_boilerplate_12():
    # Marked by a dash, by a capitalised role, or by a closing word alone above it (the word itself left to
    # the other rules); a note may follow it.
    assert flagged([*BODY, "- The Handbook team"]) == [6]
    assert flagged([*BODY, "-- Ann Lee"]) == [6]
    assert flagged([*BODY, "Ann Lee (Release Manager)", "Note: updated from 1.5.0 to 1.5.1."]) == [6]
    assert 7 in flagged([*BODY, "Enjoy.", "Ann Lee"])
    # Not a name closing a story with no mark, a list of names, a lower-case affiliation, nor a signer
    # standing mid-document.
    assert flagged([*BODY, "Ann Lee"]) == []
    assert flagged([*BODY, "- Support for the new scanners", "- Docker"]) == []
    assert flagged([*BODY, "- Ann Lee (Chair)", "- Sam Ortiz (Treasurer)"]) == [6]
    assert 7 not in flagged([*BODY, "- Ann Lee (Chair)", "- Sam Ortiz (Treasurer)"])
    assert flagged([*BODY, "Ann Lee (independent)"]) == []
    assert flagged(["- Ann Lee (Release Manager)", *BODY]) == []
    rfc = [*BODY, "18. Authors' Addresses", "Ann Lee (Example Hosting)"]
    assert flagged(rfc) == []


def test_a_press_releases_further_information_heading_opens_its_contacts_boilerplate_12():
    contacts = [
        "FOR FURTHER INFORMATION",
        "Ann Lee",
        "Vice President",
        "Example Foundation",
        "press@example.org",
    ]
    assert flagged([*BODY, *contacts]) == [6, 7, 8, 9, 10]
    # A sentence that opens so is text.
    more = "For more information on the handbook, investigators can write to the division's training office."
    assert flagged([*BODY, more]) == []


def test_a_teams_signature_closing_a_post_and_a_follow_invitation_with_a_lead_in_boilerplate_16():
    # The post's last line naming its team, with no dash or role: a signature.
    assert flagged([*BODY, "The Handbook team"]) == [6]
    assert flagged([*BODY, "The Handbook developers."]) == [6]
    # Not a team named above the names of its members, nor mid-document, nor a person's name unmarked.
    assert flagged([*BODY, "The Handbook team", "Ann Lee and Sam Ortiz"]) == []
    assert flagged(["The Handbook team", *BODY]) == []
    assert flagged([*BODY, "Ann Lee"]) == []
    # An invitation to follow on social networks, opened by a lead-in.
    assert flagged([*BODY, "You can also follow the project on Twitter, Facebook and Mastodon."]) == [6]
    assert flagged(["Be sure to follow us on Instagram for the photos.", *BODY]) == [0]
    # A sentence of the story that mentions following is text.
    story = "Investigators follow the money on foot, from the bank branch to the warehouse in the east."
    assert flagged([*BODY, story]) == []
