"""The aligner on hand-made pairs, one per fate, and on the seed pair paragraph by paragraph."""

import pytest

from tasks.align import FATES, Paragraph, align_versions, word_diff
from tasks.boilerplate import flag_document
from tasks.clean import comparison_form, split_document
from tasks.fingerprint import fingerprint


def paras(*texts: str) -> list[Paragraph]:
    return [Paragraph(i, t, fingerprint(comparison_form(t))) for i, t in enumerate(texts)]


def body(raw: str) -> list[Paragraph]:
    _, paragraphs = split_document(raw)
    flags = flag_document(paragraphs)
    return [Paragraph(i, p, fingerprint(comparison_form(p))) for i, p in enumerate(paragraphs) if not flags[i]]


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
        (0, 0, "survived"), (1, None, "disappeared"), (2, 1, "survived"), (None, 2, "appeared")]


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
        (0, 0, "survived"), (1, 4, "moved"), (2, 1, "survived"), (3, 2, "survived"), (4, 3, "survived")]
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
    expected = sorted(((r, b, mirrored.get(f, f)) for b, r, f in SEED_FATES),
                      key=lambda t: (t[0] is None, t[0] or 0, t[1] is None, t[1] or 0))
    got = fates(body(republication), body(origin))
    assert sorted(got, key=lambda t: (t[0] is None, t[0] or 0, t[1] is None, t[1] or 0)) == expected


@pytest.mark.parametrize("k", [12, 13, 14])
def test_seed_heavy_edits_have_low_but_real_similarity(seed_texts, k):
    origin, republication = seed_texts
    row = next(r for r in align_versions(body(origin), body(republication)) if r.base_para_idx == k)
    assert 0.2 < row.similarity < 0.7
