"""The aligner on hand-made pairs, one per fate, and on the seed pair paragraph by paragraph."""

import pytest

from tasks.align import FATES, AlignConfig, Paragraph, align_versions, paragraph_words, word_diff
from tasks.boilerplate import flag_document
from tasks.clean import comparison_form, comparison_words, split_document
from tasks.fingerprint import fingerprint


def paras(*texts: str) -> list[Paragraph]:
    return [Paragraph(i, t, fingerprint(comparison_form(t))) for i, t in enumerate(texts)]


def body(raw: str) -> list[Paragraph]:
    _, paragraphs = split_document(raw)
    flags = flag_document(paragraphs)
    return [
        Paragraph(i, p, fingerprint(comparison_form(p))) for i, p in enumerate(paragraphs) if not flags[i]
    ]


def fates(base, rep) -> list[tuple]:
    return [(f.base_para_idx, f.para_idx, f.fate) for f in align_versions(base, rep)]


A = "The minister announced a new budget for the northern railway on Tuesday morning."
B = "Critics said the plan ignores the needs of rural passengers who depend on buses."
C = "The opposition called for a full parliamentary inquiry into the tender process."
D = "Construction is expected to begin next spring and to last at least four years."
E = "Local councils will be asked to contribute a share of the cost from their reserves."


def test_identical_paragraphs_survive_despite_typography():
    rep = paras(A.replace("minister", "Minister").replace(" on", "  on"), B, C)
    assert fates(paras(A, B, C), rep) == [(0, 0, "survived"), (1, 1, "survived"), (2, 2, "survived")]


def test_dropped_and_added_paragraphs():
    assert fates(paras(A, B, C), paras(A, C, D)) == [
        (0, 0, "survived"),
        (1, None, "disappeared"),
        (2, 1, "survived"),
        (None, 2, "appeared"),
    ]


def test_word_edit_is_changed_with_a_diff():
    edited = B.replace("rural passengers", "elderly travellers")
    rows = align_versions(paras(A, B, C), paras(A, edited, C))
    assert [(r.base_para_idx, r.para_idx, r.fate) for r in rows][1] == (1, 1, "changed")
    assert rows[1].diff == "[-rural passengers-]{+elderly travellers+}"
    assert 0.7 < rows[1].similarity < 1.0


def test_heavily_edited_paragraph_between_anchors_stays_changed():
    rewritten = "Critics say the railway plan forgets rural bus users entirely, a spokesman said."
    assert fates(paras(A, B, C), paras(A, rewritten, C))[1] == (1, 1, "changed")


def test_moved_paragraph_is_found_and_insertion_does_not_look_like_a_move():
    assert fates(paras(A, B, C, D, E), paras(A, C, D, E, B)) == [
        (0, 0, "survived"),
        (1, 4, "moved"),
        (2, 1, "survived"),
        (3, 2, "survived"),
        (4, 3, "survived"),
    ]
    assert {f for *_, f in fates(paras(A, B, C, D), paras(E, A, B, C, D))} == {"survived", "appeared"}


def test_split_and_merge_are_mirror_images():
    whole = A + " " + B
    assert fates(paras(whole, C), paras(A, B, C)) == [(0, 0, "split"), (0, 1, "split"), (1, 2, "survived")]
    assert fates(paras(A, B, C), paras(whole, C)) == [(0, 0, "merged"), (1, 0, "merged"), (2, 1, "survived")]


def test_every_body_paragraph_appears_in_some_row():
    base, rep = paras(A, B, C, D), paras(D, E, A + " " + C)
    rows = align_versions(base, rep)
    assert {r.base_para_idx for r in rows if r.base_para_idx is not None} == {0, 1, 2, 3}
    assert {r.para_idx for r in rows if r.para_idx is not None} == {0, 1, 2}
    assert {r.fate for r in rows} <= set(FATES)


def test_word_diff_ignores_typography():
    assert word_diff("He said “yes” today.", 'He said "yes"  today.') == ""


