"""Stories: which documents are versions of one text, in what order they were published, and which earlier
version each republication most likely copied from.

Candidates come from MinHash LSH buckets over body paragraphs (and, for stock text, from two stock texts
printed side by side), all in numpy (never all pairs, no Python loop per pair); a candidate pair of
documents close enough is verified on all its paragraphs, and becomes a link when enough of the shorter
one's body is matched in the other (containment, so a truncated republication still joins). Linked
documents form a story, but a group held together by a few weak links (a digest quoting two stories) is
split where its links are thin.
"""

from __future__ import annotations

import ctypes
import hashlib
import mmap
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import numpy as np

# link-9: matched paragraphs counted exactly (min_matched_share), short rewrites linked thin (cut_weight).
# link-11: rewrite candidates by estimated containment of the smaller body (contained_document_pairs).
# link-12: two instances of an outlet's series are never linked (tasks.stories.series_apart).
# link-13: an outlet's documents at one front-matter page address are one page (tasks.stories.page_groups).
# link-14: release notes titled by a name and a three-part number are releases (evidence._names_a_release);
# two instances of a series whose titles name two days are apart whatever days their texts name.
# link-15: a series is named by its title's words before its first instance too (evidence.series_lead_of);
# two years' instances each about its own year are apart (evidence.year_of).
# link-19: a run of instance words in a title is one slot ("September" and "September 2025" name one series's
# instances); "the 22nd of December" is a day (evidence.series_of, dates_of).
# link-20: an update that keeps its first take whole is found however many times the story was sent (the
# update rule counts furniture over the versions already paired: tasks.stories.joined_groups); a wire's
# templated report of two days is two stories (tasks.stories._daily_reader); the rows of a table the wire
# prints as lines are not `repeated` (tasks.stories.table_rows).
# link-21: an outlet's yearly posts are whole years apart (a year or more), dated by the page's own day (its
# front matter's date or address folders, documents.page_day), each its year's by its own text or its own
# days; a standing title leaves its instance out (stories._yearly_reader, evidence.standing_title_of); a
# page's former addresses (documents.page_aliases) are the page (stories.page_groups).
# link-22: link-20's update rule over joined versions is reverted: it joined a wire's first take to its fuller
# copies, and with them another bank's rate cut of that day (docs/linking.md, link-20).
# link-23: two rewrite candidates of one outlet whose leads are each about someone the other never names are
# two stories (tasks.stories.other_subjects); with it, link-20's update rule over joined versions is back.
# link-23 (also): rare-name candidates also from every hash function of the name sketches alone, kept when the
# smaller set is estimated (or, in doubt, counted) min_name_containment inside the other: a short rewrite's
# few names in a longer story's are found whatever names a larger corpus makes common
# (stories._contained_name_pairs).
# link-24: an outlet's rewrite of its own story within a day that keeps its phrasing through the text links
# (an agency's write-through: tasks.stories.write_through_check).
# link-25: a short document of another outlet made of a story's lead, dated within a day, links to it (news in
# brief: tasks.briefs); a document whose title carries a wire's correction mark links to its outlet's story
# of that day that prints its lead and another of its paragraphs verbatim (tasks.corrections).
# link-26: copies of one dispatch the narrative check misses (OCR'd pages: broken and misread words spoil its
# phrases) link when the shorter's narrative letters are inside runs the other prints (tasks/ocr_copies.py).
# link-27: documents read as OCR'd newspaper columns find each other by sampled runs of their letters, and
# link when the shorter's letters lie in runs the other prints (tasks/ocr_copies.py, ocr_copy_pairs).
# link-28: a brief's names are rare or not on its own days (briefs.brief_candidates); a story of another
# outlet lifting a longer story's sentences in part links to it (tasks.derived), off by default (LinkConfig).
LINK_VERSION = "link-28"
_CHUNK = 1 << 20  # candidate pairs verified per step, to bound memory
# Pairs whose sketches are compared per step: each step gathers two (pairs x sketch width) uint32 matrices,
# 16 MB each at 64 wide (a 1M step made 512 MB at once: docs/link-memory.md).
_COMPARE = 1 << 16
# Sketch rows gathered per step from a sketch file mapped into memory (find_stories writes the body rows'
# sketches to one): a step touches at most this many of its 4 KiB pages (64 MB) before they are let go.
_MAPPED_STEP = 1 << 14
# What a gather maps of a sketch file at once. The kernel maps a file's cached pages a large folio at a time
# (measured here: 2 MB for each scattered row read), so rows read in no order map most of the file (1.1 GB
# of resident memory at 200k documents, however few rows a step reads: docs/memory.md); a gather reads the
# rows of one region of the file at a time and lets its pages go before the next.
_REGION = 64 << 20
# Sketch rows paragraphs_in_common gathers for a step of document pairs (8 MB at 64 wide).
_HELD_ROWS = 1 << 15
# LSH band keys grouped into buckets at once (16 bytes each with their position, about 4 times that while
# sorted): beyond it, candidate_pair_batches groups them out of core, a part of about this many at a time.
_PARTITION = 1 << 21
# Matched paragraph row pairs weighed per pass of link_documents: its document pairs, made from them, are
# linking's most numerous arrays (about 100 bytes each while weighed), so a pass holds about 100 MB of them.
_PASS = 1 << 20
# Body rows of the stories whose versions' sources (copied_from) are found at once.
_STORY_ROWS = 1 << 20


