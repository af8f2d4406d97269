"""A batch of read documents becomes documents and paragraphs rows; languages are cached by fingerprint."""

import re

import numpy as np
import pyarrow as pa

from tasks.clean import comparison_form
from tasks.ingest import RawDocument
from tasks.language import detect_language
from tasks.prepare import StageClock, prepare_documents
from tasks.warehouse import SCHEMAS

EN = (
    "The minister announced a new budget for the northern railway on Tuesday morning.\n\n"
    "Critics said the money would not be enough to repair the old bridges along the line."
)
FR = "Le ministre a annoncé mardi matin un nouveau budget pour la ligne de chemin de fer du nord."


def _raw(doc_id: str, text: str) -> RawDocument:
    return RawDocument(doc_id, f"{doc_id}.txt", text, None, None, None, None, "utf-8", doc_id, "txt")


def test_tables_follow_the_warehouse_schemas(seed_texts):
    docs, paras = prepare_documents([_raw("a", seed_texts[0]), _raw("b", seed_texts[1])], known_languages={})
    assert docs.schema == SCHEMAS["documents"] and paras.schema == SCHEMAS["paragraphs"]
    assert docs.column("language").to_pylist() == ["en", "en"]
    assert sum(docs.column("n_paragraphs").to_pylist()) == paras.num_rows
    sketches = np.array(paras.column("minhash").to_pylist())
    assert sketches.shape == (paras.num_rows, 64)


def test_languages_per_paragraph_and_document():
    docs, paras = prepare_documents([_raw("en", EN), _raw("fr", FR)], known_languages={})
    assert docs.column("language").to_pylist() == ["en", "fr"]
    assert paras.column("language").to_pylist() == ["en", "en", "fr"]


def test_a_document_takes_the_tag_its_paragraphs_agree_on_or_is_detected():
    de = "Der Minister kündigte am Dienstag einen neuen Haushalt für die Nordbahn an, sagte er gestern."
    mixed = f"{EN}\n\n{de}\n\nDer Bahnchef sagte, das Geld reiche nicht für die alten Brücken im Norden aus."
    clock = StageClock()
    known: dict[int, str] = {}
    docs, paras = prepare_documents(
        [_raw("en", EN), _raw("mixed", mixed)], known_languages=known, clock=clock
    )
    assert paras.column("language").to_pylist() == ["en", "en", "en", "en", "de", "de"]
    # Only the document whose paragraphs disagree is detected, on its body.
    assert clock.counts["language_heads_detected"] == 1
    head = " ".join(comparison_form(p) for p in paras.column("text").to_pylist()[2:])
    assert docs.column("language").to_pylist() == ["en", detect_language(head)]
    assert len(known) == 5  # four distinct paragraphs, one head


def test_a_fingerprint_seen_before_is_not_detected_again():
    known: dict[int, str] = {}
    _, first = prepare_documents([_raw("a", EN)], known_languages=known)
    detected = dict(known)
    # The same paragraphs with other quotes, case and spacing have the same fingerprints.
    variant = EN.upper().replace(".", " !")
    _, second = prepare_documents([_raw("b", variant)], known_languages=known)
    assert second.column("fingerprint").to_pylist() == first.column("fingerprint").to_pylist()
    assert known == detected
    assert second.column("language").to_pylist() == first.column("language").to_pylist()


def test_a_stored_tag_is_reused_for_its_fingerprint():
    _, paras = prepare_documents([_raw("a", FR)], known_languages={})
    fp = paras.column("fingerprint")[0].as_py()
    _, again = prepare_documents([_raw("b", FR)], known_languages={fp: "xx"})
    assert again.column("language").to_pylist() == ["xx"]


