"""Language tags: naive Bayes over langdetect's n-grams and profiles, for many texts at once, deterministic,
cached by fingerprint, and `und` where a text is too short or too mixed to tell.

langdetect multiplies its language probabilities by (smoothing + p) for n-grams of the text drawn at
random until one language dominates, 7 times over: a few ms per text in Python, and random. Here every n-gram
of the text counts once, with the same factors as logs: a text's score is the sum of its words' scores, a
word's score (its n-grams and the space after it, all that langdetect ever sees of it) is computed once per
process, and the sums for a batch are one sparse (texts x words) by dense (words x 55 languages) product.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from langdetect.utils.ngram import NGram

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

# Tags changed with the scorer (from langdetect's seeded random trials to naive Bayes over the same profiles).
LANGUAGE_VERSION = "langdetect-1.0.9-profiles-bayes"
UNDETERMINED = "und"

# langdetect's smoothing (detector.py: alpha 0.5 over its base frequency 10000) and its text cap.
_SMOOTHING, _MAX_TEXT = 0.5 / 10000, 10000
_URL = re.compile(r"https?://[-_.?&~;+=/#0-9A-Za-z]{1,2076}")
_MAIL = re.compile(r"[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}")
_SPACE_RUN = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")
# langdetect means to spare Latin Extended Additional here, but compares a block number with a name,
# so it never does.
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")
_WORD_CACHE_CAP = 100_000  # words; their scores take at most 90 MB


def _sparse():
    """scipy.sparse, imported at use: a run with nothing new tags no language."""
    import scipy.sparse

    return scipy.sparse


@dataclass(frozen=True)
class LanguageConfig:
    """Below `min_words` words or `min_probability` confidence the tag is `und`: short texts get confident
    nonsense. Confidence is judged on `evidence` n-grams like the text's average one, not on all of them: a
    long text is no surer than its make-up (50 gives `und` as often as langdetect does, bench/language.py)."""

    min_words: int = 8
    min_probability: float = 0.80
    evidence: float = 50.0
    max_chars: int = 4000  # the head of a long document says as much as all of it, at a fraction of the cost
    version: str = LANGUAGE_VERSION


class _Profiles:
    """langdetect's shipped profiles as log factors, and the scores of the words met so far."""

    def __init__(self) -> None:
        import langdetect

        folder = Path(langdetect.__file__).parent / "profiles"
        profiles = [
            json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")
        ]
        self.languages = [p["name"] for p in profiles]
        # Each n-gram's row in the order the profiles first name it.
        grams = dict.fromkeys(chain.from_iterable(profile["freq"] for profile in profiles))
        self.rows: dict[str, int] = dict(zip(grams, range(len(grams)), strict=True))
        # One column per language, log(p + smoothing), and one more of ones: the same product counts n-grams.
        self.log_factors = np.zeros((len(self.rows), len(profiles) + 1), dtype=np.float64)
        factors = self.log_factors[:, :-1]
        for column, profile in enumerate(profiles):
            # Each profile's n-grams at once (a run's workers each build these tables).
            freq = profile["freq"]
            rows = np.fromiter(map(self.rows.__getitem__, freq), dtype=np.int64, count=len(freq))
            sizes = np.fromiter(map(len, freq), dtype=np.int64, count=len(freq))
            counts = np.fromiter(freq.values(), dtype=np.float64, count=len(freq))
            used = (sizes >= 1) & (sizes <= 3)
            n_words = np.array([0, *profile["n_words"][:3]], dtype=np.float64)
            factors[rows[used], column] = counts[used] / n_words[sizes[used]]
        factors += _SMOOTHING
        np.log(factors, out=factors)
        self.log_factors[:, -1] = 1.0
        # Each word has two rows: 2 * slot with the space after it, 2 * slot + 1 without (a text's last word).
        self.slots: dict[str, int] = {}
        self.vocabulary: pa.Array | None = None  # list(self.slots) as Arrow, made when asked for
        # Zeros cost no memory until written: the rows fill as words are met, and never past the cap.
        self.scores = np.zeros((2 * _WORD_CACHE_CAP, len(profiles) + 1))

    def cleaned(self, text: str) -> str:
        """`text` as langdetect reads it (its Detector.append and cleaning_text), whose words are its pieces
        between single spaces: langdetect's n-gram buffer starts afresh after a space, so the n-grams of a
        text are those of its words."""
        # Each rewrite only where it can apply (no "http", no "@", ASCII only): most texts need none.
        if "http" in text:
            text = _URL.sub(" ", text)
        if "@" in text:
            text = _MAIL.sub(" ", text)
        # Vietnamese marks and non-Latin scripts are at U+0300 or above: Latin-1 accents need neither step.
        beyond_latin = not text.isascii() and _NON_LATIN.search(text)
        if beyond_latin:
            text = NGram.normalize_vi(text)
        text = text[:_MAX_TEXT]
        if beyond_latin:
            latin = len(text) - len(_LATIN.sub("", text))
            if latin * 2 < len(text) - len(_NON_LATIN.sub("", text)):
                text = _LATIN.sub("", text)
        if "  " in text:
            text = _SPACE_RUN.sub(" ", text)
        return text

    def counts(self, texts: list[str]) -> csr_matrix:
        """(texts x word rows) matrix: how often each word row occurs in each text; new words are scored.

        The words are cut and looked up by Arrow (split on single spaces as str.split(" ") cuts, a hash
        look-up of each in the words met so far), not a Python object per word: the same word rows."""
        split = pc.split_pattern(pa.array([self.cleaned(t) for t in texts], pa.large_string()), " ")
        flat = split.values
        found = pc.index_in(flat, value_set=self._vocabulary())
        if found.null_count:
            # The new words in the order first met, as a dictionary of the batch's words would list them.
            new = list(dict.fromkeys(flat.filter(found.is_null()).to_pylist()))
            if len(self.slots) + len(new) > _WORD_CACHE_CAP:
                self.slots.clear()
                new = list(dict.fromkeys(flat.to_pylist()))
            self._score(new)
            found = pc.index_in(flat, value_set=self._vocabulary())
        ends = split.offsets.to_numpy()[1:].astype(np.int64)
        columns = 2 * found.to_numpy().astype(np.int64)
        columns[ends - 1] += 1
        indptr = np.concatenate([[0], ends])
        shape = (len(texts), 2 * len(self.slots))
        return _sparse().csr_matrix((np.ones(len(columns)), columns, indptr), shape=shape)

    def _score(self, words: list[str]) -> None:
        rows = []
        for word in words:
            spaced, bare = self._word_rows(word)
            rows += [spaced, spaced[:bare]]
        indptr = np.concatenate([[0], np.cumsum([len(r) for r in rows], dtype=np.int64)])
        columns = np.fromiter((g for r in rows for g in r), dtype=np.int64, count=int(indptr[-1]))
        grams = _sparse().csr_matrix(
            (np.ones(len(columns)), columns, indptr), shape=(len(rows), len(self.log_factors))
        )
        first = 2 * len(self.slots)
        if first + len(rows) > len(self.scores):  # one batch of more distinct words than the cap
            grown = np.zeros((first + len(rows), self.scores.shape[1]))
            grown[:first] = self.scores[:first]
            self.scores = grown
        self.scores[first : first + len(rows)] = grams @ self.log_factors
        start = len(self.slots)
        self.slots.update(zip(words, range(start, start + len(words)), strict=True))
        self.vocabulary = None

    def _vocabulary(self) -> pa.Array:
        """The words met so far in slot order (a word's place is its slot), for Arrow's look-up."""
        if self.vocabulary is None:
            self.vocabulary = pa.array(list(self.slots), pa.large_string())
        return self.vocabulary

    def _word_rows(self, word: str) -> tuple[list[int], int]:
        """Rows of the n-grams langdetect extracts from `word` and the space after it (its
        Detector._extract_ngrams), and how many of them come before that space."""
        gram = _NGram()
        rows = []
        bare = 0
        for ch in word + " ":
            bare = len(rows)
            gram.add_char(ch)
            if gram.capitalword:
                continue
            for n in (1, 2, 3):
                if len(gram.grams) < n:
                    break
                w = gram.grams[-n:]
                if w != " " and w in self.rows:
                    rows.append(self.rows[w])
        return rows, bare