# The seed pair, origin 000 (AlterNet) against republication 001. Indices are body paragraph positions.
SEED_FATES = [
    (0, 0, "survived"),  # curly vs straight closing quote only
    (1, 1, "changed"),  # "Global Hawk" -> "RQ-4"
    (2, 2, "changed"),  # "intelligence findings" -> "position", "reliable"
    (3, 3, "survived"),  # "secretary" vs "Secretary"
    (4, None, "disappeared"),  # "Iranian officials say the drone violated ..." only in the origin
    (5, 4, "changed"),  # "Secretary of State Mike" added
    (6, 5, "split"),  # split around the Haaretz quotation
    (6, 6, "split"),
    (7, 7, "survived"),  # double space only
    (8, 8, "survived"),
    (9, 9, "changed"),  # "convincing" -> "strong"
    (10, 10, "survived"),
    (11, 11, "changed"),  # "2015" added
    (12, 12, "changed"),  # heavily rewritten, same place
    (13, 13, "changed"),
    (14, 14, "changed"),
]


def test_seed_pair_fates(seed_texts):
    origin, republication = seed_texts
    assert fates(body(origin), body(republication)) == SEED_FATES


def test_seed_pair_seen_from_the_other_side(seed_texts):
    origin, republication = seed_texts
    mirrored = {"split": "merged", "disappeared": "appeared"}
    expected = sorted(
        ((r, b, mirrored.get(f, f)) for b, r, f in SEED_FATES),
        key=lambda t: (t[0] is None, t[0] or 0, t[1] is None, t[1] or 0),
    )
    got = fates(body(republication), body(origin))
    assert sorted(got, key=lambda t: (t[0] is None, t[0] or 0, t[1] is None, t[1] or 0)) == expected


@pytest.mark.parametrize("k", [12, 13, 14])
def test_seed_heavy_edits_have_low_but_real_similarity(seed_texts, k):
    origin, republication = seed_texts
    row = next(r for r in align_versions(body(origin), body(republication)) if r.base_para_idx == k)
    assert 0.2 < row.similarity < 0.7


# --- beyond the fates one by one ---

# Unrelated, but with many words in common ("the", "said", "that", "would"): plain word overlap 0.41.
F = "The council said that it would not be able to meet the cost of the repairs to the old bridge this year."
G = "The police said that they would be asking the public for help with the search for the missing boat."
SHORT = "No other details have been released."
LONG_PATH = AlignConfig(exhaustive_pairs=0)  # forces the candidate index used for long documents


@pytest.mark.parametrize("config", [AlignConfig(), LONG_PATH])
def test_unrelated_replacement_is_not_an_edit(config):
    """A paragraph dropped and an unrelated one added in its place share only common words: not `changed`."""
    rows = [
        (f.base_para_idx, f.para_idx, f.fate) for f in align_versions(paras(A, F, C), paras(A, G, C), config)
    ]
    assert rows == [(0, 0, "survived"), (1, None, "disappeared"), (2, 2, "survived"), (None, 1, "appeared")]


@pytest.mark.parametrize("config", [AlignConfig(), LONG_PATH])
def test_edited_moved_split_and_merged_rows_carry_a_diff(config):
    moved = D.replace("next spring", "in the autumn")
    rows = align_versions(
        paras(A, B, C + " " + E, D), paras(A, moved, B, C, E.replace("share", "part")), config
    )
    got = {(r.base_para_idx, r.para_idx): r for r in rows}
    assert got[(3, 1)].fate == "moved" and got[(3, 1)].diff == "[-next spring-]{+in the autumn+}"
    assert got[(2, 3)].fate == got[(2, 4)].fate == "split"
    assert got[(2, 4)].diff == "[-share-]{+part+}" and 0.9 < got[(2, 4)].similarity < 1
    assert got[(1, 2)].fate == "survived" and got[(1, 2)].diff is None


@pytest.mark.parametrize("config", [AlignConfig(), LONG_PATH])
def test_fates_are_the_same_through_the_long_document_path(config):
    assert fates(paras(A, B, C, D, E), paras(A, C, D, E, B)) == [
        (0, 0, "survived"),
        (1, 4, "moved"),
        (2, 1, "survived"),
        (3, 2, "survived"),
        (4, 3, "survived"),
    ]
    assert [
        (f.base_para_idx, f.para_idx, f.fate)
        for f in align_versions(paras(A, B, C), paras(A + " " + B, C), config)
    ] == [(0, 0, "merged"), (1, 0, "merged"), (2, 1, "survived")]


def test_repeated_paragraph_ties_are_decided_the_same_way_every_time():
    base, rep = paras(A, B, A, C), paras(A, C)
    first = fates(base, rep)
    assert first == fates(base, rep)
    assert first == [
        (0, 0, "survived"),
        (1, None, "disappeared"),
        (2, None, "disappeared"),
        (3, 1, "survived"),
    ]


