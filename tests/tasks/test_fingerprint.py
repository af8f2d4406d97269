"""Exact fingerprints and MinHash sketches."""

import numpy as np

from tasks.clean import comparison_form
from tasks.fingerprint import fingerprint, minhash_batch, shingles


def test_fingerprint_equal_exactly_when_comparison_forms_are():
    assert fingerprint(comparison_form("“Hello,” she said.")) == fingerprint(
        comparison_form('"hello" she said')
    )
    assert fingerprint(comparison_form("hello she said")) != fingerprint(comparison_form("hello he said"))


def test_fingerprint_ignores_where_white_space_falls():
    # CONTRACT: white space is folded. Folding removes it, not only around punctuation: the apostrophe
    # vanishes from the comparison form, so "customers'experience" is one word there, "customers' experience"
    # two.
    for a, b in [
        ("our customers' experience", "our customers'experience"),
        ("stay remote - so the office", "stay remote-so the office"),
        ("toward s the end", "towards the end"),
    ]:
        assert fingerprint(comparison_form(a)) == fingerprint(comparison_form(b)), (a, b)
    assert fingerprint(comparison_form("a b c")) != fingerprint(comparison_form("a b d"))


def test_minhash_estimates_shingle_overlap_and_is_deterministic():
    words = "the quick brown fox jumps over the lazy dog near the river bank today".split()
    near = words[:-1] + ["tonight"]
    other = "completely different words appear in this unrelated sentence about budgets".split()
    sketches = minhash_batch([words, near, other, []])
    assert sketches.shape == (4, 64) and sketches.dtype == np.uint32
    assert (sketches[0] == sketches[1]).mean() > 0.6
    assert (sketches[0] == sketches[2]).mean() < 0.2
    assert np.array_equal(sketches, minhash_batch([words, near, other, []]))


def _jaccard(a, b):
    sa, sb = shingles(a, 3), shingles(b, 3)
    return len(sa & sb) / len(sa | sb)


def test_a_paragraphs_sketch_does_not_depend_on_its_batch():
    words = "a reporter in the capital said the vote would be held on friday".split()
    alone = minhash_batch([words])[0]
    among = minhash_batch([["other", "words"], [], words, "yet another paragraph here".split()])[2]
    assert np.array_equal(alone, among)


def test_short_and_empty_paragraphs():
    sketches = minhash_batch([["breaking"], ["breaking", "news"], ["breaking"], []])
    assert np.array_equal(sketches[0], sketches[2])
    assert (sketches[0] != sketches[1]).mean() > 0.9
    assert (sketches[3] == np.iinfo(np.uint32).max).all()


def test_shingle_order_matters_and_repeated_shingles_do_not():
    words = "one two three four five".split()
    assert not np.array_equal(minhash_batch([words])[0], minhash_batch([words[::-1]])[0])
    # Both have the shingles {a b c, b c a, c a b}: a sketch is of the set.
    twice, thrice = minhash_batch(["a b c a b c".split(), "a b c a b c a b c".split()])
    assert np.array_equal(twice, thrice)


def test_estimates_follow_the_true_shingle_jaccard():
    base = [f"w{i}" for i in range(60)]
    errors = []
    for cut in (5, 15, 30, 45):
        other = base[:cut] + [f"x{i}" for i in range(60 - cut)]
        a, b = minhash_batch([base, other])
        errors.append(abs((a == b).mean() - _jaccard(base, other)))
    assert max(errors) < 0.2
    assert np.mean(errors) < 0.1