def test_stored_tags_are_remembered_only_from_this_language_version():
    import tasks.prepare as prepare

    docs, paras = prepare_documents([_raw("fr", FR)], known_languages={})
    fp = paras.column("fingerprint")[0].as_py()
    prepare._KNOWN_LANGUAGES.clear()
    stale = docs.set_column(
        docs.schema.get_field_index("pipeline_version"),
        "pipeline_version",
        pa.array(["ingest-1+langdetect-0-old"], pa.string()),
    )
    assert prepare.remember_languages(stale, paras) == 0
    assert prepare.remember_languages(docs, paras) == 1 and prepare._KNOWN_LANGUAGES[fp] == "fr"
    # The next batch finds the tag in the process cache instead of detecting it.
    prepare._KNOWN_LANGUAGES[fp] = "xx"
    _, again = prepare_documents([_raw("b", FR)])
    assert again.column("language").to_pylist() == ["xx"]
    prepare._KNOWN_LANGUAGES.clear()


def test_texts_met_again_in_a_batch_or_a_later_one_give_the_rows_of_a_fresh_process(seed_texts):
    """What a worker keeps between batches (passage keys, link evidence, rule verdicts) and what a batch reads
    once per distinct text (forms, fingerprints, sketches) never changes a row: a batch whose texts were met
    before, some twice in it, gives the rows it gives with every cache empty."""
    import tasks.boilerplate as boilerplate
    import tasks.prepare as prepare

    repeated = f"{seed_texts[0]}\n\n{EN}\n\n{EN}"
    batch = [_raw("a", seed_texts[0]), _raw("b", repeated), _raw("c", seed_texts[1]), _raw("d", FR)]

    def fresh():
        for cache in (prepare._KNOWN_EVIDENCE, prepare._KNOWN_PASSAGES, boilerplate._STRONG_SEEN):
            cache.clear()
        boilerplate._is_news_furniture.cache_clear()

    fresh()
    alone = [prepare_documents([raw], known_languages={}) for raw in batch]
    fresh()
    first = prepare_documents(batch[:2], known_languages={})
    again = prepare_documents(batch, known_languages={})  # a and b met before, EN twice in b
    assert again[0].equals(pa.concat_tables([t[0] for t in alone]))
    assert again[1].equals(pa.concat_tables([t[1] for t in alone]))
    assert first[1].equals(pa.concat_tables([t[1] for t in alone[:2]]))


def test_template_keys_without_numbers_or_months_are_those_read_word_by_word(seed_texts, monkeypatch):
    """template_keys skips its word-by-word pass where no word is masked (no digit, no month's name): the keys
    are those of that pass, for texts with and without numbers, month names and code fences."""

    import tasks.boilerplate as boilerplate

    texts = [p for text in seed_texts for p in text.split("\n\n")] + [
        "The May 2024 release ships in March with four fixes for users.",
        "Marching bands played along the river while mayors and maybe others watched.",
        "Sept. budgets, decided in december, went to the councils of the north.",
        "Version 1.64.0 of the compiler is out now for everyone to install.",
        "```console\nrustup update stable\n```",
        "Mostly words here, with a ١٢ in Arabic digits and nothing else to see.",
        "Too short",
        "",
    ]
    quick = [boilerplate.template_keys(t) for t in texts]

    class _EveryTextHasAMonth(frozenset):
        def isdisjoint(self, other) -> bool:
            return False

    every = _EveryTextHasAMonth(boilerplate._MONTH_WORDS)
    monkeypatch.setattr(boilerplate, "_MONTH_WORDS", every)  # every text read word by word
    assert [boilerplate.template_keys(t) for t in texts] == quick
    assert sum(key != 0 for key, _ in quick) > 10


def test_the_month_words_are_the_words_the_month_pattern_matches_whole():
    """template_keys tells a month's name by a set of words: the very words _MONTH matches whole, and no
    other (its prefixes, longer words, other cases, other letters that look alike)."""
    import tasks.boilerplate as boilerplate

    words = boilerplate._MONTH_WORDS
    assert all(boilerplate._MONTH.fullmatch(w) for w in words)
    near = {variant for w in words for variant in (w[:k] for k in range(len(w) + 2)) if variant}
    near |= {w + tail for w in words for tail in ("s", "e", "t", "ember", "uary", ".")}
    near |= (
        {w.title() for w in words} | {w.upper() for w in words} | {w.replace("s", "\u017f") for w in words}
    )
    assert near - words  # the variants hold words that are no month's name
    for variant in near:
        assert (variant in words) == (boilerplate._MONTH.fullmatch(variant) is not None), variant


