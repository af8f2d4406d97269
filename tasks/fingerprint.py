"""Paragraph fingerprints: an exact one on the comparison form, and a MinHash sketch of word shingles
for finding near-duplicates across a corpus without comparing all pairs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

FINGERPRINT_VERSION = "fingerprint-1"
_MERSENNE = np.uint64((1 << 61) - 1)


@dataclass(frozen=True)
class SketchConfig:
    """MinHash parameters: `num_perm` hash functions over `shingle`-word shingles."""

    num_perm: int = 64
    shingle: int = 3
    seed: int = 20190625
    version: str = FINGERPRINT_VERSION


def fingerprint(comparison_text: str) -> int:
    """A 64-bit fingerprint, equal exactly when the comparison forms are equal."""
    digest = hashlib.blake2b(comparison_text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def shingles(words: list[str], size: int) -> set[str]:
    """Word n-grams; a paragraph shorter than `size` words is one shingle."""
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _permutations(config: SketchConfig) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(config.seed)
    a = rng.integers(1, int(_MERSENNE), size=config.num_perm, dtype=np.uint64)
    b = rng.integers(0, int(_MERSENNE), size=config.num_perm, dtype=np.uint64)
    return a, b


def minhash_batch(word_lists: list[list[str]], config: SketchConfig = SketchConfig()) -> np.ndarray:
    """MinHash signatures, one row of `num_perm` uint32 per paragraph, computed for the batch at once."""
    a, b = _permutations(config)
    out = np.full((len(word_lists), config.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    hashed: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    for row, words in enumerate(word_lists):
        values = [fingerprint(s) & 0xFFFFFFFF for s in shingles(words, config.shingle)]
        if values:
            hashed.append(np.asarray(values, dtype=np.uint64))
            owners.append(np.full(len(values), row, dtype=np.int64))
    if not hashed:
        return out
    h = np.concatenate(hashed)
    owner = np.concatenate(owners)
    # (a*h + b) mod p with h < 2^32 and a < 2^61 would overflow uint64, so a is folded to 32 bits first.
    perm = ((h[:, None] * (a[None, :] & np.uint64(0xFFFFFFFF)) + (b[None, :] & np.uint64(0xFFFFFFFF))) % _MERSENNE) & np.uint64(0xFFFFFFFF)
    perm32 = perm.astype(np.uint32)
    np.minimum.at(out, owner, perm32)
    return out
