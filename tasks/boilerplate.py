"""Boilerplate: paragraphs that belong to the outlet's page or the issuer's release rather than to the story.

Two signals: rules (donation appeals, subscription prompts, login boxes, author bios, production credits,
copyright, trademark and safe-harbour notices, press-release "About" and contact blocks, pagination, template
leftovers), and repetition (a paragraph an outlet prints verbatim under different stories).
Boilerplate is flagged, never deleted. docs/boilerplate.md gives each rule with the real text it exists for.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate

import numpy as np

from tasks.page_tools import is_page_furniture, is_reader_prompt
from tasks.post_furniture import flag_closing_bio, is_markdown_markup, is_post_furniture
from tasks.rule_text import lowered as _lowered
from tasks.rule_text import word_count as _word_count

# boilerplate-2: press-release furniture (About/contact/safe-harbour blocks, trademark notices), login and
# newsletter boxes, next-page links, copyright lines split into pieces.
# boilerplate-3: `repeated` only for text its outlet printed at least half the copies of (tasks/stories.py).
# boilerplate-4: a standards body's mandated notices (IETF), paragraphs of Markdown images only (badges).
# boilerplate-5: figure placeholders (an image tag, shortcode or Markdown image alone) are flagged but never
# anchor the footer block, and a captioned figure is text; "About" blocks under a Markdown heading in a
# document's second half; "Learn more about X at: <link>"; "This article was originally posted on"; the
# ASF's "Availability and Oversight" paragraph; sign-offs ("Happy Drilling! <names>"); an RFC's authors'
# addresses are text; release templates keyed without link syntax and code fences.
# boilerplate-7: HTML markup alone, editors' placeholders ("TODO:"), bylines of names ("Authors: ..."),
# cross-post notes; a CI workflow's `${{ }}` expressions are code, not template leftovers; sign-up rules on
# short paragraphs only; a news page's furniture (wire terms and credits, press-release wire lines, ad slots,
# share and comment widgets, pointers to other stories, photo credits, time stamps, rows of links, cookie
# notices, opinion disclaimers); a credit line names people ("Reporting by local newspapers ..." is news).
# boilerplate-8: news pages of 2008 (bench/real news-dev2) and the classes a news page's furniture falls into:
# teasers of other stories (a headline with its date and section), boxes (a label, the links or question under
# it), readers' comments and comment forms, split bylines and wire slugs, site promotions, navigation rows, a
# time stamp run into the headline, a page's section label.
# boilerplate-9: the fourth blind part's classes (saved news pages of 2005 and 2017) and the second's: a
# slideshow's captions (one caption in a row per slide), captions credited without parentheses, kicker teasers
# and gallery pointers between paragraphs, tags on one line, a video box of another story, the AP's reporting
# credits, a portal's byline with the time it was read, time stamp labels, an About heading run into its
# description as a Markdown heading, a label with its standing links run in, an editor's note on the page's
# player; a Markdown heading holding a variable and a figure holding its caption are text.
# boilerplate-11: a newsletter's pointer to its web copy, a pointer block closing the page; at story level
# (tasks/stories.py) a box's heading over labels of its own, an empty section's mark, a lead-in to furniture.
# boilerplate-12: a release's "FOR FURTHER INFORMATION" contacts; a sign-off on lines of its own closing a
# post ("Enjoy." / "- The Click team", "- Jane Doe (Release Manager)").
# boilerplate-13: a news page's tool rows, story navigation links, box labels and comment-box lines
# (tasks/page_tools.py), found on L3S-GN1's dev half.
# boilerplate-14: the comments at either end of a readers' thread (the first under the thread's label where
# signatures close their comments, the last before the closing furniture where they open them), a signature
# whose place field is dots, a latest-news ticker above the story, a date stamp with a day's ordinal or the
# page's "updated" words (L3S-GN1's dev half).
# boilerplate-15: posts cross-posted between blogs (real-dev-xpost): a note saying where else the post is
# ("This blog post is also available at my personal website"), a closing formula alone near a post's end
# ("Happy Spydering!", "Thanks for reading!"); a comment inside a fenced code block ("# TODO: ...") is code,
# not an editor's placeholder.
# boilerplate-16: a team's signature as a post's last line, unmarked ("The Apache Click team"); an invitation
# to follow on social networks opened by a lead-in ("You can also follow the project on Twitter, ...").
# boilerplate-18: a post's standing notes (tasks/post_furniture.py: repost notes, content licences,
# invitations to follow or subscribe, disclaimers, a blog theme's lines, an author's bio closing a post); an
# About heading with its issuer's acronym closing a release ("About The Apache Software Foundation (ASF)").
# boilerplate-19: a paragraph of Markdown link reference definitions only ("[spec]: https://..."): markup a
# reader never sees (tasks/post_furniture.py); footnotes render and stay text.
# boilerplate-20: a decimal before a quantity ("21.334 billion dlrs", "6.18 pct") is a template's fact, not a
# version string: a wire's templated report of another day is filled with other figures (real-dev-wire).
BOILERPLATE_VERSION = "boilerplate-20"

# The label of a block of pointers elsewhere (a strong rule below; boilerplate-11 takes the block under it).
_POINTERS_LABEL = (
    r"^(#{1,6}\s*)?(see also|(additional|more|other|related) resources|"
    r"related (links|articles|stories|posts|reading|content)|further reading|useful links)\s*:?$"
)
# Each of these on its own marks a paragraph as page furniture. Each rule comes with words of which any text
# it matches holds one (lower-cased): a case-insensitive regex costs ~10 us a paragraph, a substring search
# over a whole batch far less, so a rule runs only on the few paragraphs that hold one of its words. In the
# batch every text follows a line break: a word starting with one stands for the start of a text.
_RULES = [
    (
        ("©", "(c)", "@", "all rights reserved", "copyright"),
        # A copyright notice starts with it (however long its terms run) or is short: a clause of a terms page
        # that names the owner's copyright mid-paragraph is not one.
        r"^\W{0,3}(©|\(c\)\s*\d{4}|copyright\s*(©|\(c\))?\s*\d{4})|^copyright\W*(\d{4}([-–]\d{2,4})?\W*)?$|"
        r"^(?=.{0,200}$).*?"
        r"(©|\(c\)\s*\d{4}|@\s?\d{4}\s*[-–]|\ball rights reserved\b|\bcopyright (\(c\) )?\d{4}\b)",
    ),
    (
        ("\nthis ", "\nthe "),
        r"^(this|the) (article|story|piece|report|post|essay) (was|is|first|originally) "
        r"(produced|published|appeared|republished|written|distributed)",
    ),
    (("published", "appeared"), r"\b(originally|first) (published|appeared) (in|on|at|by)\b"),
    # "Posted" only where the text names itself: "The video was first posted on X" is news.
    (
        ("posted",),
        r"^[\W_]{0,2}this (article|story|piece|report|post|essay) (was |is )?(originally|first) posted "
        r"(in|on|at|by)\b",
    ),
    # A cross-post note ("*This post has been [cross-posted on the R-hub blog](…)*", "***Cross-posted on
    # [rOpenSci](…)***"): where else the piece is printed, not its text. Short lines only.
    (
        ("cross-posted", "crossposted", "cross posted"),
        r"^[\W_]{0,4}(this (post|article|piece|entry) (has been |was |is )?(also )?)?"
        r"\[?cross[- ]?posted (on|to|from|at|with)\b(?=.{0,200}$)",
    ),
    # boilerplate-15: a note saying where else the post is printed ("#### NOTE: This blog post is also
    # available at my [personal website](…)", "A version of this post first appeared on <blog>"), as an
    # author's copy on a project blog carries it. Short lines only: "The report is also available in Spanish"
    # names no post, and a long paragraph naming where else it ran is the text's.
    (
        ("also available", "also published", "also posted", "also appears", "version of this"),
        r"^(?=.{0,300}$)[\W_]{0,8}((editor['’]?s )?note:?[\W_]{0,3})?"
        r"((this|the) (blog ?)?(post|article|piece|entry|write-?up) (is|was|has been) also "
        r"(available|published|posted) (at|on|in)\b|"
        r"an? (earlier |longer |shorter )?version of this (blog ?)?(post|article|piece|entry) "
        r"(also |first |originally )?(appeared|appears|was published|was posted) (at|on|in)\b)",
    ),
    # A release's pointers to its issuers: "Learn more about the U.S. Digital Service at: <link>", or as a
    # list item of links ("- Learn more about the [Node.js Foundation](…) and [its members](…)").
    (
        ("learn more about", "find out more about"),
        r"^(learn|find out) more about\b.{1,120}?\bat:?\s*[<\[(h]|"
        r"^[-*•]\s*(learn|find out) more about\b.{0,80}\[",
    ),
    # The heading of a block of pointers elsewhere ("See Also", "Additional Resources", "Related links"): the
    # page's navigation, not the story's structure, whether or not it is written as a Markdown heading.
    (("see also", "resources", "related ", "further reading", "useful links"), _POINTERS_LABEL),
    # The ASF's release template: its download-and-governance paragraph, in every Apache project's release.
    (
        ("availability and oversight", "self-selected team"),
        r"^availability and oversight\b|\bis overseen by a self-selected team of active contributors\b",
    ),
    # A wire service's terms printed under every story it moves, and its funding disclosures.
    (
        ("may not be published", "solely responsible", "trust principles"),
        r"\bmay not be (re)?published, broadcast, rewritten,? or redistributed\b|"
        r"\bis solely responsible for all content\b|^our standards:? the thomson reuters trust principles\b",
    ),
    # Who reported, wrote and edited a wire story, as its last line: "(Reporting by Jane Doe; Editing by Bo
    # Chen)", "Associated Press writer Sam Lee in Paris contributed to this report."
    (
        ("reporting by", "writing by", "editing by", "contributed", "reported from", "reporting from"),
        r"^\((additional )?(reporting|writing|editing) by\b[^()]{0,300}\)\.?$|"
        r"^(additional )?(reporting|writing) by\b[^;]{1,80};.{0,240}\bediting by\b.{0,80}$|"
        r"^(?=.{0,240}$).*\bcontributed( reporting)? to this (report|story|article)\.?$|"
        # boilerplate-9: the AP's other forms, as a story's last line: "Olsen reported from Copenhagen,
        # Denmark. Matti Huuhtanen and Jari Tanner in Helsinki, Finland, contributed.", "With reporting by
        # RFE/RL's Radio Free Afghanistan, Reuters, AFP and AP". A name, "reported from" and a place, or
        # names "in" a capitalised place, then "contributed"; "With reporting by" a capitalised source.
        r"^(?=.{0,300}$)(?-i:[A-Z][\w'’-]+(?: [A-Z][\w'’.-]+){0,3}) reported from (?-i:[A-Z])[^.!?]{1,60}\.|"
        r"^(?=.{0,300}$)(?-i:[A-Z]).*\bin (?-i:[A-Z])[\w .'’-]{1,40}(, (?-i:[A-Z])[\w .'’-]{1,40})?,? "
        r"contributed( reporting)?\.?$|"
        r"^with (additional )?reporting (by|from) (?-i:[A-Z])[^.!?]{0,200}\.?$",
    ),
    # Press-release wires' own lines: PR Newswire's "SOURCE Acme Corp." and its multimedia links.
    (
        ("\nsource ", "view original content", "\nphoto - ", "\nlogo - ", "prnewswire", "globe newswire"),
        r"^(?-i:SOURCE [A-Z])\S*( \S+){0,8}$|^view original content( to download multimedia)?:?\s|"
        r"^(photo|logo|video) - https?://\S+$|"
        r"^/?\(?(pr ?newswire|globe ?newswire|business ?wire)\)?/? ?(--|—)?$",
    ),
    # A comment form's terms ("We welcome your comments on this story. Comments are submitted for possible
    # publication ...", "Comments are moderated by our editors, ..."), and a links box's disclaimer ("The BBC
    # is not responsible for the content of external internet sites"); boilerplate-8.
    (
        ("comments", "not responsible for the content"),
        r"^(?=.{0,600}$)(we welcome your comments\b|comments are (moderated|reviewed|submitted)\b|"
        r"(your|all) comments (are|will be) (moderated|reviewed)\b)|"
        r"\bis not responsible for the content of external (internet |web ?)?(sites|pages|links)\b",
    ),
    # A copyright line that opens with its owner's name and runs on with its terms ("Copyright Thomson
    # Financial News Limited 2007. All rights reserved. The copying, republication ..."); boilerplate-8.
    (
        ("copyright",),
        r"^\W{0,3}copyright\s+(©\s*)?(?-i:[A-Z])[^.]{0,80}\b(19|20)\d{2}\b\.?\s*all rights reserved\b",
    ),
    # A site's cookie notice, extracted with the page.
    (
        ("cookies", "continuing to use", "by using this", "privacy policy"),
        r"^(?=.{0,300}$).*?(\bwe use cookies\b|"
        r"\b(by )?(continuing to (use|browse)|using) this (site|website)\b.{0,80}\b(agree|consent|accept)\b|"
        r"\bagree to (our|the) (terms of (use|service)|privacy policy)\b)",
    ),
    # An opinion page's disclaimer.
    (
        ("expressed",),
        r"^(?=.{0,300}$).*?\b(views|opinions) expressed (here |in this [a-z]+ )?(are|is|do not|does not)\b",
    ),
    (
        ("permission", "arrangement"),
        r"\b(republished|reprinted) (here )?(with|by) (permission|arrangement)\b",
    ),
    # Donation words also occur in news ("a donation to the campaign"): only the appeal's phrasing counts.
    (
        ("donat", "contribution"),
        r"^donate|\bclick (here )?to donate\b|\bdonate (now|today|here|by|via|to (us|our))\b|"
        r"\b(your|a) (tax-deductible )?(donation|contribution) (to us|today|helps|supports|makes)\b",
    ),
    (("become a ",), r"\b(become|click here to become) a (subscriber|member|patron|supporter)\b(?! of\b)"),
    (
        # A sign-up box is short: in a long paragraph of the text ("…, and to hear from us, subscribe to our
        # RSS feed or our newsletter!" closing rOpenSci's 110-word notice) the invitation is the text's.
        ("subscribe ", "newsletter"),
        r"^(?=.{0,400}$).*?(\bsubscribe (now|today|to our)\b|\bsign up for (our|the) (free )?newsletter\b)",
    ),
    (
        ("journalism", "news", "reporting"),
        r"\b(support|fund) (our|independent|honest|quality) (journalism|newsroom|reporting|news)\b",
    ),
    (("make a ",), r"\bmake a (one-time|monthly|recurring) (contribution|gift|donation)\b"),
    (
        ("this article", "this story", "\nfollow us on"),
        r"^(share|tweet|email|print) this (article|story)\b|^follow us on\b",
    ),
    # Press releases: legal notices the issuer appends, which every outlet reprinting the release carries.
    (
        ("trademark", "property of"),
        r"\b(is|are) (a |the )?(registered )?(trademarks?|service marks?)\b.{0,40}\b(of|owned by)\b|"
        r"\b(trademarks|brand names|product names|marks)\b.{0,40}\b(are|remain) the (sole )?property of\b|"
        r"\bregistered trademarks? (or trademarks? )?of\b",
    ),
    (
        ("forward", "safe harbor", "safe harbour", "securities litigation"),
        r"^(cautionary (note|statement|language)s? (regarding|about|on|concerning) )?forward[- ]looking "
        r"(statements?|information)\b|\b(contains?|constitutes?|are|include|may make) (certain )?"
        r"forward[- ]looking statements\b|^safe harbou?r\b|\bprivate securities litigation reform act\b",
    ),
    (
        (
            "media contact",
            "press contact",
            "investor contact",
            "media relations",
            "press office",
            "\ncontact",
            "\nsource:",
            "for more information",
            "for further information",
        ),
        r"^(media|press|investor|analyst)s? (contacts?|relations|inquiries|enquiries)\b|"
        r"^contacts?( information| details)?:?$|^source:|"
        r"^for (more|further) information(,| about| on)? [^.]{0,60}\b(contact|visit|call|e-?mail)\b",
    ),
    # A standards body's mandated notices (IETF Internet-Drafts and RFCs: "Status of this Memo", "Copyright
    # Notice"), the same words in every document it publishes.
    (
        ("bcp 78", "internet-drafts are"),
        r"^this (internet-draft|document|memo) is (submitted in full conformance with|subject to) "
        r"(the provisions of )?bcp 78\b|^internet-drafts are (working|draft) documents\b",
    ),
    # A page's login and newsletter boxes, extracted as text when they sit inside the article markup.
    (
        ("sign up", "newsletter"),
        r"^(?=.{0,400}$).*?(\bsign up( now| today| here)? (for|to) (our|the|my|a) ([\w-]+ ){0,3}"
        r"(newsletters?|e-?mails?|alerts|briefings?|digest)\b|"
        r"\b(get|receive) (our|the) ([\w-]+ ){0,3}newsletter\b)|^newsletter( sign-?up)?:?$",
    ),
    # A newsletter's pointer to its copy on the web ("You can read this post [on our blog](…)", "View this
    # email in your browser", "Having trouble viewing this email?"), printed in every issue, most often inside
    # its standing greeting; boilerplate-11. Short paragraphs only: a long one naming the blog is the text.
    (
        ("read this ", "view this ", "trouble viewing", "trouble reading"),
        r"^(?=.{0,320}$).*?\b(read this (post|newsletter|e-?mail|issue|message|digest|edition) \[?"
        r"(on (our|the) (blog|website|site|web)|online|in (your|a|the) (web )?browser)|"
        r"view this (e-?mail|newsletter|message|issue|edition) \[?(online|in (your|a|the) (web )?browser|"
        r"on (our|the) (blog|website|site|web))|"
        r"having trouble (viewing|reading) this (e-?mail|message|newsletter))\b",
    ),
    # The next page of a paginated article, linked by its headline at the end of page 1.
    (
        ("next page", "continue reading", "continued on page", "\npage "),
        r"^(next page|continue reading|continued on page)\b|^page \d+ of \d+$",
    ),
]
# Short lines only: a login box's or a contact block's pieces, which in a sentence of news mean nothing.
_SHORT_WORDS = 12
_SHORT = re.compile(
    r"^(log ?in|sign ?in|log ?out|register|subscribe|password|username|e-?mail( address)?|remember me|next|"
    r"previous|more|continue|read more|learn more|find out more|more info)[\s:.!»>›]*$|"
    r"^(already (a )?(subscriber|member|registered)\b.*\?|not (yet )?a (subscriber|member)\b.*\?|"
    r"forgot (your )?(password|username|login)\b|create (a free |an |your )account\b|"
    r"(log|sign) ?in (here|now|to (your|read|continue|comment|access))\b|register (now|here|for free)\b|"
    r"subscribe (here|for|to read)\b|enter your e-?mail\b)|"
    r"\[page \d+\]$|"
    # Advertising slots, share and comment widgets, reading aids: a news page's furniture between paragraphs.
    r"^((story|article) continues (below|after) (the )?advertisement|advertisement|sponsored( content)?|"
    r"share( this( article| story| page)?)?|share on (facebook|twitter|x|linkedin|whatsapp|reddit|email)|"
    r"like this|loading\.*|print( this (page|article|story))?|back to top|leave a (comment|reply)|"
    r"comments? (are|is) closed|listen to (this|the) (article|story)|\d+ min(ute)?s? read|trending( now)?|"
    r"most (popular|read)|recommended( for you)?|more from .{1,40}|"
    # A box's label and a slideshow's or player's controls.
    r"videos?|photos?|gallery|photo gallery|slideshow|audio|now playing|video player|replay|autoplay|"
    r"(next|previous|prev) (slide|photo|image)|enlarge (this )?(image|photo)|(hide|show|toggle) caption|"
    r"expand|close|(image|photo|slide) \d+ of \d+|\d+ of \d+|you (may|might) also like|top stories|"
    r"up next|what to read next|don'?t miss|editor'?s picks?|"
    # boilerplate-8: a box's label ("Key points:", "ALSO", "Related to this story:", "RELATED INTERNET
    # LINKS:", "Article:"), a page's print, e-mail and comment links and the comment form's pieces.
    r"also|key points|updated|article|first posted|last updated|posted|published|first published|"
    r"in pictures|pictures|have your say|debate|your views|poll|quick links|"
    r"related|(more )?related (to this (story|article)|internet links|sites)|more on this (story|topic)|"
    r"e-?mail this( (article|story|page))?( to a friend)?|send this (article|story|page) to (a )?friends?"
    r"( by e-?mail)?|printer[- ]friendly (page|version)|print version|post a comment|add (a |your )?comment|"
    r"comments?( \(\d+\))?|limit: \d+ characters)[\s:.!»>›]*$|"
    r"^(?-i:\d+: [A-Z]{3,}( [A-Z]+)?)$|"
    r"^\[?\s*(back|return|go) to (the )?.{1,50}\b(home ?page|front page|index)\s*\]?$|"
    r"^(reuse|republish) (this )?(content|article|story)$|"
    r"^click to (share|email|print) .{0,60}$|^(follow|find) .{1,40} on (twitter|x|facebook|instagram|bluesky|"
    r"mastodon|threads|linkedin)\b.{0,40}$|\bdelivered (straight |directly )?to your inbox\b|"
    r"\bfor (unlimited|full|complete) (digital )?access\b|"
    r"^(send|submit|write) (us )?a letter to the editor\b|"
    r"^distributed by [A-Z].{0,60}$",
    re.IGNORECASE,
)
# A contact line: an e-mail address, or a line ending in a phone number. Not in a document's own list of its
# authors' addresses (an RFC's "Authors' Addresses" section), which is the document's text.
_ADDRESS_LINE = re.compile(
    r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b|(^|\s)(tel|phone|fax|mobile|t|m|p)?[.:]?\s?\+?\(?\d[\d ().-]{7,}\d$",
    re.IGNORECASE,
)
_AUTHORS_SECTION = re.compile(
    r"\bauthors?['’]?s?['’]? (addresses|contacts?|contact information)\b", re.IGNORECASE
)
# A blog's sign-off: a short exclamation or closing and the authors' names ("Happy Drilling! Tomer Shiran and
# Jacques Nadeau", "Drill On! Jacques Nadeau", "Cheers, Jane"). Flagged wherever it stands (a draft that
# prints the issuer's release after its own sign-off), never an anchor of the footer block.
_NAME = r"[A-Z][\w.'’-]*( [A-Z][\w.'’-]*){0,3}"
_SIGN_OFF = re.compile(
    rf"^(\w[\w'’]*( [\w'’]+){{0,2}}!|(cheers|thanks|thank you|regards|best( regards| wishes)?|sincerely|"
    rf"yours|enjoy),)\s+{_NAME}((,| and| &|, and) {_NAME})*\.?$",
    re.IGNORECASE,
)
_NAMES = re.compile(rf"{_NAME}((,| and| &|, and) {_NAME})*\.?")
# boilerplate-12: a sign-off on a line of its own closing a post: the signer's line ("- The Click team",
# "-- Jane Doe", "Dapeng Sun (Release Manager)"), under a closing word alone ("Enjoy.", "Cheers,") or marked
# as a signature by a dash or by the signer's role in parentheses.
_SIGNER = re.compile(
    r"^(?P<dash>[-–—]{1,2}\s*)?(?P<names>(?i:the )?[A-Z][\w.'’-]*( [A-Z][\w.'’-]*){0,3} (?i:team|developers|"
    r"community|maintainers)|.+?)(?P<role>\s+\([A-Z][\w .,&/-]{1,40}\))?\.?$"
)
_CLOSING_WORD = re.compile(
    r"^(enjoy|cheers|thanks|thank you|regards|best( regards| wishes)?|sincerely)[.!,]?$", re.I
)
# How far from a document's end a closing sign-off stands (a note may follow it: "Note: updated from 1.5.0").
_SIGN_OFF_TAIL = 3
# A credit line alone in its paragraph ("Interviewed by [Jane Doe](…).", "_Photos by Sam Lee_", "Edited by
# the Policy Team"): who made the piece, not its text. Short lines only ("Written by hand, the letter ..." is
# news).
_CREDIT = re.compile(
    r"^[_*]{0,2}(interviewed|written|reported|edited|compiled|translated|reviewed|produced|illustrated|"
    r"photographed|photos?|illustrations?|graphics|images?|text|words|reporting|interview)"
    # A credit names people or a team, capitalised ("by the Policy Team"): "Reporting by local newspapers has
    # exposed ..." is news.
    r"( and [a-z]+)? by:? (?-i:(the )?[\[_*]*[A-Z0-9@]).{0,120}$",
    re.IGNORECASE,
)
# The start of an issuer's block that runs on until the next heading: "About Acme Corp.", "Forward-looking
# statements". "About" only with a capitalised name, as a heading is written ("About 200 people ..." is news).
_ABOUT_HEADING = re.compile(
    r"^About (the |The )?[A-Z0-9][\w&.,'’()/-]*"
    r"( ([A-Z0-9&][\w&.,'’()/-]*|and|of|for|de|the|in|on|plc|inc\.?|ltd\.?|llc|gmbh|s\.a\.|co\.)){0,7}:?$"
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+")
_PROSE_BLOCK = re.compile(
    r"^((cautionary (note|statement|language)s? (regarding|about|on|concerning) )?forward[- ]looking "
    r"(statements?|information)|safe harbou?r( statement)?|notes? to editors|disclaimer|legal notice)[:.]?$",
    re.IGNORECASE,
)
# Template leftovers: a paragraph that is mostly template tags ("{{ post.analytics }}", "{% endif %}", a blog
# engine's "[%title]"). A sentence with a variable inside ("the [release]({{ site.baseurl }}/blog)") is text,
# not a leftover.
# `${{ matrix.os }}` is a CI workflow's expression (GitHub Actions) in a post's code block, not a tag.
_TEMPLATE = re.compile(r"(?<!\$)\{\{.*?\}\}|\{%.*?%\}|\$\{[\w.]+\}|\[%[\w.]+\]")
_TEMPLATE_WORDS = 6
# A static-site generator's front matter (YAML `---` or TOML `+++`), the first paragraph of a .md file, and
# HTML comments (linter directives) a reader of the rendered page never sees.
_FRONT_MATTER = re.compile(r"^(---|\+\+\+) ?[\w-]+ ?[:=]")
# Front matter's last lines left in the body by a site migration ("expirydate: 2025-01-01" and the closing
# `---`): a short paragraph opening with a key, closed by the delimiter.
_FRONT_MATTER_END = re.compile(r"^[\w-]+ ?[:=](?=.{0,300}$).*\s(---|\+\+\+)$", re.DOTALL)
# A horizontal rule alone (`---`, `***`, `___`, `<hr />`): markup between sections, not text. Flagged but no
# anchor of the footer block, for the same reason as figures.
_RULE_LINE = re.compile(r"^(-{3,}|_{3,}|(\* ?){3,}|<hr\s*/?>)$", re.IGNORECASE)
_COMMENT = re.compile(r"^<!--.*-->$")
# HTML markup alone (a Markdown page's `<div class="notice">` ... `</div>` wrappers, `<br>`): no text a reader
# reads. Markup around an image or an embed is a figure, which the figure rule judges.
_MARKUP = re.compile(
    r"^(?!.*<(img|picture|video|audio|iframe|object|embed|svg)\b)"
    r"(\s*(<!--.*?-->|</?[a-zA-Z][\w-]*(\s[^<>]*)?/?>))+\s*$",
    re.DOTALL | re.IGNORECASE,
)
# An editor's placeholder left in a draft ("TODO: photo of the team", "TK: quote"), never text of the piece.
# Not inside a fenced code block, where "# TODO: ..." is a comment of the code (boilerplate-15).
_PLACEHOLDER = re.compile(r"^[\W_]{0,3}(TODO|TBD|FIXME|TK)\b\s*:")
_FENCE = re.compile(r"```|~~~")
# A news page's pointers to other stories between paragraphs ("Related: <headline>", "READ MORE: ..."), its
# photo credits ("Photo: Jane Doe/AP", "(AP Photo/Jane Doe)"), its time stamps ("Updated 3:45 PM ET, May 6"),
# and its rows of links ("Terms of Use | Privacy Policy | Contact Us", "Posted in Politics | Tagged budget").
_POINTER = re.compile(
    r"^(related|read more|read also|also read|more|watch|listen|recommended|further reading|see more)"
    r"( (stories|articles|coverage|content|links|reading))?\s*:\s*\S.{0,300}$|"
    r"^(follow|read) ([\w.&-]+['’]s |our |more of our )?(full |complete |live |latest |ongoing )?coverage\b|"
    r"^click here( to (read|see|learn|find out) more)?\W*$",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(
    r"^\(?((ap|afp|reuters|getty|epa|upi)\s)?(photo|image|photograph|picture|credit|illustration|graphic)s?"
    r"( by| credit)?\s*[:/]\s*\S.{0,100}$",
    re.IGNORECASE,
)
_TIMESTAMP = re.compile(
    r"^((updated|published|posted|last (updated|modified)|first published)( on| at)?:?\s)?(?=.{0,80}$)"
    r"(?P<when>.*\d.*)$",
    re.IGNORECASE,
)
# A page's header line run together by the extractor: section, headline, byline and a date stamp last
# ("Semiconductors In Chips, Two Cores Are Better Than One Arik Hesseldahl, 08.24.04, 6:00 AM ET").
_STAMPED_HEADER = re.compile(
    r"^[^.!?]{10,200}, (\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2})"
    r"(,? \d{1,2}[:.]\d{2} ?([ap]\.?m\.?)?( [A-Z]{2,4})?)?$",
    re.IGNORECASE,
)
# "Follow Calla Cofield @callacofield. Follow us @Spacedotcom, Facebook and Google+.", and with a lead-in
# (boilerplate-16): "You can also follow the project on Twitter, Facebook and Google+." (paragraphs of 25
# words at most, as every rule of its function).
_FOLLOW = re.compile(
    r"^((you|readers) can (also )?|be sure to |don['’]?t forget to |please |and )?"
    r"follow (us|[a-z][\w.'’-]*( [a-z][\w.'’-]*){0,3}) (@\w|on (twitter|x|facebook|instagram))",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^[\s\-–—•·*_=~|]+$")
# A photo's caption as wire services write it, its credit in parentheses last ("Protesters march in Kabul on
# Friday. (AP Photo/Rahmat Gul)", "… (Photo: Jane Doe/Reuters)", "… (Getty Images)").
_CAPTION = re.compile(
    r"(?<!\])\((?=[^()]*\s)(ap|afp|reuters|epa|upi|getty|ani|xinhua|aap)?\s?(photos?|images?|pictures?)?"
    r"\s?(/|:|by)?\s?"
    r"[^()]{0,80}\b(photo|images?|pictures?|getty|reuters|afp|ap|epa|shutterstock|file)\b[^()]{0,60}\)$",
    re.IGNORECASE,
)
# boilerplate-9. A caption whose credit follows its last sentence without parentheses, as a site's slideshow
# prints it ("... three of five spacecraft docked to the station. Photo credit/NASA", "... in 2016. Photo:
# Jane Doe / Example Times", "... Image courtesy of NASA").
_CAPTION_CREDIT = re.compile(
    r"[.!?][\"'’”]?\s+(photo|image|picture|photograph|video)s?( credit)?\s*[:/|]\s*"
    r"(?-i:[A-Z])[\w .,&/'’-]{1,50}$|"
    r"[.!?][\"'’”]?\s+(photo|image|picture|photograph)s? (courtesy( of)?|by) (?-i:[A-Z])[\w .,&/'’-]{1,50}$",
    re.IGNORECASE,
)
# A teaser of another story set between a story's paragraphs under a kicker of capitals ("LOOKING AHEAD: NASA
# has positive message for the future", "DISTANT LIFE: Harvard scientists theorize ..."): a headline, no
# sentence end. A label alone ("NOTES:") or a label before a sentence ("UPDATE: Police have arrested a man.")
# is not one.
_KICKER_TEASER = re.compile(
    r"^(?-i:[A-Z][A-Z'’&.-]+(?: [A-Z][A-Z'’&.-]+){0,3}): (?-i:[A-Z0-9‘'\"“])[^.!?:]{5,150}[^.!?:;,\s]$"
)
# A pointer to a gallery or slideshow beside the story (">>>Scroll through the gallery to see NASA's costliest
# missions", "Click through the slideshow for ...", "See the gallery above").
_GALLERY_POINTER = re.compile(
    r"^[>»›\W]{0,4}\s*((scroll|click|swipe|flip|page|browse) (through|down|below|ahead|on)|"
    r"(see|view) (the|our|more))\b"
    r".{0,60}\b(gallery|galleries|slideshows?|slides|photos|pictures|images)\b",
    re.IGNORECASE,
)
# A page's tags on one line after their label ("Topics: unrest-conflict-and-war, terrorism, afghanistan").
_TAG_LINE = re.compile(
    r"^(topics?|tags?|tagged( with)?|filed under|categories|keywords|related topics)\s*:\s*"
    r"[^.!?,;:]{1,40}(,\s*[^.!?,;:]{1,40})+$",
    re.IGNORECASE,
)
# A video box's title with the video's length run into it ("Fears for sugarcane crop after Cyclone
# Debbie1:21"): the extractor joined the title and the player's duration label.
_VIDEO_TITLE = re.compile(r"^(?-i:[A-Z0-9‘'\"“])[^.!?]{5,150}?[^\W\d_]\d{1,2}:\d{2}$")
_SLIDESHOW_RUN = 3  # the same caption this many times in a row: one per slide of a gallery
# A label of standing links and the list of links run into it (_is_link_list).
_LINK_LIST = re.compile(
    r"^(#{1,6}\s*)?(resources|(useful|quick|important|more|project|related) (links|resources)|links|"
    r"find us|get in touch|connect with us|stay (connected|in touch))\s*:?\s+(?P<items>[-*•]\s.*)$",
    re.IGNORECASE | re.DOTALL,
)
_LINK_ITEM = re.compile(
    r"(\[[^\]]{1,60}\]\([^)\s]+\)|[\w .&'’/()-]{1,40}:\s*<?https?://\S+?>?|<?https?://\S+?>?)"
    # and a note on it holding another link ("Slack: https://… (Join: https://…)")
    r"( \((?=[^()]{0,100}https?://)[^()]{1,100}(\([^()\s]+\))?\))?"
)
# A page's tags closing it with no label, split by commas ("Asteroids, ceres, dawn, dwarf planets, Featured"):
# short items, no sentence end, no "and" before the last one (a sentence's list has one).
_CLOSING_TAGS = re.compile(r"^[^\W_][\w'’ -]{0,30}(, [^\W_][\w'’ -]{0,30}){2,}$")
# A byline alone: "By JANE DOE, Associated Press", "By Jane Doe and Sam Lee | Reuters", "By The Associated
# Press".
_BYLINE_NEWS = re.compile(
    r"^[Bb][Yy] (the )?[A-Z][\w.'’-]*( [A-Z][\w.'’-]*){0,3}"
    r"((,| and| &|, and) [A-Z][\w.'’-]*( [A-Z][\w.'’-]*){0,3})*"
    r"(\s?[,|•–—-]\s?[A-Z][\w .'’-]{1,40})?"
    # boilerplate-9: the time the page was read, as a portal prints it ("... Associated Press Writer 1 hour,
    # 41 minutes ago").
    r"( \d{1,2} (second|minute|hour|day|week)s?,?)*( ago)?$"
)
# Where a story came from, in brackets at its end ("[via Daily Express]").
_VIA = re.compile(r"^[\[(]?via [A-Z][\w .&'’-]{1,60}[\])]?\.?$")
# boilerplate-8. A teaser of another story in a list of them: its headline, then its date and section in
# parentheses ("Berbatov could leave, says agent (31 Dec 07 | Tottenham Hotspur )") or after a dash ("Old Time
# Hockey Is A Lovely Game - March 28, 2017"); the headline has no sentence end of its own.
# A month's name (template_key masks them; time stamps are made of them).
_MONTH = re.compile(
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY_MONTH = (
    rf"(\d{{1,2}}(st|nd|rd|th)? {_MONTH.pattern} \d{{2,4}}|"
    rf"{_MONTH.pattern} \d{{1,2}}(st|nd|rd|th)?,? \d{{4}}|"
    r"\d{1,2}[./]\d{1,2}[./]\d{2,4})"
)
_TEASER = re.compile(
    rf"^[-•*]?\s*[^.!?()]{{5,150}}?(\s\({_DAY_MONTH}\s*(\|\s*[^()|]{{1,40}})?\)|\s[-–—]\s{_DAY_MONTH})$",
    re.IGNORECASE,
)
# A page's time stamp run into the headline after it ("Monday, 31 December 2007, 10:46 GMT Benitez lines up
# transfer targets"): the stamp first, then a headline with no sentence end.
_STAMP_THEN_HEADLINE = re.compile(
    rf"^((mon|tues|wednes|thurs|fri|satur|sun)day,? )?{_DAY_MONTH},? \d{{1,2}}[:.]\d{{2}}( ?[ap]\.?m\.?)?"
    r"( [A-Z]{2,4})? [^.!?]{3,150}$",
    re.IGNORECASE,
)
# A byline's pieces when the page's markup cuts it: "By" alone, the agency alone under it, a wire writer's
# title ("AP Golf Writer", "Associated Press Writer"); the AP's slug with the time the story moved
# ("AP-ES-01-10-08 0607EST"); a wire desk's credit alone ("Reuters/Nielsen").
_AGENCY = (
    r"(the )?(associated press|ap|reuters|afp|agence france-presse|upi|press association|pa|aap|sapa|nzpa|"
    r"canadian press|bloomberg|dpa|ani|pti|xinhua)"
)
_BYLINE_PIECE = re.compile(
    rf"^(by:?|{_AGENCY}\.?|(?-i:(AP|Associated Press|Reuters|AFP)( [A-Z][a-z]+){{0,2}} "
    r"(Writer|Correspondent|Reporter|Editor)s?)|(?-i:AP-[A-Z]{2}-\d{2}-\d{2}-\d{2,4} \d{4}[A-Z]{2,4})|"
    r"(?-i:(Reuters|AP|AFP)/[A-Z][\w.&'’ -]{1,40}))$",
    re.IGNORECASE,
)
# A site's promotion of its own services between or after a story's paragraphs ("News24 is now available on
# your cellphone.", "Click here to get News24 headlines on your Facebook profile.", "WIN a plasma TV - just
# sign up now for our fantasy cricket game", "Don't miss out - sign up today.", "Search for more stories on
# this topic on Newstext, our news archive service. Click here"), a pointer to a video or page elsewhere
# ("Watch the duet ... here.").
_PROMOTION = re.compile(
    r"\bis now available on (your )?(cell ?phone|mobile( phone)?|phone|iphone|ipad|kindle)\b|"
    r"^click here to (get|receive|sign up|subscribe|join|follow|add|download|see|watch|view|read)\b|"
    r"\bclick here\W*$|^win\b.{0,120}\b(sign up|enter|register|subscribe)\b|"
    r"^don'?t miss (out|it)\b.{0,40}\b(sign up|subscribe|register|enter)\b|"
    r"^(watch|see|view|listen to|hear) (the |our |a |an |this |his |her |their )?[^.!?]{1,120}\bhere\b[.!]|"
    # boilerplate-9: an editor's note on the page's player ("The full sketch will be added when video becomes
    # available; watch a clip above.").
    r"\b(watch|see|view) (a|the|our|this) (clip|video|trailer|footage)s? (above|below)\b|"
    r"\bwill be (added|posted|embedded) (here )?(when|once) (the )?video (becomes|is) available\b",
    re.IGNORECASE,
)
_PROMOTION_STARTS = ("click here", "win", "don", "watch", "see", "view", "listen", "hear")
_TEASER_ENDS = frozenset(")0123456789")
_STAMP_STARTS = frozenset(
    "mon tue wed thu fri sat sun jan feb mar apr may jun jul aug sep oct nov dec".split()
)
# A readers' comment's signature ("Posted by: JJ of Sydney 11:51am January 14, 2008"): who wrote the comment
# above it, and when.
_COMMENT_SIGNATURE = re.compile(
    # A name's place field left as a row of dots ("Posted by: King Eric, ......... on 9:19pm") is no sentence.
    r"^(posted|submitted|written|comment) by:? ([^.!?]|\.{3,}){1,80}?"
    r"\b\d{1,2}[:.]\d{2}\s?([ap]\.?m\.?)?\b.{0,40}$",
    re.IGNORECASE,
)
# A headline as a page lists other stories, as a list item: capitalised, no sentence end, no link syntax.
_TEASER_LINE = re.compile(r"^[-•*]\s*(?-i:[A-Z0-9‘'\"“])[^\[\]()<>{}|]*[^.!:;,\s]$")
_TEASER_RUN = 3
_THREAD_SIGNATURES = 3
# boilerplate-14: the label over a thread of readers' comments ("Comments", "Readers' comments (12)", "Have
# your say"), and a latest-news ticker's item: a headline with the clock time it was posted, as a list item
# ("- Flash flood watch issued for New Orleans area 3:32 p.m. CT").
_THREAD_LABEL = re.compile(
    r"^(\d+\s+)?((readers?'?|user|visitor)\s+)?(comments?|responses?|reactions?)(\s*\(\d+\))?\s*:?$|"
    r"^(your (views|say|comments)|have your say)\b.{0,40}$|"
    r"^(\d+\s+)?comments? (on|to) (this|the) (story|article|entry|post)\W*$",
    re.IGNORECASE,
)
# A comment's signature in the other forms of 2008's comment systems, read only as one of a thread of three or
# more (alone, each may be a post's own byline): "Comment by Jane — January 5, 2008 @ 10:30 am", "Posted
# on 01/05/2008 by Jane", "By Jane on January 5, 2008", "Jane says: January 5, 2008 at 10:30 am", "Jane
# wrote on 5 January 2008:".
_WHEN = rf"({_DAY_MONTH}|\d{{1,2}}[:.]\d{{2}}\s?([ap]\.?m\.?)?)"
_THREAD_SIGNATURE = re.compile(
    rf"^(posted|submitted|written|comment(ed)?|added|sent|by|from)\b:?[^!?]{{0,80}}?\b{_WHEN}[^!?]{{0,40}}$|"
    rf"^[^.!?:]{{1,60}}? (says|said|wrote|writes)( on)?:?\s*{_WHEN}"
    r"(,?\s*(at|@|-)?\s*\d{1,2}[:.]\d{2}\s?([ap]\.?m\.?)?)?\s*:?$",
    re.IGNORECASE,
)
# The most paragraphs between two signatures of one thread (a comment's own paragraphs and tool rows).
_COMMENT_GAP = 12
_TICKER_ITEM = re.compile(
    r"^[-•*]\s*(?-i:[A-Z0-9‘'\"“])[^.!?|]{5,150}\s\d{1,2}:\d{2}\s?[ap]\.?m\.?(\s[A-Z]{1,4})?$",
    re.IGNORECASE,
)
_TICKER_RUN = 2
# A site's menu the extractor kept as paragraphs: four labels or more in a row, each a word or two with no
# sentence end and no list marker ("Channels" / "News" / "People" / "Resources" / "Links").
_MENU_LABEL = re.compile(r"^(?-i:[A-Z])[\w&'’-]*( [\w&'’-]+)?:?$")
_MENU_RUN = 4
# A list item pointing at the story's media box or another page's media: "- Video: See footage of the
# rescue", "- Document: Read the court order", "- Photos: The flood in pictures" (boilerplate-14).
_MEDIA_POINTER = re.compile(
    r"^[-•*]\s*(video|photos?|pictures|gallery|slideshow|document|audio|graphic|map|interactive|timeline|"
    r"podcast|poll)s?\s*:\s*\S.{3,150}$",
    re.IGNORECASE,
)
_MEDIA_POINTER_WORDS = 20
# Teasers a box lists under the kind of page each leads to, in capitals ("NEWS Apple store is down!",
# "REVIEW Edifier M3200 PC speakers"); three or more in a row (boilerplate-14).
_KIND_TEASER = re.compile(
    r"^[-•*]?\s*(NEWS|REVIEWS?|VIDEOS?|FEATURES?|BLOGS?|GALLERY|PHOTOS|INTERVIEWS?|PREVIEWS?|OPINION|"
    r"ANALYSIS|PODCASTS?|GUIDES?|HOW TO) (?=[A-Z0-9‘'\"“])[^|]{3,120}$"
)
_KIND_TEASER_RUN = 3
_KIND_WORDS = 16
# A teaser of another story as a box lists it, its machine time stamp run in between its headline and its
# summary ("360 Degrees: Unified Communications, Part 4 22/12/2007 11:58:43 360 Degrees is a special ..."):
# a headline with no sentence end, a numeric date and a clock time, then the summary.
_STAMPED_TEASER = re.compile(
    r"^(?-i:[A-Z0-9‘'\"“])[^.!?]{8,150}?\s(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s\d{1,2}:\d{2}(:\d{2})?"
    r"(\s?[ap]\.?m\.?)?\s+\S.{10,}$",
    re.IGNORECASE,
)
_STAMPED_TEASER_WORDS = 60
# A story's opening stretch: the ticker stands above it, before any paragraph of this many words.
_STORY_WORDS = 20
# A box whose label invites the reader's view, and the question under it ("606: DEBATE" / "What players do
# Liverpool need to sign?").
_DEBATE_BOX = re.compile(
    r"\b(debate|have your say|your views|poll|vote|talkback|tell us|what do you think)\b", re.IGNORECASE
)
_POINTERS_LABEL_RE = re.compile(_POINTERS_LABEL, re.IGNORECASE)
_CLOSING_POINTERS = 3  # the most pointers under a label closing the page
_POINTER_WORDS = 40
# The label of a box of links to other pages ("RELATED INTERNET LINKS:", "Related to this story:").
_RELATED_LABEL = re.compile(
    r"^(more )?related( to this (story|article)| internet links| links| sites| stories| articles)?\s*:?$|"
    r"^(elsewhere on the web|more on this (story|topic)|quick links|also|in this section)\s*:?$",
    re.IGNORECASE,
)
# A row of a site's navigation: five or more short links split by "|" ("News: ePaper | Front Page | National
# | ..."), whatever they name.
_NAV_ITEMS = 5
_NAV_ITEM = re.compile(r"([\w:^©&'’.,/-]+ ?)*[^\W\d_][\w:^©&'’.,/-]*( [\w:^©&'’.,/-]+)*", re.UNICODE)
# An invitation to the comments ("Debate about it in the comments below"), and a tune-in line of
# entertainment news ("X is in cinemas now.", "X airs on NBC Saturdays at 11:35 p.m. ET.").
_COMMENTS = re.compile(
    r"\b(debate|discuss|sound off|let us know|tell us|share your thoughts|leave your thoughts|"
    r"join the (conversation|discussion)|talk about it)\b.{0,80}\bthe comments\b",
    re.IGNORECASE,
)
_TUNE_IN = re.compile(
    r"\b((is|are) now (playing|showing)|(is|are) (now )?(out )?in (cinemas|theaters|theatres)( now)?|"
    r"in (cinemas|theaters|theatres) now|airs (on|at) .{1,40}\bat \d{1,2}(:\d{2})? ?[ap]\.?m\b)",
    re.IGNORECASE,
)
# A label over a page's list of tags ("More about:", "Tags:", "Topics:").
_TAG_LABEL = re.compile(
    r"^[-*•]?\s*(more about|tags?|topics?|related topics|filed under|categories|keywords|more on)\s*:?$",
    re.IGNORECASE,
)
_TAG_ITEM = re.compile(r"^[-*•]\s*[^.!?:;,]{1,40}$")
# What a time stamp is made of besides its numbers: "Updated 3:45 PM ET, Mon May 6, 2024 by Jane Doe".
_WHEN_WORDS = re.compile(
    rf"^({_MONTH.pattern}|(mon|tue|wed|thu|fri|sat|sun)[a-z]*|[ap]m|[ap]\.m\.|et|est|edt|ct|cdt|pt|pst|pdt|"
    # boilerplate-14: a day's ordinal ("January 6th, 2008"), a page's own stamp words ("Page updated at").
    r"gmt|utc|bst|cet|cest|on|at|of|the|st|nd|rd|th|page|updated|last)$",
    re.IGNORECASE,
)
_LINK_ROW = re.compile(
    r"^[^|•·]{1,40}([|•·][^|•·]{1,40}){2,}$|^posted in [^|]{1,60}\|\s*tagged\b", re.IGNORECASE
)
_LINK_ROW_WORDS = re.compile(
    r"\b(privacy|terms|contact( us)?|about us|advertise|careers|cookies?|sitemap|tagged|posted in|subscribe|"
    r"rss|newsletters?|accessibility)\b",
    re.IGNORECASE,
)
# A byline alone in its paragraph ("*Authors: Kari L. Jordan, Erin Becker, ...*"): who wrote the piece.
_BYLINE = re.compile(
    r"^[_*]{0,3}(authors?|by|written by|posted by)\s*:\s*(?P<names>[^:]{1,300}?)[_*.]{0,3}$", re.IGNORECASE
)
# A figure: a Markdown image, an HTML <img>, a Jekyll image tag (`{% image "a.jpg" "alt" %}`) or a Hugo
# shortcode (`{{< legacy-img src="a.jpg" >}}`). A paragraph of figures only (and the links, <center> or
# <figure> around them) is a placeholder, no text a reader reads (a licence or build badge, a photo); with a
# caption beside it, it is text. Flagged, but it never anchors the footer block: a post's photos stand
# between its paragraphs.
_FIGURE = re.compile(
    r"!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>|"
    r"\{%-?\s*(?:include\s+\S*)?(?:image|img|figure|picture|photo)\b.*?%\}|"
    r"\{\{[<%]\s*[\w/-]*(?:img|image|figure|picture|photo)[\w-]*\b.*?[>%]\}\}",
    re.IGNORECASE | re.DOTALL,
)
_FIGURE_WRAPPER = re.compile(
    r"</?(?:a|center|figure|div|p|span|picture|source)\b[^>]*>|\]\([^)\s]*\)|[\[\]]", re.IGNORECASE
)
# A caption held in the figure's markup: a shortcode's `caption="…"`, a `<figcaption>`, and (boilerplate-10) a
# Markdown image's title of three words or more (`![History](a.png "Milestones in the history of …")`, shown
# with the image as its caption; a one-word title, `"logo"`, is a name).
_FIGURE_CAPTION = re.compile(
    r"\bcaption\s*=\s*[\"']\W{0,3}\w|<figcaption\b|!\[[^\]]*\]\([^)\s]+\s+\"(?:[^\"\s]+\s+){2,}[^\"]*\"\)",
    re.IGNORECASE,
)
_FIGURE_WORDS = ("![", "<img", "img", "image", "figure", "picture", "photo")
# A contact block: the heading, then short lines (name, title, company, phone, e-mail) until prose resumes.
_CONTACT_BLOCK = re.compile(
    r"^((media|press|investor|analyst)s? (contacts?|relations|inquiries|enquiries)|contacts?( information)?|"
    # boilerplate-12: a release's "FOR FURTHER INFORMATION" over its press contacts, a heading alone.
    r"for (further|more) information( contact)?)"
    r"( for [^.]{1,40})?\s*:?$",
    re.IGNORECASE,
)
# "About Acme: Acme Corp. is a leading ..." with no heading of its own, or a heading run into its description
# ("About The Apache Software Foundation (ASF) Established in 1999, the all-volunteer Foundation ...").
_ABOUT_INLINE = re.compile(
    r"^About [A-Z][^.:\n]{0,60}(:|\s[-–—]\s)\s*\S|"
    r"^About [A-Z][^.!?\n]{0,80}?\s(Founded|Established|Headquartered|Based|Incorporated) in\b|"
    # "About Node.js Foundation Node.js Foundation is a collaborative ...": the heading's name opens the text.
    r"^About (the |The )?(?P<name>[A-Z][\w.&'’-]*( [A-Z][\w.&'’-]*){0,5}) "
    r"(the |The )?(?P=name) (is|was|are)\b"
)
# boilerplate-9: the same as a Markdown heading run into its description, the name with its acronym ("##
# About The Apache Software Foundation (ASF) The Apache Software Foundation (ASF) is the global home ...").
# It flags itself only and anchors no footer block: its description is in it, and a post's own closing lines
# ("We invite the community to join us ...") can stand between it and the press contact.
_ABOUT_RUN_IN = re.compile(
    r"^#{1,6}\s+About (the |The )?(?P<name>[A-Z][\w.&'’-]*( [A-Z][\w.&'’-]*){0,5})( \([A-Z]{2,8}\))? "
    r"(the |The )?(?P=name)( \([A-Z]{2,8}\))? (is|was|are)\b"
)
# Pieces of a line the extractor split (the year of "©", "2008", "Acme. All rights reserved."), end marks.
_FRAGMENT = re.compile(r"^[\W\d_]{1,12}$")
_END_MARK = re.compile(r"^((\\?#\s*){3,}|-\s?30\s?-|(\*\s*){3,})$")
_SENTENCE_END = re.compile(r"[.!?;][\"'’”)\]]*$")
_STRONG = [(words, re.compile(pattern, re.IGNORECASE)) for words, pattern in _RULES]
_BIO = re.compile(
    r"^([A-Z][\w.'’-]+ ){1,3}[A-Z][\w.'’-]+ (is|was|has been) (a|an|the)\b.{0,200}\b(writer|fellow|editor|"
    r"reporter|correspondent|journalist|author|columnist|contributor|professor|director|analyst)\b"
)


@dataclass(frozen=True)
class BoilerplateConfig:
    """Where in a document the rules look for a footer, and how repetition counts."""

    tail_start: float = 0.5  # bios and credits count only in the second half of a document
    max_heading_words: int = 10
    min_stories_repeated: int = 2
    min_stories_template: int = 3  # release templates: numbers masked, leads left out
    version: str = BOILERPLATE_VERSION


def is_boilerplate_by_rule(
    text: str, position: float, config: BoilerplateConfig = BoilerplateConfig()
) -> bool:
    """Whether a paragraph at relative `position` (0..1) in its document matches a boilerplate rule."""
    if _strong_matches([text])[0] or _is_template(text) or _COMMENT.match(text) or _is_figure(text):
        return True
    if len(text) <= 120 and _is_short_boilerplate(text):
        return True
    return position >= config.tail_start and bool(_BIO.search(text))


def _strong_matches(texts: list[str]) -> list[bool]:
    """Whether each text matches a strong rule; the rules' words are searched for in one pass of the batch."""
    lowered = [_lowered(t) for t in texts]
    joined = "\n" + "\n".join(lowered)
    # Where each text ends (at the line break after it): a word's last character lies inside its text.
    ends = list(accumulate(len(t) + 1 for t in lowered))
    candidates: list[set[int]] = [set() for _ in _STRONG]
    for last, rules in _strong_words().iter(joined):  # every occurrence, overlapping ones too
        text = bisect_right(ends, last)
        for rule in rules:
            candidates[rule].add(text)
    matched = [False] * len(texts)
    for (_, rule), found in zip(_STRONG, candidates, strict=True):
        for k in sorted(found):
            if not matched[k] and rule.search(texts[k]):
                matched[k] = True
    return matched


