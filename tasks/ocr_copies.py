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
import pyarrow as pa
import pyarrow.compute as pc

from tasks.clean import COLUMN_LINES
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


# link-27: OCR'd copies that no candidate of the word-based searches pairs. Their 3-word shingles are broken
# by the OCR (a misread or split word spoils three shingles, a paragraph's sketch its whole paragraph), so
# they are found by what the copies share unbroken: runs of their letters. Only documents read as OCR'd
# newspaper columns (tasks.clean.split_page) are searched, so clean text, which the word-based rules serve,
# pays nothing.
_HASH_BASE = np.uint64(1_000_003)


def ocr_documents(docs: pa.Table) -> np.ndarray:
    """Per document, whether it was read as OCR'd newspaper columns (its `repairs` say so)."""
    out = np.zeros(docs.num_rows, dtype=bool)
    if "repairs" not in docs.column_names:
        return out
    repairs = docs.column("repairs").combine_chunks()
    said = pc.equal(pc.list_flatten(repairs), COLUMN_LINES).to_numpy(zero_copy_only=False)
    out[pc.list_parent_indices(repairs).to_numpy()[said]] = True
    return out


def letter_run_keys(letters: str, run: int, sample: int) -> np.ndarray:
    """The distinct hashes of a letters string's runs of `run` letters, those whose hash is 0 modulo `sample`
    kept (two copies of one run keep it both, so copies still share about one run in `sample`)."""
    codes = np.frombuffer(letters.encode("ascii", "ignore"), dtype=np.uint8).astype(np.uint64)
    n = len(codes) - run + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    keys = np.zeros(n, dtype=np.uint64)
    for j in range(run):  # a polynomial hash of each run, wrapping modulo 2**64
        keys = keys * _HASH_BASE + codes[j : j + n]
    # The low bits of a polynomial hash follow the last letters only; the sample reads well-mixed bits.
    mixed = (keys * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)
    return np.unique(keys[mixed % np.uint64(sample) == 0])


def ocr_copy_pairs(
    ocr: np.ndarray,
    rows: np.ndarray,
    doc_index: np.ndarray,
    para_idx: np.ndarray,
    outlet: np.ndarray,
    texts: Callable[[np.ndarray], list[str]] | None,
    config,
) -> np.ndarray:
    """Pairs (a, b), a < b, of documents read as OCR'd columns (`ocr`, per document) of two outlets whose
    narrative letters (narrative_letters, their rows `rows` in reading order) are one text: `min_ocr_share`
    of the shorter's letters (at least `min_ocr_letters`) inside runs of `copy_run` letters the other prints.
    Candidates: documents sharing `min_ocr_keys` sampled runs, each run printed by at most `max_copies`
    documents (a stock line, a paper's standing head, pairs nothing)."""
    none = np.zeros((0, 2), dtype=np.int64)
    rows = rows[ocr[doc_index[rows]]]
    if texts is None or len(rows) == 0:
        return none
    rows = np.sort(rows)  # texts() reads ascending positions
    read = dict(zip(rows.tolist(), (narrative_letters(t) for t in texts(rows)), strict=True))
    letters: dict[int, list[str]] = {}
    for r in rows[np.lexsort((para_idx[rows], doc_index[rows]))].tolist():
        letters.setdefault(int(doc_index[r]), []).append(read[r])
    doc_letters = {d: "".join(parts) for d, parts in letters.items()}
    docs = [d for d, text in doc_letters.items() if len(text) >= config.min_ocr_letters]
    if len(docs) < 2:
        return none
    keys = [letter_run_keys(doc_letters[d], config.copy_run, config.ocr_sample) for d in docs]
    owner = np.repeat(np.array(docs, dtype=np.int64), [len(k) for k in keys])
    flat = np.concatenate(keys)
    order = np.argsort(flat, kind="stable")
    flat, owner = flat[order], owner[order]
    starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    sizes = np.diff(np.r_[starts, len(flat)])
    shared: dict[tuple[int, int], int] = {}
    for start, size in zip(starts.tolist(), sizes.tolist(), strict=True):
        if size < 2 or size > config.max_copies:
            continue
        held = owner[start : start + size].tolist()
        for i, a in enumerate(held):
            for b in held[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                shared[pair] = shared.get(pair, 0) + 1
    found = [
        pair
        for pair, n in sorted(shared.items())
        if n >= config.min_ocr_keys
        and outlet[pair[0]] != outlet[pair[1]]
        and copied_share(doc_letters[pair[0]], doc_letters[pair[1]], config.copy_run) >= config.min_ocr_share
    ]
    return np.array(found, dtype=np.int64).reshape(-1, 2)
