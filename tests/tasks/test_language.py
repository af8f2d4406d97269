"""Language tags are deterministic and `und` for short text."""

from tasks.language import detect_language, detect_languages

EN = "The minister announced a new budget for the northern railway on Tuesday morning."
FR = "Le ministre a annoncé mardi matin un nouveau budget pour la ligne de chemin de fer du nord."


def test_languages_and_short_text():
    assert detect_languages([EN, FR, "So do we.", EN]) == ["en", "fr", "und", "en"]


def test_deterministic():
    mixed = "Le budget, the budget, der Haushalt, el presupuesto: todos hablan del dinero del tren."
    assert len({detect_language(mixed) for _ in range(5)}) == 1