@cache
def _strong_words():
    """The strong rules' words as one Aho-Corasick automaton, each word with the rules (places in _STRONG) it
    stands for: a batch is read once for all of them, not once a word (91 words, 1.1 of a worker's 11 CPU s
    of preparing half the 10k corpus)."""
    import ahocorasick  # imported at use: a run with nothing new flags nothing

    rules: dict[str, list[int]] = defaultdict(list)
    for place, (words, _) in enumerate(_STRONG):
        for word in words:
            rules[word].append(place)
    automaton = ahocorasick.Automaton()
    for word, places in rules.items():
        automaton.add_word(word, tuple(places))
    automaton.make_automaton()
    return automaton


def flag_document(paragraphs: list[str], config: BoilerplateConfig = BoilerplateConfig()) -> list[bool]:
    """Flag a document's boilerplate paragraphs by rule.

    Footers come as a block (credit, appeal, buttons, copyright); the weaker lines inside it ("So do we.")
    match no rule, so everything between the first and last rule match in the document's tail is flagged too.
    """
    return flag_documents([paragraphs], config)[0]


# Texts met by this process, with whether each matches a strong rule; the cap keeps a long run's memory flat.
_STRONG_SEEN: dict[str, bool] = {}
_SEEN_CAP = 1 << 17


