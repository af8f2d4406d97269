"""Language tags: langdetect's algorithm and profiles, run for many texts at once, deterministic, cached by
fingerprint, and `und` where a text is too short to tell.

langdetect spends ~2 ms per text in a Python loop over its 55 languages. Here the same steps (its n-grams,
its seeded random draws, its update and normalisation arithmetic) run for a whole batch of texts in lockstep,
the 55-language products as numpy rows; the probabilities are those langdetect computes (tested against it).
"""

from __future__ import annotations

import json
import math
import random
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from langdetect.utils.ngram import NGram

LANGUAGE_VERSION = "langdetect-1.0.9-seed0-folded"
UNDETERMINED = "und"

# langdetect's constants (detector.py), kept so that results match it.
_ALPHA, _ALPHA_WIDTH, _TRIALS, _ITERATION_LIMIT = 0.5, 0.05, 7, 1000
_CONVERGED, _BASE_FREQ, _MAX_TEXT = 0.99999, 10000, 10000
# langdetect samples randomly; a fixed seed gives the same tag on every run (its DetectorFactory.seed = 0).
_SEED = 0
_URL = re.compile(r"https?://[-_.?&~;+=/#0-9A-Za-z]{1,2076}")
_MAIL = re.compile(r"[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}")
_SPACE_RUN = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")
# langdetect means to spare Latin Extended Additional here, but compares a block number with a name,
# so it never does.
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")
_WORD_CACHE_CAP = 500_000


@dataclass(frozen=True)
class LanguageConfig:
    """Below `min_words` words or `min_probability` confidence the tag is `und`: short texts get confident
    nonsense."""

    min_words: int = 8
    min_probability: float = 0.80
    max_chars: int = 4000  # the head of a long document says as much as all of it, at a fraction of the cost
    version: str = LANGUAGE_VERSION


class _Profiles:
    """langdetect's shipped profiles as a matrix: one row of 55 language probabilities per known n-gram."""

    def __init__(self) -> None:
        import langdetect

        folder = Path(langdetect.__file__).parent / "profiles"
        # Sorted, not directory order: the order of the 55 columns fixes the rounding of every sum.
        profiles = [
            json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")
        ]
        self.languages = [p["name"] for p in profiles]
        self.rows: dict[str, int] = {}
        for profile in profiles:
            for word in profile["freq"]:
                self.rows.setdefault(word, len(self.rows))
        self.matrix = np.zeros((len(self.rows), len(profiles)), dtype=np.float64)
        for column, profile in enumerate(profiles):
            for word, count in profile["freq"].items():
                if 1 <= len(word) <= 3:
                    self.matrix[self.rows[word], column] = 1.0 * count / profile["n_words"][len(word) - 1]
        self.word_ngrams: dict[str, np.ndarray] = {}

    def ngram_rows(self, text: str) -> np.ndarray:
        """Rows of the n-grams langdetect extracts from `text` (its Detector.append, cleaning_text and
        _extract_ngrams)."""
        text = NGram.normalize_vi(_MAIL.sub(" ", _URL.sub(" ", text)))
        text = _SPACE_RUN.sub(" ", text[:_MAX_TEXT])
        if not text.isascii() and len(_LATIN.findall(text)) * 2 < len(_NON_LATIN.findall(text)):
            text = _LATIN.sub("", text)
        if len(self.word_ngrams) > _WORD_CACHE_CAP:
            self.word_ngrams.clear()
        # langdetect's n-gram buffer starts afresh after a space, so the n-grams of a word and the space after
        # it depend on that word alone: they are computed once per distinct word.
        tokens = text.split(" ")
        last = len(tokens) - 1
        rows: list[np.ndarray] = []
        for i, token in enumerate(tokens):
            key = token + " " if i < last else token
            found = self.word_ngrams.get(key)
            if found is None:
                found = self.word_ngrams[key] = self._word_rows(key)
            rows.append(found)
        return np.concatenate(rows)

    def _word_rows(self, word: str) -> np.ndarray:
        gram = NGram()
        rows = []
        for ch in word:
            gram.add_char(ch)
            if gram.capitalword:
                continue
            for n in (1, 2, 3):
                if len(gram.grams) < n:
                    break
                w = gram.grams[-n:]
                if w != " " and w in self.rows:
                    rows.append(self.rows[w])
        return np.array(rows, dtype=np.int64)