def release_heap() -> None:
    """Give back to the OS what C's malloc keeps of freed memory, which numpy's arrays come from: freed
    between linking's stages, it stays in the process's resident memory and the next stage's peak stands on
    it (after linking 10k documents it kept 55 MB; at 200k a stage's sorting leaves hundreds: docs/memory.md).
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> ctypes.CDLL | None:
    """glibc, whose malloc_trim gives its freed heap back; None elsewhere (musl, macOS: nothing to trim)."""
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _libc()


@dataclass(frozen=True)
class LinkConfig:
    """LSH banding (`bands` x `rows` of the sketch) and the verification and clustering thresholds."""

    bands: int = 16
    rows: int = 4
    min_paragraph_jaccard: float = 0.5  # estimated from the sketches
    min_containment: float = 0.5  # share of the shorter document's body paragraphs matched
    min_shared: int = 2  # one shared paragraph (a quote, a stock phrase) never links two documents
    # Two near matches alone are what unrelated template stories share (the same sentences, other names and
    # numbers); a republication prints at least one of its origin's paragraphs verbatim, or matches more
    # (an outlet's own new version, whose verbatim paragraphs count as that outlet's furniture, held out).
    min_verbatim: int = 1
    min_shared_near: int = 3  # matched paragraphs that link without a verbatim one
    # An LSH bucket of more distinct texts than this holds a stock phrase. Crowded buckets are mostly text
    # that recurs across unrelated stories: at 100k generated documents a cap of 200 made 137M candidate
    # pairs and ran out of memory, while 10 keeps recall (bench/link_bench.py, README).
    max_bucket: int = 10
    max_copies: int = 50  # a text printed more often than this is a stock phrase (cost: max_copies² pairs)
    stock_spread: int = 20  # a paragraph matched in more documents than this counts less and less
    min_cohesion: float = 0.4  # mean overlap between two parts of a linked group to be one story
    # Whole-text evidence, blind to paragraph breaks (a release re-cut at every sentence, or printed as one
    # long paragraph, shares no paragraph with its origin): documents whose body sketches agree in a band of
    # `text_rows` of `text_bands` are candidates, and link when the estimated Jaccard similarity of their
    # body shingles reaches `min_text_jaccard` and the smaller body, of `min_text_shingles` or more, is
    # contained in the other as `min_containment` asks. A verbatim copy however cut is near 1; two reports
    # sharing three quotes near 0.05; among 100k generated documents, 14 pairs of unrelated stories built
    # from the same sentences (other names and numbers) reach 0.5 and one 0.6 (docs/linking.md).
    text_bands: int = 21
    text_rows: int = 3
    min_text_jaccard: float = 0.6
    min_text_shingles: float = 30.0
    # A note posted whole on two sites (a two-sentence announcement pasted on a foundation's blog and on its
    # conference blog) is one paragraph: below `min_shared` and too short for the whole-text LSH. Two
    # documents whose whole body is one and the same paragraph of `min_note_words` or more are one text,
    # whatever their outlets (`tasks.stories.whole_note_pairs`); shorter lone paragraphs are stubs (a photo
    # caption, "Click here to read the story") that unrelated pages can share.
    min_note_words: int = 20
    # An outlet's yearly post (link-17: the board it announces after each March members' meeting, its
    # January review of its code of conduct): two documents of one outlet at two addresses, under one title
    # (its instance masked), dated a year apart within `yearly_slack_days`, each with `min_own_share` of its
    # words in paragraphs the other has no near copy of, are two years' posts (tasks.stories._yearly_reader).
    # A yearly post follows a yearly event, which falls on the same week of the year give or take a few days
    # (the real ones: 6 to 9 days off the anniversary); an edition of a standing text is re-issued when it is
    # revised, and a draft is published when it is ready (Kubernetes's working-group spotlight: 23 days off,
    # one story by the labels, split by a window of a month). An edition a year on that changes only its
    # year has nothing of its own.
    yearly_slack_days: int = 14
    min_own_share: float = 0.25
    # A wire's templated report of each day (link-20: the Fed's morning operations as dealers expect them, the
    # Treasury's balances, a weekly stocks report): two documents of one outlet under one title, dated on two
    # days at most `daily_span_days` apart, whose texts name days and not the same days (each its dateline's),
    # each with `min_own_share` of its words its own (that day's figures and comment), are two days' reports
    # (tasks.stories._daily_reader). A story the wire sends again the next day under its dateline's new day
    # keeps its paragraphs (nothing of its own), and a reworded write-through names the same day.
    daily_span_days: int = 7
    # A heavy rewrite (churnalism recasting the lead and cutting paragraphs in two, a wire write-through)
    # keeps a quarter to a half of its origin's shingles, as unrelated stories built from the same sentences
    # can; what it keeps and they do not is the names and numbers, in the same order. Candidates from the
    # document LSH with a Jaccard similarity from `min_rewrite_jaccard` link when the caller's check of their
    # names and numbers holds (tasks/stories.py: `min_names_matched` of the shorter one's, in order).
    min_rewrite_jaccard: float = 0.15
    min_names_matched: float = 0.7
    min_names: int = 8
    # Rewrite candidates that survive rewording (link-6): the document LSH finds a pair of Jaccard 0.2 about
    # one time in six, so the caller may add pairs whose rare names and numbers agree (tasks/stories.py:
    # a MinHash of `name_bands` x `name_rows` over each document's set of names and numbers printed in at
    # most `max_name_documents` documents, pairs kept from an estimated Jaccard of `min_name_jaccard`).
    # They pass the same names-in-order check as the document-LSH candidates, and a lower Jaccard floor,
    # `min_name_rewrite_jaccard`: a write-through keeps about a quarter of its origin's 5-word shingles
    # (3-word Jaccard 0.05-0.25), and their rare names already agree.
    name_bands: int = 32
    name_rows: int = 2
    min_name_jaccard: float = 0.3
    min_name_rewrite_jaccard: float = 0.08
    # Under `min_rewrite_jaccard`, the names matched in order must also be this share of the names of the
    # document with more: a short copy whose every paragraph an independent report quotes has all its names
    # in the report, in order, but they are a fifth of the report's; versions of one text keep most of both
    # (OneStopEnglish reading levels 0.44 and more, contributor-covenant 1.4 and 2.0 0.41).
    min_names_matched_longer: float = 0.35
    max_name_documents: int = 50
    # A short rewrite of a longer story (a wire story cut to four short paragraphs, a blog post recasting the
    # wire's lead and one quote: issue 12, class 3) keeps nearly all of its own names and numbers, in the
    # longer one's order, and few of the longer one's: `min_names_matched_cut` of its own, at any share of the
    # other's (link-9). Such a pair is a candidate when `min_name_containment` of its rare names are among the
    # other's (estimated), whatever their Jaccard, and links with weight `cut_weight`, a half link: it joins a
    # document that has no closer story, or a story whose other versions it overlaps too (a blog post on the
    # AP's story, beside two members' copies of it), while clustering keeps apart one whose own story links
    # it whole and that the other's story does not overlap (a truncated copy whose every name a report
    # quoting it prints). 0.3 split the blog post from its story in the real set (docs/linking.md).
    min_names_matched_cut: float = 0.8
    min_name_containment: float = 0.8
    # Such a rare-name candidate is tested from this estimated containment of the smaller body in the other,
    # under `min_name_rewrite_jaccard` (a brief of 4 short paragraphs beside its 12-paragraph origin: Jaccard
    # 0.09, containment 0.42).
    min_cut_containment: float = 0.3
    cut_weight: float = 0.5
    # Rewrite candidates by containment (link-11, `contained_document_pairs`): a short rewrite or cut of a
    # longer story holds most of its wording inside the longer one while their Jaccard is low (a 9-paragraph
    # rewrite of a 14-paragraph release: containment 0.7, Jaccard 0.2, which the document LSH's bands of 3
    # rows find one time in five). Every hash function of the body sketches is a band of one row, and a pair
    # agreeing in any uncrowded one whose smaller body (`min_contained_paragraphs` or more) is estimated this
    # share inside the other is tested like the rare-name candidates (the names check, the narrative check).
    min_candidate_containment: float = 0.5
    # A retelling has paragraphs of its own: a text of one or two paragraphs inside a longer story is a
    # passage (a quote, a stock sentence with other numbers), not a rewrite of it. With two, among 1,000
    # generated stories a two-paragraph cut copy mostly inside another story joined it and, dated first,
    # became its origin (fates macro-F1 0.9869 -> 0.9859); the real rewrites this search exists for are long.
    min_contained_paragraphs: int = 3
    # A rewrite by another outlet that keeps its source's phrasing (churnalism; link-10, tasks/stories.py
    # `narrative_check`): a rewrite candidate that fails the names check links when the two texts' narratives
    # (their words outside quotation marks) share a phrase in `min_narrative_paragraphs` paragraphs of each,
    # in the same order, and the smaller body is `min_narrative_containment` (estimated) in the other. Two
    # reports of one event written apart share the quoted speech and a phrase in at most one or two
    # paragraphs; a rewrite keeps the reporter's phrasing here and there through the text.
    min_narrative_paragraphs: int = 3
    min_narrative_containment: float = 0.3
    # A pair those leave unlinked links when `min_copy_share` of the shorter narrative's letters (spaces,
    # hyphens and punctuation dropped; at least `min_copy_letters`) lie in runs of `copy_run` letters (about
    # five words) the other also prints (link-26, tasks/ocr_copies.py): OCR'd copies of one dispatch, each
    # cut and misread its own way, covered 0.2-0.8 on real-dev-ocr, its hard negatives 0.00-0.02.
    min_copy_share: float = 0.5
    min_copy_letters: int = 500
    copy_run: int = 25
    max_copy_word_ratio: float = 0.95
    # Documents read as OCR'd newspaper columns (link-27, ocr_copies.ocr_copy_pairs) are candidates when they
    # share `min_ocr_keys` runs of `copy_run` letters among those whose hash is 0 modulo `ocr_sample`, and
    # link when `min_ocr_share` of the shorter's narrative letters (at least `min_ocr_letters`, about 60
    # words) lie in runs the other prints: no word gate, since both are known to be OCR text. On real-dev-ocr
    # the copies' pairs the rule can read cover 0.2-0.8 (5 of its 8 families whole), while no pair of two
    # stories covers more than 0.06; at 0.3 a cut copy joins one copy of its dispatch only, too thin a link
    # for clustering.
    min_ocr_share: float = 0.2
    min_ocr_letters: int = 300
    min_ocr_keys: int = 2
    ocr_sample: int = 4
    # Two rewrite candidates of one outlet whose leads each name someone the other never names are two
    # stories (link-23, tasks/stories.py `other_subjects`): the lead is a document's first paragraph of this
    # many words or more, so that a byline or a dateline on its own line is not read as one.
    min_lead_words: int = 12
    # An agency's write-through of its own story (link-24, tasks/stories.py `write_through_check`): two
    # documents of one outlet dated at most `write_through_days` apart whose narratives share a phrase in
    # `min_write_through_paragraphs` paragraphs of each, in order, the smaller body
    # `min_write_through_containment` (estimated) in the other. An outlet's own phrasing recurs across its
    # stories (a release series' lists of fixes: chains of 5 at most in the real set, weeks apart), so one
    # outlet needs a longer chain, on one news day, than two outlets do.
    min_write_through_paragraphs: int = 4
    min_write_through_containment: float = 0.2
    write_through_days: int = 1
    # News in brief made of another outlet's story (link-25, tasks/briefs.py): a body of `min_brief_words` to
    # `max_brief_words` words (the METER papers' briefs: 42-90) sharing `min_brief_names` rare names with a
    # longer story of another outlet dated at most `brief_days` apart, `min_brief_coverage` of its content
    # words found in that story's order, `min_brief_drawn` of them in sentences each with `min_brief_sentence`
    # of theirs in that order, and `min_brief_lead` of its first paragraph's in the story's first `brief_lead`
    # paragraphs. Two outlets' own briefs of one event: at most 0.37 in order and 0.54 drawn (real set), the
    # derived ones 0.47-0.92 and 0.96-1; a round-up's item of a post: its lead 0.25 in the post's opening; a
    # story opening on a passage another prints: its own sentences after.
    min_brief_words: int = 30
    max_brief_words: int = 150
    min_brief_names: int = 3
    min_brief_coverage: float = 0.45
    min_brief_lead: float = 0.35
    min_brief_sentence: float = 0.35
    min_brief_drawn: float = 0.75
    brief_lead: int = 3
    brief_days: int = 1
    # A story partly derived from another outlet's (link-28, tasks/derived.py): a body longer than a brief and
    # at most `max_derived_words` words, found as a brief is (the same names, days and outlets), whose
    # narrative (words outside quotes) holds sentences lifted from the longer story's narrative in
    # `min_lifted_sentences` paragraphs (`min_lifted_words` content words or more, `min_lifted_share` of them
    # in order in one of its sentences or two running on, half its names the source's), `min_derived_share`
    # of that narrative. METER's partly derived stories joined: 0.35-0.44; the papers' own reports of the same
    # hearings: at most 0.26. Off (0) by default: on, it joined stories of the generator's that share stock
    # sentences with their names (grouping precision at 10,000 stories 0.993 -> 0.989, under the 0.99 the
    # issue asks; bench.quality at 0006437); 400 turns it on for a corpus of agency copy and papers' stories.
    max_derived_words: int = 0
    min_lifted_words: int = 4
    min_lifted_share: float = 0.5
    min_lifted_sentences: int = 3
    min_derived_share: float = 0.33
    # A wire's correction (link-25, tasks/corrections.py): a document whose title carries the wire's
    # correction mark and one of its outlet's dated at most `correction_days` apart printing its lead and
    # `min_shared` of its paragraphs verbatim are one story (-1: never).
    correction_days: int = 1
    # An outlet's revision of its own text (tasks/stories.py `outlet_revision_pairs`): two of its documents
    # printing `min_shared` held-out texts in common link when their whole texts reach this Jaccard (or pass
    # the heavy-rewrite test): a revision that also replaces the people and numbers it names (a code of
    # conduct's new contacts) fails the names check. Two stories sharing furniture reach it only when the
    # furniture is near half of both texts.
    min_revision_jaccard: float = 0.3
    # An update that keeps its first version whole (tasks/stories.py `outlet_version_pairs`): this share of
    # the shorter document's own text (furniture aside) printed verbatim in the longer one.
    min_contained: float = 0.9
    # A link through matched paragraphs (not whole-text evidence) needs those paragraphs to be this share of
    # one body's shingles, counted exactly: the estimate from 64 hash functions over two whole bodies ran to
    # 0.55 for two AP stories of different events sharing two background paragraphs, 0.26 of the shorter one
    # (docs/linking.md, link-9). 0.4 lost three republications at 1,000 generated stories, 0.3 none.
    min_matched_share: float = 0.3
    # Documents at one canonical URL are versions of one text unless they share nothing: no paragraph, an
    # estimated Jaccard of their bodies under this, and their names and numbers (tasks/stories.py
    # `url_versions`): two stories published at one address by a site's mistake.
    min_url_jaccard: float = 0.05
    version: str = LINK_VERSION


@dataclass(frozen=True)
class Links:
    """Document pairs sharing matched paragraphs: positions `a` < `b` into the corpus' documents, and the
    share of the smaller one's body found in the other (`weight`); a link once that reaches `min_containment`.
    """

    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    shared: np.ndarray  # paragraphs of the document with fewer matched ones that are matched
    rarity: np.ndarray | None = None  # 1 when the matched paragraphs are the pair's own, less for stock text
    verbatim: np.ndarray | None = None  # of `shared`, those printed verbatim (same fingerprint) in both
    # Estimated Jaccard similarity of the two bodies' shingles, when whole-text evidence counts (0 elsewhere).
    jaccard: np.ndarray | None = None
    # The share of a body's shingles in the paragraphs matched (the larger of the two documents' shares), for
    # the pairs verified on all their paragraphs (1 elsewhere): what `weight` estimates from the sketches.
    matched: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.a)


class CrowdedKeys(NamedTuple):
    """Sorted keys of the buckets crowded in a whole corpus, per LSH: the paragraphs' bands, the documents'
    bands (candidate_document_pairs) and their single hash functions (contained_document_pairs)."""

    paragraphs: np.ndarray | None
    documents: np.ndarray | None
    contained: np.ndarray | None


@dataclass(frozen=True)
class Member:
    """A document's place in its story; `copied_from` is the earlier version it most likely copied."""

    story_id: str
    doc_id: str
    version: int
    n_members: int
    copied_from: str | None = None


def band_keys(sketches: np.ndarray, config: LinkConfig = LinkConfig(), band: int | None = None) -> np.ndarray:
    """One 64-bit key per (paragraph, band): paragraphs sharing a key are candidates. band: when given, only
    that band's keys (one per paragraph)."""
    n = sketches.shape[0]
    if band is not None:
        columns = sketches[:, band * config.rows : (band + 1) * config.rows].astype(np.uint64)
        keys = np.zeros(n, dtype=np.uint64)
        for r in range(config.rows):
            keys = keys * np.uint64(1_000_003) + columns[:, r]
        # The offset of the all-bands form below, wrapped to 64 bits as its array product is.
        return keys + np.uint64(band * 0x9E3779B97F4A7C15 % 2**64)
    bands = sketches[:, : config.bands * config.rows].reshape(n, config.bands, config.rows)
    if bands.dtype.kind != "u":  # (an empty corpus's float matrix) the values as unsigned, as before
        bands = bands.astype(np.uint64)
    # In place, one band row at a time: the same keys as ((0 * P + b0) * P + b1) ... over a uint64 copy of the
    # sketches, without that copy or a temporary per step (a daily run takes the keys of every body row of
    # the corpus twice: 2-3x less CPU).
    keys = bands[:, :, 0].astype(np.uint64)
    for r in range(1, config.rows):
        keys *= np.uint64(1_000_003)
        keys += bands[:, :, r]
    keys += np.arange(config.bands, dtype=np.uint64)[None, :] * np.uint64(0x9E3779B97F4A7C15)
    return keys