def test_one_insertion_does_not_turn_the_rest_into_moves():
    base = [f"Paragraph number {k} of the report says {k * 7} things about topic {k}." for k in range(40)]
    rep = (
        base[:20] + ["A brand new paragraph about something else entirely, added by the editor."] + base[20:]
    )
    got = {f for *_, f in fates(paras(*base), paras(*rep))}
    assert got == {"survived", "appeared"}


def test_long_documents_align_paragraph_by_paragraph():
    sentences = [
        f"In district {k} the council approved {k * 3} new homes near the {k % 7} river crossings."
        for k in range(600)
    ]
    base = [sentences[k] + " " + sentences[k + 300] for k in range(300)]
    rep = (
        base[:100]
        + [base[100].split(". ")[0] + ".", sentences[400]]
        + base[101:250]
        + base[251:]
        + [base[250]]
    )
    rows = fates(paras(*base), paras(*rep))
    assert (100, 100, "split") in rows and (100, 101, "split") in rows
    assert (250, 300, "moved") in rows
    assert sum(f == "survived" for *_, f in rows) == 298


def test_paragraph_words_match_the_comparison_form():
    text = "“Ǆemal’s ﬁnal” café—naïve STRASSE ½ x² 2,5% ‘quoted’ e\u0301 tab\tnbsp\u00a0zero\u200bwidth"
    assert paragraph_words(text) == comparison_words(text)
    # ASCII text is folded byte by byte: every ASCII character, alone and between letters, as the comparison
    # form has it.
    ascii_text = "".join(f"a{chr(c)}B{chr(c)}c " for c in range(128)) + 'Don\'t `quote` "me" - e.g. 2,5%'
    assert ascii_text.isascii() and paragraph_words(ascii_text) == comparison_words(ascii_text)


def test_a_move_over_edited_paragraphs_moves_the_one_paragraph():
    """One paragraph jumping over two edited ones is the move, even though it alone is verbatim."""
    c2, d2 = C.replace("full parliamentary", "independent"), D.replace("at least four", "three")
    assert fates(paras(A, B, C, D, E), paras(A, c2, d2, B, E)) == [
        (0, 0, "survived"),
        (1, 3, "moved"),
        (2, 1, "changed"),
        (3, 2, "changed"),
        (4, 4, "survived"),
    ]


def test_a_short_paragraph_merged_into_a_long_one_is_a_merge():
    assert fates(paras(A, SHORT, B, C), paras(A, SHORT + " " + B, C)) == [
        (0, 0, "survived"),
        (1, 1, "merged"),
        (2, 1, "merged"),
        (3, 2, "survived"),
    ]


def test_a_paragraph_moved_past_a_split_is_the_move():
    assert fates(paras(A, B + " " + C, D, E), paras(A, D, B, C, E)) == [
        (0, 0, "survived"),
        (1, 2, "split"),
        (1, 3, "split"),
        (2, 1, "moved"),
        (3, 4, "survived"),
    ]


# Real white-space-only edits (issue 12, class 6): a space lost after an apostrophe, a spaced dash closed up.
WHITE_SPACE_EDITS = [
    (
        "We measure our customers' experience at every store, every week, the chief executive said.",
        "We measure our customers'experience at every store, every week, the chief executive said.",
    ),
    (
        "Most of the staff will stay remote - so the old office is up for lease from next month.",
        "Most of the staff will stay remote-so the old office is up for lease from next month.",
    ),
    (
        "The council voted 7 - 2 to close the pool, a decision residents called short-sighted.",
        "The council voted 7-2 to close the pool, a decision residents called short - sighted.",
    ),
]


@pytest.mark.parametrize(("before", "after"), WHITE_SPACE_EDITS)
def test_white_space_only_edits_survive(before, after):
    assert fates(paras(A, before, C), paras(A, after, C)) == [
        (0, 0, "survived"),
        (1, 1, "survived"),
        (2, 2, "survived"),
    ]


def test_changed_rows_always_carry_a_diff_on_generated_stories():
    from bench.align_bench import body as stored_body
    from bench.corpus import iter_documents

    docs = list(iter_documents(60, seed=3))
    origins = {d.doc_id: stored_body(d) for d in docs if d.version == 0}
    changed = 0
    for rep in docs:
        if rep.version:
            for f in align_versions(origins[rep.base_doc_id], stored_body(rep)):
                changed += f.fate == "changed"
                assert f.fate != "changed" or f.diff, f
    assert changed > 20


