"""A news page's tools and box labels that an extractor leaves among a story's paragraphs (boilerplate-13).

Found on the dev half of L3S-GN1's assessor-labelled news pages of 2008 (bench/l3s_gn1.py), where most sites
give one page each, so that an outlet's repetition cannot find them: each must be told by its own text. The
classes, each a paragraph of its own and short:
- a row of page tools: print, e-mail, share and bookmark links, comment and report links, nothing else
  ("Printer-friendly version Email-a-friend Respond", "Digg |", "Mail to a friend Print story Read later");
- a story navigation link: "Previous story: <headline>", "Next article", "<<prev article | back to index";
- a box's label: "Most Read Stories", "Sponsored Links", "In This Section", "Latest in Audio";
- a comment box's own lines: "Read comments", "There are currently no comments for this entry.";
- a pointer to the site's feed or more of its coverage, a footer's links, an archive's truncation note
  ("Subscribe to the Sport RSS feed", "Terms of Use/Privacy Policy", "-- Click here for more updates").
A sentence of news is none of these: each pattern is anchored at both ends of the paragraph.
"""

from __future__ import annotations

import re

from tasks.rule_text import word_count

# A page tool, as its link reads: printing, mailing, sharing and bookmarking services of the 2000s and since,
# comments and their moderation links, text size.
_TOOL = (
    r"(printer[- ]friendly( version| page| format)?|print( (this|the))?( story| article| page| version)?|"
    r"e-?mail(-| )?(a|to a)(-| )friend|e-?mail( this)?( story| article| page| comment)?|"
    r"(mail|send) to a friend|"
    r"send( this)?( story| article)?|share( this)?( story| article)?|digg( this( story)?)?|"
    r"(add to )?del\.icio\.us|delicious|furl|reddit|facebook|yahoo!?( buzz| my web)?|stumbleupon|newsvine|"
    r"technorati|google( bookmarks)?|myspace|twitter|bookmark( this)?( story| article| page)?|"
    r"save( this)?( story| article)?|read later|respond|reply|quote|report (this )?(post|comment|abuse)|"
    r"(post a |add a )?comments?|(text|font) size|toolbar|rss( feed)?|subscribe|permalink|recommend( this)?)"
)
_SEPARATOR = r"[\s|•·,/<>«»:-]"
_TOOL_ROW = re.compile(rf"^{_SEPARATOR}*{_TOOL}({_SEPARATOR}+{_TOOL})*{_SEPARATOR}*$", re.IGNORECASE)
_STORY_NAV = re.compile(
    r"^(<<|«|‹)?\s*(prev(ious)?|next|older|newer) (story|article|post|entry|item)\b(\s*:\s*\S.{0,150})?$|"
    r"^(<<|«)?\s*(prev(ious)? (story|article)\s*\|\s*)?back to (the )?(news |story )?(index|list)\b.{0,40}$",
    re.IGNORECASE,
)
_BOX_LABEL = re.compile(
    r"^(most (read|popular|viewed|e-?mailed|commented|shared)( on)?( stories| articles| news| today)?|"
    r"sponsored links?|(other |more )?(stories|articles) in this section|in this section|"
    r"latest (news|stories|headlines|discussions|(in|on|from) [\w&.' -]{1,30})|"
    r"top (stories|headlines)|"
    r"more (news|stories|headlines)( from [\w&.' -]{1,30})?|"
    r"brought to you by|today'?s (top )?(stories|headlines)|news partners)\s*:?$",
    re.IGNORECASE,
)
_COMMENT_BOX = re.compile(
    r"^((read|view|show|hide|post|add|see) (all )?(\d+ )?(reader )?comments?( \(\d+\))?|"
    r"there (are|have been) (currently )?no comments( (for|on) this (entry|story|article|post))?( yet)?|"
    r"no comments( yet)?|be the first to (comment|respond)( on this (story|article))?)[\s.!:]*$",
    re.IGNORECASE,
)
# A prompt to subscribe to the site's feed, a pointer to more of the site's coverage, a footer's row of links,
# an archive's note that the page shows a part of the article.
_FOOTER_LINK = (
    r"(terms (of|and) (use|service|conditions)|privacy( policy| statement)?|contact us|about us|site ?map|"
    r"advertise( with us)?|help|feedback|careers)"
)
_SITE_POINTER = re.compile(
    r"^(click (here )?to )?subscribe( to (the|our|this) .{1,40}?( rss)? (feed|newsletter|podcast))?[.!]?$|"
    r"^\W*click here\b.{0,60}$|^scroll down (to|for) (read )?(more|the (full )?(story|article))\W*$|"
    r"^read more (about|on) (the|this) .{1,40}$|^catch up on .{1,40} coverage\W*$|"
    rf"^{_FOOTER_LINK}(\s*[/|]\s*{_FOOTER_LINK})+$|"
    r"^the full (article|story|text) (contains|has) [\d,]+ words\b.{0,80}$",
    re.IGNORECASE,
)
# boilerplate-14 classes, each a page's prompt to the reader rather than the story's text: a page-number
# row ("CONTINUED 1 | 2", "1 | 2 | 3 | Next"), a wire slug alone ("(CBS)"), an invitation to the reader's
# views or the site's forum ("Discuss this story on the message board...", "Have a view on this story? Send
# us your feedback!"), a registration prompt ("Not registered? ... Register by clicking here."), a pointer to
# the site's home page ("Came straight to this page? Visit example.com for all the latest news").
_PAGE_NUMBERS = re.compile(
    r"^((continued|pages?)\s*:?\s*)?\d{1,2}(\s*[|•·]\s*\d{1,2})+(\s*[|•·]?\s*(next|more)\W*)?$",
    re.IGNORECASE,
)
_WIRE_SLUG = re.compile(r"^\((?:[A-Z]{2,8}|Reuters|Bloomberg)\)$")
_READER_PROMPT = re.compile(
    r"^\W*(discuss this (story|article)|have a view on (this|the) (story|article)|"
    r"(to )?have your say on this|send us your (feedback|views|comments)|"
    r"join the (debate|discussion) (on|in|at) (the|our))\b|"
    r"^not registered\b.{0,80}\bregister\b|\bregister (now )?by clicking here\b|"
    r"^(came straight to this page\?\s*)?visit [\w.-]+\.[a-z]{2,4} for (all )?(the )?(latest|more)\b",
    re.IGNORECASE,
)
_PROMPT_WORDS = 30
# A list's marker before the line ("- Read comments", "• Digg this story").
_MARKER = re.compile(r"^[-–•·*]\s+")
_MAX_WORDS = 25