def test_paragraphs_the_reader_found_in_a_box_of_links_are_flagged():
    from dataclasses import replace

    teaser = "Dredgers will clear the channel before the boats return."
    text = f"{EN}\n\n{teaser}"
    plain = _raw("a", text)
    _, paras = prepare_documents([plain], known_languages={})
    assert paras.column("is_boilerplate").to_pylist() == [False, False, False]
    _, paras = prepare_documents([replace(plain, in_link_boxes=(teaser,))], known_languages={})
    assert paras.column("is_boilerplate").to_pylist() == [False, False, True]
    assert paras.column("boilerplate_reason").to_pylist()[2] == "rule"


def _template_keys_word_by_word(text: str) -> tuple[int, int]:
    """template_keys as its docstring reads, one word at a time: numbers masked "#" (a run of them one slot),
    month names "@", the facts the numbers that are no version string or are a decimal before a quantity."""
    import tasks.boilerplate as boilerplate

    if not text:
        return 0, 0
    masked, facts = [], []
    tokens = boilerplate._template_tokens(text)
    for k, word in enumerate(tokens):
        if any(c.isdigit() for c in word):
            quantity = k + 1 < len(tokens) and tokens[k + 1] in boilerplate._QUANTITY_WORDS
            figure = quantity and re.fullmatch(r"\d+\.\d+", word) is not None
            if boilerplate.VERSION_STRING.fullmatch(word) is None or figure:
                facts.append(word)
            if not masked or masked[-1] != "#":
                masked.append("#")
        else:
            masked.append("@" if word in boilerplate._MONTH_WORDS else word)
    least = 2 if text.lstrip().startswith(("```", "~~~")) else 4
    if "#" in masked and boilerplate._LINK_ALONE.fullmatch(text):
        least = 1
    key = 0 if sum(w not in "#@" for w in masked) < least else boilerplate._key(" ".join(masked))
    return key, boilerplate._key(" ".join(facts)) if facts else 0


def test_template_keys_are_those_read_word_by_word(seed_texts):
    """template_keys masks numbers and months over the words at once (a count, a substitution of runs of "#"):
    the keys of a reading one word at a time, for runs of numbers, version strings, months, links alone and
    code blocks, and for prose."""
    import tasks.boilerplate as boilerplate

    texts = [p for text in seed_texts for p in text.split("\n\n")] + [
        "Node.js 23.x, 22.x, 20.x and 18.x get the fix in 1.64.0, out on July 2, 2024.",
        "The 3 4 5 rule: 12 fixes in May, 7 in june, and rc1 2 3 after that for all users.",
        "* [apache-flink==1.16.2](https://pypi.org/project/apache-flink/1.16.2/)",
        "* [apache-flink](https://pypi.org/project/apache-flink/)",
        "```console\nrustup 1.2 update\n```",
        "```console\nrustup update\n```",
        "1 2 3",
        "may may 3 may",
        "Mostly words here, with a ١٢ in Arabic digits and 7 others to see.",
        "Version v18 and v20 stay, with 104 bug fixes and 3 new features since 2023-05-25.",
        "Treasury balances at the Fed fell to 21.334 billion dlrs, or 6.18 pct, from 3.2.1 on the day.",
    ]
    keys = [boilerplate.template_keys(t) for t in texts]
    assert keys == [_template_keys_word_by_word(t) for t in texts]
    assert sum(facts != 0 for _, facts in keys) >= 5 and sum(key == 0 for key, _ in keys) >= 2
