"""Language tags are deterministic, `und` for short or mixed text, scored on langdetect's own n-grams and
profiles, and agree with langdetect where it is sure."""

import math

import numpy as np
import pytest
from langdetect import DetectorFactory, detect_langs, detector_factory

import tasks.language as language
from tasks.language import (
    LanguageConfig,
    detect_language,
    detect_languages,
    language_probabilities,
    language_scores,
    tag_by_fingerprint,
)

EN = "The minister announced a new budget for the northern railway on Tuesday morning."
FR = "Le ministre a annoncé mardi matin un nouveau budget pour la ligne de chemin de fer du nord."
DE = "Der Minister kündigte am Dienstag einen neuen Haushalt für die Nordbahn an, sagte er."
PROSE = {
    "en": EN,
    "fr": FR,
    "de": DE,
    "es": "El ministro anunció el martes por la mañana un nuevo presupuesto para el ferrocarril del norte.",
    "it": "Il ministro ha annunciato martedì mattina un nuovo bilancio per la ferrovia del nord del paese.",
    "pt": "O ministro anunciou na terça-feira de manhã um novo orçamento para a ferrovia do norte do país.",
    "nl": "De minister kondigde dinsdagochtend een nieuwe begroting aan voor de noordelijke spoorlijn.",
    "ru": "Министр объявил во вторник новый бюджет для северной железной дороги, сообщили в правительстве.",
}
SAMPLES = [
    *PROSE.values(),
    "部長は火曜日の朝、北部鉄道の新しい予算を発表した。",
    "Visit https://example.com or mail desk@example.org now: NASA and the UN said so.",
    "so do we",
    "123 456",
    "",
]


def test_languages_and_short_text():
    assert detect_languages([EN, FR, "So do we.", EN]) == ["en", "fr", "und", "en"]


def test_agrees_with_langdetect_where_it_is_sure():
    DetectorFactory.seed = 0
    tags = detect_languages(list(PROSE.values()))
    for (expected, text), tag in zip(PROSE.items(), tags, strict=True):
        best = detect_langs(text)[0]
        assert best.prob > 0.9 and best.lang == expected, text
        assert tag == expected, text


def test_mixed_text_is_undetermined():
    en = EN + " It would be enough, he said."
    de = DE + " Das reiche aus, sagte er."
    assert detect_languages([en, de, en + " " + de]) == ["en", "de", "und"]
    # All of the evidence, not an average n-gram's worth, would call it.
    assert detect_languages([en + " " + de], LanguageConfig(evidence=0)) != ["und"]


def test_scores_are_naive_bayes_over_langdetects_ngrams():
    detector_factory.init_factory()
    factory = detector_factory._factory
    languages, scores, grams = language_scores(SAMPLES)
    column = {lang: languages.index(lang) for lang in factory.langlist}
    for text, row, n in zip(SAMPLES, scores, grams.tolist(), strict=True):
        detector = factory.create()
        detector.append(text)
        detector.cleaning_text()
        found = detector._extract_ngrams()
        assert n == len(found), text
        for i, lang in enumerate(factory.langlist):
            expected = sum(math.log(factory.word_lang_prob_map[g][i] + 0.5 / 10000) for g in found)
            assert math.isclose(row[column[lang]], expected, rel_tol=1e-12, abs_tol=1e-9), (text, lang)


@pytest.mark.parametrize("batch", [SAMPLES[::-1], SAMPLES[:1], SAMPLES * 3])
def test_scores_do_not_depend_on_the_batch(batch):
    _, alone, _ = language_scores([SAMPLES[0]])
    _, together, _ = language_scores(batch)
    assert (together[batch.index(SAMPLES[0])] == alone[0]).all()


def test_word_cache_cap_changes_nothing(monkeypatch):
    _, before = language_probabilities(SAMPLES, evidence=50)
    monkeypatch.setattr(language, "_WORD_CACHE_CAP", 0)
    _, after = language_probabilities(SAMPLES, evidence=50)
    _, again = language_probabilities(SAMPLES[::-1], evidence=50)
    assert (before == after).all() and (before == again[::-1]).all()


def test_no_ngrams_no_probabilities():
    _, probs = language_probabilities(["123 456", "", EN])
    assert (probs[:2] == 0).all() and np.isclose(probs[2].sum(), 1.0)


def test_deterministic():
    mixed = "Le budget, the budget, der Haushalt, el presupuesto: todos hablan del dinero del tren."
    assert len({detect_language(mixed) for _ in range(5)}) == 1


def test_tag_by_fingerprint_detects_each_missing_fingerprint_once():
    known = {3: "de"}
    texts = [EN.lower(), FR.lower(), "ignored: already seen", "never detected"]
    tags = tag_by_fingerprint([1, 2, 1, 3], texts, known)
    assert tags == ["en", "fr", "en", "de"]
    assert known == {1: "en", 2: "fr", 3: "de"}


def test_words_are_cut_and_looked_up_as_str_split_does():
    """A batch's words are cut and looked up by Arrow: each text's row holds the rows of its pieces between
    single spaces (empty ones too) in order, a text's last word without the space after it, as str.split(" ")
    and a dictionary of the words met would give; a word met again in a later batch keeps its rows."""
    prof = language._Profiles()
    first = ["", " ", "  word  ", "see https://example.org/x and me@example.org now", EN, "tail "]
    later = [EN + " " + FR, "word", "Der Minister kündigte  am", DE]
    for batch in (first, later):
        counts = prof.counts(batch)
        assert counts.shape == (len(batch), 2 * len(prof.slots))
        for k, text in enumerate(batch):
            expected = [2 * prof.slots[w] for w in prof.cleaned(text).split(" ")]
            expected[-1] += 1
            assert counts.indices[counts.indptr[k] : counts.indptr[k + 1]].tolist() == expected, text
    assert prof.slots["word"] < prof.slots["Minister"]  # met in the first batch, kept
