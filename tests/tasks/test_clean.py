"""Cleaning: readable text, the comparison form, paragraph splitting and titles."""

from tasks.clean import comparison_form, comparison_words, readable_paragraph, repair_text, split_document


def test_comparison_form_folds_case_quotes_punctuation_and_space():
    assert comparison_form("“Maximum  pressure’ — on Ha’aretz!") == comparison_form(
        '"maximum pressure" on Haaretz'
    )
    assert comparison_form("Global Hawk") != comparison_form("RQ-4")


def test_comparison_form_folds_unicode_forms():
    assert comparison_form("café") == comparison_form("cafe\u0301")
    assert comparison_form("ﬁnal\u00a0word") == comparison_form("final word")


def test_an_ascii_text_folds_as_the_unicode_path_folds_it():
    """ASCII texts take a one-pass fold by byte: the same words as the NFKC, casefold and per-character fold
    every other text takes (a word that is not ASCII sends the whole text down that path)."""
    import random

    rng = random.Random(7)
    alphabet = [chr(code) for code in range(128)] + ["Don't", "U.S.", "e-mail", "(2024)", "`code`", '"QUOTE"']
    for _ in range(2000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 40)))
        assert comparison_words(text) + ["é"] == comparison_words(text + " é")


def test_repair_fixes_mojibake_but_keeps_curly_quotes():
    assert repair_text("It\u00e2\u20ac\u2122s here") == "It’s here"
    assert repair_text("“quoted”") == "“quoted”"


def test_readable_paragraph_joins_wrapped_lines():
    assert readable_paragraph("one  two\nthree\u00a0four ") == "one two three four"


def test_title_block_of_short_lines_is_taken_out_of_the_body(seed_texts):
    _, republication = seed_texts
    title, paragraphs = split_document(republication)
    assert title.startswith("Putin Vacation — Putin's Ball — On the downed")
    assert paragraphs[0].startswith("President Trump’s campaign")


def test_headline_set_apart_by_blank_lines_is_a_title(seed_texts):
    origin, _ = seed_texts
    title, paragraphs = split_document(origin)
    assert title == "Why Trump and Putin are only frenemies at this point"
    assert len(paragraphs) == 25


def test_a_lede_sentence_is_not_a_title():
    title, paragraphs = split_document("The council met on Monday.\n\nIt voted to close the library.")
    assert title is None and len(paragraphs) == 2


def test_single_paragraph_document_has_no_title():
    assert split_document("Just one short line") == (None, ["Just one short line"])


def test_repair_skips_only_what_ftfy_leaves_unchanged():
    import ftfy

    config = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC")
    for raw in [
        "a &amp; b\r\nplain line\n",
        "<b>x</b> &amp;\nnext &amp; line",
        "esc \x1b[31mred\x1b[0m\nok",
        "nul\x00x\nplain",
        "caf\u00c3\u00a9 &lt; 3\nplain",
        "x\x0cy\x85z",
        "It\u00e2\u20ac\u2122s\nfine",
        "\u201cquoted\u201d \u2013 fine\u2026\nnext\u2019s &amp; more",
        "\u201call\u201d \u2014 plain\u00a0punctuation\u2019s\n\nonly",
    ]:
        expected = ftfy.fix_text(raw, config).replace("\r\n", "\n").replace("\r", "\n")
        assert repair_text(raw) == expected, raw


def test_comparison_form_of_symbols_controls_and_wide_forms():
    assert comparison_form("Ünïcödé ½ ①\tＡＢＣ\u2028x") == "ünïcödé 1 2 1 abc x"


def test_readable_paragraph_matches_collapsing_every_line():
    import random
    import re

    from tasks.clean import _SPACES

    def every_line(block):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        return " ".join(line for line in lines if line)

    rng = random.Random(3)
    pieces = ["word", "Word,", "“quoted”", " ", "  ", "\t", "\u00a0", "\u2009", "\u3000", "\n", " \n ", "é"]
    blocks = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30))) for _ in range(3000)]
    for block in blocks:
        assert readable_paragraph(block) == every_line(block), repr(block)
    assert any(re.search(r"\s\s", b) for b in blocks) and any(" " in b and "  " not in b for b in blocks)


def test_comparison_form_is_its_words_joined():
    for text in ("“Maximum  pressure’ — on Ha’aretz!", "ﬁnal\u00a0word", "", "½ ①\tＡＢＣ\u2028x"):
        assert comparison_form(text) == " ".join(comparison_words(text))
        assert comparison_form(text).split() == comparison_words(text)


def test_comparison_batch_gives_the_words_and_forms_of_each_text():
    import random
    import sys
    import unicodedata

    from tasks.clean import comparison_batch

    # Splitting on spaces alone is str.split() because the fold turns every character it splits on into one.
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert all(unicodedata.category(ch)[0] in "ZC" for ch in spaces)
    rng = random.Random(11)
    pieces = ["Word", "ﬁnal", "½", "“q”", "Ha’aretz", ",", " ", "  ", "", "ÉCOLE", "straße", *spaces]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12))) for _ in range(2000)]
    forms, words, counts = comparison_batch(texts)
    assert forms == [comparison_form(t) for t in texts]
    expected = [comparison_words(t) for t in texts]
    assert words.to_pylist() == [w for ws in expected for w in ws]
    assert counts.tolist() == [len(ws) for ws in expected]
    assert comparison_batch([])[0] == []


# A story as the OCR of a narrow newspaper column gives it (authored): a head and deck, then paragraphs whose
# last lines the column leaves short; no blank line anywhere.
COLUMN_STORY = (
    "DAM BREAKS IN\n"
    "MILL VALLEY\n"
    "Three Bridges Carried Away.\n"
    "Millford, May 2. The earth dam\n"
    "above the old paper mill gave way\n"
    "early this morning and the waters\n"
    "of the reservoir swept down the val\n"
    "ley with three bridges.\n"
    "No lives were lost, the warning\n"
    "having been given by a watchman who\n"
    "rode through the lower town an hour\n"
    "before the break. The loss is put at\n"
    "forty thousand dollars.\n"
    "The mill will be closed for a month.\n"
)


def test_an_ocr_column_story_is_cut_into_its_printed_paragraphs():
    title, body = split_document(COLUMN_STORY)
    # The head and deck, a few short lines before the first paragraph, are the story's title, as any text's.
    assert title == "DAM BREAKS IN — MILL VALLEY — Three Bridges Carried Away."
    assert body == [
        "Millford, May 2. The earth dam above the old paper mill gave way early this morning and the waters "
        "of the reservoir swept down the val ley with three bridges.",
        # "before the break. The loss is put at" ends a sentence inside a full line: not a paragraph's end.
        "No lives were lost, the warning having been given by a watchman who rode through the lower town an "
        "hour before the break. The loss is put at forty thousand dollars.",
        "The mill will be closed for a month.",
    ]


def test_narrow_lines_of_a_text_with_blank_lines_keep_their_blocks():
    # A list or a verse of short lines in a text that separates its paragraphs is not a column.
    verse = "\n".join(COLUMN_STORY.splitlines()[3:13])
    title, body = split_document(f"Intro paragraph of the post.\n\n{verse}\n\nLast paragraph.\n")
    assert body[1] == readable_paragraph(verse)


def test_a_short_block_or_wide_lines_are_not_a_column():
    assert split_document("The end came.\nIt was short.\nAnd done.\n")[1] == [
        "The end came. It was short. And done."
    ]
    wide = "".join(
        f"Line {i} of a page set ninety characters wide, far wider than any newspaper column is.\n"
        for i in range(10)
    )
    assert split_document(wide)[1] == [readable_paragraph(wide)]
