"""A post's standing notes and a blog theme's lines (issue 12 class 4, boilerplate-18,
tasks/post_furniture.py): repost notes, content licences, invitations to follow, subscribe or share, an
author's disclaimer, a blog theme's navigation, comment form and sidebar lines, an author's bio or box
closing a post; and a press release's About heading with its issuer's acronym. Every text here is written
for the test, in the forms blogs, project sites and press offices print (docs/boilerplate.md); each class is
shown with text of the same words that is a post's own and stays text."""

from tasks.boilerplate import flag_document
from tasks.post_furniture import is_post_furniture

POST = [
    "The tracing library's new release samples spans at the collector rather than in every service.",
    "Until now each service decided on its own, so a trace could lose half of its spans on the way.",
    "## Deciding at the collector",
    "The collector waits for a trace's last span, then keeps or drops the whole trace at once.",
    "Waiting costs memory, so the collector bounds how long it holds a trace before it decides.",
    "Next month the same policy comes to the agents, which forward spans to the collector.",
]


def flagged(paragraphs: list[str]) -> list[int]:
    return [i for i, flag in enumerate(flag_document(paragraphs)) if flag]


def test_a_repost_note_is_furniture_and_news_of_a_posting_is_text():
    for note in (
        "Originally posted on my blog.",
        "*This post was originally posted at [example.org](https://example.org/sampling/).*",
        "Reposted from the Example Labs blog with permission.",
        "This is a cross-post from my personal blog.",
        "This article is a repost of a post on the project's forum.",
    ):
        assert flagged([*POST, note]) == [6], note
        assert flagged([note, *POST]) == [0], note
    # A video or a notice posted somewhere is news, and so is a repost in a sentence of the text.
    assert flagged([*POST, "The video was first posted on a forum for collectors in March."]) == []
    assert flagged([*POST, "Many readers reposted the chart, which soon reached the maintainers."]) == []


def test_a_content_licence_is_furniture_and_a_programs_licence_is_news():
    for line in (
        "This work is licensed under a Creative Commons Attribution 4.0 International License.",
        "Content on this site is licensed under CC BY-SA 4.0.",
        "Except where otherwise noted, all posts are licensed under the Apache License 2.0.",
        "Photos in this post are available under a Creative Commons licence.",
    ):
        assert flagged([*POST, line]) == [6], line
    assert flagged([*POST, "The collector itself is licensed under the Apache License 2.0, as before."]) == []
    # A figure crediting its photo's licence keeps the licence with the figure's own rule (a caption).
    figure = '{{< figure src="falls.jpg" caption="Falls, by Jane Doe, licensed under CC BY 2.0" >}}'
    assert not is_post_furniture(figure)


def test_invitations_to_follow_subscribe_share_or_join_are_furniture():
    for line in (
        "You can find me on Twitter and Mastodon.",
        "Connect with me on LinkedIn if you want to talk about tracing.",
        "Subscribe to my newsletter to get new posts by email.",
        "Want more posts like this? Subscribe to the blog.",
        "If you enjoyed this post, please share it with your colleagues.",
        "Like this post? Share it on Mastodon!",
        "Did you find this post useful? Let me know on Bluesky.",
        "Join the conversation on our Slack.",
        "Have questions? Leave a comment below!",
        "Share your thoughts in the comments.",
    ):
        assert flagged([*POST, line]) == [6], line
    # The post's own news of a network or a subscription, in sentences of its own.
    for own in (
        "We found most of our testers on Mastodon, where the project has an account.",
        "Teams that subscribe to the alerts feed get a message when a trace is dropped.",
        "If you enjoyed the first release, the second one brings more of the same.",
        "Reviewers leave a comment on each pull request below the diff they read.",
    ):
        assert flagged([*POST, own]) == [], own


def test_an_authors_disclaimer_is_furniture():
    assert flagged([*POST, "Opinions are my own and not the views of my employer."]) == [6]
    assert flagged([*POST, "The opinions expressed on this blog are my own."]) == [6]
    assert flagged([*POST, "Disclaimer: I work on the collector at Example Corp."]) == [6]
    assert flagged([*POST, "The opinions of the maintainers differ on how long a trace should wait."]) == []


def test_a_blog_themes_lines_are_furniture():
    theme = [
        "Skip to content",
        "Posted by Jane Doe on March 3, 2024",
        "Leave a Reply Cancel reply",
        "Your email address will not be published. Required fields are marked *",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Recent Posts",
        "Proudly powered by WordPress | Theme: Plain by Example Themes",
        "« Older posts",
        "Reading time: 5 min",
        "Edit this page on GitHub",
        "Cover image by Sam Lee on Unsplash",
        "3 Comments",
    ]
    for line in theme:
        assert flagged([*POST, line]) == [6], line
    # A Markdown heading is the post's outline, and a sentence naming the same things is its text.
    assert flagged([*POST[:2], "## Recent posts", *POST[2:]]) == []
    assert flagged([*POST, "Posted by the release team, the new policy is on by default for everyone."]) == []
    assert flagged([*POST, "Three comments on the pull request asked for a shorter default wait."]) == []