def is_reader_prompt(text: str) -> bool:
    """Whether a paragraph is a page-number row, a wire slug alone, or a prompt to the reader: an invitation
    to their views or the site's forum, a registration prompt, a pointer to the site's home page."""
    # A list's marker is a word of its own: a text of more words than one over the limit is no prompt, told
    # without copying it (most paragraphs).
    if word_count(text) > _PROMPT_WORDS + 1:
        return False
    line = _MARKER.sub("", text.strip())
    if not line or len(line.split()) > _PROMPT_WORDS:
        return False
    return bool(_PAGE_NUMBERS.match(line) or _WIRE_SLUG.match(line) or _READER_PROMPT.search(line))


def is_page_furniture(text: str) -> bool:
    """Whether a paragraph is a page's tool row, story navigation link, box label or comment-box line."""
    if word_count(text) > _MAX_WORDS + 1:  # as in is_reader_prompt
        return False
    line = _MARKER.sub("", text.strip())
    if not line or len(line.split()) > _MAX_WORDS:
        return False
    if _TOOL_ROW.match(line):
        # One word alone ("Facebook", "Twitter") may head a story's section; a row has two or a separator.
        return len(line.split()) >= 2 or re.search(r"[|•·]", text) is not None
    return any(p.match(line) for p in (_STORY_NAV, _BOX_LABEL, _COMMENT_BOX, _SITE_POINTER))