def _random_bags(rng, n: int) -> list:
    from collections import Counter

    words = [f"w{k}" for k in range(60)] + ["the", "said", "of"]
    return [Counter(rng.choices(words, k=rng.randint(0, 40))) for _ in range(n)]


@pytest.mark.parametrize("dense, chunk", [(1 << 22, 1 << 20), (0, 7)])
def test_pair_scores_equal_the_word_by_word_sum_to_the_last_bit(monkeypatch, dense, chunk):
    """The array scoring of candidate pairs gives exactly _Weights.dice's floats (sum order included), on the
    dense lookup and on the sorted-key one, whole or a few pairs at a time; bags of equal width test which
    bag the sum runs over. The bags' masses are Python's sums too."""
    import random

    import numpy as np

    import tasks.align as align

    monkeypatch.setattr(align._BagArrays, "DENSE", dense)
    monkeypatch.setattr(align, "CHUNK", chunk)
    rng = random.Random(5)
    for _ in range(30):
        bags_a, bags_b = _random_bags(rng, rng.randint(1, 12)), _random_bags(rng, rng.randint(1, 12))
        weights = align._Weights(bags_a + bags_b)
        assert weights.mass == [sum(c * weights.idf[w] for w, c in bag.items()) for bag in bags_a + bags_b]
        n = len(bags_a)
        i = np.repeat(np.arange(n), len(bags_b))
        j = np.tile(np.arange(len(bags_b)), n)
        got = align.pair_dice(weights, i, n + j).tolist()
        want = [
            weights.dice(bags_a[a], bags_b[b], weights.mass[a], weights.mass[n + b])
            for a, b in zip(i.tolist(), j.tolist(), strict=True)
        ]
        assert got == want


def test_word_edits_are_pythons_difflib_opcodes():
    """The compiled SequenceMatcher (cydifflib) cuts the word diff exactly where difflib's does."""
    import difflib
    import random

    from tasks.align import fold_token, word_edits

    rng = random.Random(3)
    words = (A + " " + B + " " + C).split()
    for _ in range(300):
        a = rng.choices(words, k=rng.randint(0, 30))
        b = [w for w in a if rng.random() > 0.2] + rng.choices(words, k=rng.randint(0, 4))
        rng.shuffle(b) if rng.random() < 0.2 else None
        fa, fb = [fold_token(t) for t in a], [fold_token(t) for t in b]
        opcodes = difflib.SequenceMatcher(None, fa, fb, autojunk=False).get_opcodes()
        want = [
            (
                op == "equal" or "".join(fa[i1:i2]) == "".join(fb[j1:j2]),
                " ".join(a[i1:i2]),
                " ".join(b[j1:j2]),
            )
            for op, i1, i2, j1, j2 in opcodes
        ]
        assert word_edits(" ".join(a), " ".join(b)) == want


def test_a_grown_bag_is_counter_addition_to_the_order_of_its_words():
    """Split and merge growing adds a piece's words to the run's bag: the same counts in the same order as
    Counter's +, whose order the weighted sums over the bag follow; neither bag is changed."""
    import random
    from collections import Counter

    from tasks.align import _added

    rng = random.Random(11)
    words = (A + " " + B).split()
    for _ in range(500):
        bag = Counter(rng.choices(words, k=rng.randint(0, 30)))
        piece = Counter(rng.choices(words, k=rng.randint(0, 30)))
        before = (list(bag.items()), list(piece.items()))
        assert list(_added(bag, piece).items()) == list((bag + piece).items())
        assert (list(bag.items()), list(piece.items())) == before


def test_ascii_texts_fold_into_the_tokens_fold_token_gives():
    """The word diff's one-pass fold of an ASCII text gives each token's fold_token, whatever ASCII character
    it holds (quotes and punctuation dropped, letters lowered, control characters too)."""
    import random

    from tasks.align import _folded_tokens, fold_token

    rng = random.Random(5)
    alphabet = [chr(code) for code in range(128)] + ["don't", "U.S.", "e-mail", "(2024)", "ABC"]
    for _ in range(2000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 40)))
        tokens = text.split()
        assert _folded_tokens(text, tokens) == [fold_token(t) for t in tokens]


