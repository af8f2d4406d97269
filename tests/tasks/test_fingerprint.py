"""Exact fingerprints and MinHash sketches."""

import numpy as np

from tasks.clean import comparison_form
from tasks.fingerprint import fingerprint, minhash_batch


def test_fingerprint_equal_exactly_when_comparison_forms_are():
    assert fingerprint(comparison_form("“Hello,” she said.")) == fingerprint(
        comparison_form('"hello" she said')
    )
    assert fingerprint(comparison_form("hello she said")) != fingerprint(comparison_form("hello he said"))


def test_minhash_estimates_shingle_overlap_and_is_deterministic():
    words = "the quick brown fox jumps over the lazy dog near the river bank today".split()
    near = words[:-1] + ["tonight"]
    other = "completely different words appear in this unrelated sentence about budgets".split()
    sketches = minhash_batch([words, near, other, []])
    assert sketches.shape == (4, 64) and sketches.dtype == np.uint32
    assert (sketches[0] == sketches[1]).mean() > 0.6
    assert (sketches[0] == sketches[2]).mean() < 0.2
    assert np.array_equal(sketches, minhash_batch([words, near, other, []]))