class _NGram(NGram):
    """langdetect's n-gram buffer, its per-character normalisation (a search of Unicode blocks) cached."""

    normalize = staticmethod(cache(NGram.normalize))


@cache
def _profiles() -> _Profiles:
    return _Profiles()


# The word scores grow in place: Prefect runs task shards in threads, so one batch is scored at a time.
_DETECTING = threading.Lock()


def language_scores(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(languages, sum of log factors per text and language, n-grams counted per text).

    Each text's sums run over its own words in order, so they do not depend on the batch it came in.
    """
    prof = _profiles()
    with _DETECTING:
        counts = prof.counts(texts)
        sums = counts @ prof.scores[: counts.shape[1]]
    return prof.languages, sums[:, :-1], sums[:, -1].astype(np.int64)


def language_probabilities(texts: list[str], evidence: float = 0.0) -> tuple[list[str], np.ndarray]:
    """(languages, one row of probabilities per text); a text with no known n-gram gets a row of zeros.

    With `evidence` > 0 the probabilities are those of `evidence` n-grams like the text's average one (its
    scores times evidence / n-grams), otherwise of all its n-grams.
    """
    languages, scores, grams = language_scores(texts)
    if evidence > 0:
        scores = scores * (evidence / np.maximum(grams, 1))[:, None]
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    probs[grams == 0] = 0.0
    return languages, probs


def detect_languages(texts: list[str], config: LanguageConfig = LanguageConfig()) -> list[str]:
    """ISO 639-1 codes (or `und`) for a batch, detecting each distinct text once."""
    # Splitting no further than `min_words` words tells whether a text has as many.
    most = max(config.min_words - 1, 0)
    distinct = list(dict.fromkeys(t for t in texts if len(t.split(None, most)) >= config.min_words))
    languages, probs = language_probabilities([t[: config.max_chars] for t in distinct], config.evidence)
    # langdetect says zh-cn / zh-tw; the contract promises ISO 639-1.
    codes = [language.split("-")[0] for language in languages]
    best = probs.argmax(axis=1) if len(distinct) else np.zeros(0, dtype=np.int64)
    sure = probs[np.arange(len(distinct)), best] >= config.min_probability
    tags = {
        text: codes[b] if ok else UNDETERMINED
        for text, b, ok in zip(distinct, best.tolist(), sure.tolist(), strict=True)
    }
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
