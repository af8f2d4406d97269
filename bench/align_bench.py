"""Alignment benchmark: reprint's aligner vs a difflib paragraph diff, on generated stories with gold fates.

Run: `make bench-align` or `.venv/bin/python -m bench.align_bench [--stories N] [--seed S] [--pipeline N]`.
Scored at the function level (align_versions on paragraph lists): paragraphs are repaired and cleaned as the
pipeline does, gold boilerplate is left out so the figures measure alignment, not boilerplate detection.
`--pipeline N` also writes N stories to a folder, runs `reprint run` on it and scores the warehouse's
paragraph_fates, so linking, origin choice and boilerplate detection count too.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.baseline_difflib import align_with_difflib
from bench.corpus import HEAVY_EDITS, Document, EditMix, generate_corpus, iter_documents
from bench.quality import generator_fates, read_warehouse, run_reprint, write_generated
from bench.score import FATES, Score
from tasks.align import Fate, Paragraph, align_versions
from tasks.clean import comparison_form, readable_paragraph, repair_text
from tasks.fingerprint import fingerprint

Aligner = Callable[[list[Paragraph], list[Paragraph]], list[Fate]]
ALIGNERS: dict[str, Aligner] = {"reprint": align_versions, "difflib": align_with_difflib}


def body(doc: Document) -> list[Paragraph]:
    """The document's non-boilerplate paragraphs as the pipeline would store them."""
    out = []
    for k, (text, flag) in enumerate(zip(doc.paragraphs, doc.boilerplate, strict=True)):
        if not flag:
            clean = readable_paragraph(repair_text(text))
            out.append(Paragraph(k, clean, fingerprint(comparison_form(clean))))
    return out


def score_corpus(stories: dict[str, list[Document]]) -> dict[str, Score]:
    """Every aligner's score over every (origin, republication) pair."""
    scores = {name: Score() for name in ALIGNERS}
    for origin, *reps in stories.values():
        base = body(origin)
        for rep in reps:
            paragraphs = body(rep)
            for name, align in ALIGNERS.items():
                rows = [(f.base_para_idx, f.para_idx, f.fate) for f in align(base, paragraphs)]
                scores[name].add(rep.fates, rows)
    return scores


def time_long_pair(n_paragraphs: int, repeats: int = 5, seed: int = 0) -> dict[str, float]:
    """Best-of-`repeats` CPU seconds each aligner takes on one generated pair of `n_paragraphs` paragraphs."""
    origin, rep = iter_documents(
        1, seed=seed, republications_per_story=(1, 1), paragraphs_per_story=(n_paragraphs, n_paragraphs)
    )
    base, other = body(origin), body(rep)
    timings = {}
    for name, align in ALIGNERS.items():
        best = float("inf")
        for _ in range(repeats):
            start = time.process_time()  # CPU time: other work on a shared machine does not count
            align(base, other)
            best = min(best, time.process_time() - start)
        timings[name] = best
    return timings


MIXES = {"default": EditMix(), "heavy": HEAVY_EDITS}


def report_mix(name: str, stories: int, seed: int) -> dict[str, Score]:
    """Print the per-fate tables and confusion matrices of both aligners on one edit mix."""
    corpus = generate_corpus(stories, seed=seed, edit_mix=MIXES[name])
    scores = score_corpus(corpus.stories())
    pairs = scores["reprint"].pairs
    print(f"## Edit mix `{name}`: {stories} stories, {pairs} (origin, republication) pairs, seed {seed}\n")
    for aligner, score in scores.items():
        print(score.table(aligner) + "\n")
    for aligner, score in scores.items():
        print(score.confusion_table(aligner) + "\n")
    better = all(scores["reprint"].prf(f)[2] > scores["difflib"].prf(f)[2] for f in FATES)
    print(f"reprint F1 above difflib on every fate: {better}\n")
    return scores


def score_pipeline(stories: int, seed: int) -> tuple[Score, int]:
    """Run `reprint run` on a generated folder; its paragraph_fates' score against gold, and how many
    republications it did not align against their origin (not linked, or linked under another origin)."""
    with tempfile.TemporaryDirectory(prefix="reprint-bench-") as tmp:
        folder = write_generated(stories, Path(tmp) / "in", seed)
        run_reprint([folder], Path(tmp) / "warehouse")
        gold = [json.loads(line) for line in (folder / ".gold.jsonl").read_text().splitlines()]
        return generator_fates(gold, read_warehouse(Path(tmp) / "warehouse"))


def main(argv: list[str] | None = None) -> dict[str, dict[str, Score]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mix", choices=[*MIXES, "both"], default="both")
    parser.add_argument("--long", type=int, default=500, help="paragraphs per version in the timing pair")
    parser.add_argument(
        "--pipeline", type=int, default=0, help="also score `reprint run` on this many stories"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = {}
    for name in MIXES if args.mix == "both" else [args.mix]:
        results[name] = report_mix(name, args.stories, args.seed)
    if args.pipeline:
        score, missing = score_pipeline(args.pipeline, args.seed)
        print(f"## Whole pipeline (`reprint run` on a folder): {args.pipeline} stories, default mix\n")
        print(f"{missing} of {score.pairs} republications not aligned against their origin (linking)\n")
        print(score.table("pipeline") + "\n")
        print(score.confusion_table("pipeline") + "\n")
    timings = time_long_pair(args.long, seed=args.seed)
    print(f"## Speed: one {args.long}-paragraph pair, CPU time, best of 5\n")
    print(
        f"reprint {timings['reprint'] * 1000:.1f} ms, difflib {timings['difflib'] * 1000:.1f} ms "
        f"(reprint takes {timings['reprint'] / timings['difflib']:.1f}x the baseline's time)"
    )
    print(f"\n(benchmark ran in {time.perf_counter() - started:.1f} s)")
    return results


if __name__ == "__main__":
    main()
