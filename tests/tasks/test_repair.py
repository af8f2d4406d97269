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