def pairs_within_groups(members: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Every (i, j) pair, i before j, within each run `members[start:start+size]`, without a Python loop."""
    # Element at offset k of a run of size s pairs with the s-k-1 elements after it.
    owner_start = np.repeat(starts, sizes)
    offset = np.arange(len(owner_start)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    after = np.repeat(sizes, sizes) - offset - 1
    left = np.repeat(owner_start + offset, after)
    first = np.repeat(np.cumsum(after) - after, after)
    right = left + 1 + (np.arange(len(left)) - first)
    return np.stack([members[left], members[right]], axis=1)


def candidate_paragraph_pairs(
    sketches: np.ndarray,
    config: LinkConfig = LinkConfig(),
    fresh: np.ndarray | None = None,
    scratch: Path | None = None,
    crowded: np.ndarray | None = None,
) -> np.ndarray:
    """(p, q) row pairs, p < q, sharing an LSH bucket that is not crowded (no pair met twice), in order.

    fresh: when given, only pairs with at least one fresh row (buckets are still judged crowded on all rows).
    crowded: see candidate_pair_batches.
    """
    batches = candidate_pair_batches(sketches, config, fresh, scratch, crowded=crowded)
    return np.concatenate([np.empty((0, 2), dtype=np.int64), *batches])


def candidate_pair_batches(
    sketches: np.ndarray,
    config: LinkConfig = LinkConfig(),
    fresh: np.ndarray | None = None,
    scratch: Path | None = None,
    rows: np.ndarray | None = None,
    crowded: np.ndarray | None = None,
) -> Iterator[np.ndarray]:
    """candidate_paragraph_pairs a batch at a time, in (p, q) order, grouped out of core when the band keys
    are more than `_PARTITION`: each band's keys (with their positions) go to files in a temporary folder
    under `scratch`, split by key into parts of about `_PARTITION` keys; a part is grouped into buckets at a
    time, its pairs go to files split by p's range, and each of those is made distinct and sorted at a time.
    What is held at once is one part's keys or pairs, whatever the corpus (DuckDB's GROUP BY and self-join
    did the same work, spilling, about three times slower on this machine).

    rows: when given, position k's sketch is `sketches[rows[k]]` (one row per distinct text). crowded: sorted
    keys whose buckets are crowded however few of their positions these sketches hold (a daily run links part
    of a corpus, and a bucket is judged on the whole corpus: tasks.relink.crowded_keys)."""
    n = len(rows) if rows is not None else len(sketches)
    if n < 2:
        return
    split = -(-n // _PARTITION)  # parts per band
    # The pairs' parts, by p's range: as many as the keys' (a bucket of k keys makes k(k - 1) / 2 pairs, most
    # buckets hold one or two keys), so that a part of pairs is about a part of keys.
    spread = config.bands * split if n * config.bands > _PARTITION else 1
    with _Spill(scratch, spread if spread > 1 else 0) as keys:
        for lo, block in sketch_blocks(sketches, rows):
            at = np.arange(lo, lo + len(block), dtype=np.int64)
            for band, column in enumerate(band_keys(block, config).T):
                part = band * split + (column % np.uint64(split)).astype(np.int64) if split > 1 else band
                keys.add(part, np.rec.fromarrays([column, at], names="key,pos"))
            del block
        with _Spill(scratch, spread if keys.on_disk else 0) as pairs:
            for part in range(config.bands * split):
                found = _bucket_pairs(keys.take(part), config.max_bucket, fresh, crowded)
                pairs.add(np.minimum(found[:, 0] * spread // n, spread - 1), found[:, 0] * n + found[:, 1])
            for part in range(spread):
                flat = distinct(pairs.take(part))
                yield np.stack([flat // n, flat % n], axis=1)


def _bucket_pairs(
    keys: np.recarray, max_bucket: int, fresh: np.ndarray | None, crowded: np.ndarray | None = None
) -> np.ndarray:
    """(p, q) position pairs, p < q, sharing a key (one band's) of at most `max_bucket` positions, and not
    one of the `crowded` keys (sorted)."""
    if len(keys) == 0:
        return np.empty((0, 2), dtype=np.int64)
    order = np.argsort(keys.key, kind="stable")
    sorted_keys = keys.key[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    keep = (sizes > 1) & (sizes <= max_bucket)
    if crowded is not None and len(crowded):
        bucket = sorted_keys[starts]
        keep &= ~places_in(crowded, bucket)[1]
    del sorted_keys
    if fresh is not None:
        keep &= np.add.reduceat(fresh[keys.pos[order]].astype(np.int64), starts) > 0
    pairs = pairs_within_groups(keys.pos[order], starts[keep], sizes[keep])
    if fresh is not None:
        pairs = pairs[fresh[pairs[:, 0]] | fresh[pairs[:, 1]]]
    return np.stack([np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])], axis=1)


class _Spill:
    """Arrays gathered into numbered parts: in memory when `parts` is 0, else appended to one file per part in
    a temporary folder under `scratch` (removed after)."""

    def __init__(self, scratch: Path | None, parts: int):
        self.on_disk = parts > 0
        self.held: dict[int, list[np.ndarray]] = {}
        self.folder: tempfile.TemporaryDirectory | None = None
        self.dtype: np.dtype | None = None
        if self.on_disk:
            if scratch is not None:
                scratch.mkdir(parents=True, exist_ok=True)
            self.folder = tempfile.TemporaryDirectory(dir=scratch, prefix="link-")

    def __enter__(self) -> _Spill:
        return self

    def __exit__(self, *exc) -> None:
        if self.folder is not None:
            self.folder.cleanup()

    def add(self, part: int | np.ndarray, values: np.ndarray) -> None:
        """values to part `part`, or each value to its own part (`part` an array as long as `values`)."""
        self.dtype = values.dtype
        if np.ndim(part) == 0:
            self._append(int(part), values)
            return
        order = np.argsort(part, kind="stable")
        part, values = part[order], values[order]
        bounds = np.flatnonzero(np.r_[True, part[1:] != part[:-1], True]) if len(part) else [0]
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            self._append(int(part[lo]), values[lo:hi])

    def _append(self, part: int, values: np.ndarray) -> None:
        if not self.on_disk:
            self.held.setdefault(part, []).append(values)
            return
        with open(Path(self.folder.name) / f"{part}.bin", "ab") as out:
            out.write(np.ascontiguousarray(values).tobytes())

    def take(self, part: int) -> np.ndarray:
        """Part `part`'s values in the order they were added, let go of here."""
        dtype = self.dtype if self.dtype is not None else np.dtype(np.int64)
        if not self.on_disk:
            held = self.held.pop(part, [])
            values = np.concatenate(held) if held else np.empty(0, dtype=dtype)
        else:
            path = Path(self.folder.name) / f"{part}.bin"
            values = np.fromfile(path, dtype=dtype) if path.exists() else np.empty(0, dtype=dtype)
            path.unlink(missing_ok=True)
        return values.view(np.recarray) if dtype.names else values


def sketch_blocks(sketches: np.ndarray, rows: np.ndarray | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """(first position, sketch rows) blocks over every position (`sketches[rows[k]]` when rows are given), a
    bounded number of rows at a time; a sketch file's pages are let go of after each block."""
    n = len(rows) if rows is not None else len(sketches)
    for lo in range(0, n, _MAPPED_STEP):
        hi = min(lo + _MAPPED_STEP, n)
        block = gathered(sketches, rows[lo:hi]) if rows is not None else np.asarray(sketches[lo:hi])
        if rows is None and is_mapped(sketches):
            block = block.copy()  # a slice of the file is a view of its pages: copied before they go
        released(sketches)
        yield lo, block


def gathered(sketches: np.ndarray, rows: np.ndarray, width: int | None = None) -> np.ndarray:
    """sketches[rows, :width] (a copy; width None: whole rows); from a mapped sketch file a region of
    `_REGION` bytes at a time, its pages let go after each, so what a gather maps of the file is bounded
    whatever its size or the rows' order."""
    columns = slice(width)
    if not is_mapped(sketches) or len(rows) == 0:
        return sketches[rows, columns]
    out = np.empty((len(rows), sketches[:0, columns].shape[1]), dtype=sketches.dtype)
    region = rows // max(_REGION // sketches.strides[0], 1)
    order = np.argsort(region, kind="stable")
    region = region[order]
    bounds = np.flatnonzero(np.r_[True, region[1:] != region[:-1], True])
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        at = order[lo:hi]
        out[at] = sketches[rows[at], columns]
        released(sketches)
    return out


def is_mapped(sketches: np.ndarray) -> bool:
    """Whether the sketches are a file mapped into memory (find_stories' sketch file)."""
    return isinstance(getattr(sketches, "base", None), mmap.mmap)


def released(sketches: np.ndarray) -> None:
    """Let go of the pages of a sketch file mapped into memory: they stay in the OS's page cache (reading them
    again costs a page fault, not a disk read) and no longer count in this process's memory."""
    if is_mapped(sketches):
        sketches.base.madvise(mmap.MADV_DONTNEED)


def verify_paragraph_pairs(
    pairs: np.ndarray, sketches: np.ndarray, config: LinkConfig = LinkConfig(), rows: np.ndarray | None = None
) -> np.ndarray:
    """The candidate pairs whose estimated Jaccard similarity reaches `min_paragraph_jaccard`.

    rows: when given, position k's sketch is `sketches[rows[k]]` (pairs of distinct texts, one row each)."""
    kept = [pairs[:0]]
    width = sketches.shape[1] if sketches.ndim == 2 else 0
    need = np.ceil(config.min_paragraph_jaccard * width - 1e-9)
    head = width // 4
    mapped = is_mapped(sketches)
    step = _MAPPED_STEP if mapped else _COMPARE
    every = slice(None)
    for k in range(0, len(pairs), step):
        chunk = pairs[k : k + step]
        at = chunk if rows is None else rows[chunk]
        if mapped:  # a mapped file's rows are gathered a bounded part at a time (`gathered`)

            def pick(side: int, keep=every, columns=every, at=at) -> np.ndarray:
                return gathered(sketches, at[keep, side], columns.stop)
        else:  # held sketches: only the rows and columns compared are read

            def pick(side: int, keep=every, columns=every, at=at) -> np.ndarray:
                return sketches[at[keep, side], columns]

        # Most candidates are far below the threshold: a quarter of the sketch rules them out cheaply
        # (a pair right at the threshold agrees there less than half as often about once in 500 tries), and
        # only the rest is read whole.
        agree = agreements(pick(0, columns=slice(head)), pick(1, columns=slice(head)))
        close = agree >= np.floor(need * head / width / 2)
        agree = agreements(pick(0, close), pick(1, close))
        kept.append(chunk[close][agree >= need])
    return np.concatenate(kept)


_BYTE_SUM = np.uint64(0x0101010101010101)  # times a word of 8 bytes: their sum in the top byte (if < 256)


def agreements(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per row, how many columns of x and y are equal: `(x == y).sum(axis=1)`, which numpy sums slowly over
    short rows (65,536 rows of 16: 2.6 ms, 0.16 here). The booleans are bytes of 0 or 1: summed 8 at a time
    as 64-bit words (no byte carries past 255 while a row has fewer than 256 columns), then a word's bytes
    added by one multiplication."""
    equal = x == y
    if equal.ndim != 2 or not 0 < equal.shape[1] <= 255 or equal.shape[1] % 8 or not equal.flags.c_contiguous:
        return equal.sum(axis=1)
    words = equal.view(np.uint64)
    total = words[:, 0].copy()
    for column in range(1, words.shape[1]):
        total += words[:, column]
    return ((total * _BYTE_SUM) >> np.uint64(56)).astype(np.int64)


def distinct(values: np.ndarray) -> np.ndarray:
    """np.unique of a 1-D array by sorting: numpy 2's hashing np.unique is ~20x slower on 10M int64."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def places_in(ordered: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(where each value is in the sorted array `ordered`, its first place; whether it is there at all): the
    membership np.isin tells, by one binary search a value, where np.isin sorts both arrays again (a pass of
    linking met a million keys for ten thousand values, 12% of linking's CPU at 10k documents)."""
    if not len(ordered):
        return np.zeros(len(values), dtype=np.int64), np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return at, ordered[at] == values


def paragraph_texts(fingerprints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct paragraph texts: the first row holding each, and each row's text number."""
    _, first, text_of = np.unique(fingerprints, return_index=True, return_inverse=True)
    return first, text_of.ravel()


def matched_rows(
    text_pairs: np.ndarray, text_of: np.ndarray, doc_index: np.ndarray, config: LinkConfig = LinkConfig()
) -> np.ndarray:
    """Row pairs of different documents whose paragraphs match: the same text, or texts paired as near.

    A text printed more than `max_copies` times is a stock phrase and matches nothing.
    """
    order = np.argsort(text_of, kind="stable")
    counts = np.bincount(text_of)
    starts = np.cumsum(counts) - counts
    usable = counts <= config.max_copies
    repeated = np.flatnonzero(usable & (counts > 1))
    near = text_pairs[usable[text_pairs[:, 0]] & usable[text_pairs[:, 1]]]
    row_type = row_dtype(len(doc_index))
    found = [np.empty((0, 2), dtype=row_type)]

    def kept(pairs: np.ndarray) -> np.ndarray:
        # Row positions fit 32 bits: the most numerous pairs of linking are held at half the size.
        return pairs[doc_index[pairs[:, 0]] != doc_index[pairs[:, 1]]].astype(row_type)

    # A step of about _CHUNK pairs at a time: the int64 pairs and their indexes are made for a step, not all.
    made = counts[repeated] * (counts[repeated] - 1) // 2
    for lo, hi in steps_of(made):
        found.append(kept(pairs_within_groups(order, starts[repeated[lo:hi]], counts[repeated[lo:hi]])))
    made = counts[near[:, 0]] * counts[near[:, 1]]
    for lo, hi in steps_of(made):
        part = near[lo:hi]
        c2, total = counts[part[:, 1]], made[lo:hi]
        k = np.repeat(np.arange(len(part)), total)
        step = np.arange(int(total.sum())) - np.repeat(np.cumsum(total) - total, total)
        cross = np.stack(
            [order[starts[part[k, 0]] + step // c2[k]], order[starts[part[k, 1]] + step % c2[k]]], axis=1
        )
        found.append(kept(cross))
    return np.concatenate(found)


def steps_of(sizes: np.ndarray, step: int | None = None) -> list[tuple[int, int]]:
    """(lo, hi) runs of consecutive items whose sizes add up to about `step` (a larger item: a run alone)."""
    if len(sizes) == 0:
        return []
    step = step or _CHUNK
    bounds = np.searchsorted(np.cumsum(sizes), np.arange(step, int(sizes.sum()), step), side="right")
    edges = distinct(np.r_[0, bounds, len(sizes)])
    return [(int(lo), int(hi)) for lo, hi in zip(edges[:-1], edges[1:], strict=True) if hi > lo]


def row_dtype(n_rows: int) -> np.dtype:
    """The narrowest integer type of a row number among n_rows (rows held per row of the corpus)."""
    return np.dtype(np.int32) if n_rows < 2**31 else np.dtype(np.int64)


@dataclass(frozen=True)
class WholeTexts:
    """Each document's body as one sketch (the element-wise minimum of its paragraphs'), its size in
    shingles, the (a, b) document pairs the whole-text LSH makes candidates, and per pair the estimated
    containment and Jaccard similarity of the two bodies (document_similarity, computed once)."""

    documents: np.ndarray
    size: np.ndarray
    pairs: np.ndarray
    containment: np.ndarray
    jaccard: np.ndarray


def whole_texts(
    doc_index: np.ndarray,
    sketches: np.ndarray,
    shingle_counts: np.ndarray,
    n_docs: int,
    config: LinkConfig = LinkConfig(),
    new: np.ndarray | None = None,
    scratch: Path | None = None,
    crowded: np.ndarray | None = None,
) -> WholeTexts:
    documents, size = document_sketches(doc_index, sketches, shingle_counts, n_docs)
    pairs = candidate_document_pairs(documents, size, config, new, scratch, crowded)
    return WholeTexts(documents, size, pairs, *document_similarity(pairs[:, 0], pairs[:, 1], documents, size))


def link_documents(
    doc_index: np.ndarray,
    sketches: np.ndarray,
    fingerprints: np.ndarray,
    shingle_counts: np.ndarray,
    n_docs: int,
    config: LinkConfig = LinkConfig(),
    new: np.ndarray | None = None,
    whole: WholeTexts | None = None,
    scratch: Path | None = None,
) -> Links:
    """Document pairs sharing matched paragraphs, weighted by how much of the shorter one is shared.

    doc_index: for each body paragraph row, the position of its document; sketches, fingerprints: the rows'
    MinHash signatures and exact fingerprints; shingle_counts: the rows' shingle counts (about their words).
    A text printed many times is sketched and bucketed once. Candidates come from paragraph matches
    (same text or LSH) and from stock texts printed side by side; those whose containment reaches
    `min_containment` are verified on all their paragraphs. new: per document position; when given, only
    pairs with a new document (what incremental linking needs to know). scratch: see candidate_pair_batches.
    """
    found = document_pairs(
        doc_index, sketches, fingerprints, shingle_counts, n_docs, config, new, whole, scratch
    )
    return found.links()


@dataclass(frozen=True)
class DocumentPairs:
    """What link_documents weighs, held so that its document pairs are made one pass at a time.

    The document pairs sharing any matched paragraph are linking's most numerous arrays (about 170 per
    document at 10k generated documents, most of them one stock sentence in common), yet few are links, and
    clustering reads only the pairs inside a linked group. So they are never all held: `links` makes them
    in `passes` passes, each the pairs whose first document's position is the pass number modulo `passes`
    (every pair's figures depend only on corpus-wide counts, computed once here), and keeps what the caller
    asks for. What is held across passes grows with matched paragraph pairs, not document pairs: the matched
    row pairs (8 bytes each) and, per row, its spread and weight.
    """

    doc_index: np.ndarray
    text_of: np.ndarray
    pairs: np.ndarray  # matched row pairs
    part: np.ndarray  # per matched row pair: its pass
    passes: int
    spread: np.ndarray  # per row: paragraph_spread
    weight: np.ndarray  # per row: its weight in document_overlaps over all matched row pairs
    other_key: np.ndarray  # sorted keys of pairs from stock texts and whole-text evidence
    whole: WholeTexts
    verified: Links  # the close pairs' overlaps, verified on all their paragraphs
    printed: Links  # of those, the paragraphs printed verbatim in both
    matched: tuple[np.ndarray, np.ndarray]  # keys of the verified pairs, and their matched_share
    n_docs: int
    config: LinkConfig

    def links(
        self, keep: Callable[[Links], np.ndarray] | None = None, group: np.ndarray | None = None
    ) -> Links:
        """Every document pair's Links row (sorted by a, b), or only the rows `keep` selects, pass by pass.

        group: when given, a label per document position: only pairs of documents with one label are made
        (the others' matched rows are never summed; a pair's figures depend on its own rows only)."""
        kept = []
        for p in range(self.passes):
            found = self._pass(p, group)
            kept.append(found if keep is None else _select(found, keep(found)))
        links = _concat(kept)
        return _select(links, np.lexsort((links.b, links.a))) if self.passes > 1 else links

    def _keys(self, p: int, group: np.ndarray | None = None) -> tuple[Links, np.ndarray, np.ndarray]:
        """Pass p's found overlaps, their keys, and every key of the pass (found first, then the others)."""
        config, n = self.config, np.int64(self.n_docs)
        pairs = self.pairs[self.part == p] if self.passes > 1 else self.pairs
        other_key = self.other_key[(self.other_key // n) % self.passes == p]
        if group is not None:
            doc_group = group[self.doc_index]
            pairs = pairs[doc_group[pairs[:, 0]] == doc_group[pairs[:, 1]]]
            other_key = other_key[group[other_key // n] == group[other_key % n]]
            del doc_group
        found = document_overlaps(
            self.doc_index, pairs, self.n_docs, config.stock_spread, self.spread, self.weight
        )
        del pairs
        found_key = found.a * n + found.b
        known = np.searchsorted(found_key, other_key)
        known = found_key[np.minimum(known, len(found_key) - 1)] == other_key if len(found_key) else known < 0
        return found, found_key, np.concatenate([found_key, other_key[~known]])

    def close_keys(self) -> np.ndarray:
        """Keys of the pairs whose estimated containment reaches `min_containment`, to be verified on all
        their paragraphs (few: about one per document)."""
        n, close = np.int64(self.n_docs), [np.empty(0, dtype=np.int64)]
        for p in range(self.passes):
            pairs = self.pairs[self.part == p] if self.passes > 1 else self.pairs
            da, db = self.doc_index[pairs[:, 0]], self.doc_index[pairs[:, 1]]
            mine = self.other_key[(self.other_key // n) % self.passes == p]
            key = distinct(np.r_[np.minimum(da, db) * n + np.maximum(da, db), mine])
            del pairs, da, db
            containment, _ = document_similarity(key // n, key % n, self.whole.documents, self.whole.size)
            close.append(key[containment >= self.config.min_containment])
        return np.sort(np.concatenate(close))

    def _pass(self, p: int, group: np.ndarray | None = None) -> Links:
        config, n = self.config, np.int64(self.n_docs)
        documents, size = self.whole.documents, self.whole.size
        found, found_key, key = self._keys(p, group)
        shared = np.r_[found.shared, np.zeros(len(key) - len(found_key), dtype=np.int64)]
        rarity = np.r_[found.rarity, np.ones(len(key) - len(found_key))]
        was_found = np.arange(len(key)) < len(found_key)
        del found, found_key
        order = np.argsort(key, kind="stable")
        key, shared, rarity, was_found = key[order], shared[order], rarity[order], was_found[order]
        del order
        a, b = key // n, key % n
        containment, jaccard = document_similarity(a, b, documents, size)
        whole_text = whole_text_evidence(containment, jaccard, np.minimum(size[a], size[b]), config)
        close = containment >= config.min_containment
        shared[close], rarity[close] = 0, 1.0
        verified, printed = self.verified, self.printed
        mine = (verified.a % self.passes == p) & _same(group, verified)
        at = np.searchsorted(key, verified.a[mine] * n + verified.b[mine])
        shared[at], rarity[at] = verified.shared[mine], verified.rarity[mine]
        verbatim = np.zeros(len(key), dtype=np.int64)
        mine = (printed.a % self.passes == p) & _same(group, printed)
        verbatim[np.searchsorted(key, printed.a[mine] * n + printed.b[mine])] = printed.shared[mine]
        matched = np.ones(len(key))
        matched_key, share = self.matched
        at, mine = places_in(key, matched_key)
        matched[at[mine]] = share[mine]
        keep = was_found | (shared > 0) | whole_text
        weight = np.where(whole_text & (shared == 0), containment, containment * rarity)
        jaccard = np.where(whole_text, jaccard, 0.0)
        columns = (a, b, weight, shared, rarity, verbatim, jaccard, matched)
        return Links(*(values[keep] for values in columns))


def document_pairs(
    doc_index: np.ndarray,
    sketches: np.ndarray,
    fingerprints: np.ndarray,
    shingle_counts: np.ndarray,
    n_docs: int,
    config: LinkConfig = LinkConfig(),
    new: np.ndarray | None = None,
    whole: WholeTexts | None = None,
    scratch: Path | None = None,
    crowded: np.ndarray | None = None,
) -> DocumentPairs:
    """What link_documents weighs (its arguments), with the close pairs already verified. scratch: where the
    LSH buckets are grouped out of core, crowded: keys whose buckets are crowded (candidate_pair_batches)."""
    first, text_of = paragraph_texts(fingerprints)
    fresh = None
    if new is not None:
        fresh = np.zeros(len(first), dtype=bool)
        fresh[text_of[new[doc_index]]] = True
    # Distinct texts, each by its first row's sketch (never gathered into a copy): candidates come out of core
    # a batch at a time and are verified as they come; only the near ones are kept.
    batches = candidate_pair_batches(sketches, config, fresh, scratch, rows=first, crowded=crowded)
    near = [np.empty((0, 2), dtype=np.int64)]
    near += [verify_paragraph_pairs(batch, sketches, config, rows=first) for batch in batches]
    near = np.concatenate(near)
    pairs = matched_rows(near, text_of, doc_index, config)
    del near
    release_heap()  # the candidates' batches and steps: the pairs are what is held from here
    spread = paragraph_spread(pairs, text_of, doc_index)
    if new is not None:
        pairs = pairs[new[doc_index[pairs[:, 0]]] | new[doc_index[pairs[:, 1]]]]
    n = np.int64(n_docs)
    # A matched row weighs less the more documents it is found in, wherever it is matched (all passes).
    weight = np.ones(len(doc_index))
    matched = np.zeros(len(doc_index), dtype=bool)
    matched[pairs[:, 0]] = matched[pairs[:, 1]] = True
    weight[matched] = np.minimum(1.0, config.stock_spread / spread[matched])
    del matched
    passes = max(1, -(-len(pairs) // _PASS))
    part = np.empty(0, dtype=np.int64)
    if passes > 1:
        part = np.minimum(doc_index[pairs[:, 0]], doc_index[pairs[:, 1]]) % passes
        part = part.astype(np.uint16 if passes < 2**16 else np.int64)
    stock_key = stock_document_pairs(doc_index, text_of, n_docs, config)
    if new is not None:
        stock_key = stock_key[new[stock_key // n] | new[stock_key % n]]
    # whole: the corpus' whole-text sketches and their LSH pairs, when the caller has them (link_corpus
    # uses them again for heavy rewrites); only for a run over all pairs (`new` None).
    whole = whole or whole_texts(doc_index, sketches, shingle_counts, n_docs, config, new, scratch)
    size, text_pairs = whole.size, whole.pairs
    # Only those with whole-text evidence: the others would be verified on paragraphs they never met in an
    # LSH bucket, where near matches of unrelated stories built from the same sentences pass.
    smaller = np.minimum(size[text_pairs[:, 0]], size[text_pairs[:, 1]])
    text_pairs = text_pairs[whole_text_evidence(whole.containment, whole.jaccard, smaller, config)]
    other_key = distinct(np.r_[stock_key, text_pairs[:, 0] * n + text_pairs[:, 1]])
    empty = Links(*(np.empty(0, dtype=np.int64),) * 4)
    found = DocumentPairs(
        doc_index,
        text_of,
        pairs,
        part,
        passes,
        spread,
        weight,
        other_key,
        whole,
        empty,
        empty,
        (np.empty(0, dtype=np.int64), np.empty(0)),
        n_docs,
        config,
    )
    # Candidates are verified on all their paragraphs: one lost to a crowded bucket, a text printed over
    # max_copies times or an LSH miss still counts for a pair found through another paragraph.
    close = found.close_keys()
    every = paragraphs_in_common(close // n, close % n, doc_index, sketches, config)
    verified = verified_overlaps(doc_index, every, n_docs, config.stock_spread, spread)
    matched = matched_share(doc_index, every, shingle_counts, n_docs)
    same = every[text_of[every[:, 0]] == text_of[every[:, 1]]]
    del every
    printed = verbatim_overlaps(doc_index, same, n_docs)
    del same
    release_heap()  # the verification's sorting, before the passes over the pairs
    return replace(found, verified=verified, printed=printed, matched=matched)


def matched_share(
    doc_index: np.ndarray, pairs: np.ndarray, shingle_counts: np.ndarray, n_docs: int
) -> tuple[np.ndarray, np.ndarray]:
    """(keys a * n_docs + b, share) of the document pairs holding the matched row pairs `pairs`: the larger of
    the two documents' shares of their body shingles in the rows matched (a row matched twice counts once).
    Exact where document_similarity estimates: a pair sharing two background paragraphs, a quarter of the
    shorter body, was estimated at 0.55."""
    if len(pairs) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0)
    n = np.int64(n_docs)
    body = np.bincount(doc_index, weights=shingle_counts, minlength=n_docs)
    da, db = doc_index[pairs[:, 0]], doc_index[pairs[:, 1]]
    key = np.minimum(da, db) * n + np.maximum(da, db)
    del da, db
    # A document pair's share reads its own row pairs only: the pairs are taken a part of about _PASS at a
    # time by key (sorting every row of every pair at once held about 120 bytes a pair, the link step's peak
    # at 100k generated documents), and the keys put back in order.
    parts = max(1, -(-len(pairs) // _PASS))
    if parts == 1:
        return _matched_share(doc_index, pairs, key, shingle_counts, body, n)
    found = []
    for p in range(parts):
        mine = key % parts == p
        found.append(_matched_share(doc_index, pairs[mine], key[mine], shingle_counts, body, n))
        del mine
    keys, share = np.concatenate([k for k, _ in found]), np.concatenate([s for _, s in found])
    order = np.argsort(keys)
    return keys[order], share[order]


def _matched_share(
    doc_index: np.ndarray,
    pairs: np.ndarray,
    key: np.ndarray,
    shingle_counts: np.ndarray,
    body: np.ndarray,
    n: np.int64,
) -> tuple[np.ndarray, np.ndarray]:
    """matched_share of the row pairs `pairs` (their document pairs' keys `key`), every row pair of each."""
    if len(pairs) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0)
    rows, pair_of = np.r_[pairs[:, 0], pairs[:, 1]], np.r_[key, key]
    # Each (pair, row) once: a paragraph matched twice in the other document still counts once.
    order = np.lexsort((rows, pair_of))
    rows, pair_of = rows[order], pair_of[order]
    del order
    first = np.r_[True, (rows[1:] != rows[:-1]) | (pair_of[1:] != pair_of[:-1])]
    rows, pair_of = rows[first], pair_of[first]
    starts = np.flatnonzero(np.r_[True, pair_of[1:] != pair_of[:-1]])
    keys = pair_of[starts]
    mine = doc_index[rows] == pair_of // n  # the row is the pair's first document's
    a_sum = np.add.reduceat(np.where(mine, shingle_counts[rows], 0.0), starts)
    b_sum = np.add.reduceat(np.where(mine, 0.0, shingle_counts[rows]), starts)
    share = np.maximum(a_sum / np.maximum(body[keys // n], 1e-9), b_sum / np.maximum(body[keys % n], 1e-9))
    return keys, np.minimum(share, 1.0)


def _same(group: np.ndarray | None, links: Links) -> np.ndarray | bool:
    """Whether each pair's documents have one label (every pair when there are no labels)."""
    return True if group is None else group[links.a] == group[links.b]


def _select(links: Links, rows: np.ndarray) -> Links:
    """The Links rows at `rows` (positions or a mask)."""
    return Links(*(None if values is None else values[rows] for values in _columns(links)))


def _columns(links: Links) -> tuple:
    """A Links' arrays in field order."""
    return tuple(getattr(links, f.name) for f in fields(links))


def _concat(parts: list[Links]) -> Links:
    if len(parts) == 1:
        return parts[0]
    columns = zip(*(_columns(part) for part in parts), strict=True)
    return Links(*(None if values[0] is None else np.concatenate(values) for values in columns))


def strong_links(overlaps: Links, config: LinkConfig = LinkConfig()) -> np.ndarray:
    """Which document pairs are links: enough of the shorter body found in the other, at least
    `min_shared` paragraphs in common, and `min_verbatim` of them printed verbatim or `min_shared_near`
    in common (when verbatim ones are counted)."""
    strong = (overlaps.weight >= config.min_containment) & (overlaps.shared >= config.min_shared)
    if overlaps.verbatim is not None:
        strong &= (overlaps.verbatim >= config.min_verbatim) | (overlaps.shared >= config.min_shared_near)
    if overlaps.matched is not None:
        # The paragraphs matched must themselves be that share of a body, not only the sketches' estimate
        # of the whole bodies' overlap (docs/linking.md, link-9: wire background paragraphs).
        strong &= overlaps.matched >= config.min_matched_share
    if overlaps.jaccard is not None:
        # Whole-text evidence (link_documents left 0 where it falls short), whatever the paragraph breaks.
        strong |= (overlaps.weight >= config.min_containment) & (overlaps.jaccard >= config.min_text_jaccard)
    return strong | (overlaps.shared == GIVEN_SHARED)


def stock_document_pairs(
    doc_index: np.ndarray, text_of: np.ndarray, n_docs: int, config: LinkConfig = LinkConfig()
) -> np.ndarray:
    """Keys (a * n_docs + b, a < b) of document pairs printing two texts of over `max_copies` copies each
    next to each other (or one apart) among such texts, in reading order.

    Such texts make no pairs by themselves (too many), but two of them side by side are rare unless the two
    documents are one story printed many times; a group of more than `max_bucket` documents (a story
    republished that often, or two stock sentences always printed together) is chained, each document
    paired with the next, so the cost stays linear and verification decides.
    """
    n = np.int64(n_docs)
    stock = np.flatnonzero(np.bincount(text_of)[text_of] > config.max_copies)
    stock = stock[np.lexsort((stock, doc_index[stock]))]  # reading order within each document
    doc, text = doc_index[stock], text_of[stock].astype(np.int64)
    n_texts = np.int64(text_of.max(initial=-1) + 1)
    combos = []
    for gap in (1, 2):
        same = doc[gap:] == doc[:-gap]
        lo = np.minimum(text[gap:], text[:-gap])[same]
        hi = np.maximum(text[gap:], text[:-gap])[same]
        combos.append(np.stack([lo * n_texts + hi, doc[gap:][same]], axis=1))
    combos = np.unique(np.concatenate(combos), axis=0)  # (combination, document), sorted
    if len(combos) == 0:
        return np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, combos[1:, 0] != combos[:-1, 0]])
    sizes = np.diff(np.r_[starts, len(combos)])
    small = (sizes > 1) & (sizes <= config.max_bucket)
    pairs = pairs_within_groups(combos[:, 1], starts[small], sizes[small])
    crowded = np.repeat(sizes > config.max_bucket, sizes)[:-1] & (combos[1:, 0] == combos[:-1, 0])
    chained = np.flatnonzero(crowded)
    pairs = np.concatenate([pairs, np.stack([combos[chained, 1], combos[chained + 1, 1]], axis=1)])
    return distinct(np.minimum(pairs[:, 0], pairs[:, 1]) * n + np.maximum(pairs[:, 0], pairs[:, 1]))


def paragraph_spread(pairs: np.ndarray, text_of: np.ndarray, doc_index: np.ndarray) -> np.ndarray:
    """Per row: in how many documents its paragraph is found, itself included: the documents it is matched
    in, or those printing its text when they are more (a text printed over `max_copies` times matches none).
    """
    # Pairs, not distinct documents: a document holding two near copies of one paragraph is rare enough.
    spread = 1.0 + np.bincount(pairs.ravel(), minlength=len(doc_index))
    texts, printed = _distinct_counts(text_of, doc_index)
    in_documents = np.zeros(len(spread))
    in_documents[texts] = printed
    return np.maximum(spread, in_documents[text_of])


def paragraphs_in_common(
    a: np.ndarray,
    b: np.ndarray,
    doc_index: np.ndarray,
    sketches: np.ndarray,
    config: LinkConfig = LinkConfig(),
) -> np.ndarray:
    """Row pairs (of documents a[k], b[k]) whose paragraphs match: every paragraph of one compared with
    every paragraph of the other, for the few document pairs already close enough to be a link.

    A step's documents' sketch rows are gathered once, about `_HELD_ROWS` at a time, and its row pairs
    compared on that copy: a document of 25 paragraphs is in 625 pairs of a pair of documents, and gathering
    each pair's two rows from the mapped sketch file again was a fifth of linking (docs/pipeline.md, cpu4)."""
    order = np.argsort(doc_index, kind="stable")
    count = np.bincount(doc_index, minlength=int(max(a.max(initial=-1), b.max(initial=-1)) + 1))
    start = np.cumsum(count) - count
    total = count[a] * count[b]
    found = [np.empty((0, 2), dtype=np.int64)]
    for lo, hi in _common_steps(np.cumsum(total), np.cumsum(count[a] + count[b])):
        x, y, t = a[lo:hi], b[lo:hi], total[lo:hi]
        # The step's documents' rows, each document's together, document docs[i]'s from held_start[i] on.
        docs = distinct(np.r_[x, y])
        held_count = count[docs]
        held_start = np.cumsum(held_count) - held_count
        rows = order[np.arange(int(held_count.sum())) - np.repeat(held_start - start[docs], held_count)]
        held = gathered(sketches, rows)
        k = np.repeat(np.arange(len(x)), t)
        step = np.arange(int(t.sum())) - np.repeat(np.cumsum(t) - t, t)
        cb = count[y][k]
        at_x, at_y = held_start[np.searchsorted(docs, x)], held_start[np.searchsorted(docs, y)]
        local = np.stack([at_x[k] + step // cb, at_y[k] + step % cb], axis=1)
        found.append(rows[verify_paragraph_pairs(local, held, config)])
    return np.concatenate(found)


def _common_steps(pairs_to: np.ndarray, rows_to: np.ndarray) -> Iterator[tuple[int, int]]:
    """(lo, hi) steps over document pairs, given the running totals of their row pairs and of their rows: each
    step at most `_CHUNK` row pairs and `_HELD_ROWS` rows (or one document pair), so what paragraphs_in_common
    holds at once is bounded whatever the corpus."""
    lo, n = 0, len(pairs_to)
    while lo < n:
        pairs_before = pairs_to[lo - 1] if lo else 0
        rows_before = rows_to[lo - 1] if lo else 0
        hi = min(
            np.searchsorted(pairs_to, pairs_before + _CHUNK, side="right"),
            np.searchsorted(rows_to, rows_before + _HELD_ROWS, side="right"),
        )
        hi = max(int(hi), lo + 1)
        yield lo, hi
        lo = hi


def document_overlaps(
    doc_index: np.ndarray,
    pairs: np.ndarray,
    n_docs: int,
    stock_spread: int = 20,
    spread: np.ndarray | None = None,
    weight: np.ndarray | None = None,
) -> Links:
    """Document pairs holding matched paragraph pairs, weighted by the share of the shorter body matched.

    `rarity` scales that share for stock text: a paragraph found in more than `stock_spread` documents
    counts `stock_spread` / (the documents it is found in), so text many unrelated documents print weighs
    little while a story's own paragraphs (found only in its versions) count fully; rarity is the
    weighted share over the plain one. spread: per row, the documents it is found in (paragraph_spread);
    by default, those it is matched in by `pairs`. weight: per row, what it counts for, when the caller has
    it (`pairs` then one pass of many: a row's weight is set by where it is matched in all of them).
    """
    empty = np.empty(0, dtype=np.int64)
    if len(pairs) == 0:
        return Links(empty, empty, np.empty(0), empty, np.empty(0))
    body_counts = np.bincount(doc_index, minlength=n_docs)
    da, db = doc_index[pairs[:, 0]], doc_index[pairs[:, 1]]
    if weight is None:
        rows = np.r_[pairs[:, 0], pairs[:, 1]]
        weight = np.ones(len(doc_index))
        if spread is None:
            spread = np.ones(len(doc_index))
            spread[distinct(rows)] = 1 + _distinct_counts(rows, np.r_[db, da])[1]
        matched = distinct(rows)
        del rows  # (memory: every array here is one or two per matched row pair, the corpus' most numerous)
        weight[matched] = np.minimum(1.0, stock_spread / spread[matched])
    total = np.bincount(doc_index, weights=weight, minlength=n_docs)
    swap = da > db
    n = np.int64(n_docs)
    pair_key = np.minimum(da, db) * n + np.maximum(da, db)
    del da, db
    # A paragraph matched twice in the other document still counts once.
    keys, count_a, weight_a = _distinct_counts(pair_key, np.where(swap, pairs[:, 1], pairs[:, 0]), weight)
    _, count_b, weight_b = _distinct_counts(pair_key, np.where(swap, pairs[:, 0], pairs[:, 1]), weight)
    a, b = keys // n, keys % n
    share = np.maximum(count_a / np.maximum(body_counts[a], 1), count_b / np.maximum(body_counts[b], 1))
    rare = np.maximum(weight_a / np.maximum(total[a], 1e-9), weight_b / np.maximum(total[b], 1e-9))
    return Links(a, b, np.minimum(share, 1.0), np.minimum(count_a, count_b), np.minimum(rare / share, 1.0))


def verified_overlaps(
    doc_index: np.ndarray, pairs: np.ndarray, n_docs: int, stock_spread: int, spread: np.ndarray
) -> Links:
    """document_overlaps of the row pairs `pairs` with each row's `spread` given, a part of about _PASS pairs
    at a time by document pair: a pair's figures read its own row pairs, and corpus-wide only each row's
    weight (set here once, from every pair) and its document's total; so at most a part's sorting is held
    (about 100 bytes a pair), not every pair's."""
    parts = max(1, -(-len(pairs) // _PASS))
    if parts == 1:
        return document_overlaps(doc_index, pairs, n_docs, stock_spread, spread)
    matched = np.zeros(len(doc_index), dtype=bool)
    matched[pairs[:, 0]] = matched[pairs[:, 1]] = True
    weight = np.ones(len(doc_index))
    weight[matched] = np.minimum(1.0, stock_spread / spread[matched])
    del matched
    n = np.int64(n_docs)
    da, db = doc_index[pairs[:, 0]], doc_index[pairs[:, 1]]
    part = (np.minimum(da, db) * n + np.maximum(da, db)) % parts
    del da, db
    found = []
    for p in range(parts):
        found.append(document_overlaps(doc_index, pairs[part == p], n_docs, stock_spread, spread, weight))
    links = _concat(found)
    return _select(links, np.argsort(links.a * n + links.b))


def verbatim_overlaps(doc_index: np.ndarray, pairs: np.ndarray, n_docs: int) -> Links:
    """What document_overlaps says of the row pairs `pairs` (printed verbatim in both documents) that
    linking reads of them: per document pair, its share (`weight`) and its paragraphs in common (`shared`),
    a part of about _PASS pairs at a time by document pair. Counted, not weighed (no `rarity`), so no row's
    spread over every pair is made: document_overlaps of every verbatim pair at once (its rows' spread and
    weight, and two sorts of every pair) was linking's peak at 200k generated documents (docs/memory.md)."""
    empty = np.empty(0, dtype=np.int64)
    if len(pairs) == 0:
        return Links(empty, empty, np.empty(0), empty)
    n = np.int64(n_docs)
    da, db = doc_index[pairs[:, 0]], doc_index[pairs[:, 1]]
    key = np.minimum(da, db) * n + np.maximum(da, db)
    swap = da > db
    del da, db
    parts = max(1, -(-len(pairs) // _PASS))
    found = []
    for p in range(parts):
        mine = key % parts == p if parts > 1 else slice(None)
        rows, part_key, part_swap = pairs[mine], key[mine], swap[mine]
        # A paragraph matched twice in the other document still counts once (as document_overlaps counts).
        keys, count_a = _distinct_counts(part_key, np.where(part_swap, rows[:, 1], rows[:, 0]))
        _, count_b = _distinct_counts(part_key, np.where(part_swap, rows[:, 0], rows[:, 1]))
        found.append((keys, count_a, count_b))
        del mine, rows, part_key, part_swap
    del key, swap
    keys, count_a, count_b = (np.concatenate(columns) for columns in zip(*found, strict=True))
    if parts > 1:
        order = np.argsort(keys)
        keys, count_a, count_b = keys[order], count_a[order], count_b[order]
    body_counts = np.bincount(doc_index, minlength=n_docs)
    a, b = keys // n, keys % n
    share = np.maximum(count_a / np.maximum(body_counts[a], 1), count_b / np.maximum(body_counts[b], 1))
    return Links(a, b, np.minimum(share, 1.0), np.minimum(count_a, count_b))


def document_sketches(
    doc_index: np.ndarray, sketches: np.ndarray, shingle_counts: np.ndarray, n_docs: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per document: the MinHash sketch of its body's shingles (the element-wise minimum of its paragraphs'
    sketches, so where the paragraph breaks fall barely matters), and its body's shingle count.

    Stock text stays in: left out, two documents of different stock sentences around one shared sentence
    would look alike.
    """
    width = sketches.shape[1] if sketches.ndim == 2 else 0
    # An empty corpus comes as an empty float matrix: its documents' sketches are uint32 like any others.
    dtype = sketches.dtype if sketches.dtype.kind in "ui" else np.dtype(np.uint32)
    documents = np.full((n_docs, width), np.iinfo(dtype).max, dtype=dtype)
    size = np.bincount(doc_index, weights=shingle_counts, minlength=n_docs)
    # Over runs of rows of one document as they come (a document's rows are usually one run), a block of rows
    # at a time, so the sketches are never copied in document order nor held whole; a document in several
    # runs (or blocks) takes their minimum.
    for lo, block in sketch_blocks(sketches):
        fold_minimum(documents, doc_index[lo : lo + len(block)], block)
    return documents, size


def fold_minimum(documents: np.ndarray, owner: np.ndarray, matrix: np.ndarray) -> None:
    """documents[owner[k]] = min(documents[owner[k]], matrix[k]) for every row k, by runs of rows of one
    owner (a document's paragraphs usually come as one run)."""
    if len(owner) == 0:
        return
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    runs = np.minimum.reduceat(matrix, starts, axis=0)
    first = owner[starts]
    if len(distinct(first)) == len(first):
        documents[first] = np.minimum(documents[first], runs)
    else:
        np.minimum.at(documents, first, runs)


def candidate_document_pairs(
    documents: np.ndarray,
    size: np.ndarray,
    config: LinkConfig = LinkConfig(),
    new: np.ndarray | None = None,
    scratch: Path | None = None,
    crowded: np.ndarray | None = None,
) -> np.ndarray:
    """(a, b) document pairs, a < b, whose body sketches agree in a band of `text_rows` (LSH on documents).

    Only documents with a body of `min_text_shingles` or more take part; new: when given, only pairs with a
    new document.
    """
    usable = np.flatnonzero(size >= config.min_text_shingles)
    if len(usable) < 2 or documents.shape[1] < config.text_bands * config.text_rows:
        return np.empty((0, 2), dtype=np.int64)
    banding = LinkConfig(bands=config.text_bands, rows=config.text_rows, max_bucket=config.max_bucket)
    fresh = None if new is None else new[usable]
    pairs = candidate_paragraph_pairs(documents[usable], banding, fresh, scratch, crowded)
    return usable[pairs]


def contained_document_pairs(
    whole: WholeTexts,
    doc_index: np.ndarray,
    config: LinkConfig = LinkConfig(),
    scratch: Path | None = None,
    crowded: np.ndarray | None = None,
) -> np.ndarray:
    """(a, b) document pairs, a < b, whose smaller body is estimated `min_candidate_containment` inside the
    other (document_similarity), among pairs sharing the value of any one hash function of their body
    sketches in a bucket of at most `max_bucket` documents: rewrite candidates the document LSH misses when a
    short text sits inside a long one (their Jaccard is low however much of the short one is contained).

    One row per band makes the search near exhaustive for such pairs (a containment of 0.5 in a text three
    times longer is a Jaccard of 0.14: 9 of 64 values agree on average) and bounded: each of the sketch's
    values pairs at most `max_bucket` documents, so the pairs are at most 64 x documents x max_bucket / 2,
    never all pairs; a value shared by more documents is stock text and pairs none. Only bodies of
    `min_text_shingles` take part, and the smaller one needs `min_contained_paragraphs` paragraphs (doc_index:
    per body row, its document): a rewrite retells a story in paragraphs of its own, while one or two
    paragraphs inside another story are a passage two stories share (a sentence with other names and
    numbers, a quote), as the matched-paragraph rules never link on one."""
    documents, size = whole.documents, whole.size
    usable = np.flatnonzero(size >= config.min_text_shingles)
    if len(usable) < 2 or documents.shape[1] == 0:
        return np.empty((0, 2), dtype=np.int64)
    banding = LinkConfig(bands=documents.shape[1], rows=1, max_bucket=config.max_bucket)
    paragraphs = np.bincount(doc_index, minlength=len(size))
    kept = [np.empty((0, 2), dtype=np.int64)]
    # A batch at a time: most pairs sharing one value are far from containment, and are let go at once.
    for batch in candidate_pair_batches(documents[usable], banding, scratch=scratch, crowded=crowded):
        pairs = usable[batch]
        smaller = np.where(size[pairs[:, 0]] <= size[pairs[:, 1]], pairs[:, 0], pairs[:, 1])
        contained, _ = document_similarity(pairs[:, 0], pairs[:, 1], documents, size)
        kept.append(
            pairs[
                (paragraphs[smaller] >= config.min_contained_paragraphs)
                & (contained >= config.min_candidate_containment)
            ]
        )
    return np.concatenate(kept)


def whole_text_evidence(
    containment: np.ndarray, jaccard: np.ndarray, smaller: np.ndarray, config: LinkConfig = LinkConfig()
) -> np.ndarray:
    """Per document pair (document_similarity's estimates, the smaller body's shingles): whether their bodies'
    shingles alone make them one text, however they are cut into paragraphs (`min_text_jaccard`,
    `min_containment`, `min_text_shingles`)."""
    return (
        (jaccard >= config.min_text_jaccard)
        & (containment >= config.min_containment)
        & (smaller >= config.min_text_shingles)
    )


def document_similarity(
    a: np.ndarray, b: np.ndarray, documents: np.ndarray, size: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(estimated containment of the smaller body in the other, estimated Jaccard similarity) per pair."""
    containment, jaccard = np.empty(len(a)), np.empty(len(a))
    for k in range(0, len(a), _COMPARE):
        x, y = a[k : k + _COMPARE], b[k : k + _COMPARE]
        # The share of equal columns, as `.mean(axis=1)` gives it: a count over the width, both exact.
        width = documents.shape[1]
        j = agreements(documents[x], documents[y]) / width if width else np.zeros(len(x))
        common = j * (size[x] + size[y]) / (1 + j)
        containment[k : k + _COMPARE] = common / np.maximum(np.minimum(size[x], size[y]), 1)
        jaccard[k : k + _COMPARE] = j
    return np.minimum(containment, 1.0), jaccard


def document_containment(
    a: np.ndarray,
    b: np.ndarray,
    doc_index: np.ndarray,
    sketches: np.ndarray,
    shingle_counts: np.ndarray,
    n_docs: int,
) -> np.ndarray:
    """Estimated share of the smaller document's body shingles found in the other, for document pairs.

    A document's sketch is the element-wise minimum of its paragraphs' (the MinHash of their union), so a
    paragraph split in two, two merged or one moved costs nothing here, unlike in paragraph matching.
    """
    if len(a) == 0:
        return np.empty(0)
    documents, size = document_sketches(doc_index, sketches, shingle_counts, n_docs)
    return document_similarity(a, b, documents, size)[0]


def _distinct_counts(group: np.ndarray, value: np.ndarray, weight: np.ndarray | None = None) -> tuple:
    """For each group: how many distinct values it holds (and the sum of their weights, if given)."""
    order = _by_group_then_value(group, value)
    group, value = group[order], value[order]
    del order
    new = np.ones(len(group), dtype=bool)  # (an empty corpus has no first row to mark)
    new[1:] = (group[1:] != group[:-1]) | (value[1:] != value[:-1])
    group, value = group[new], value[new]
    # Sorted already: each group's first row starts a run (no second sort, as np.unique would make).
    start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(group) else np.zeros(0, np.int64)
    keys, counts = group[start], np.diff(np.r_[start, len(group)])
    if weight is None:
        return keys, counts
    return keys, counts, np.add.reduceat(weight[value], start) if len(start) else np.zeros(0)


def _by_group_then_value(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """An order of the rows by group, then value: np.lexsort((value, group))'s rows, from one sort of a key
    packing both when they are integers from 0 that fit in 63 bits together (a pair key and a row at 10k
    documents: 27 and 18 bits), 10x faster than lexsort on two million rows. Rows whose group and value are
    equal may come in another order, which nothing reading the sorted values can tell."""
    if len(group) and group.dtype.kind in "iu" and value.dtype.kind in "iu":
        low, high = int(min(group.min(), value.min())), int(value.max())
        bits = max(high.bit_length(), 1)
        if low >= 0 and int(group.max()).bit_length() + bits <= 63:
            return np.argsort((group.astype(np.int64) << bits) | value.astype(np.int64))
    return np.lexsort((value, group))


def rewrite_pairs(
    overlaps: Links,
    whole: WholeTexts,
    n_docs: int,
    config: LinkConfig = LinkConfig(),
    extra: np.ndarray | None = None,
) -> np.ndarray:
    """(a, b) document pairs from the document LSH (and `extra` candidate pairs, e.g. from names and
    numbers), not yet links, whose bodies' estimated Jaccard similarity reaches `min_rewrite_jaccard` (an
    extra pair: `min_name_rewrite_jaccard`) and whose smaller body has `min_text_shingles`: what a heavy
    rewrite of a text and its origin look like. Also, per pair, whether it is under `min_rewrite_jaccard`
    (the check of its names then also asks `min_names_matched_longer`)."""
    documents, size, pairs, jaccard = whole.documents, whole.size, whole.pairs, whole.jaccard
    n = np.int64(n_docs)
    floor = np.full(len(pairs), config.min_rewrite_jaccard)
    contained, contained_floor = whole.containment, np.full(len(pairs), np.inf)
    if extra is not None and len(extra):
        lo, hi = np.minimum(extra[:, 0], extra[:, 1]), np.maximum(extra[:, 0], extra[:, 1])
        keep = (lo != hi) & (np.minimum(size[lo], size[hi]) >= config.min_text_shingles)
        lo, hi = lo[keep], hi[keep]
        # Documents whose rare names agree need less shared wording (a write-through keeps a quarter); a
        # short rewrite of a longer one shares little of it by Jaccard, its containment tells (link-9).
        flat = np.r_[pairs[:, 0] * n + pairs[:, 1], lo * n + hi]
        floor = np.r_[floor, np.full(len(lo), config.min_name_rewrite_jaccard)]
        contained_floor = np.r_[contained_floor, np.full(len(lo), config.min_cut_containment)]
        extra_contained, extra_jaccard = document_similarity(lo, hi, documents, size)
        jaccard, contained = np.r_[jaccard, extra_jaccard], np.r_[contained, extra_contained]
        order = np.lexsort((floor, flat))
        flat, floor, jaccard = flat[order], floor[order], jaccard[order]
        contained, contained_floor = contained[order], contained_floor[order]
        first = np.r_[True, flat[1:] != flat[:-1]] if len(flat) else np.zeros(0, dtype=bool)
        flat, floor, jaccard = flat[first], floor[first], jaccard[first]
        contained, contained_floor = contained[first], contained_floor[first]
        pairs = np.stack([flat // n, flat % n], axis=1)
    if len(pairs) == 0:
        return pairs, np.zeros(0, dtype=bool)
    keep = (jaccard >= floor) | (contained >= contained_floor)
    pairs, low = pairs[keep], jaccard[keep] < config.min_rewrite_jaccard
    strong = strong_links(overlaps, config)
    linked = overlaps.a[strong] * n + overlaps.b[strong]
    new = ~np.isin(pairs[:, 0] * n + pairs[:, 1], linked)
    return pairs[new], low[new]


# What a given link counts as matched paragraphs: a link whatever its weight (strong_links).
GIVEN_SHARED = np.iinfo(np.int64).max // 4


def with_given_links(
    overlaps: Links, given: np.ndarray, n_docs: int, weight: np.ndarray | None = None
) -> Links:
    """The overlaps with each given pair as a link, in place of what was found for it: a full link (weight 1),
    or of the pair's `weight` (a short rewrite's, cut_weight: a link clustering weighs as thin)."""
    n = np.int64(n_docs)
    lo, hi = np.minimum(given[:, 0], given[:, 1]), np.maximum(given[:, 0], given[:, 1])
    weight = np.ones(len(given)) if weight is None else np.asarray(weight, dtype=np.float64)
    key, at = np.unique(lo[lo != hi] * n + hi[lo != hi], return_index=True)
    found = overlaps.a * n + overlaps.b
    other = ~np.isin(found, key)
    ones, big = weight[lo != hi][at], np.full(len(key), GIVEN_SHARED)

    def joined(values: np.ndarray | None, fill: np.ndarray) -> np.ndarray | None:
        return None if values is None else np.r_[values[other], fill]

    return Links(
        np.r_[overlaps.a[other], key // n],
        np.r_[overlaps.b[other], key % n],
        np.r_[overlaps.weight[other], ones],
        np.r_[overlaps.shared[other], big],
        joined(overlaps.rarity, ones),
        joined(overlaps.verbatim, big),
        joined(overlaps.jaccard, ones),
        joined(overlaps.matched, ones),
    )


def cluster_stories(
    n_docs: int, overlaps: Links, config: LinkConfig = LinkConfig(), versions: np.ndarray | None = None
) -> np.ndarray:
    """A story label per document position: linked groups, split where they are held together by thin links.

    Most groups are complete (every member linked to every other) and are taken as they are, in numpy; the
    rest are re-clustered by average linkage along their links: two parts join only while the mean overlap
    between their members, counting none as 0, reaches `min_cohesion`. Republications of one origin overlap
    each other too, so they stay together; a digest quoting two stories overlaps each with only its own half,
    so it cannot chain them.

    versions: per document position, a label shared by documents known to be versions of one text (one
    canonical URL, an outlet's versions). They count as one member, linked to another by their strongest
    link: a draft rewritten before publication matches the first published version, not the three updates
    appended to it later, yet it is a version of that page all the same (issue 12, class 2).
    """
    strong = strong_links(overlaps, config)
    a = overlaps.a[strong]
    if len(a) == 0:
        return np.arange(n_docs)
    label = linked_groups(n_docs, overlaps, config, strong)
    size = np.bincount(label)
    n_links = np.bincount(label[a], minlength=len(size))
    incomplete = np.zeros(len(size), dtype=bool)
    incomplete[np.flatnonzero(n_links < size * (size - 1) // 2)] = True
    if not incomplete.any():
        return label
    label = label.copy()
    next_label = len(size)
    inside = (label[overlaps.a] == label[overlaps.b]) & incomplete[label[overlaps.a]]
    order = np.lexsort((overlaps.b[inside], overlaps.a[inside], label[overlaps.a[inside]]))
    oa, ob = overlaps.a[inside][order], overlaps.b[inside][order]
    w, linked, group = overlaps.weight[inside][order], strong[inside][order], label[oa]
    bounds = np.flatnonzero(np.r_[True, group[1:] != group[:-1], True])
    for s, e in zip(bounds[:-1], bounds[1:], strict=True):
        parts = _average_linkage(
            oa[s:e].tolist(),
            ob[s:e].tolist(),
            w[s:e].tolist(),
            linked[s:e].tolist(),
            config.min_cohesion,
            versions,
        )
        for part in parts:
            label[part] = next_label
            next_label += 1
    return label


def linked_groups(
    n_docs: int, overlaps: Links, config: LinkConfig = LinkConfig(), strong: np.ndarray | None = None
) -> np.ndarray:
    """A label per document position shared by the documents the links among `overlaps` join."""
    strong = strong_links(overlaps, config) if strong is None else strong
    a, b = overlaps.a[strong], overlaps.b[strong]
    from scipy.sparse import coo_matrix  # imported at use: a run with nothing new links nothing
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n_docs, n_docs))
    return connected_components(graph, directed=False)[1]


def _average_linkage(
    a: list[int],
    b: list[int],
    w: list[float],
    linked: list[bool],
    min_cohesion: float,
    unit: np.ndarray | None = None,
) -> list[list[int]]:
    """Parts of one linked group, joined along links, strongest first, while their mean overlap holds.

    unit: per document, the versions of one text it belongs to; they start as one part, which counts as one
    member and overlaps another by its members' strongest link."""
    docs = set(a) | set(b)
    # Each part is named by its smallest document; the versions of one text start as one part.
    first: dict[int, int] = {}
    for d in sorted(docs):
        first.setdefault(d if unit is None else int(unit[d]), d)
    part = {d: first[d if unit is None else int(unit[d])] for d in docs}
    members: dict[int, list[int]] = {p: [] for p in part.values()}
    for d in sorted(docs):
        members[part[d]].append(d)
    size = dict.fromkeys(members, 1)
    between: dict[int, dict[int, float]] = {p: {} for p in members}
    for x, y, weight in zip(a, b, w, strict=True):
        px, py = part[x], part[y]
        if px != py:
            between[px][py] = between[py][px] = max(weight, between[px].get(py, 0.0))
    links = sorted(
        ((weight, x, y) for x, y, weight, ok in zip(a, b, w, linked, strict=True) if ok),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    merged = True
    while merged:  # a join refused early may hold once the parts have grown
        merged = False
        for _, x, y in links:
            px, py = part[x], part[y]
            if px == py or between[px].get(py, 0.0) / (size[px] * size[py]) < min_cohesion:
                continue
            if size[px] < size[py] or (size[px] == size[py] and px > py):
                px, py = py, px
            for d in members[py]:
                part[d] = px
            members[px] += members.pop(py)
            size[px] += size.pop(py)
            for other, value in between.pop(py).items():
                if other != px:
                    between[other].pop(py)
                    between[other][px] = between[px][other] = between[px].get(other, 0.0) + value
            between[px].pop(py, None)
            merged = True
    return [sorted(m) for m in sorted(members.values())]


def group_stories(
    doc_ids: list[str],
    label: np.ndarray,
    published: list[datetime | None],
    sources: list[str],
    doc_index: np.ndarray,
    fingerprints: np.ndarray,
) -> list[Member]:
    """Members of each story (a story label per document position), ordered as versions (0 = the origin).

    doc_index, fingerprints: the body paragraph rows, which tell each republication's most likely source.
    """
    order = sorted(range(len(doc_ids)), key=lambda k: (int(label[k]), version_key(published[k], sources[k])))
    version = np.zeros(len(doc_ids), dtype=np.int64)
    stories: dict[int, list[int]] = {}
    for k in order:
        group = stories.setdefault(int(label[k]), [])
        version[k] = len(group)
        group.append(k)
    source = copied_from(label, version, doc_index, fingerprints)
    members = []
    for group in stories.values():
        story_id = story_identifier([doc_ids[k] for k in group])
        for k in group:
            parent = doc_ids[source[k]] if source[k] >= 0 else (doc_ids[group[0]] if version[k] else None)
            members.append(Member(story_id, doc_ids[k], int(version[k]), len(group), parent))
    return sorted(members, key=lambda m: (m.story_id, m.version))


def copied_from(
    label: np.ndarray, version: np.ndarray, doc_index: np.ndarray, fingerprints: np.ndarray
) -> np.ndarray:
    """For each document position, the earlier version of its story sharing most body paragraphs verbatim
    (ties to the earliest), or -1 when none shares any (the caller falls back to the origin)."""
    source = np.full(len(label), -1, dtype=np.int64)
    if len(doc_index) == 0:
        return source
    size = np.bincount(label)
    rows = np.flatnonzero(size[label[doc_index]] > 1)
    # A story's answer depends on its own rows only: stories are taken a part of about _STORY_ROWS rows at
    # a time (by label), as grouping every row of the corpus at once held about 80 bytes a row (the end of
    # the link step's peak at 200k generated documents).
    parts = max(1, -(-len(rows) // _STORY_ROWS))
    for p in range(parts):
        mine = rows if parts == 1 else rows[label[doc_index[rows]] % parts == p]
        _copied_from_rows(mine, label, version, doc_index, fingerprints, source)
    return source


def _copied_from_rows(
    rows: np.ndarray,
    label: np.ndarray,
    version: np.ndarray,
    doc_index: np.ndarray,
    fingerprints: np.ndarray,
    source: np.ndarray,
) -> None:
    """copied_from over the body rows `rows` (every row of the stories they are in), set in `source`."""
    if len(rows) == 0:
        return
    # One row per (story, paragraph text, document), grouped by story and text.
    table = np.unique(
        np.stack([label[doc_index[rows]], fingerprints[rows].astype(np.int64), doc_index[rows]], axis=1),
        axis=0,
    )
    starts = np.flatnonzero(np.r_[True, (table[1:, :2] != table[:-1, :2]).any(axis=1)])
    sizes = np.diff(np.r_[starts, len(table)])
    keep = sizes > 1
    pairs = pairs_within_groups(table[:, 2], starts[keep], sizes[keep])
    if len(pairs) == 0:
        return
    n = np.int64(len(label))
    flat, shared = np.unique(
        np.minimum(pairs[:, 0], pairs[:, 1]) * n + np.maximum(pairs[:, 0], pairs[:, 1]), return_counts=True
    )
    x, y = flat // n, flat % n
    later = np.where(version[x] > version[y], x, y)
    earlier = np.where(version[x] > version[y], y, x)
    pick = np.lexsort((version[earlier], -shared, later))
    later, earlier = later[pick], earlier[pick]
    first = np.r_[True, later[1:] != later[:-1]]
    source[later[first]] = earlier[first]


def story_identifier(doc_ids: list[str]) -> str:
    """Stable while membership is unchanged: a hash of the sorted member ids."""
    return hashlib.sha256("\n".join(sorted(doc_ids)).encode()).hexdigest()[:16]


def version_key(published_at: datetime | None, source: str) -> tuple:
    """Earliest date first; undated documents after dated ones; then source order."""
    return (published_at is None, published_at or datetime.min, source)


def link_corpus(
    doc_ids: list[str],
    published: list[datetime | None],
    sources: list[str],
    doc_index: np.ndarray,
    sketches: np.ndarray,
    fingerprints: np.ndarray,
    shingle_counts: np.ndarray,
    config: LinkConfig = LinkConfig(),
    given: np.ndarray | None = None,
    versions: np.ndarray | None = None,
    rewrite_check: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None,
    rewrite_candidates: np.ndarray | None = None,
    scratch: Path | None = None,
    apart: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    crowded: CrowdedKeys | None = None,
) -> list[Member]:
    """Every document in exactly one story: link, cluster, order versions, find each version's source.

    doc_index, sketches, fingerprints, shingle_counts: one row per body paragraph (boilerplate left out by
    the caller). given: (a, b) document pairs known to be one story from outside their body text (one
    canonical URL, an outlet's versions of one text), linked whatever their paragraphs share. versions: per
    document, a label shared by the versions of one text among them (cluster_stories).
    rewrite_check: for document pairs (a, b) that may be heavy rewrites of each other, and whether each
    shares little wording (under `min_rewrite_jaccard`) and the estimated containment of its smaller body in
    the other, how strongly they are (their names and numbers matched in order, their narratives' phrases:
    tasks.stories). rewrite_candidates: (a, b) document pairs to test as heavy rewrites besides those of the
    document LSH (documents whose rare names agree). scratch: a folder for what is grouped out of core (the
    LSH buckets: candidate_pair_batches); sketches may be a file mapped into memory, read a block at a time.
    apart: for (a, b) document pairs, whether they are two stories whatever their text shares (two instances
    of an outlet's series: tasks.stories.series_apart); such a pair is no link and no overlap clustering
    weighs (they are still one story if `given` joins them, or if other links chain them).
    crowded: the keys of the LSH buckets crowded in the whole corpus, when these documents are part of it (a
    daily run: tasks.relink.crowded_keys); no pair is made in them.
    """
    n_docs = len(doc_ids)
    release_heap()  # what the caller's steps freed (the names' candidates are made as an argument)
    crowded = crowded or CrowdedKeys(*(None,) * 3)
    whole = whole_texts(
        doc_index, sketches, shingle_counts, n_docs, config, scratch=scratch, crowded=crowded.documents
    )
    found = document_pairs(
        doc_index,
        sketches,
        fingerprints,
        shingle_counts,
        n_docs,
        config,
        whole=whole,
        scratch=scratch,
        crowded=crowded.paragraphs,
    )

    # Of the document pairs sharing a matched paragraph (linking's most numerous arrays), heavy rewrites and
    # the linked groups need only the links; clustering, only the pairs inside a linked group. So the pairs
    # are made twice, a pass at a time (DocumentPairs), and only those are kept: what cluster_stories gets
    # is what it would read of them all.
    def kept(links: Links) -> np.ndarray:
        return np.ones(len(links), dtype=bool) if apart is None else ~apart(links.a, links.b)

    overlaps = found.links(lambda links: strong_links(links, config) & kept(links))
    release_heap()  # each pass's document pairs: only the links are kept
    thin, thin_weight = np.empty((0, 2), dtype=np.int64), np.empty(0)
    if rewrite_check is not None:
        # Besides the caller's candidates (rare names): a smaller body mostly inside the other (link-11).
        candidates = contained_document_pairs(whole, doc_index, config, scratch, crowded.contained)
        if rewrite_candidates is not None:
            candidates = np.concatenate([rewrite_candidates, candidates])
        rewrites, low = rewrite_pairs(overlaps, whole, n_docs, config, candidates)
        if apart is not None and len(rewrites):
            other = apart(rewrites[:, 0], rewrites[:, 1])
            rewrites, low = rewrites[~other], low[~other]
        strength = np.zeros(0)
        if len(rewrites):
            contained, _ = document_similarity(rewrites[:, 0], rewrites[:, 1], whole.documents, whole.size)
            strength = np.asarray(
                rewrite_check(rewrites[:, 0], rewrites[:, 1], low, contained), dtype=np.float64
            )
        # A full link (1), or a thin one (a short rewrite's: cut_weight) clustering weighs.
        weak = (strength > 0) & (strength < 1)
        thin, thin_weight = rewrites[weak], strength[weak]
        rewrites = rewrites[strength >= 1]
        given = rewrites if given is None else np.concatenate([given, rewrites])

    def with_rewrites(links: Links) -> Links:
        if len(thin):
            links = with_given_links(links, thin, n_docs, thin_weight)
        return links if given is None or len(given) == 0 else with_given_links(links, given, n_docs)

    linked = with_rewrites(overlaps)
    group = linked_groups(n_docs, linked, config)
    overlaps = with_rewrites(found.links(kept, group=group))
    del found
    release_heap()  # the matched pairs: clustering reads only the pairs inside a linked group
    label = cluster_stories(n_docs, overlaps, config, versions)
    return group_stories(doc_ids, label, published, sources, doc_index, fingerprints)