def flag_documents(
    documents: list[list[str]], config: BoilerplateConfig = BoilerplateConfig()
) -> list[list[bool]]:
    """`flag_document` for each document (its paragraphs) of a batch, the rules run over the batch at once."""
    texts = [p for paragraphs in documents for p in paragraphs]
    # The strong rules only on texts this process has not met: an outlet's furniture and a story's copies
    # recur within a batch and across the batches a worker prepares (a text's verdict is its own).
    if len(_STRONG_SEEN) > _SEEN_CAP:
        _STRONG_SEEN.clear()
    new = [t for t in dict.fromkeys(texts) if t not in _STRONG_SEEN]
    _STRONG_SEEN.update(zip(new, _strong_matches(new), strict=True))
    strong = [_STRONG_SEEN[t] for t in texts]
    flagged = []
    start = 0
    for paragraphs in documents:
        flagged.append(flags_from_rules(paragraphs, strong[start : start + len(paragraphs)], config))
        start += len(paragraphs)
    return flagged


def flags_from_rules(
    paragraphs: list[str], strong: list[bool], config: BoilerplateConfig = BoilerplateConfig()
) -> list[bool]:
    """A document's flags given which of its paragraphs match a strong rule: the rules that look at a
    paragraph's length, its place and its neighbours (short lines, bios, issuer blocks, split lines, the
    footer block)."""
    n = len(paragraphs)
    where = [i / max(n - 1, 1) for i in range(n)]
    flags = [
        strong[i]
        or _is_template(text)
        or (i == 0 and _FRONT_MATTER.match(text) is not None)
        or _FRONT_MATTER_END.match(text) is not None
        or (where[i] >= config.tail_start and _BIO.search(text) is not None)
        for i, text in enumerate(paragraphs)
    ]
    _flag_issuer_blocks(paragraphs, flags, config)
    # Short lines ("Next", "Log in"), comments and badges are flagged but do not anchor the footer block
    # below: a carousel's "Next" and a "Learn more" link, a linter's disable/enable comments, a README's
    # badges, stand around real text.
    anchors = list(flags)
    code = _in_code_fences(paragraphs)
    in_authors = False  # inside a document's own section of its authors' addresses
    lines, verdicts = _LINES_SEEN.setdefault(config, {}), _VERDICTS_SEEN
    # The cap is on the texts kept, not on the configurations: a worker meets millions of texts in a long run,
    # and each kept text stays in memory (at 200k documents the prepare step's peak).
    if len(lines) > _SEEN_CAP or len(verdicts) > _SEEN_CAP:
        lines.clear()
        verdicts.clear()
    for i, text in enumerate(paragraphs):
        line = lines.get(text)
        if line is None:
            line = lines[text] = _line_of(text, config)
        short, authors_heading = line
        if authors_heading:
            in_authors = True
        elif not short:
            in_authors = False
        if not flags[i]:
            verdict = verdicts.get(text)
            if verdict is None:
                verdict = verdicts[text] = _verdict_of(text, short)
            alone, placeholder, short_rule, address = verdict
            # The rules of the text alone, then those that read where it stands: a to-do line inside code is
            # code, an address line inside a document's own authors' section is theirs.
            if alone or (placeholder and not code[i]) or short_rule or (address and not in_authors):
                flags[i] = True
    _flag_closing_sign_off(paragraphs, flags)
    _flag_closing_formula(paragraphs, flags)
    flag_closing_bio(paragraphs, flags)
    _flag_slideshows(paragraphs, flags)
    _flag_tag_lists(paragraphs, flags)
    _flag_news_boxes(paragraphs, flags)
    _flag_comment_thread_ends(paragraphs, flags)
    _flag_opening_ticker(paragraphs, flags)
    _flag_menu_runs(paragraphs, flags)
    _flag_kind_teasers(paragraphs, flags)
    # A line the extractor cut into pieces: "©" / "2008" / "Acme. All rights reserved."; a release's "###".
    for i, text in enumerate(paragraphs):
        if not flags[i] and len(text) <= 12 and (_FRAGMENT.match(text) or _END_MARK.match(text)):
            if _END_MARK.match(text) or (i and flags[i - 1]) or (i + 1 < n and flags[i + 1]):
                flags[i] = True
    tail = [i for i, flag in enumerate(anchors) if flag and where[i] >= config.tail_start]
    if len(tail) >= 2:
        for i in range(tail[0], tail[-1] + 1):
            flags[i] = True
    return flags