def test_split_and_merge_growing_reads_the_candidates_overlaps_to_the_last_bit(monkeypatch):
    """Split and merge growing takes a piece's overlap with the whole from the candidates' scoring; every fate
    of generated stories (splits and merges among them) is the same when it sums each overlap again itself."""
    import tasks.align as align
    from bench.align_bench import body as stored_body
    from bench.corpus import iter_documents

    docs = list(iter_documents(120, seed=11))
    origins = {d.doc_id: stored_body(d) for d in docs if d.version == 0}
    pairs = [(origins[d.base_doc_id], stored_body(d)) for d in docs if d.version]
    kept = [align_versions(base, rep) for base, rep in pairs]
    candidates = align._candidates
    monkeypatch.setattr(align, "_candidates", lambda *args: (candidates(*args)[0], {}))
    again = [align_versions(base, rep) for base, rep in pairs]
    assert again == kept
    assert sum(f.fate in ("split", "merged") for fates in kept for f in fates) > 5


def test_the_score_bound_drops_only_pairs_that_are_not_kept(monkeypatch):
    """The candidates' bound (one product over all pairs) leaves every pair the exact word-by-word scoring
    keeps, with the same score and overlap to the last bit: on random bags (counts above one among them) and
    on generated stories, scored with the bound and again over every pair."""
    import random

    import tasks.align as align
    from bench.align_bench import body as stored_body
    from bench.corpus import iter_documents

    config = AlignConfig()
    rng = random.Random(7)
    cases = [tuple(_random_bags(rng, rng.randint(1, 20)) for _ in "ab") for _ in range(40)]
    docs = list(iter_documents(60, seed=13))
    origins = {d.doc_id: stored_body(d) for d in docs if d.version == 0}
    for d in docs:
        if d.version:
            versions = (origins[d.base_doc_id], stored_body(d))
            cases.append(tuple([align.paragraph_bag(p.text) for p in body] for body in versions))
    dropped = 0
    for bags_a, bags_b in cases:
        weights = align._Weights(bags_a + bags_b)
        hopeful = align._may_reach(weights, len(bags_a), config.changed_min)
        dropped += len(bags_a) * len(bags_b) - len(hopeful)
        bounded = align._candidates(bags_a, bags_b, weights, set(), config)
        with monkeypatch.context() as m:
            m.setattr(align, "_may_reach", lambda *args: None)
            every = align._candidates(bags_a, bags_b, weights, set(), config)
        assert bounded == every
        assert list(bounded[0]) == list(every[0])  # the same pairs in the same order
    assert dropped > 1000  # the bound leaves most pairs out


def test_word_weights_are_the_formula_of_how_many_bags_hold_a_word():
    """A word's weight in a pair is log(n / k) + 0.05 for k of the pair's n - 1 bags holding it, a fifth of
    that for a function word, the bags' masses Python's sums of count x weight; word ids are shared by all
    pairs a process weighs, so most pairs here meet words numbered by earlier ones."""
    import math
    import random
    from collections import Counter

    import tasks.align as align

    rng = random.Random(17)
    for _ in range(50):
        bags = _random_bags(rng, rng.randint(0, 15))
        held = Counter(word for bag in bags for word in bag)
        n = len(bags) + 1
        want = {
            w: (math.log(n / k) + 0.05) * (0.2 if w in align._FUNCTION_WORDS else 1.0)
            for w, k in held.items()
        }
        weights = align._Weights(bags)
        assert weights.idf == want
        assert weights.mass == [sum(c * want[w] for w, c in bag.items()) for bag in bags]


def test_one_matcher_for_similarity_and_diff_gives_both_as_two_would():
    """Changed paragraphs get their similarity and word diff from one matcher when the two word sequences
    agree: the very ratio and diff of similarity and word_diff, on texts whose tokens hold punctuation, quotes
    and numbers (where the sequences differ) and on texts without."""
    import random

    from tasks.align import similarity, similarity_and_diff

    rng = random.Random(23)
    words = (A + " " + B + " " + C).split() + ["U.S.", "don't", "e-mail", "3.5", "—", "“Yes,”", "Straße"]
    for _ in range(400):
        a = rng.choices(words, k=rng.randint(0, 30))
        b = [w for w in a if rng.random() > 0.25] + rng.choices(words, k=rng.randint(0, 5))
        if rng.random() < 0.5:  # plain words only: the one-matcher path
            a, b = ([w for w in x if w.isalpha()] for x in (a, b))
        a, b = " ".join(a), " ".join(b)
        assert similarity_and_diff(a, b) == (similarity(a, b), word_diff(a, b))
