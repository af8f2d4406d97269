"""How often our language tags agree with langdetect's (DetectorFactory.seed = 0), and how much faster.

    .venv/bin/python -m bench.language                    # 400 paragraphs a language, ~10 min
    .venv/bin/python -m bench.language --per-language 40  # a quick look

Real multilingual prose read offline: the translated manual pages installed under /usr/share/man/<lang>
(English from man1/man5/man8; a translated folder also holds pages still in English, so the folder names
no language, langdetect's tag is the reference), paragraphs of 12 words or more, and others cut to their
first 8-15 words (short texts); and the benchmark corpus (bench/corpus.py: news paragraphs and document
heads). Every text is put in the comparison form the pipeline tags, and tagged as the pipeline does.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

MAN = Path("/usr/share/man")
# roff requests that end a paragraph, and inline escapes (fonts, special characters, strings, spacing).
_BREAK = re.compile(r"[.'](PP|P|LP|SH|SS|TP|IP|sp|br|HP|RS|RE|TH|nf|fi|EX|EE)\b")
_FONT_LINE = re.compile(r"\.(B|I|BR|IR|RB|RI|BI|IB)\s+(.*)")
_ESCAPE = re.compile(
    r"\\f(\[[^\]]*\]|\(..|.)|\\\(..|\\\[[^\]]*\]|\\[*$]\(..|\\[*$].|\\s[-+]?\d|\\[&|^~0:%/,e-]|\\."
)


def man_paragraphs(path: Path) -> list[str]:
    """The running text of a manual page source, a paragraph per entry (roff requests dropped)."""
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8", "replace")
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith((".", "'")):
            if _BREAK.match(line) and current:
                paragraphs.append(" ".join(current))
                current = []
            font = _FONT_LINE.match(line)
            if font:
                current.append(font.group(2).replace('"', ""))
            continue
        line = _ESCAPE.sub("", line).strip()
        if line:
            current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def man_sample(per_language: int, rng: random.Random) -> list[tuple[str, str]]:
    """(group, text): per manual folder, `per_language` paragraphs and a quarter as many short texts."""
    folders = {"en": [MAN / "man1", MAN / "man5", MAN / "man8"]}
    for folder in sorted(MAN.iterdir()) if MAN.is_dir() else []:
        if folder.is_dir() and not folder.name.startswith("man"):
            folders[folder.name] = [folder]
    sample = []
    for name, roots in sorted(folders.items()):
        paragraphs = []
        for root in roots:
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                try:
                    paragraphs += [p for p in man_paragraphs(path) if len(p.split()) >= 12]
                except (OSError, EOFError, gzip.BadGzipFile):
                    continue
        paragraphs = list(dict.fromkeys(paragraphs))
        rng.shuffle(paragraphs)
        sample += [(f"man {name}", p) for p in paragraphs[:per_language]]
        for p in paragraphs[per_language : per_language + per_language // 4]:
            sample.append((f"man {name} short", " ".join(p.split()[: rng.randint(8, 15)])))
    return sample


def news_sample(n_paragraphs: int, n_documents: int, rng: random.Random) -> list[tuple[str, str]]:
    """(group, text): distinct paragraphs and document heads (non-boilerplate paragraphs) of the corpus."""
    from bench.corpus import iter_documents

    paragraphs: list[str] = []
    heads: list[str] = []
    for doc in iter_documents(n_documents, seed=0):
        paragraphs += doc.paragraphs
        heads.append(" ".join(p for p, b in zip(doc.paragraphs, doc.boilerplate, strict=True) if not b))
        if len(heads) >= n_documents:
            break
    paragraphs = list(dict.fromkeys(paragraphs))
    rng.shuffle(paragraphs)
    return [("news paragraph", p) for p in paragraphs[:n_paragraphs]] + [("news document", h) for h in heads]


def langdetect_tags(texts: list[str], config) -> list[str]:
    """langdetect's tag under the pipeline's rules: `und` below min_words or min_probability."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    tags = []
    for text in texts:
        text = text[: config.max_chars]
        if len(text.split()) < config.min_words:
            tags.append("und")
            continue
        try:
            best = detect_langs(text)[0]
        except LangDetectException:
            tags.append("und")
            continue
        tags.append(best.lang.split("-")[0] if best.prob >= config.min_probability else "und")
    return tags


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.language", description=__doc__.split("\n")[0])
    parser.add_argument("--per-language", type=int, default=400)
    parser.add_argument("--news", type=int, default=1500, help="news paragraphs (a fifth as many heads)")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    opts = parser.parse_args(argv)

    from tasks.clean import comparison_form
    from tasks.language import LanguageConfig, detect_languages

    rng = random.Random(0)
    sample = man_sample(opts.per_language, rng) + news_sample(opts.news, opts.news // 5, rng)
    groups = [g for g, _ in sample]
    texts = [comparison_form(t) for _, t in sample]
    config = LanguageConfig()
    start = time.perf_counter()
    theirs = langdetect_tags(texts, config)
    langdetect_seconds = time.perf_counter() - start
    detect_languages(texts[:1])  # profiles load outside the clock, as langdetect's did on its first call
    start = time.perf_counter()
    ours = detect_languages(texts, config)
    ours_seconds = time.perf_counter() - start
    start = time.perf_counter()
    detect_languages(texts, config)  # again, every word's score known
    warm_seconds = time.perf_counter() - start
    kinds = defaultdict(lambda: [0, 0])
    for group, a, b in zip(groups, theirs, ours, strict=True):
        kind = "man short" if group.endswith("short") else group if group.startswith("news") else "man"
        kinds[kind][0] += a == b
        kinds[kind][1] += 1
    both = [(a, b) for a, b in zip(theirs, ours, strict=True) if "und" not in (a, b)]
    result = {
        "texts": len(texts),
        "agree": sum(a == b for a, b in zip(theirs, ours, strict=True)),
        "by_kind": {k: {"agree": a, "texts": n} for k, (a, n) in sorted(kinds.items())},
        "both_tagged": len(both),
        "both_tagged_differ": sum(a != b for a, b in both),
        "und_langdetect": theirs.count("und"),
        "und_ours": ours.count("und"),
        "und_both": sum(a == b == "und" for a, b in zip(theirs, ours, strict=True)),
        "disagreements": Counter(
            f"{a}->{b}" for a, b in zip(theirs, ours, strict=True) if a != b
        ).most_common(12),
        "languages_langdetect": Counter(theirs).most_common(),
        "langdetect_ms": langdetect_seconds / len(texts) * 1e3,
        "ours_ms": ours_seconds / len(texts) * 1e3,
        "ours_warm_ms": warm_seconds / len(texts) * 1e3,
        "evidence": config.evidence,
    }
    if opts.json:
        opts.json.write_text(json.dumps(result, indent=1))
    r = result
    print(f"{r['texts']:,} texts: tags agree on {r['agree']:,} ({r['agree'] / r['texts']:.2%})")
    for kind, v in r["by_kind"].items():
        print(f"  {kind}: {v['agree']:,} / {v['texts']:,} ({v['agree'] / v['texts']:.2%})")
    print(
        f"both give a language: {r['both_tagged']:,}, different languages: {r['both_tagged_differ']}; "
        f"und: langdetect {r['und_langdetect']}, ours {r['und_ours']}, both {r['und_both']}"
    )
    print("disagreements (langdetect->ours):", ", ".join(f"{k} {n}" for k, n in r["disagreements"]))
    print("langdetect's tags:", ", ".join(f"{k} {n}" for k, n in r["languages_langdetect"]))
    print(
        f"time per text: langdetect {r['langdetect_ms']:.2f} ms, ours {r['ours_ms']:.3f} ms "
        f"({r['ours_warm_ms']:.3f} ms again, the words' scores known)"
    )


if __name__ == "__main__":
    main()