# What flags_from_rules reads of a text alone (_line_of by configuration then text; _verdict_of, which reads
# no configuration, by text): a text's rules are its own, and a story's copies and an outlet's furniture
# recur in a worker's batches. Each holds at most _SEEN_CAP texts.
_LINES_SEEN: dict[BoilerplateConfig, dict[str, tuple[bool, bool]]] = {}
_VERDICTS_SEEN: dict[str, tuple[bool, bool, bool, bool]] = {}


def _line_of(text: str, config: BoilerplateConfig) -> tuple[bool, bool]:
    """(short, a heading of the document's own authors' section) of a paragraph."""
    short = len(text) <= 120 and _word_count(text) <= _SHORT_WORDS
    # Its word first: a search of the pattern costs more than all the other rules on most paragraphs.
    heading = "author" in _lowered(text) and _AUTHORS_SECTION.search(text) and _is_heading(text, config)
    return short, bool(heading)


def _verdict_of(text: str, short: bool) -> tuple[bool, bool, bool, bool]:
    """The per-paragraph rules on a text alone: (a rule of the text alone matches, an editor's placeholder
    (not one inside code), a short-line rule, an address line (not one in the authors' own section))."""
    alone = bool(
        _COMMENT.match(text)
        or _MARKUP.match(text)
        or _is_byline(text)
        or _is_news_furniture(text)
        or _RULE_LINE.match(text)
        or _is_figure(text)
        or (short and _is_sign_off(text))
        or (short and _CREDIT.match(text) is not None)
        or _is_link_list(text)
        or is_page_furniture(text)
        or _is_stamped_teaser(text)
        or is_reader_prompt(text)
        or is_post_furniture(text)
        or is_markdown_markup(text)
        or _is_open_tag_line(text)
        or (_word_count(text) <= _MEDIA_POINTER_WORDS and _MEDIA_POINTER.match(text) is not None)
        or (text[:1] == "#" and _ABOUT_RUN_IN.match(text) is not None)
    )
    placeholder = _PLACEHOLDER.match(text) is not None
    short_rule = short and _is_short_boilerplate(text, addresses=False)
    address = short and _is_short_boilerplate(text, addresses=True)
    return alone, placeholder, short_rule, address


