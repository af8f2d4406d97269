"""Language tags with langdetect, made deterministic, and `und` where a text is too short to tell."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

LANGUAGE_VERSION = "langdetect-1.0.9-seed0"
UNDETERMINED = "und"

# langdetect samples randomly; a fixed seed makes the same text get the same tag on every run.
DetectorFactory.seed = 0
# Yet detection is not thread-safe: 8 threads tagging the same 10 texts gave 8 different results. Prefect runs
# task shards in threads, so one detection at a time keeps tags deterministic (it holds the GIL anyway).
_DETECTING = threading.Lock()


@dataclass(frozen=True)
class LanguageConfig:
    """Below `min_words` words or `min_probability` confidence the tag is `und`: short texts get confident nonsense."""

    min_words: int = 8
    min_probability: float = 0.80
    max_chars: int = 4000  # the head of a long document says as much as all of it, at a fraction of the cost
    version: str = LANGUAGE_VERSION


def detect_language(text: str, config: LanguageConfig = LanguageConfig()) -> str:
    """ISO 639-1 code of `text`, or `und`."""
    if len(text.split()) < config.min_words:
        return UNDETERMINED
    try:
        with _DETECTING:
            best = detect_langs(text[: config.max_chars])[0]
    except LangDetectException:
        return UNDETERMINED
    if best.prob < config.min_probability:
        return UNDETERMINED
    # langdetect says zh-cn / zh-tw; the contract promises ISO 639-1.
    return best.lang.split("-")[0]


def detect_languages(texts: list[str], config: LanguageConfig = LanguageConfig()) -> list[str]:
    """Tags for a batch, detecting each distinct text once."""
    cache: dict[str, str] = {}
    for text in texts:
        if text not in cache:
            cache[text] = detect_language(text, config)
    return [cache[text] for text in texts]
