"""Copies of one dispatch told by the letters their narratives share (link-26, docs/linking.md).

Papers of 1916 printed one wire dispatch each cut to its own length, and each page's OCR misread it its own
way:
a word broken at a line end (`em bargo`, `ex peditionary`), a letter misread (`Kunston` for Funston). The
narrative check's 5-word phrases break on every such word, so copies that print the same sentences share a
phrase in too few paragraphs. Read as letters only (lower-cased, spaces and punctuation dropped), a broken
word is whole again and a misread letter spoils only the runs across it: a copy prints long runs of the
dispatch's letters; an independent report of the event shares names and quotes, which the narrative leaves
out, not its sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from tasks.evidence import narrative_runs

_NOT_LETTER = re.compile(r"[^a-z]+")


def narrative_letters(text: str) -> str:
    """One paragraph's narrative (its words outside quotes and their attributions) as lower-case letters only:
    a word an OCR'd line end broke in two, or hyphenated, reads as the word."""
    return spaced(text).replace(" ", "")


def spaced(text: str) -> str:
    """narrative_letters with one space between words (a word of no letter dropped)."""
    runs = (_NOT_LETTER.sub("", w) for words in narrative_runs(text) for w in words)
    return " ".join(w for w in runs if w)


def copied_share(a: str, b: str, run: int) -> float:
    """The share of the shorter letters string inside runs of `run` letters the longer one also holds."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < run:
        return 0.0
    held = {long[i : i + run] for i in range(len(long) - run + 1)}
    starts = len(short) - run + 1
    hits = np.fromiter((short[i : i + run] in held for i in range(starts)), dtype=np.int64, count=starts)
    # A letter is covered when a run starting at most `run - 1` letters before it is held: the running sum
    # of the hits over a window of `run` starts.
    covered = np.convolve(hits, np.ones(run, dtype=np.int64))
    return float(np.count_nonzero(covered)) / len(short)


def letters_reader(wide, rows: np.ndarray, owner: np.ndarray, fingerprint: np.ndarray):
    """Per document asked for, its body paragraphs in reading order as (fingerprint, narrative letters), read
    from their text when asked (the few pairs the narrative check leaves unlinked). rows, owner, fingerprint:
    as stories.narrative_reader's. None when there is no text to read."""
    if not wide.has_text():
        return None

    def read(docs: np.ndarray) -> dict[int, list[tuple[int, str]]]:
        wanted = np.flatnonzero(np.isin(owner, docs))
        letters: list[str] = [""] * len(wanted)
        for where, values in wide.picked("text", rows[wanted]):
            for k, text in zip(where.tolist(), values.to_pylist(), strict=True):
                letters[k] = spaced(text or "")
        out: dict[int, list[tuple[int, str]]] = {int(d): [] for d in docs.tolist()}
        for d, f, text in zip(owner[wanted].tolist(), fingerprint[wanted].tolist(), letters, strict=True):
            out[d].append((f, text))
        return out

    return read


def copies_check(read: Callable[[np.ndarray], dict[int, list]], config) -> Callable:
    """For narrative_check: per pair (a, b) of its documents, whether the narratives of the two, their
    verbatim paragraphs left out, share `min_copy_share` of the shorter's letters in runs of `copy_run`
    letters, the shorter holding `min_copy_letters` or more."""

    def check(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.zeros(len(a), dtype=bool)
        if len(a) == 0:
            return out
        got = read(np.union1d(a, b))
        for k, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
            verbatim = {f for f, _ in got[x]} & {f for f, _ in got[y]}
            lx = "".join(t.replace(" ", "") for f, t in got[x] if f not in verbatim)
            ly = "".join(t.replace(" ", "") for f, t in got[y] if f not in verbatim)
            if min(len(lx), len(ly)) < config.min_copy_letters:
                continue
            share = copied_share(lx, ly, config.copy_run)
            if share < config.min_copy_share:
                continue
            # Only where word boundaries disagree (broken words): two clean texts sharing sentences share
            # them word for word too, and the narrative check has judged them. (The texts read are spaced
            # already: letters_reader keeps each paragraph's words as `spaced` gives them.)
            sx = " ".join(t for f, t in got[x] if f not in verbatim)
            sy = " ".join(t for f, t in got[y] if f not in verbatim)
            out[k] = copied_share(sx, sy, config.copy_run + 5) <= config.max_copy_word_ratio * share
        return out

    return check
