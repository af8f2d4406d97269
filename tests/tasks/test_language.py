"""Language tags are deterministic, `und` for short text, and what langdetect itself computes."""

import numpy as np
import pytest
from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from tasks.language import detect_language, detect_languages, language_probabilities, tag_by_fingerprint

EN = "The minister announced a new budget for the northern railway on Tuesday morning."
FR = "Le ministre a annoncé mardi matin un nouveau budget pour la ligne de chemin de fer du nord."
SAMPLES = [
    EN,
    FR,
    "Der Minister kündigte am Dienstag einen neuen Haushalt für die Nordbahn an, sagte er.",
    "Министр объявил во вторник новый бюджет для северной железной дороги.",
    "部長は火曜日の朝、北部鉄道の新しい予算を発表した。",
    "Visit https://example.com or mail desk@example.org now: NASA and the UN said so.",
    "so do we",
    "123 456",
    "",
]


def test_languages_and_short_text():
    assert detect_languages([EN, FR, "So do we.", EN]) == ["en", "fr", "und", "en"]


def test_deterministic():
    mixed = "Le budget, the budget, der Haushalt, el presupuesto: todos hablan del dinero del tren."
    assert len({detect_language(mixed) for _ in range(5)}) == 1


@pytest.mark.parametrize("batch", [SAMPLES, SAMPLES[::-1], SAMPLES[:1]])
def test_probabilities_are_langdetects_whatever_the_batch(batch):
    DetectorFactory.seed = 0
    languages, probs = language_probabilities(batch)
    for text, row in zip(batch, probs, strict=True):
        try:
            expected = {lang.lang: lang.prob for lang in detect_langs(text)}
        except LangDetectException:
            expected = {}
        got = {languages[i]: p for i, p in enumerate(row) if p > 0.1}
        assert got.keys() == expected.keys(), text
        # Only the order of summing 55 languages differs (langdetect uses directory order): last-bit noise.
        assert np.allclose([got[k] for k in expected], list(expected.values()), rtol=0, atol=1e-12)


def test_tag_by_fingerprint_detects_each_missing_fingerprint_once():
    known = {3: "de"}
    texts = [EN.lower(), FR.lower(), "ignored: already seen", "never detected"]
    tags = tag_by_fingerprint([1, 2, 1, 3], texts, known)
    assert tags == ["en", "fr", "en", "de"]
    assert known == {1: "en", 2: "fr", 3: "de"}