def _is_template(text: str) -> bool:
    if ("{" not in text and "[%" not in text) or not _TEMPLATE.search(text) or _has_figure(text):
        return False
    left = _TEMPLATE.sub(" ", text)
    # A Markdown heading with words besides its variable ("### [%version] Changes:") is the document's heading
    # (boilerplate-9); one of the variable alone ("# [%title]") is a leftover.
    if _MARKDOWN_HEADING.match(text) and re.search(r"\w", _MARKDOWN_HEADING.sub("", left)):
        return False
    return len(left.split()) <= _TEMPLATE_WORDS


def _has_figure(text: str) -> bool:
    # Each figure _FIGURE finds opens with "![", "<img" or "{": prose holds none of them (no lower-case copy).
    if "[" not in text and "<" not in text and "{" not in text:
        return False
    lowered = text.lower()
    return any(map(lowered.__contains__, _FIGURE_WORDS)) and _FIGURE.search(text) is not None


def _is_figure(text: str) -> bool:
    """Whether a paragraph is figures only: nothing else once they and the markup around them are removed. A
    figure whose markup holds its caption (`caption="…"` in a shortcode, a `<figcaption>`) is a captioned
    figure, text as a figure with its caption beside it is (boilerplate-9)."""
    if not _has_figure(text) or _FIGURE_CAPTION.search(text):
        return False
    return not _FIGURE_WRAPPER.sub("", _FIGURE.sub("", text)).strip()