def test_an_authors_bio_closing_a_post_is_furniture_and_a_person_in_the_text_is_not():
    bio = "Jane Doe is a software engineer at Example Corp, where she works on the collector's sampling."
    assert flagged([*POST, bio]) == [6]
    assert flagged([*POST, bio, "Sam Lee works on developer tools at Example Corp."]) == [6, 7]
    assert flagged(
        [*POST, "*Jane Doe is a maintainer of the collector and an engineer at Example Corp.*"]
    ) == [6]
    inline = "**About the author:** Jane Doe builds tracing tools and writes about them at example.org."
    assert flagged([*POST, inline]) == [6]
    # Anywhere but the post's end it is someone the post writes about.
    assert flagged([POST[0], bio, *POST[1:]]) == []
    # With the post's own text after it, too.
    assert flagged([*POST[:5], bio, POST[5]]) == []


def test_an_author_box_in_a_posts_second_half_is_furniture():
    assert flagged([*POST, "**About the Author**", "Jane Doe builds tracing tools."]) == [6, 7]
    box = ["About the author", "Jane Doe builds tracing tools and writes about them at example.org."]
    assert flagged([*POST, *box]) == [6, 7]
    assert flagged([*POST, *box, "## Notes", "The benchmarks ran on one machine."]) == [6, 7]
    # At a document's top the heading is not in the post's second half.
    assert flagged([*box, *POST]) == []


def test_an_about_heading_with_its_issuers_acronym_closing_a_release_is_furniture():
    release = [
        "The Example Software Foundation today announced the program of its yearly conference in Lisbon.",
        "Sessions cover tracing, storage and the build tools most of its projects share.",
        "Registration opens on Monday, with a lower rate for students.",
    ]
    about = [
        "About The Example Software Foundation (ESF)",
        "Established in 2001, the all-volunteer ESF oversees more than ninety projects and communities.",
    ]
    marks = ['"Example" is a registered trademark of The Example Software Foundation.', "# # #"]
    assert flagged([*release, *about, *marks]) == [3, 4, 5, 6]
    assert flagged([*release, *about]) == [3, 4]
    # Above the release's own text the heading titles a section of the post.
    assert flagged([release[0], *about, *release[1:]]) == []


def test_markdown_markers_that_render_no_text_are_markup():
    for marker in (
        "* TOC {:toc}",
        "{:toc}",
        "{: .notice--info}",
        "[TOC]",
        "[[_TOC_]]",
        ":::note",
        ":::",
        "> [!NOTE]",
        "[spec]: https://example.org/spec",
        '[spec]: https://example.org/spec "The sampling spec" [`Sampler::keep`]: <https://docs.example.org/keep>',
        "[collector]:https://example.org/collector [agents]: https://example.org/agents (The agents)",
    ):
        assert flagged([*POST[:3], marker, *POST[3:]]) == [3], marker
    # A footnote renders as text, and so does a line of text in brackets, or a definition run on into a
    # sentence of the post (a paragraph that is not definitions only).
    for own in (
        "[^1]: The collector's default, since 0.90.",
        "[Update]: The policy is on by default now.",
        "[spec]: https://example.org/spec explains how the collector decides which traces to keep.",
    ):
        assert flagged([*POST[:3], own, *POST[3:]]) == [], own


def test_the_words_looked_for_before_a_search_miss_no_match_of_the_full_search():
    """is_post_furniture searches _LICENCE and _INVITATION only in texts holding one of their words: every
    alternative of each, in upper case and with the letters re.IGNORECASE also takes for ASCII ones (ſ for
    s, K for k, İ for i), gives what searching every text gave."""
    from tasks import post_furniture as pf

    def searched_everywhere(text: str) -> bool:
        if len(text.split()) > pf._WORDS or pf._MARKUP.match(text):
            return False
        if len(text.split()) <= pf._CHROME_WORDS and text[:1] != "#" and pf._CHROME.match(text):
            return True
        return any(p.search(text) for p in (pf._REPOST, pf._LICENCE, pf._INVITATION, pf._DISCLAIMER))

    lines = [
        "Photos here are released under the terms of a Creative Commons licence.",
        "All content on this website is licensed under CC BY 4.0.",
        "PHOTOS ARE AVAILABLE UNDER A CREATIVE COMMONS LICENCE.",
        "Photos are available under a CC0 dedication.",
        "Please reach out to us on GitHub with your traces.",
        "Feel free to ping me on Mastodon.",
        "Contact us via email or on Discord.",
        "Be sure to subscribe to our weekly newsletter.",
        "Subſcribe to my newsletter.",
        "İf you liked this write-up, follow me for more.",
        "Come join the community on Discord.",
        "Enjoyed this post? Please share it.",
        "LIKE THIS POST? SHARE IT!",
        "Let us know what you think on Bluesky.",
        "Let us \u212anow what you think on Bluesky.",
        "Please leave your feedback in the comments section.",
        "Drop us a note below.",
        "The maintainers reached a decision on the licence last week.",
        "The release is available under a new name in the package index.",
        "We found the bug on GitHub, where a user had reported it.",
        "Readers asked whether the collector keeps every trace?",
    ]
    positives = 0
    for text in lines:
        assert is_post_furniture(text) == searched_everywhere(text), text
        positives += searched_everywhere(text)
    assert positives == 17  # every alternative is met, so a word missing from a list fails here
