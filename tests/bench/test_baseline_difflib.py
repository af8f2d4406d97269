"""The difflib baseline does what an afternoon's paragraph diff does, and no more."""

from bench.baseline_difflib import align_with_difflib
from tests.tasks.test_align import A, B, C, D, E, paras


def rows(base, rep):
    return sorted(
        ((f.base_para_idx, f.para_idx, f.fate) for f in align_with_difflib(base, rep)),
        key=lambda r: (r[0] is None, r[0] or 0, r[1] or 0),
    )


def test_equal_deleted_inserted_and_replaced_paragraphs():
    edited = B.replace("rural passengers", "elderly travellers")
    assert rows(paras(A, B, C, D), paras(A, edited, C, E)) == [
        (0, 0, "survived"),
        (1, 1, "changed"),
        (2, 2, "survived"),
        (3, None, "disappeared"),
        (None, 3, "appeared"),
    ]


def test_a_move_is_a_deletion_and_an_insertion():
    assert rows(paras(A, B, C, D), paras(A, C, D, B)) == [
        (0, 0, "survived"),
        (1, None, "disappeared"),
        (2, 1, "survived"),
        (3, 2, "survived"),
        (None, 3, "appeared"),
    ]
