"""What a blog, a project site or a press office prints around a post's own text (boilerplate-18).

The classes, each written from the forms blogs and press releases commonly print (not from a part of the real
set kept from rule writers), each a paragraph of its own and short, so that a sentence of a post's own text
that happens to hold the same words stays text:
- a repost note: where else the post ran ("Originally posted on my blog.", "Reposted from the Acme blog with
  permission.", "This is a cross-post from ...");
- a content licence: the terms the post or the site is printed under ("This work is licensed under a Creative
  Commons Attribution 4.0 International License."); a sentence about a program's licence is news;
- an invitation to follow, subscribe or join: "You can find me on Twitter and Mastodon.", "Subscribe to my
  newsletter ...", "If you enjoyed this post, please share it ...", "Join the conversation on our Slack";
- an author's disclaimer: "Opinions are my own and not the views of my employer.";
- Markdown markers that render no text of their own: a table-of-contents marker or an attribute list
  ("* TOC {:toc}", "[TOC]", "{: .notice}"), an admonition's fence (":::note", ":::") or alert marker
  ("> [!NOTE]") alone, and a paragraph of link reference definitions only ("[spec]: https://…": a Markdown
  renderer shows none of it, and a copy printed as HTML carries its links inline, so kept as text it would be
  reported as a paragraph that disappeared; a footnote, "[^1]: …", renders and is text; docs/boilerplate.md);
- an author's bio closing a post, as blogs write them: a full name, then what the author is at work ("Jane
  Doe is a software engineer at Acme, where ..."), in the post's last paragraphs only (tasks/boilerplate.py's
  bio rule takes reporters and editors from the second half on).
"""

from __future__ import annotations

import re

from tasks.rule_text import lowered, word_count

_WORDS = 50  # the longest paragraph any class here takes

