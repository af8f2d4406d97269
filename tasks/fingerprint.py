"""Paragraph fingerprints: an exact one on the comparison form, and a MinHash sketch of word shingles
for finding near-duplicates across a corpus without comparing all pairs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# fingerprint-2: shingles hashed from word hashes, affine 32-bit permutations (sketches differ from -1).
# fingerprint-3: the exact fingerprint ignores where white space falls ("customers' experience" and
# "customers'experience", "remote - so" and "remote-so" are one text).
FINGERPRINT_VERSION = "fingerprint-3"


@dataclass(frozen=True)
class SketchConfig:
    """MinHash parameters: `num_perm` hash functions over `shingle`-word shingles."""

    num_perm: int = 64
    shingle: int = 3
    seed: int = 20190625
    version: str = FINGERPRINT_VERSION


def fingerprint(comparison_text: str) -> int:
    """A 64-bit fingerprint, equal exactly when the comparison forms are equal once white space is removed.

    All white space goes, not only the spaces around punctuation: extraction and retyping drop or add a space
    after an apostrophe, around a dash or at a joined line end, and a text that differs only there reads the
    same (`survived`). Two real versions that differ in nothing but a word boundary ("every day" / "everyday")
    are a typing variant, not an edit a reader of the fates needs to see; and the aligner's word diff already
    treats such runs as unchanged, so a `changed` row can never come with an empty diff.
    """
    digest = hashlib.blake2b(comparison_text.replace(" ", "").encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def shingles(words: list[str], size: int) -> set[str]:
    """Word n-grams; a paragraph shorter than `size` words is one shingle."""
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _permutations(config: SketchConfig) -> tuple[np.ndarray, np.ndarray]:
    """Multipliers (odd, so each map is a bijection of 32-bit values) and offsets of the hash functions."""
    rng = np.random.default_rng(config.seed)
    a = rng.integers(0, 1 << 32, size=config.num_perm, dtype=np.uint64).astype(np.uint32) | np.uint32(1)
    b = rng.integers(0, 1 << 32, size=config.num_perm, dtype=np.uint64).astype(np.uint32)
    return a, b


# Word hashes are reused across batches; the cap keeps a long run's memory flat.
_WORD_HASHES: dict[str, int] = {}
_WORD_HASHES_CAP = 500_000
# Odd 64-bit constants (golden ratio, MurmurHash3, xxHash) weighting a word by its place in the shingle.
_PLACE = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xFF51AFD7ED558CCD], dtype=np.uint64
)


def word_hash(word: str) -> int:
    """A word's 64-bit hash (blake2b: the same on every run and machine)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "big")


def word_hashes(words: pa.Array) -> np.ndarray:
    """word_hash per word, each distinct word hashed once."""
    if len(_WORD_HASHES) > _WORD_HASHES_CAP:
        _WORD_HASHES.clear()
    encoded = pc.dictionary_encode(words)
    distinct = encoded.dictionary.to_pylist()
    known = _WORD_HASHES
    for word in distinct:
        if word not in known:
            known[word] = word_hash(word)
    table = np.fromiter((known[w] for w in distinct), dtype=np.uint64, count=len(distinct))
    return table[encoded.indices.to_numpy(zero_copy_only=False)]


def shingle_hashes(word_lists: list[list[str]], size: int) -> tuple[np.ndarray, np.ndarray]:
    """(32-bit hash per shingle, paragraph row of each), shingles in paragraph order.

    A shingle's hash mixes its words' hashes weighted by place; a paragraph shorter than `size` words is one
    shingle of all its words, an empty one has none.
    """
    lengths = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
    return _shingle_hashes(pa.array(chain.from_iterable(word_lists), pa.string()), lengths, size)


def _shingle_hashes(all_words: pa.Array, lengths: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    if not int(np.sum(lengths)):
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    return _shingles_of_hashes(word_hashes(all_words), lengths, size)


def _shingles_of_hashes(words: np.ndarray, lengths: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """_shingle_hashes from the words' hashes (word_hash)."""
    if size > len(_PLACE):
        raise ValueError(f"shingles of more than {len(_PLACE)} words are not supported")
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    owner = np.repeat(np.arange(len(lengths)), lengths)
    place = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    left = lengths[owner] - place  # words from here to the end of the paragraph
    mixed = np.zeros(total, dtype=np.uint64)
    for k in range(size):
        word = np.zeros(total, dtype=np.uint64)
        word[: total - k] = words[k:]
        mixed += np.where(left > k, word, np.uint64(0)) * _PLACE[k]
    # A shingle starts at every place with `size` words left, and at place 0 of a shorter paragraph.
    starts = (left >= size) | ((place == 0) & (lengths[owner] < size))
    mixed = mixed[starts]
    mixed ^= mixed >> np.uint64(33)
    mixed *= _PLACE[3]
    mixed ^= mixed >> np.uint64(29)
    return (mixed >> np.uint64(32)).astype(np.uint32), owner[starts]


def minhash_batch(word_lists: list[list[str]], config: SketchConfig = SketchConfig()) -> np.ndarray:
    """MinHash signatures, one row of `num_perm` uint32 per paragraph, computed for the batch at once.

    Each hash function maps a shingle hash h to a*h + b (mod 2^32), a odd: a permutation of 32-bit values
    (datasketch's default "affine32" scheme). A paragraph without words keeps the maximum in every slot.
    """
    lengths = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
    return minhash_words(pa.array(chain.from_iterable(word_lists), pa.string()), lengths, config)


def minhash_words(
    all_words: pa.Array, counts: np.ndarray, config: SketchConfig = SketchConfig()
) -> np.ndarray:
    """`minhash_batch` of paragraphs given as all their words in order and how many words each has."""
    return _minhash(*_shingle_hashes(all_words, counts, config.shingle), len(counts), config)


def minhash_word_hashes(
    hashes: np.ndarray, counts: np.ndarray, config: SketchConfig = SketchConfig()
) -> np.ndarray:
    """`minhash_words` of texts given as their words' hashes (word_hash) in order and how many each has."""
    hashed, owner = _shingles_of_hashes(np.asarray(hashes, dtype=np.uint64), counts, config.shingle)
    return _minhash(hashed, owner, len(counts), config)


def _minhash(hashed: np.ndarray, owner: np.ndarray, n: int, config: SketchConfig) -> np.ndarray:
    a, b = _permutations(config)
    out = np.full((n, config.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    if not len(hashed):
        return out
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    rows = owner[starts]
    # Paragraph by paragraph in chunks of shingles: the (num_perm x chunk) products stay in cache.
    step = 4096
    k = 0
    while k < len(starts):
        first = int(starts[k])
        j = int(np.searchsorted(starts, first + step, side="right"))
        j = max(j, k + 1)
        last = int(starts[j]) if j < len(starts) else len(hashed)
        products = np.multiply.outer(a, hashed[first:last])
        products += b[:, None]
        out[rows[k:j]] = np.minimum.reduceat(products, starts[k:j] - first, axis=1).T
        k = j
    return out