def _is_short_boilerplate(text: str, addresses: bool = True) -> bool:
    if _word_count(text) > _SHORT_WORDS:
        return False
    return _SHORT.search(text) is not None or (addresses and _ADDRESS_LINE.search(text) is not None)


@lru_cache(maxsize=_SEEN_CAP)  # a text's verdict is its own: the copies and furniture met again cost nothing
def _is_news_furniture(text: str) -> bool:
    """A news page's pointer to other stories or invitation to the comments (50 words at most), a photo's
    caption with its credit (60), photo credit, time stamp, header line, row of links, source note, follow
    line or tune-in line (25 words at most)."""
    words = _word_count(text)
    # _COMMENTS's own words first: a search of the pattern costs more than all the other rules here.
    if words <= 50 and (
        _POINTER.match(text) or ("the comments" in _lowered(text) and _COMMENTS.search(text))
    ):
        return True
    if words <= 60 and (
        ("(" in text and _CAPTION.search(text)) or (_credited(text) and _CAPTION_CREDIT.search(text))
    ):
        return True
    if words <= 25 and (
        _KICKER_TEASER.match(text)
        or _GALLERY_POINTER.match(text)
        or (text[-3:-2] == ":" and _VIDEO_TITLE.match(text))
    ):
        return True
    if words <= 40 and _TAG_LINE.match(text):
        return True
    if words <= 40 and _is_promotion(text):
        return True
    if _is_nav_row(text):
        return True
    if words > 25:
        return False
    if _PHOTO_CREDIT.match(text) or _STAMPED_HEADER.match(text) or _VIA.match(text):
        return True
    # A teaser ends in its date or a parenthesis; a stamp opens with a number, a day's or a month's name.
    if text.rstrip()[-1:] in _TEASER_ENDS and _TEASER.match(text):
        return True
    if (text[:1].isdigit() or text[:3].lower() in _STAMP_STARTS) and _STAMP_THEN_HEADLINE.match(text):
        return True
    if _COMMENT_SIGNATURE.match(text):
        return True
    if words <= 8 and _BYLINE_PIECE.match(text):
        return True
    if _FOLLOW.match(text) or (words <= 15 and _TUNE_IN.search(text)):
        return True
    if _SEPARATOR.match(text):  # a lone dash or bullet between paragraphs
        return True
    stamp = _TIMESTAMP.match(text)
    if stamp:
        # Numbers, month and day names, time zones; then at most "by" and a name.
        when = re.split(r"\s+by\s+", stamp.group("when"), maxsplit=1)[0]
        words = [w for w in re.findall(r"[^\W\d_]+\.?", when) if not _WHEN_WORDS.match(w.rstrip("."))]
        return not words
    return _LINK_ROW.match(text) is not None and _LINK_ROW_WORDS.search(text) is not None


def _credited(text: str) -> bool:
    """Whether a paragraph names a photo, image or picture in its last 60 characters (where a caption's
    credit stands): _CAPTION_CREDIT is searched only then."""
    tail = text[-60:].lower()
    return "photo" in tail or "image" in tail or "picture" in tail or "video" in tail


def _is_promotion(text: str) -> bool:
    """_PROMOTION, searched only in a paragraph that opens with one of its first words or holds one of its
    phrases (a search over every short paragraph costs more than the rest of the rules on it)."""
    lowered = text.lower()
    if not (
        lowered.startswith(_PROMOTION_STARTS)
        or "click here" in lowered
        or "now available on" in lowered
        or "video" in lowered
        or "clip" in lowered
    ):
        return False
    return _PROMOTION.search(text) is not None


def _is_nav_row(text: str) -> bool:
    """A row of five or more short links split by "|" (an item of at most 5 words and 40 characters, none
    ending a sentence), a label before the first allowed ("News: ePaper | Front Page | National | ...")."""
    if text.count("|") < _NAV_ITEMS - 1:
        return False
    # An item of symbols only ("©" closing a footer row) is no link.
    items = [item.strip() for item in text.split("|") if re.search(r"\w", item)]
    # Links are words: not a code block's line numbers and brackets ("1| 1|fn main() {").
    return len(items) >= _NAV_ITEMS and all(
        len(item) <= 40
        and len(item.split()) <= 5
        and not _SENTENCE_END.search(item)
        and _NAV_ITEM.fullmatch(item) is not None
        for item in items
    )


def _flag_news_boxes(paragraphs: list[str], flags: list[bool]) -> None:
    """Flag in place what a news page's boxes hold beside their labels (boilerplate-8): the agency or name on
    the line under a lone "By"; the question under a box inviting readers' views ("606: DEBATE" / "What
    players do Liverpool need to sign?"); the links under a related-links label, up to the next sentence; and
    a thread of readers' comments, each comment's text standing above its signature ("Posted by: JJ of Sydney
    11:51am January 14, 2008"), once two signatures or more alternate with them, or everything from the first
    signature to the last once there are three (comments of several paragraphs)."""
    n = len(paragraphs)
    # Teasers closing the page: three headlines of other stories or more, nothing after them but furniture.
    end = n
    while end > 0 and flags[end - 1]:
        end -= 1
    start = end
    while (
        start > 0
        and _TEASER_LINE.match(paragraphs[start - 1])
        and 2 <= _word_count(paragraphs[start - 1]) <= 15
    ):
        start -= 1
    if end - start >= _TEASER_RUN and start > 0:
        for k in range(start, end):
            flags[k] = True
    # boilerplate-9: a video box of another story closing the page: its title (the player's duration run into
    # it) and the description under it.
    for i, text in enumerate(paragraphs[:-1]):
        if flags[i] and text[-3:-2] == ":" and _VIDEO_TITLE.match(text):
            after = paragraphs[i + 1]
            if len(after.split()) <= 40 and all(flags[i + 2 :]):
                flags[i + 1] = True
    signatures = [i for i, text in enumerate(paragraphs) if _COMMENT_SIGNATURE.match(text)]
    if len(signatures) >= 2 and all(b - a == 2 for a, b in zip(signatures, signatures[1:], strict=False)):
        for i in signatures:
            flags[i] = True
            if i > 0:
                flags[i - 1] = True
    if len(signatures) >= _THREAD_SIGNATURES:
        # Comments of several paragraphs: the thread runs from the first signature to the last.
        for k in range(signatures[0], signatures[-1] + 1):
            flags[k] = True
    for i, text in enumerate(paragraphs[:-1]):
        if not flags[i] or _word_count(text) > 4:
            continue
        after = paragraphs[i + 1]
        if re.fullmatch(r"by:?", text.strip(), re.IGNORECASE):
            if (
                len(after.split()) <= 6
                and not _SENTENCE_END.search(after)
                and _NAMES.fullmatch(after.strip())
            ):
                flags[i + 1] = True
        elif _DEBATE_BOX.search(text):
            if len(after.split()) <= 20 and after.rstrip().endswith("?"):
                flags[i + 1] = True
        elif _RELATED_LABEL.match(text):
            j = i + 1
            while j < n and _word_count(paragraphs[j]) <= 8 and not _SENTENCE_END.search(paragraphs[j]):
                flags[j] = True
                j += 1
    # boilerplate-11: a pointer block closing the page, its label ("### See Also", "Related links:") and the
    # pointers under it written as sentences ("If you're interested in the dashboard's changes, you can
    # also see its [release notes](…)."): each short and holding a link, nothing after them but furniture.
    end = n
    while end > 0 and flags[end - 1]:
        end -= 1
    for i in range(max(end - _CLOSING_POINTERS - 1, 0), end):
        if flags[i] and _word_count(paragraphs[i]) <= 4:
            label = paragraphs[i].strip()
            if _POINTERS_LABEL_RE.match(label) or _RELATED_LABEL.match(label):
                pointers = paragraphs[i + 1 : end]
                if 0 < len(pointers) <= _CLOSING_POINTERS and all(map(_is_pointer, pointers)):
                    for k in range(i + 1, end):
                        flags[k] = True
                break


def _flag_comment_thread_ends(paragraphs: list[str], flags: list[bool]) -> None:
    """Flag in place a thread of readers' comments (boilerplate-14) that _flag_news_boxes leaves, in whole
    or in part: one signed in the other forms of 2008's comment systems (_THREAD_SIGNATURE), and the comments
    at either end of a thread, outside its span from the first signature to the last. Where signatures close
    their comments ("<text>" / "Posted by Paul on January 6, 2008 2:09 PM"), the first comment stands
    between the thread's label ("Comments") and the first signature; where they open them ("Posted by: tom,
    Bolton on 8:21pm Tue 1 Jan 08" / "<text>" / "Quote | Report this post"), the last comment stands between
    the last signature and the page's closing furniture. A thread is three signatures or more, each within
    _COMMENT_GAP paragraphs of the next, after a paragraph of the story's length (comments follow the story);
    an end comment is flagged only when no longer than the thread's longest, and only between that evidence
    and the thread: a story's paragraphs stand before the label, and nothing but furniture follows the last
    comment."""
    n = len(paragraphs)
    signed = [
        i
        for i, text in enumerate(paragraphs)
        if _word_count(text) <= _SHORT_WORDS
        and (_COMMENT_SIGNATURE.match(text) or _THREAD_SIGNATURE.match(text))
    ]
    story = next((i for i, text in enumerate(paragraphs) if _word_count(text) >= _STORY_WORDS), n)
    signed = [i for i in signed if i > story]
    # The longest run of signatures close enough to be one thread.
    threads, run = [], signed[:1]
    for a, b in zip(signed, signed[1:], strict=False):
        if b - a - 1 <= _COMMENT_GAP:
            run.append(b)
        else:
            threads.append(run)
            run = [b]
    threads.append(run)
    signatures = max(threads, key=len)
    if len(signatures) < _THREAD_SIGNATURES:
        return
    first, last = signatures[0], signatures[-1]
    for k in range(first, last + 1):
        flags[k] = True
    longest = max(b - a - 1 for a, b in zip(signatures, signatures[1:], strict=False))
    # The first comment: back from the first signature to the thread's label, when the label is flagged.
    for k in range(first - 1, max(first - longest - 2, -1), -1):
        text = paragraphs[k].strip()
        if flags[k] and _word_count(text) <= 6 and _THREAD_LABEL.match(text):
            for j in range(k + 1, first):
                flags[j] = True
            break
    # The last comment: on from the last signature to the furniture that closes the page.
    end = next((k for k in range(last + 1, n) if flags[k]), n)
    if last + 1 < end <= last + 1 + longest and end < n and all(flags[end:]):
        for j in range(last + 1, end):
            flags[j] = True


def _flag_kind_teasers(paragraphs: list[str], flags: list[bool]) -> None:
    """Flag in place a box's teasers listed under the kind of page each leads to, three or more in a row
    (boilerplate-14): "NEWS Macworld: the online store is down!" / "REVIEW Two PC speakers" / "NEWS ...". A
    story's paragraph opening with a capitalised word is one, not a run of them."""
    _flag_runs(
        paragraphs,
        flags,
        lambda text: _word_count(text) <= _KIND_WORDS and _KIND_TEASER.match(text) is not None,
        _KIND_TEASER_RUN,
    )