@cache
def _profiles() -> _Profiles:
    return _Profiles()


class _Stream:
    """The 32-bit words random.Random(0) produces. langdetect reseeds its generator with 0 for every text,
    so every text reads this same stream; only how many words each draw takes differs, with the text.
    """

    def __init__(self) -> None:
        self._source = random.Random(_SEED)
        self.words = np.zeros(0, dtype=np.uint64)

    def upto(self, n: int) -> np.ndarray:
        if n > len(self.words):
            more = max(n - len(self.words), len(self.words), 1 << 16)
            # getrandbits(32 * m) is m consecutive words, the first one least significant.
            raw = self._source.getrandbits(32 * more).to_bytes(4 * more, "little")
            self.words = np.concatenate([self.words, np.frombuffer(raw, dtype="<u4").astype(np.uint64)])
        return self.words


_STREAM = _Stream()
# The shared random stream and the caches grow in place: Prefect runs task shards in threads, so one batch
# detects at a time (the work holds the GIL anyway), which keeps tags deterministic.
_DETECTING = threading.Lock()
_BUFFER = 64  # draws prepared ahead per text; a trial takes ~50


def _gauss(words: np.ndarray, pos: int, cached: float | None) -> tuple[float, int, float | None]:
    """random.gauss(0.0, 1.0) at word `pos` (Box-Muller, two values per four words): (value, pos, cached)."""
    if cached is not None:
        return cached, pos, None
    a, b, c, d = (int(w) for w in words[pos : pos + 4])
    first = ((a >> 5) * 67108864.0 + (b >> 6)) * (1.0 / 9007199254740992.0)
    second = ((c >> 5) * 67108864.0 + (d >> 6)) * (1.0 / 9007199254740992.0)
    x2pi = first * 2.0 * math.pi
    g2rad = math.sqrt(-2.0 * math.log(1.0 - second))
    return math.cos(x2pi) * g2rad, pos + 4, math.sin(x2pi) * g2rad


