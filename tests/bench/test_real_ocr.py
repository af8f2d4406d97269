"""One story cut out of an OCR'd newspaper page by its lines (bench/real/ocr.py): authored page text, not the
corpus's."""

import pytest

from bench.real import ocr

PAGE = (
    b"THE DAILY EXAMPLE\n"
    b"HARBOUR MASTER\n"
    b"FINED FOR TOLLS\n"
    b"Truro, May 3. A harbour mas\n"
    b"ter was fined today for keep\n"
    b"ing tolls.\n"
    b"(Continued on Page Two.)\n"
    b"GRAIN PRICES FALL\n"
)


def test_a_cut_keeps_the_lines_named_as_the_ocr_gave_them():
    assert ocr.cut(PAGE, 2, 7) == (
        "HARBOUR MASTER\nFINED FOR TOLLS\nTruro, May 3. A harbour mas\nter was fined today for keep\n"
        "ing tolls.\n(Continued on Page Two.)\n"
    )


@pytest.mark.parametrize("first, last", [(0, 3), (5, 4), (7, 9)])
def test_lines_not_on_the_page_are_refused(first, last):
    with pytest.raises(ocr.CutError):
        ocr.cut(PAGE, first, last)