def _is_open_tag_line(text: str) -> bool:
    """A page's tags on one line whose list ends in its separator ("Tags: Politics, top news, World,"):
    _TAG_LINE once the separator is taken off (boilerplate-14)."""
    if text.rstrip()[-1:] not in ",;" or _word_count(text) > 40:
        return False
    return _TAG_LINE.match(text.rstrip(",; ")) is not None


def _flag_menu_runs(paragraphs: list[str], flags: list[bool]) -> None:
    """Flag in place a site's menu kept as paragraphs (boilerplate-14): _MENU_RUN labels or more in a row,
    each a capitalised word or two ("Horoscope" / "Shop" / "Travel:" / "Hotels"). A story's headings each
    head paragraphs of their own; a list of its own is written as list items."""
    _flag_runs(paragraphs, flags, lambda text: _MENU_LABEL.match(text.strip()) is not None, _MENU_RUN)


def _flag_runs(paragraphs: list[str], flags: list[bool], member: Callable[[str], bool], least: int) -> None:
    """Flag in place every run of `least` or more paragraphs in a row of which `member` holds: a box's
    entries come in rows, while one such line alone can be the story's."""
    i, n = 0, len(paragraphs)
    while i < n:
        j = i
        while j < n and member(paragraphs[j]):
            j += 1
        if j - i >= least:
            flags[i:j] = [True] * (j - i)
        i = max(j, i + 1)


def _is_stamped_teaser(text: str) -> bool:
    """A teaser of another story with its machine time stamp between headline and summary (boilerplate-14):
    a story's sentence gives a date in words, not a CMS's "22/12/2007 11:58:43"."""
    # The stamp's time holds a colon: the pattern's lazy headline is tried only where one is.
    return (
        ":" in text and _word_count(text) <= _STAMPED_TEASER_WORDS and _STAMPED_TEASER.match(text) is not None
    )


def _flag_opening_ticker(paragraphs: list[str], flags: list[bool]) -> None:
    """Flag in place a latest-news ticker above the story (boilerplate-14): two list items or more in a row,
    each a headline ending in the clock time it was posted ("- New highrise Rigolets bridge opens 4:52 p.m.
    CT"), before any paragraph of the story's length. A story's own list of times (a schedule) stands in
    its text, after its opening paragraphs."""
    i = 0
    while i < len(paragraphs):
        if _word_count(paragraphs[i]) >= _STORY_WORDS:
            return
        j = i
        while j < len(paragraphs) and _TICKER_ITEM.match(paragraphs[j].strip()):
            j += 1
        if j - i >= _TICKER_RUN:
            for k in range(i, j):
                flags[k] = True
        i = max(j, i + 1)


def _is_pointer(text: str) -> bool:
    """A short paragraph holding a link: a pointer of a block closing the page (_flag_news_boxes)."""
    return _word_count(text) <= _POINTER_WORDS and ("](" in text or "http" in text or "www." in text)


def _flag_slideshows(paragraphs: list[str], flags: list[bool]) -> None:
    """Flag in place a slideshow's captions: one paragraph printed `_SLIDESHOW_RUN` times or more in a row (a
    gallery whose slides share a caption, extracted one copy per slide). A story never prints a paragraph of
    its own three times running."""
    i, n = 0, len(paragraphs)
    while i < n:
        j = i + 1
        while j < n and paragraphs[j] == paragraphs[i]:
            j += 1
        if j - i >= _SLIDESHOW_RUN and paragraphs[i].strip():
            for k in range(i, j):
                flags[k] = True
        i = j


def _is_link_list(text: str) -> bool:
    """A block of a project's standing links under its label, run into one paragraph ("### Resources -
    Website: https://… - Documentation: https://…", "Useful links: * [Docs](…) * [Forum](…)"): navigation.
    Every item is a link and its name only."""
    found = _LINK_LIST.match(text)
    if not found:
        return False
    items = [item.strip() for item in re.split(r"(?:^|\s)[-*•]\s", found.group("items")) if item.strip()]
    return len(items) >= 2 and all(_LINK_ITEM.fullmatch(item) for item in items)


def _flag_tag_lists(paragraphs: list[str], flags: list[bool]) -> None:
    """Flag in place a page's tag list: a label ("More about:", "Tags:") and the short list items under it
    ("- Australia", "- Windows 10"), or a run of three such items or more that closes the document (nothing
    after it but flagged furniture). A story's own list has sentences, or text after it."""
    n = len(paragraphs)
    i = 0
    while i < n:
        label = _TAG_LABEL.match(paragraphs[i]) is not None
        j = i + 1 if label else i
        while j < n and _TAG_ITEM.match(paragraphs[j]) and _word_count(paragraphs[j]) <= 4:
            j += 1
        # Whether the run closes the document is read only where it may be a tag list (a label, three items or
        # more), not at every paragraph.
        if (label or j - i >= 3) and ((label and j > i + 1) or all(flags[k] for k in range(j, n))):
            for k in range(i, j):
                flags[k] = True
            i = j
        else:
            i += 1
    # boilerplate-9: the tags on one line, closing the page (nothing after them but furniture).
    end = n
    while end > 0 and flags[end - 1]:
        end -= 1
    if end > 1 and _is_closing_tags(paragraphs[end - 1]):
        flags[end - 1] = True


def _is_closing_tags(text: str) -> bool:
    """A line of three tags or more split by commas: each of 1 to 3 words, no "and"/"or" joining the last."""
    if not _CLOSING_TAGS.match(text):
        return False
    items = [item.strip() for item in text.split(",")]
    return all(1 <= len(item.split()) <= 3 for item in items) and not re.match(
        r"(and|or|&) ", items[-1], re.IGNORECASE
    )


def _is_byline(text: str) -> bool:
    """A byline alone: "By JANE DOE, Associated Press", or an "Authors:" line of names only (names checked
    case-sensitively, as for sign-offs)."""
    if _BYLINE_NEWS.match(text):
        return True
    found = _BYLINE.match(text)
    return found is not None and _NAMES.fullmatch(found.group("names").strip()) is not None


def _is_sign_off(text: str) -> bool:
    """A short closing followed by names only (names checked case-sensitively: they are capitalised)."""
    if _SIGN_OFF.match(text) is None:
        return False
    cut = min(k for k in (text.find("!"), text.find(",")) if k >= 0)
    return _NAMES.fullmatch(text[cut + 1 :].strip()) is not None


def _signer(text: str) -> re.Match | None:
    """A signer's line: names (capitalised, as for sign-offs) or "the <Name> team", maybe a dash before and a
    role in parentheses after."""
    found = _SIGNER.match(text) if _word_count(text) <= 8 else None
    if found is None:
        return None
    names = found.group("names").strip()
    # A full name at least ("- Docker" closing a list of tools is no signer).
    return found if _is_team(found) or (" " in names and _NAMES.fullmatch(names)) else None


def _is_team(signer: re.Match) -> bool:
    """Whether a signer's line names a team ("the Click team", "the Apache Drill developers")."""
    names = signer.group("names").strip().lower()
    return names.endswith((" team", " developers", " community", " maintainers"))


def _flag_closing_sign_off(paragraphs: list[str], flags: list[bool]) -> None:
    """Flag a sign-off on lines of its own near a document's end: a signer's line marked as one (a dash
    before, a capitalised role after, or a closing word alone before it). The closing word alone ("Enjoy.")
    is left to the other rules: on its own it can close the text ("Thanks!" to the readers). Not a line
    of a list of names (the paragraph before is a signer's line too), nor of a document's own section of its
    authors' addresses."""
    n = len(paragraphs)
    for i in range(max(1, n - _SIGN_OFF_TAIL), n):
        found = _signer(paragraphs[i])
        closing = _CLOSING_WORD.match(paragraphs[i - 1]) is not None
        if found is None or (not closing and _signer(paragraphs[i - 1]) is not None):
            continue
        # An RFC's "Authors' Addresses" closing the document: its names and affiliations are its text.
        if any("author" in _lowered(t) and _AUTHORS_SECTION.search(t) for t in paragraphs):
            return
        if closing or found.group("dash") or found.group("role"):
            flags[i] = True
        # A team's signature needs no mark where nothing but set-aside text follows it: the post's last line
        # ("The Apache Click team", boilerplate-16); a team named above a list of names is its heading.
        elif _is_team(found) and not any(not f for f in flags[i + 1 :]):
            flags[i] = True


# boilerplate-15: a blog's closing formula alone in its paragraph: its sign-off phrase ("Happy Spydering!",
# "Happy coding!", "And happy hacking!!!") or its thanks to the reader for reading ("Thanks for reading!",
# "Again, thanks a ton for spending time reading these blogs. :D"), maybe with a see-you-next-time line after
# it ("I'll be back with my progress in subsequent posts."). The blog's, printed under its every post
# (as "Happy Drilling!" with names is, by _SIGN_OFF); in a sentence of the post's own ("I hope you enjoy it!
# And happy Spydering!") it is the text's.
_CLOSING_FORMULA = re.compile(
    r"^[\W_]{0,3}((and|again|once again|so),? )?"
    r"(happy [^\W\d_]{2,}ing|"
    r"(thanks|thank you)( (so|very) much| a (ton|lot|bunch)| again)? for (reading|taking the time to read|"
    r"spending (the |some |your )?time (reading|with)\b[^.!?]{0,60}))"
    # A see-you-next-time line may follow it: "I'll be back with my progress in subsequent posts."
    r"([\s.!?:;()dp-]+((i|we)['’]?ll be back|(i|we) will be back|see you (in the )?next|stay tuned|"
    r"until next time)\b[^.!?]{0,60})?"
    r"[\s.!?:;()dp-]*$",
    re.IGNORECASE,
)
_CLOSING_FORMULA_WORDS = 24


def _flag_closing_formula(paragraphs: list[str], flags: list[bool]) -> None:
    """Flag a closing formula alone in its paragraph near a document's end (within _SIGN_OFF_TAIL of it,
    where a post closes: a notice may follow it); elsewhere such a line is a reader's quote or a heading."""
    for i in range(max(0, len(paragraphs) - _SIGN_OFF_TAIL), len(paragraphs)):
        text = paragraphs[i]
        if not flags[i] and _word_count(text) <= _CLOSING_FORMULA_WORDS and _CLOSING_FORMULA.match(text):
            flags[i] = True


def _in_code_fences(paragraphs: list[str]) -> list[bool]:
    """Whether each paragraph is inside a fenced code block (or holds a fence): a block with a blank line in
    it is split into paragraphs, and its later pieces open with the code's own lines ("# TODO: ...")."""
    inside, code = False, []
    for text in paragraphs:
        fences = len(_FENCE.findall(text)) if ("```" in text or "~~~" in text) else 0
        code.append(inside or fences > 0)
        if fences % 2:
            inside = not inside
    return code


def _is_heading(text: str, config: BoilerplateConfig) -> bool:
    return _word_count(text) <= config.max_heading_words and not _SENTENCE_END.search(text)


def _flag_issuer_blocks(paragraphs: list[str], flags: list[bool], config: BoilerplateConfig) -> None:
    """Flag press-release blocks in place: an "About <Company>" heading (or an inline "About Acme:") and the
    description under it, a safe-harbour or notes-to-editors section, until the next heading; a contact
    heading and the short lines under it, until prose resumes."""
    # Not from the first paragraph: a block follows the news it is appended to. A release's tail can be longer
    # than its news (About, safe harbour, contacts, trademarks), so no share of the document is asked for.
    block = None  # "prose" or "contact" while inside a block
    n = len(paragraphs)
    for i, text in enumerate(paragraphs[1:], start=1):
        # A Markdown heading ("### About the Presidential Innovation Fellows") is the document's structure,
        # unless it opens an About block in the document's second half: a release's issuers, after its news.
        tail = i / max(n - 1, 1) >= config.tail_start
        if (
            _PROSE_BLOCK.match(text)
            or _ABOUT_INLINE.match(text)
            or _about_heading(paragraphs, i, tail)
            or _closing_about_acronym(paragraphs, i, flags)
        ):
            block = "prose"
        elif _CONTACT_BLOCK.match(text) and _word_count(text) <= config.max_heading_words:
            block = "contact"
        elif block == "prose" and _is_heading(text, config) and not flags[i]:
            block = None  # the next section of the page
        elif block == "contact" and _word_count(text) > _SHORT_WORDS and not flags[i]:
            block = None
        if block:
            flags[i] = True