_REPOST = re.compile(
    r"^[\W_]{0,4}((this|the) (blog ?)?(post|article|piece|entry) (was |is |has been )?)?"
    r"(originally|first) posted (on|at|in|to)\b|"
    r"^[\W_]{0,4}((this|the) (blog ?)?(post|article|piece|entry) (was |is |has been )?)?"
    r"(re-?posted|reblogged|re-?published|syndicated) (here )?(from|with permission)\b|"
    r"^[\W_]{0,4}(this|the) (blog ?)?(post|article|piece|entry) is an? (cross-?|re-?)post\b|"
    r"^[\W_]{0,4}this is an? (cross-?|re-?)post\b",
    re.IGNORECASE,
)
# A content licence names itself (this work, post, site ...) or a Creative Commons licence: "The code is
# licensed under the MIT license" is a post's news about its program.
_LICENCE = re.compile(
    r"\b(licen[cs]ed|available|released|published|distributed) under (a |the )?(terms of (a |the )?)?"
    r"(creative commons|cc[- ]by|cc0)\b|"
    r"^[\W_]{0,4}(except where otherwise noted,? |unless otherwise (noted|stated|specified),? )?"
    r"(this|the|all) (work|post|article|blog|site|website|content|text|material)s?\b[^.]{0,60}"
    r"\b(is|are) licen[cs]ed under\b",
    re.IGNORECASE,
)
_NETWORK = (
    r"(twitter|x|mastodon|bluesky|linkedin|github|facebook|instagram|youtube|threads|fosstodon|"
    r"slack|discord|reddit|medium|substack|rss)"
)
_INVITATION = re.compile(
    # "You can find me on Twitter", "Connect with me on LinkedIn", "Find us on Mastodon".
    rf"^[\W_]{{0,3}}((you can|feel free to|please|also,?) )?(find|reach( out to)?|connect with|contact|ping) "
    rf"(me|us)\b[^.!?]{{0,30}}\bon (\[)?{_NETWORK}\b|"
    # "Subscribe to my newsletter", "subscribe to the blog's feed".
    # An imperative opening a sentence: "Teams that subscribe to the alerts feed ..." is the post's news.
    r"(^|[.!?]\s+)[\W_]{0,3}((you can|please|be sure to|don['’]?t forget to|feel free to) )?"
    r"subscribe to (my|our|the|this) ([\w'’-]+ ){0,2}(blog|newsletter|feed|channel|podcast|mailing list)\b|"
    # "If you enjoyed this post, please share it", "If you liked this article, follow me".
    r"^[\W_]{0,3}if you (enjoyed|liked|found|loved) (this|the|my) (post|article|piece|blog|write-?up)\b"
    r"[^.!?]{0,60}\b(share|subscribe|follow|clap|like|star|recommend)\b|"
    # "Join the conversation on our Slack", "Join us on Discord".
    rf"^[\W_]{{0,3}}(come |please |feel free to )?join (us|the conversation|the discussion|our community|"
    rf"the community)\b[^.!?]{{0,20}}\b(on|in) (our |the )?(\[)?{_NETWORK}\b|"
    # "Like this post? Share it on Twitter!", "Did you find this post useful? Let me know on Mastodon."
    r"^[\W_]{0,3}(did you )?(like|liked|enjoy|enjoyed|find) (this|my) (post|article|blog)\b[^.!?]{0,30}\?\s*"
    r"(please )?(share|subscribe|follow|let (me|us) know)\b|"
    rf"\blet (me|us) know\b[^.!?]{{0,30}}\b(on|via) (\[)?{_NETWORK}\b|"
    # A prompt to the comments under the post: "Have questions? Leave a comment below!", "Share your thoughts
    # in the comments."
    r"(^|[.!?]\s+)[\W_]{0,3}(please |feel free to |do )?(leave|drop|post|share|add) (us |me )?"
    r"(a comment|a note|your (thoughts|comments|questions|feedback))"
    r"[^.!?]{0,20}\b(below|in the comments?( section)?)\b",
    re.IGNORECASE,
)
# One of these is in every text _INVITATION matches (lowered), one or more for each of its alternatives
# in turn: the verb before "me" or "us"; "subscribe"; "if you"; "join"; the question's mark; "let ... know";
# where the comment goes.
_INVITATION_WORDS = (
    "find",
    "reach",
    "connect",
    "contact",
    "ping",
    "subscribe",
    "if you",
    "join",
    "?",
    "know",
    "below",
    "in the comment",
)
_DISCLAIMER = re.compile(
    r"^[\W_]{0,3}((disclaimer|disclosure)\s*:|"
    r"(all |the )?(opinions|views|thoughts)( expressed)?"
    r"( here| (in|on) this (post|article|blog|site|website))? (are|is) "
    r"(my|our|the author['’]?s?) own\b)",
    re.IGNORECASE,
)
# A figure's markup or caption credits its photo's licence: the figure's, kept with its caption.
_MARKUP = re.compile(r"^\s*(<|\{\{|\{%|!\[)")
# A blog theme's own lines (WordPress, Jekyll, Hugo, Ghost, Medium), a paragraph each, as a saved post's page
# prints them around every post: navigation, the comment form, the sidebar's widgets, the theme's credit, the
# post's meta line, its reading time, an edit link, a tip jar.
_CAPS = r"(?-i:[A-Z])[\w.'’&-]*( (?-i:[A-Z])[\w.'’&-]*){0,3}"
_DATE = r"[\w ,./-]{0,30}\d[\w ,./:-]{0,20}"
_CHROME = re.compile(
    r"^[\W_]{0,3}(skip to (main )?(content|navigation)|toggle (navigation|menu)|"
    r"cancel reply|(leave|post|add) a (reply|comment)( cancel reply)?|"
    r"your email address will not be published\b.{0,60}|required fields are marked\b.{0,10}|"
    r"save my name,? (e-?mail|email),? and website in this browser\b.{0,60}|"
    r"notify me of (new|follow-up) (comments|posts)\b.{0,40}|"
    r"(proudly )?powered by (wordpress|jekyll|hugo|ghost|blogger|pelican|hexo|gatsby)\b.{0,80}|"
    r"(built|made) with (jekyll|hugo|ghost|pelican|hexo|gatsby)\b.{0,60}|"
    r"theme:? [\w .-]{1,40} by [\w .-]{1,40}|"
    r"search( for)?:?|recent (posts|comments|articles|entries)|archives|categories|blogroll|"
    r"(entries|comments|posts) (feed|rss)|subscribe (via|by|to) (rss|e-?mail|atom)( feed)?|"
    r"[«‹]?\s*(older|newer) (posts|entries|articles)\s*[»›]?|"
    # The post's meta line: names, a date and a category only ("Posted by Jane Doe on March 3, 2024").
    rf"(posted|published|written) (by {_CAPS}|on {_DATE}|in {_CAPS})"
    rf"( (on|at) {_DATE}| in {_CAPS}| by {_CAPS}){{0,3}}|"
    r"(this entry was )?posted in [^.!?]{1,60}(and )?tagged [^.!?]{1,120}(\. bookmark the permalink)?|"
    r"bookmark the permalink|filed under:? [^.!?]{1,60}|categor(y|ies):\s*[^.!?]{1,80}|"
    r"(estimated )?reading time:?\s*\d+\s*(min(ute)?s?)?( read)?|"
    r"(edit|improve|suggest (changes|an edit) (to|on)) this (page|post|article)( on github)?|"
    r"view (the )?(source|page) on github|"
    r"buy me a (coffee|beer|pizza)|\d+ (comments?|responses?|replies|thoughts?)( (on|to) .{1,80})?|"
    r"(one|1) (thought|response|comment) (on|to) .{1,80}|"
    r"(cover|header|featured|title|hero) (photo|image|picture|illustration)s?"
    r"( by| credit:?|:| courtesy of) .{1,80}"
    r")\W*$",
    re.IGNORECASE,
)
_CHROME_WORDS = 25
_AUTHOR_BOX = re.compile(
    r"^(#{1,6}\s*)?[*_]{0,2}(about|meet) the authors?[*_]{0,2}\s*:?[*_]{0,2}$", re.IGNORECASE
)
# The same label run into its bio: "**About the author:** Jane Doe builds tracing tools ...".
_AUTHOR_BOX_INLINE = re.compile(r"^[*_]{0,2}about the authors?[*_]{0,2}\s*:[*_]{0,2}\s*\S", re.IGNORECASE)
_NAME = r"(?-i:[A-Z][\w.'’-]+)"
_WORK = (
    r"(engineer|developer|maintainer|programmer|scientist|researcher|student|founder|co-?founder|advocate|"
    r"consultant|architect|evangelist|designer|manager|contributor|committer|hacker|lecturer|professor|"
    r"writer|author|blogger|cto|ceo)"
)
_BLOG_BIO = re.compile(
    # Maybe set in italics or as a quote ("*Jane Doe is ...*", "> Jane Doe is ...").
    rf"^[*_>\s]{{0,3}}{_NAME}( {_NAME}){{1,3}} "
    rf"((is|was|has been|works as) (a|an|the)\b[^.!?]{{0,80}}\b{_WORK}s?\b"
    r"[^.!?]{0,40}\b(at|of|for|with|on)\b|works (on|at) [^.!?]{1,80}\b(at|for) (?-i:[A-Z]))",
    re.IGNORECASE,
)
_BOX_PARAGRAPHS = 3  # an author box holds a name, a photo and a bio or two
_BIO_TAIL = 2  # an author's bio closes a post: it is one of its last paragraphs


