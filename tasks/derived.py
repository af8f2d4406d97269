"""A paper's story partly derived from an agency's copy (issue 12, class 3; link-28).

A paper reporting a court case from the Press Association's copy keeps the copy's facts in its order and
lifts some of its sentences, each recast a little ("He said he had won acclaim for conducting works by
modern composers in the Eighties"), between its own sentences and the quotations every reporter in court
took down. Longer than a brief (tasks/briefs.py: 235-300 words, its own lead), sharing a tenth to a third of
its words with the copy, it is no rewrite candidate and no brief. What tells it from the paper's own report
of the same hearing is its narrative (its words outside quotation marks): sentence by sentence, half or more
of a sentence's content words are in one sentence of the copy, in order, for a third of its narrative and
three sentences or more. An own report shares names, figures and quotes, and a clause here and there: at
most a quarter of its narrative in such sentences (METER's non-derived stories in the open part).
"""

from __future__ import annotations

import numpy as np

from tasks.briefs import SENTENCE_END, ShortStoryEvidence, content_words, in_order, short_story_pairs
from tasks.evidence import names_and_numbers, narrative_runs
from tasks.link import LinkConfig

# Quotation marks of typewritten wire copy (``...''), read as the double quote they stand for.
_WIRE_QUOTES = (("``", '"'), ("''", '"'))


def narrative_sentences(paragraphs: list[str]) -> list[list[str]]:
    """Each sentence's narrative content words (content_words of its words outside quotation marks and their
    attributions, tasks.evidence.narrative_runs), in reading order."""
    return [words for words, _, _ in _sentences(paragraphs)]


def _sentences(paragraphs: list[str]) -> list[tuple[list[str], list[str], int]]:
    """Each sentence's (narrative content words, names and numbers, paragraph), in reading order."""
    out = []
    for k, paragraph in enumerate(paragraphs):
        for mark, quote in _WIRE_QUOTES:
            paragraph = paragraph.replace(mark, quote)
        for sentence in SENTENCE_END.split(paragraph):
            words = content_words(" ".join(" ".join(run) for run in narrative_runs(sentence)))
            out.append((words, names_and_numbers(sentence), k))
    return out


def lifted_sentences(story: list[str], source: list[str], config: LinkConfig) -> tuple[int, float]:
    """(in how many of the story's paragraphs, the share of its narrative's content words in them) sentences
    lifted from the source: a sentence of `min_lifted_words` narrative content words or more,
    `min_lifted_share` of them in one sentence of the source (or two running on) in the same order, and at
    least half of its names and numbers (if any) printed by the source."""
    # A sentence of fewer words (a run-in attribution, "The trial continues.") says nothing either way.
    own = [(w, n, k) for w, n, k in _sentences(story) if len(w) >= config.min_lifted_words]
    # The source's narrative too: two reports that print one quotation (a witness's words, a sketch's lines),
    # one of them without its marks, share the quoted speaker's words, not the reporter's (Us Weekly's and
    # EW's SNL stories, real-news-dev: 0.36 of the one's narrative in the other's quoted lines). A sentence
    # recast may join two of the source's: each with the next one too.
    read = _sentences(source)
    theirs = [w for w, _, _ in read]
    theirs += [a + b for a, b in zip(theirs, theirs[1:], strict=False)]
    # A lifted sentence tells the source's facts: its names and numbers are the source's. Two stories built
    # on one stock sentence with other names (the generator's pool) share its words only.
    named = {n for _, names, _ in read for n in names}
    # The words in order are words the source sentence prints: a sentence with fewer than the share of its
    # words in it cannot reach the share, and counting them is far cheaper than aligning (a corpus's
    # candidates share names, mostly not sentences: the alignment was most of linking on generated text).
    printed = [set(t) for t in theirs]

    def lifted_from(w: list[str]) -> bool:
        need = config.min_lifted_share * len(w) - 1e-9
        return any(
            sum(x in p for x in w) >= need and in_order(w, t) >= config.min_lifted_share
            for t, p in zip(theirs, printed, strict=True)
        )

    lifted = [(w, k) for w, n, k in own if 2 * sum(x in named for x in n) >= len(n) and lifted_from(w)]
    # Counted by paragraph, as the narrative check counts (link-10): one passage two stories share (a stock
    # paragraph of three sentences, its names changed) is one paragraph, however many sentences it holds.
    paragraphs = len({k for _, k in lifted})
    return paragraphs, sum(len(w) for w, _ in lifted) / max(sum(len(w) for w, _, _ in own), 1)


def is_derived_from(story: list[str], source: list[str], config: LinkConfig) -> bool:
    """Whether a story (its paragraphs' texts) is partly derived from a source: lifted sentences
    (lifted_sentences) in `min_lifted_sentences` of its paragraphs, holding `min_derived_share` of its
    narrative."""
    # Paragraphs printed word for word in both are left out, as the narrative check leaves them (link-10): a
    # passage reused whole (a story pasting another's paragraphs) is the paragraph rules' evidence, not a
    # rewrite's.
    verbatim = {_spaced(p) for p in story} & {_spaced(p) for p in source}
    story = [p for p in story if _spaced(p) not in verbatim]
    source = [p for p in source if _spaced(p) not in verbatim]
    count, share = lifted_sentences(story, source, config)
    return count >= config.min_lifted_sentences and share >= config.min_derived_share


def derived_pairs(published: np.ndarray, evidence: ShortStoryEvidence, config: LinkConfig) -> np.ndarray:
    """(source, story) document pairs linked as a story partly derived from another outlet's longer one:
    the story's body longer than a brief and at most `max_derived_words` words, the two dated at most
    `brief_days` apart, sharing `min_brief_names` rare names and numbers (briefs.brief_candidates), and the
    story made of the source's sentences (is_derived_from), and the source published before the story
    (`published`: per document, seconds since 1970, stories.published_seconds). A story is derived from what
    was printed before it: two papers of one morning (one date, no time) sharing a third source's sentences
    are not derived from each other."""
    if config.max_derived_words <= config.max_brief_words:
        return np.empty((0, 2), dtype=np.int64)
    sizes = (config.max_brief_words + 1, config.max_derived_words)

    def after(pairs: np.ndarray) -> np.ndarray:  # (story, source) pairs: the source printed first
        return published[pairs[:, 1]] < published[pairs[:, 0]]

    return short_story_pairs(evidence, config, sizes, is_derived_from, after)


def _spaced(text: str) -> str:
    return " ".join(text.split())