def _about_heading(paragraphs: list[str], i: int, markdown: bool = False) -> bool:
    """An "About Acme Corp." heading whose next paragraph describes the company it names; with `markdown`,
    written as a Markdown heading too ("### About Acme Corp.")."""
    heading = _MARKDOWN_HEADING.sub("", paragraphs[i]) if markdown else paragraphs[i]
    found = _ABOUT_HEADING.match(heading)
    if not found or i + 1 >= len(paragraphs):
        return False
    name = [w for w in re.findall(r"[A-Z0-9][\w&'’-]+", heading[6:]) if w not in ("The", "Inc")]
    return bool(name) and name[0] in paragraphs[i + 1]


# boilerplate-18: "About The Apache Software Foundation (ASF)", the issuer's name with its acronym, over a
# description that may name it by either ("Established in 1999, the all-volunteer ASF oversees ...").
_ABOUT_ACRONYM = re.compile(r"^About (the |The )?[A-Z][\w&.'’-]*( [A-Z][\w&.'’-]*){0,6} \([A-Z]{2,8}\)$")


def _closing_about_acronym(paragraphs: list[str], i: int, flags: list[bool]) -> bool:
    """An About heading with its issuer's acronym whose section closes the document: after its description
    nothing but set-aside text (trademarks, copyright) and end marks, as a release appends its issuers' blocks
    after its news; higher up such a heading may title the post's own section."""
    if i + 1 >= len(paragraphs) or not _ABOUT_ACRONYM.match(paragraphs[i]):
        return False
    return all(flags[j] or len(paragraphs[j]) <= 12 for j in range(i + 2, len(paragraphs)))


def repeated_in_outlet(
    rows: Iterable[tuple[str | None, str, int]], config: BoilerplateConfig = BoilerplateConfig()
) -> set[tuple[str, int]]:
    """(outlet, fingerprint) pairs printed by one outlet under at least `min_stories_repeated` stories, the
    outlet printing at least half of all the text's copies: furniture is an outlet's own, while a sentence
    two stories share by chance or by quoting is printed by the outlets of both (chances that grow with the
    corpus: at 1,000 generated stories, 1,414 body paragraphs were flagged without this).

    rows: (outlet, group, fingerprint), where group is a story id (or a document id before linking).
    """
    groups: dict[tuple[str, int], set[str]] = defaultdict(set)
    printed: dict[tuple[str, int], int] = defaultdict(int)
    copies: dict[int, int] = defaultdict(int)
    for outlet, group, fingerprint in rows:
        copies[fingerprint] += 1
        if outlet is not None:
            groups[(outlet, fingerprint)].add(group)
            printed[(outlet, fingerprint)] += 1
    return {
        key
        for key, seen in groups.items()
        if len(seen) >= config.min_stories_repeated and 2 * printed[key] >= copies[key[1]]
    }


# --- release templates: one outlet's standing paragraphs with only numbers changed ---
# A release announcement reprints its template's paragraphs with the version and date changed ("you can get
# 1.64.0 with:", "We highly recommend all users upgrade to Flink 1.16.2."): not verbatim, so `repeated` misses
# them. Such a paragraph is furniture only when its outlet prints it, numbers aside, under at least
# `min_stories_template` different stories, and never on the strength of documents' leads: an announcement's
# first sentence ("The Rust team is happy to announce a new version of Rust, 1.60.0") follows one mould too,
# but it is the news. Versions of one text are one story and count once.
_LINK_TARGET = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]|<?https?://\S+")
_TOKEN = re.compile(r"[^\W_]+(?:[.,:/-][^\W_]+)*")
# _TOKEN for an ASCII text, where the word characters but "_" are [a-zA-Z0-9]: the same matches, found in
# 30% less time (a range set against Unicode's word category), most paragraphs being ASCII.
_ASCII_TOKEN = re.compile(r"[a-zA-Z0-9]+(?:[.,:/-][a-zA-Z0-9]+)*")
_NUMBER = re.compile(r"\d")
# A version string ("1.64.0", "23.x", "v18", "rc1"), told apart from the other numbers of a template paragraph
# (template_facts).
VERSION_STRING = re.compile(
    r"v?\d+(?:\.(?:\d+|x))+(?:[.-]?[a-z]+\d*)?|v\d+|(?:rc|beta|alpha|m)\d+|\d+(?:rc|beta|alpha)\d*"
)
# A decimal before a quantity ("21.334 billion dlrs", "6.18 pct", "1.5 mln stg") is a figure, not a version
# (boilerplate-20): a wire's templated report of each day fills one sentence with that day's figures, and
# those are its news (the Treasury's balances, the Fed's funds rate).
_DECIMAL = re.compile(r"\d+\.\d+")
_QUANTITY_WORDS = frozenset(
    "pct percent billion bln million mln dlrs dlr dollars stg yen marks francs tonnes tons barrels bpd "
    "bags cts".split()
)
_TEMPLATE_MIN_WORDS = 4  # "Version 1.2" or a date alone is no template
# A fenced code block's fences and language tag ("```console", "```xml", "~~~"): one post tags the block and
# the next does not, the command is the same. A code block is a template from 2 words
# ("rustup update stable").
_CODE_FENCE = re.compile(r"(```|~~~)[\w+-]*")
_CODE_MIN_WORDS = 2
# A link alone (a list item or not) whose text names a version is a template from 1 word: a release's package
# link, its version changed ("* [apache-flink==1.16.2](https://pypi.org/project/apache-flink/1.16.2/)").
_LINK_ALONE = re.compile(r"\s*(?:[*+-]\s+)?\[[^\]]+\]\([^)\s]*\)\s*")
# The words _MONTH matches whole (it is case-sensitive and has no other): a token is a month name when it is
# one of them, a set look-up where a search of the pattern tried it at every letter of a paragraph.
_MONTH_WORDS = frozenset(
    """jan january feb february mar march apr april may jun june jul july aug august sep sept september oct
    october nov november dec december""".split()
)


def _template_tokens(text: str) -> list[str]:
    """The lower-cased words of a paragraph with its code fences and link targets rewritten away (what
    template_key and template_facts read)."""
    lowered = text.lower()
    # Each rewrite only where it can apply (most paragraphs have no fence and no link).
    if "```" in lowered or "~~~" in lowered:
        lowered = _CODE_FENCE.sub(" ", lowered)
    if "]" in lowered or "http" in lowered:
        lowered = _LINK_TARGET.sub("]", lowered)
    return (_ASCII_TOKEN if lowered.isascii() else _TOKEN).findall(lowered)


def template_key(text: str) -> int:
    """A key equal for two paragraphs that differ only in their numbers and version strings ("1.64.0",
    "2023-05-25", "rc1", "includes 104 bug fixes"), month names, link targets and link syntax (a release's
    links point at its own version; `[get rustup][install]` and `[get rustup](https://…)` are one link), a
    code block's fences and language tag, and punctuation; 0 for a paragraph of fewer than 4 words besides
    those (a code block: 2), or with no text (a caller that read only the stored features, as
    bench/link_bench does)."""
    return template_keys(text)[0]


def template_facts(text: str) -> int:
    """A key of the facts a template paragraph carries: its numbers other than version strings, in order (a
    count of issues, a day, a year); 0 when it has none.

    Paragraphs of one template key whose facts differ are the template filled in for other news, not
    furniture: "Releases will be available on, or shortly after, Tuesday, July 2, 2024" is the news of that
    post, while "you can get 1.64.0 with:" and "upgrade to Flink 1.16.2" change only the version, and are
    furniture. Linking ignores the facts (template_key alone): two announcements filled in from one template
    share nothing."""
    return template_keys(text)[1]


@lru_cache(maxsize=1 << 16)
def _template_word(word: str) -> str:
    """A word as it stands in template_keys's key: "#" a number, "@" a month name, else itself. Cached: words
    repeat."""
    # A token of letters only holds no digit (most tokens: no search for one).
    if not word.isalpha() and _NUMBER.search(word) is not None:
        return "#"
    return "@" if word in _MONTH_WORDS else word


# A run of masked numbers in a key's words joined by spaces (no token holds "#"): one slot.
_NUMBER_RUN = re.compile(r"#(?: #)+")


def template_keys(text: str) -> tuple[int, int]:
    """(template_key, template_facts) of a paragraph, from one pass over its words (prepare's hot path)."""
    if not text:
        return 0, 0
    code = text.lstrip().startswith(("```", "~~~"))
    tokens = _template_tokens(text)
    joined = " ".join(tokens)
    least = _CODE_MIN_WORDS if code else _TEMPLATE_MIN_WORDS
    if _NUMBER.search(joined) is None and _MONTH_WORDS.isdisjoint(tokens):
        # No word is masked and none is a fact (most paragraphs): the key is the words as they stand, without
        # reading them one by one.
        if len(tokens) < least:
            return 0, 0
        return _key(joined), 0
    masked = list(map(_template_word, tokens))
    numbers = masked.count("#")
    if numbers and _LINK_ALONE.fullmatch(text):
        least = 1
    # The words besides numbers and month names; a run of numbers is one slot: a release lists the lines it
    # covers ("23.x, 22.x, 20.x, 18.x"), the next one fewer.
    if len(masked) - numbers - masked.count("@") < least:
        key = 0
    else:
        key = _key(_NUMBER_RUN.sub("#", " ".join(masked)))
    # The facts: the numbers that are no version string, in order, and a decimal before a quantity word
    # ("21.334 billion dlrs" is a figure however a version string looks).
    facts = [
        w
        for k, (w, m) in enumerate(zip(tokens, masked, strict=True))
        if m == "#"
        and (
            VERSION_STRING.fullmatch(w) is None
            or (k + 1 < len(tokens) and tokens[k + 1] in _QUANTITY_WORDS and _DECIMAL.fullmatch(w))
        )
    ]
    if not facts:
        return key, 0
    return key, _key(" ".join(facts))


def _key(words: str) -> int:
    """A nonzero signed 64-bit key of words joined by spaces (0 means none in template_key and _facts)."""
    return int.from_bytes(hashlib.blake2b(words.encode(), digest_size=8).digest(), "little", signed=True) or 1


def release_template_rows(
    outlet: np.ndarray,
    story: np.ndarray,
    key: np.ndarray,
    lead: np.ndarray,
    config: BoilerplateConfig = BoilerplateConfig(),
    facts: np.ndarray | None = None,
) -> np.ndarray:
    """Per paragraph row: whether it is its outlet's release template. The template must be printed, numbers
    aside, outside documents' leads under `min_stories_template` stories of one outlet, and that outlet must
    print at least half of the key's copies (as for `repeated`). Rows: outlet code (-1 unknown), story,
    template_key (0: none), and whether the row is its document's lead paragraph. facts: per row, its
    template_facts; when given, a key printed under two stories with two facts or more is a template too
    (one template filled in for other news)."""
    out = np.zeros(len(key), dtype=bool)
    usable = (outlet >= 0) & (key != 0)
    if not usable.any():
        return out
    # In numpy, not per row in Python (a daily run judges every template key of the corpus): each (outlet,
    # key) pair is a run of the rows sorted by key then outlet.
    keys, copies = np.unique(key[key != 0], return_counts=True)
    rows = np.flatnonzero(usable)
    rows = rows[np.lexsort((outlet[rows], key[rows]))]
    o, k = outlet[rows], key[rows]
    pair = np.cumsum(np.r_[True, (o[1:] != o[:-1]) | (k[1:] != k[:-1])]) - 1
    n_pairs = int(pair[-1]) + 1
    printed = np.bincount(pair, minlength=n_pairs)
    shown = ~lead[rows]
    stories = _distinct_per_pair(pair[shown], story[rows][shown], n_pairs)
    told = np.zeros(n_pairs, dtype=np.int64)
    if facts is not None:
        filled = shown & (facts[rows] != 0)
        told = _distinct_per_pair(pair[filled], facts[rows][filled], n_pairs)
    first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    pair_copies = copies[np.searchsorted(keys, k[first])]
    template = ((stories >= config.min_stories_template) | ((stories >= 2) & (told >= 2))) & (
        2 * printed >= pair_copies
    )
    out[rows] = template[pair]
    return out


def _distinct_per_pair(pair: np.ndarray, value: np.ndarray, n_pairs: int) -> np.ndarray:
    """Per pair number (0 .. n_pairs - 1): how many distinct values its entries hold."""
    if len(pair) == 0:
        return np.zeros(n_pairs, dtype=np.int64)
    order = np.lexsort((value, pair))
    p, v = pair[order], value[order]
    new = np.r_[True, (p[1:] != p[:-1]) | (v[1:] != v[:-1])]
    return np.bincount(p[new], minlength=n_pairs)