def is_post_furniture(text: str) -> bool:
    """Whether a paragraph is one of a post's standing notes (repost note, content licence, invitation to
    follow or subscribe, disclaimer, a blog theme's line), by its own text."""
    if word_count(text) > _WORDS or _MARKUP.match(text):
        return False
    # A Markdown heading ("## Contents") is the post's own outline.
    if word_count(text) <= _CHROME_WORDS and text[:1] != "#" and _CHROME.match(text):
        return True
    # The two patterns with alternatives that may start anywhere are searched only in paragraphs holding a
    # word every match of theirs holds (a search at each position was half of the rules' cost per text).
    low = lowered(text)
    return bool(
        _REPOST.search(text)
        or ("under" in low and _LICENCE.search(text))
        or (any(map(low.__contains__, _INVITATION_WORDS)) and _INVITATION.search(text))
        or _DISCLAIMER.search(text)
    )


_MARKDOWN_MARKER = re.compile(
    r"^(\*\s*toc\s*\{:\s*toc\s*\}|\{:\s*toc\s*\}|\{:[^{}\n]{1,80}\}|\[toc\]|\[\[_toc_\]\]|:{3,}\s*[\w-]*|"
    r">\s*\[!(note|tip|important|warning|caution)\])$",
    re.IGNORECASE,
)


# One or more link reference definitions (CommonMark: a label, a colon, a destination, an optional title) and
# nothing else; a footnote's label opens with "^" and its text renders.
_REFERENCE_DEFINITIONS = re.compile(
    r"^(\[[^\]^\s][^\]]{0,200}\]:[ \t]*(<[^>\s]+>|\S+)([ \t]+(\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*)+$"
)


def is_markdown_markup(text: str) -> bool:
    """Whether a paragraph is Markdown markup that renders no text of its own: a table-of-contents marker,
    an attribute list, an admonition's fence or an alert's marker alone, or link reference definitions
    only."""
    if not text.startswith((":", "{", "[", "*", ">")):
        return False
    text = text.strip()
    return _MARKDOWN_MARKER.match(text) is not None or _REFERENCE_DEFINITIONS.match(text) is not None


def flag_closing_bio(paragraphs: list[str], flags: list[bool]) -> None:
    """Flag an author's bio among a post's last paragraphs (nothing after it but set-aside text or another
    bio): a full name and what the author is at work; and an author box in a post's second half, its label
    ("About the author") and the few paragraphs under it (a name, a photo, a bio), up to the next heading."""
    n = len(paragraphs)
    for i in range(n // 2, n):
        if _AUTHOR_BOX.match(paragraphs[i]):
            flags[i] = True
            for j in range(i + 1, min(n, i + 1 + _BOX_PARAGRAPHS)):
                if paragraphs[j].startswith("#") or len(paragraphs[j].split()) > _WORDS * 2:
                    break
                flags[j] = True
            break
    for i in range(n - 1, max(0, n - _BIO_TAIL) - 1, -1):
        text = paragraphs[i]
        if (
            not flags[i]
            and len(text.split()) <= _WORDS * 2
            and (_BLOG_BIO.match(text) or _AUTHOR_BOX_INLINE.match(text))
        ):
            flags[i] = True
        elif not flags[i]:
            return  # the post's own text: a bio above it is a person it writes about