def _draws(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The next _BUFFER results of random.choice over `sizes[j]` items from word `starts[j]` on:
    (item indices, word position of each). random.choice keeps a word's top bit_length(size) bits and
    retries above size.
    """
    bits = np.array([int(n).bit_length() for n in sizes.tolist()], dtype=np.uint64)
    width = 4 * _BUFFER
    while True:
        words = _STREAM.upto(int(starts.max()) + width)
        at = starts[:, None] + np.arange(width)[None, :]
        values = words[at] >> (np.uint64(32) - bits)[:, None]
        ok = values < sizes[:, None].astype(np.uint64)
        if (ok.sum(axis=1) >= _BUFFER).all():
            break
        width *= 2
    # Each row's first _BUFFER accepted draws, in order.
    row, column = np.nonzero(ok)
    rank = np.arange(len(row)) - np.repeat(np.cumsum(ok.sum(axis=1)) - ok.sum(axis=1), ok.sum(axis=1))
    keep = rank < _BUFFER
    row, column = row[keep], column[keep]
    return (
        values[row, column].astype(np.int64).reshape(len(starts), _BUFFER),
        at[row, column].reshape(len(starts), _BUFFER),
    )


def language_probabilities(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """(languages, one row of probabilities per text), as langdetect's get_probabilities computes them.

    A text with no known n-gram gets a row of zeros (langdetect raises "No features in text").
    """
    prof = _profiles()
    n_lang = len(prof.languages)
    result = np.zeros((len(texts), n_lang))
    grams = [prof.ngram_rows(t) for t in texts]
    ids = np.array([k for k, g in enumerate(grams) if len(g)], dtype=np.int64)
    if not len(ids):
        return prof.languages, result
    sizes = np.array([len(grams[k]) for k in ids.tolist()], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = np.concatenate([grams[k] for k in ids.tolist()])
    # The batch's own n-grams as a small matrix: the per-step row lookups then stay in cache.
    used = np.flatnonzero(np.bincount(flat, minlength=len(prof.matrix)))
    renumber = np.zeros(len(prof.matrix), dtype=np.int64)
    renumber[used] = np.arange(len(used))
    flat = renumber[flat]
    matrix = prof.matrix[used]
    # Per live text, in lockstep: next word of the stream, cached gauss value, trial, step, buffered draws.
    pos = np.zeros(len(ids), dtype=np.int64)
    cached: list[float | None] = [None] * len(ids)
    trial = np.zeros(len(ids), dtype=np.int64)
    step = np.zeros(len(ids), dtype=np.int64)
    cursor = np.zeros(len(ids), dtype=np.int64)
    prob = np.full((len(ids), n_lang), 1.0 / n_lang)
    weight = np.zeros(len(ids))
    words = _STREAM.upto(1 << 16)

    def begin_trials(rows: np.ndarray) -> None:
        nonlocal words
        words = _STREAM.upto(int(pos[rows].max()) + 4)
        for j in rows.tolist():
            value, pos[j], cached[j] = _gauss(words, int(pos[j]), cached[j])
            weight[j] = (_ALPHA + value * _ALPHA_WIDTH) / _BASE_FREQ
        prob[rows] = 1.0 / n_lang
        step[rows] = 0
        refill(rows)

    def refill(rows: np.ndarray) -> None:
        values, at = _draws(pos[rows], sizes[rows])
        picks[rows] = flat[offsets[rows, None] + values]
        where[rows] = at
        cursor[rows] = 0

    picks = np.zeros((len(ids), _BUFFER), dtype=np.int64)
    where = np.zeros((len(ids), _BUFFER), dtype=np.int64)
    begin_trials(np.arange(len(ids)))
    while len(ids):
        rows = np.arange(len(ids))
        taken = picks[rows, cursor]
        pos[:] = where[rows, cursor] + 1
        cursor += 1
        # prob[i] *= weight + p[i], elementwise as in langdetect's _update_lang_prob.
        prob *= weight[:, None] + matrix[taken]
        due = np.flatnonzero(step % 5 == 0)
        step += 1
        ended = due[:0]
        if len(due):
            block = prob[due]
            # cumsum adds left to right like Python's sum(), so the rounding is langdetect's.
            block /= np.cumsum(block, axis=1)[:, -1:]
            prob[due] = block
            ended = due[(block.max(axis=1) > _CONVERGED) | (step[due] - 1 >= _ITERATION_LIMIT)]
        if len(ended):
            result[ids[ended]] += prob[ended] / _TRIALS
            trial[ended] += 1
            again = ended[trial[ended] < _TRIALS]
            if len(again):
                begin_trials(again)
            keep = trial < _TRIALS
            if not keep.all():
                ids, pos, trial, step, cursor = ids[keep], pos[keep], trial[keep], step[keep], cursor[keep]
                prob, weight, picks, where = prob[keep], weight[keep], picks[keep], where[keep]
                sizes, offsets = sizes[keep], offsets[keep]
                cached = [c for c, k in zip(cached, keep.tolist(), strict=True) if k]
        empty = np.flatnonzero(cursor >= _BUFFER)
        if len(empty):
            refill(empty)
    return prof.languages, result


def detect_languages(texts: list[str], config: LanguageConfig = LanguageConfig()) -> list[str]:
    """ISO 639-1 codes (or `und`) for a batch, detecting each distinct text once."""
    distinct = list(dict.fromkeys(t for t in texts if len(t.split()) >= config.min_words))
    with _DETECTING:
        languages, probs = language_probabilities([t[: config.max_chars] for t in distinct])
    tags: dict[str, str] = {}
    for text, row in zip(distinct, probs, strict=True):
        best = int(np.argmax(row))
        # langdetect says zh-cn / zh-tw; the contract promises ISO 639-1.
        tags[text] = languages[best].split("-")[0] if row[best] >= config.min_probability else UNDETERMINED
    return [tags.get(t, UNDETERMINED) for t in texts]


def detect_language(text: str, config: LanguageConfig = LanguageConfig()) -> str:
    """ISO 639-1 code of `text`, or `und`."""
    return detect_languages([text], config)[0]


def tag_by_fingerprint(
    keys: list[int], texts: list[str], known: dict[int, str], config: LanguageConfig = LanguageConfig()
) -> list[str]:
    """Tags for texts identified by fingerprint; fingerprints missing from `known` are detected, once each.

    `known` (fingerprint -> tag) is updated in place: it carries tags across batches and from the warehouse.
    The text of a fingerprint must be a function of it (the comparison form), so any copy gives the same tag.
    """
    todo: dict[int, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key not in known and key not in todo:
            todo[key] = text
    if todo:
        known.update(zip(todo, detect_languages(list(todo.values()), config), strict=True))
    return [known[key] for key in keys]
