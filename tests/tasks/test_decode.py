"""Decoding: UTF-8, byte-order marks, Western code pages, other scripts, and binary refused."""

import pytest

from tasks.decode import NotText, decode_bytes

TEXT = "Café déjà vu: the naïve façade of a crème brûlée “stand”."


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252")],
)
def test_round_trips(encoding, expected):
    assert decode_bytes(TEXT.encode(encoding)) == (TEXT, expected)


def test_latin1_reads_as_its_superset_cp1252():
    text = "Zürich, Genève et Bâle"
    assert decode_bytes(text.encode("latin-1"))[0] == text


def test_cyrillic_is_not_mistaken_for_western():
    text = "Привет, как дела? Это новости из Москвы и Петербурга."
    decoded, encoding = decode_bytes(text.encode("cp1251"))
    assert decoded == text and encoding == "cp1251"


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"  \n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_not_text(data, reason):
    with pytest.raises(NotText, match=reason):
        decode_bytes(data)
