"""Unicode repair: what is fixed, what is left alone, and how each repair is named."""

from tasks.repair import describe_steps, may_hold_mojibake, repair_unicode


def test_mojibake_is_repaired_and_named():
    assert repair_unicode("The council’s plan") == ("The council’s plan", [])
    fixed = ("The council’s plan", ["mojibake: utf-8 read as windows-1252"])
    assert repair_unicode("The councilâ€™s plan") == fixed


def test_each_repair_is_recorded_once_in_first_seen_order():
    text, repairs = repair_unicode("itâ€™s\nTom &amp; Jerry\u2028the ﬁnal one\nisnâ€™t\n")
    assert text == "it’s\nTom & Jerry\nthe final one\nisn’t\n"
    assert repairs == ["mojibake: utf-8 read as windows-1252", "html entities", "line breaks", "ligatures"]


def test_lines_are_repaired_on_their_own():
    # One mis-encoded line does not make ftfy re-decode a correct one.
    text, _ = repair_unicode("Hélène Dubois said\nthe councilâ€™s guidance\n")
    assert text == "Hélène Dubois said\nthe council’s guidance\n"


def test_curly_quotes_and_accents_are_kept():
    text = "“Café Lumière” — Élodie’s «place»"
    assert repair_unicode(text) == (text, [])


def test_describe_steps_for_unknown_steps():
    assert describe_steps([("apply", "some_new_fix")]) == ["some new fix"]
    assert describe_steps([("encode", "latin-1"), ("decode", "windows-1252")]) == [
        "mojibake: windows-1252 read as latin-1"
    ]


def test_mojibake_hint_finds_every_mojibake_and_few_correct_texts():
    for broken in ("itâ€™s", "Ã©tÃ©", "â€\x9d", "naÃ¯ve", "Ã\xa0 la"):
        assert may_hold_mojibake(broken), broken
    for fine in ("café au lait", "« élu »", "Zürich Straße", "naïve façade", "it’s"):
        assert not may_hold_mojibake(fine), fine


def test_windows_line_ends_are_unified_but_not_recorded():
    assert repair_unicode("First line\r\nsecond\rthird") == ("First line\nsecond\nthird", [])


def test_ftfy_changes_nothing_only_says_so_when_ftfy_agrees():
    import random
    from itertools import product

    import ftfy

    from tasks.repair import ftfy_changes_nothing

    config = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=True)
    punctuation = "\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026"
    # Every string of up to three characters from the punctuation and a few kinds of ASCII (ftfy's mojibake
    # test looks at runs of two or three characters), then longer random ones.
    alphabet = punctuation + "aZ .1\"'\t\n;"
    samples = ["".join(chars) for n in (1, 2, 3) for chars in product(alphabet, repeat=n)]
    rng = random.Random(5)
    printable = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "&") + "\t\n" + punctuation * 8
    samples += ["".join(rng.choice(printable) for _ in range(rng.randrange(1, 200))) for _ in range(2000)]
    for text in samples:
        assert ftfy_changes_nothing(text), repr(text)
        assert ftfy.fix_and_explain(text, config) == (text, []), repr(text)
    # Anything else is left to ftfy.
    for text in (
        "a &amp; b",
        "caf\u00c3\u00a9",
        "\u00e9",
        "x\x0cy",
        "x\ry",
        "\ufb01",
        "\u2028",
        "\x85",
        "\x1b[0m",
    ):
        assert not ftfy_changes_nothing(text), repr(text)


def test_a_text_ftfy_leaves_alone_is_returned_whole():
    text = "“Plain” news – with dashes… and\u00a0spaces.\n\nSecond paragraph.\n"
    assert repair_unicode(text) == (text, [])
