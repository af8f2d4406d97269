"""Quality benchmark: grouping, fates, boilerplate and rejects of `reprint run` on real and generated text.

Run: `.venv/bin/python -m bench.quality [--stories 100 1000 10000] [--before REV] [--no-real]
[--real-within 1000 10000]`.
Each corpus is ingested by `reprint run` (the CLI's own entry point, in a subprocess, fresh warehouse) and its
warehouse is read back through corpus.duckdb and scored against gold with bench/score.py:
- the real set, bench/real/ (real documents with real revision and republication histories, hand-labelled in
  bench/real/labels.toml: families, hard negatives, boilerplate snippets, a few pairs' fates), when assembled
  from fetched mirrors by `python -m bench.real.assemble` (the documents are not committed; without them, or
  with a set that is not exactly the labelled one, the run stops and says so: `--no-real` scores the
  generated corpora only);
- generated corpora from bench/corpus.py (gold from the generator) at each `--stories` size;
- with `--real-within N`, the real set and a generated corpus of N stories in one folder, one run, each scored
  against its own labels (issue 12: flags and stories must hold as the corpus grows around a user's texts).
`--before REV` runs the same corpora on another commit (a temporary `git worktree` of REV, its code run with
this venv) and prints both side by side with deltas. Results go to bench/results/quality.json (date, machine,
commit, command); docs/quality.md is rendered from that JSON by `render_page`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from bench.real.assemble import NOT_ASSEMBLED, is_assembled
from bench.score import FATES, Score, grouping_scores, precision_recall

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "bench" / "real"
RESULTS = ROOT / "bench" / "results" / "quality.json"
PAGE = ROOT / "docs" / "quality.md"
# Runs the CLI of the tree at sys.argv[1] (this one or a `--before` worktree) with this venv's packages.
_LAUNCH = "import sys; sys.path.insert(0, sys.argv.pop(1)); from flows.cli import main; sys.exit(main())"


def run_reprint(inputs: list[Path], warehouse: Path, code: Path = ROOT) -> float:
    """`reprint run INPUTS --warehouse WAREHOUSE` with the code of tree `code`; wall seconds it took."""
    # One Prefect home (its API database) for every run, as a user has; but results in a fresh folder per run,
    # so no run reuses a task result cached by another run or by other code (cache keys hold a version
    # constant, not the code).
    env = dict(
        os.environ,
        PREFECT_HOME=os.environ.get("PREFECT_HOME", str(ROOT / ".prefect")),
        PREFECT_LOCAL_STORAGE_PATH=str(warehouse.parent / "prefect-results"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )
    env.pop("PYTHONPATH", None)
    command = [
        sys.executable,
        "-c",
        _LAUNCH,
        str(code),
        "run",
        *map(str, inputs),
        "--warehouse",
        str(warehouse),
    ]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "--no-report"],
        cwd=code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"reprint run failed ({done.returncode}) on {inputs}:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


@dataclass
class Warehouse:
    """What a run stored, keyed by each document's `source` (its path under the input root)."""

    story: dict[str, str]  # source -> story_id
    version: dict[str, int]  # source -> version in its story
    paragraphs: list[tuple[str, int, str, bool]]  # (source, para_idx, text, is_boilerplate)
    fates: dict[tuple[str, str], list[tuple[int | None, int | None, str]]]  # (base, doc) -> rows
    rejects: list[tuple[str, str]]  # (source, reason)


def read_warehouse(warehouse: Path) -> Warehouse:
    """Read a run's tables through corpus.duckdb, as a user's reader would."""
    con = duckdb.connect(str(warehouse / "corpus.duckdb"), read_only=True)
    try:
        source = dict(con.sql("select doc_id, source from documents").fetchall())
        members = con.sql("select doc_id, story_id, version from story_members").fetchall()
        paragraphs = con.sql(
            "select doc_id, para_idx, text, is_boilerplate from paragraphs order by doc_id, para_idx"
        ).fetchall()
        fates: dict[tuple[str, str], list] = {}
        for base, doc, b, j, fate in con.sql(
            "select base_doc_id, doc_id, base_para_idx, para_idx, fate from paragraph_fates"
        ).fetchall():
            fates.setdefault((source[base], source[doc]), []).append((b, j, fate))
        # A warning row names what was dropped from a document that was ingested: it is no rejection.
        rejects = con.sql(
            "select source, reason from rejects where severity is distinct from 'warning' order by source"
        ).fetchall()
    finally:
        con.close()
    return Warehouse(
        story={source[d]: s for d, s, _ in members},
        version={source[d]: v for d, _, v in members},
        paragraphs=[(source[d], k, t, bool(f)) for d, k, t, f in paragraphs],
        fates=fates,
        rejects=[(s, r) for s, r in rejects],
    )


# --- the generator ------------------------------------------------------------------------------------


def write_generated(stories: int, folder: Path, seed: int = 0) -> Path:
    """Write a generated corpus of `stories` stories as a folder (gold in its hidden .gold.jsonl)."""
    from bench.corpus import iter_documents, write_folder

    write_folder(iter_documents(stories, seed=seed), folder)
    return folder


def generator_fates(gold: list[dict], out: Warehouse) -> tuple[Score, int]:
    """Score of a run's paragraph_fates against the generator's gold rows, and how many republications it did
    not align against their origin (not linked, or linked under another origin)."""
    by_id = {Path(s).stem: s for s in out.story}  # the writer names documents <doc_id>.txt
    fates, missing = Score(), 0
    for g in gold:
        if g["version"]:
            pair = (by_id.get(g["base_doc_id"]), by_id.get(g["doc_id"]))
            fates.add([tuple(f) for f in g["fates"]], out.fates.get(pair, []))
            missing += pair not in out.fates
    return fates, missing


def score_generated(folder: Path, out: Warehouse, strangers: dict[str, str] | None = None) -> dict:
    """Grouping, whole-pipeline fates and boilerplate of a run on a generated folder against its gold
    (`strangers`: the stories of another corpus' documents in the same run, as for `score_real`)."""
    gold = [json.loads(line) for line in (folder / ".gold.jsonl").read_text().splitlines()]
    fates, missing = generator_fates(gold, out)
    gold_boilerplate = {(g["doc_id"], k) for g in gold for k, flag in enumerate(g["boilerplate"]) if flag}
    flagged = {(Path(s).stem, k) for s, k, _, f in out.paragraphs if f}
    found = {Path(s).stem: story for s, story in out.story.items()}
    return {
        "documents": len(gold),
        "grouping": grouping_scores({g["doc_id"]: g["story"] for g in gold}, found, strangers),
        "fates_macro_f1": fates.macro_f1(),
        "fates_per_fate": {f: fates.prf(f)[2] for f in FATES if fates.prf(f)[3]},
        "pairs": fates.pairs,
        "pairs_not_aligned": missing,
        "boilerplate": precision_recall(gold_boilerplate, flagged),
        "body_flagged": len(flagged - gold_boilerplate),
        "rejected": [list(r) for r in out.rejects],
    }


# --- the real set -------------------------------------------------------------------------------------


def load_labels(path: Path = REAL / "labels.toml") -> dict:
    """The real set's labels: family, hard_negative, boilerplate, fate and whole tables (lists)."""
    with open(path, "rb") as f:
        labels = tomllib.load(f)
    for key in ("family", "hard_negative", "boilerplate", "fate", "whole"):
        labels.setdefault(key, [])
    return labels


def squash(text: str) -> str:
    """Text with white space runs folded to one space, to find a label's snippet in a stored paragraph."""
    return re.sub(r"\s+", " ", text).strip()


def gold_families(labels: dict, documents: list[str]) -> dict[str, str]:
    """{document: family}; a document in no family is a family of its own."""
    family = {d: "single:" + d for d in documents}
    for f in labels["family"]:
        for d in f["docs"]:
            family[d] = f["name"]
    return family


def real_documents(corpus: Path) -> list[str]:
    """Every input file of the real corpus by its path under the corpus root (what `source` holds)."""
    return sorted(
        p.relative_to(corpus).as_posix()
        for p in corpus.rglob("*")
        if p.is_file() and p.name != "manifest.csv" and not any(part.startswith(".") for part in p.parts)
    )


def label_part(labels: dict, documents: list[str], heldout: bool | str) -> tuple[dict, set[str]]:
    """One part of the real set and its documents: a held-out part (families and hard negatives marked
    `heldout = true`, `heldout = "news"` for the news added later, or `heldout = "blind"`, `"blind2"`,
    `"blind3"`, `"blind4"`, `"blind5"`, `"blind6"`, `"blind7"` and `"blind8"` for the parts kept from rule
    writers: text added after the rules it measures were written, never used to tune one; `"news-dev"` and
    `"news-dev2"` for the news pages rule writers may read beside the fourth blind part, of the same kind;
    `"dev-series"` for an
    outlet's recurring series rule writers may read; `"dev-asf"` and `"dev-asf2"` for blogs.apache.org posts
    (and Groovy site states) they may read beside the seventh blind part; `"dev-xpost"` for blog posts
    cross-posted between blogs they may read beside the sixth; `"dev-wire"` for 1987 Reuters wire stories they
    may read; `"dev-meter"` for the METER corpus's Press Association copy and newspaper stories they may read
    beside the eighth; `"dev-ocr"` for stories cut out of OCR'd newspaper pages they may read beside the
    ninth, `"blind9"`) or the rest
    (`heldout = False`: the text the rules were developed on). Boilerplate, fate and whole labels are kept for
    the part's documents only."""

    def mine(label: dict) -> bool:
        return label.get("heldout", False) == heldout if heldout else not label.get("heldout")

    held = {d for f in labels["family"] if f.get("heldout") for d in f["docs"]}
    held |= {d for h in labels["hard_negative"] if h.get("heldout") for d in (h["a"], h["b"])}
    if heldout:
        part = {d for f in labels["family"] if mine(f) for d in f["docs"]}
        part |= {d for h in labels["hard_negative"] if mine(h) for d in (h["a"], h["b"])}
    else:
        part = set(documents) - held
    keep = [f for f in labels["family"] if mine(f)]
    hard = [h for h in labels["hard_negative"] if mine(h)]
    return {
        "family": keep,
        "hard_negative": hard,
        "boilerplate": [b | {"docs": [d for d in b["docs"] if d in part]} for b in labels["boilerplate"]],
        "fate": [f for f in labels["fate"] if f["origin"] in part and f["doc"] in part],
        "whole": [w for w in labels["whole"] if w["doc"] in part],
    }, part


def restricted(out: Warehouse, documents: set[str]) -> Warehouse:
    """A run's warehouse seen through `documents` only (scores of a part of the set from one run)."""
    return Warehouse(
        story={d: s for d, s in out.story.items() if d in documents},
        version={d: v for d, v in out.version.items() if d in documents},
        paragraphs=[p for p in out.paragraphs if p[0] in documents],
        fates={k: v for k, v in out.fates.items() if k[0] in documents and k[1] in documents},
        rejects=[r for r in out.rejects if r[0] in documents],
    )


def is_gold_boilerplate(labels: dict, source: str, text: str) -> bool:
    """Whether a stored paragraph of `source` is boilerplate by the labels' snippets."""
    para = squash(text)
    for b in labels["boilerplate"]:
        if source in b["docs"]:
            snippet = squash(b["snippet"])
            if para == snippet if b.get("exact") else snippet in para:
                return True
    return False


def removed_boilerplate(
    corpus: Path, labels: dict, out: Warehouse, documents: set[str]
) -> set[tuple[str, str]]:
    """(document, snippet) of the boilerplate labels that hold for no stored paragraph of a document, though
    the document's input file holds the snippet (for an `exact` label: one of its blank-line blocks is the
    snippet): text the reader left out of the document, front matter read as metadata."""
    stored: dict[str, list[str]] = {}
    for source, _, text, _ in out.paragraphs:
        stored.setdefault(source, []).append(text)
    removed, files = set(), {}
    for b in labels["boilerplate"]:
        snippet = squash(b["snippet"])
        for doc in b["docs"]:
            if doc not in documents or doc not in stored:
                continue
            if any(is_gold_boilerplate({"boilerplate": [b]}, doc, t) for t in stored[doc]):
                continue
            if snippet in squash(" ".join(stored[doc])):
                continue  # cut across paragraphs, not left out
            if doc not in files:
                path = corpus / doc
                files[doc] = path.read_text(errors="replace") if path.is_file() else ""
            blocks = [squash(block) for block in re.split(r"\n\s*\n", files[doc])]
            if snippet in blocks if b.get("exact") else snippet in squash(files[doc]):
                removed.add((doc, snippet))
    return removed


def score_real(
    corpus: Path,
    labels: dict,
    out: Warehouse,
    only: set[str] | None = None,
    strangers: dict[str, str] | None = None,
) -> dict:
    """Grouping, hard negatives, labelled fates, boilerplate, whole sentences and rejects of a run on the real
    set (or on its documents `only`). `strangers`: the stories of the documents of another corpus the real set
    was run inside ({source: story_id}, bench.quality's --real-within): a real document in one story with one
    of them is a wrong pair (`linked_with_generated` names each)."""
    documents = [d for d in real_documents(corpus) if only is None or d in only]
    family = gold_families(labels, documents)
    grouping = grouping_scores(family, out.story, strangers)
    # Per family: is it grouped whole, and into how many stories it fell.
    families = {}
    for f in labels["family"]:
        stories = {out.story.get(d, "missing:" + d) for d in f["docs"]}
        families[f["name"]] = {
            "documents": len(f["docs"]),
            "stories": len(stories),
            "class": f.get("class", []),
        }
    hard = [
        [h["a"], h["b"]]
        for h in labels["hard_negative"]
        if h["a"] in out.story and out.story[h["a"]] == out.story.get(h["b"])
    ]
    gold_bp, flagged, body = set(), set(), {}
    for source, k, text, is_bp in out.paragraphs:
        if is_gold_boilerplate(labels, source, text):
            gold_bp.add((source, k))
        if is_bp:
            flagged.add((source, k))
        body[(source, k)] = text
    # Labelled boilerplate the reader left out of the text (a Markdown file's front matter, read as its
    # metadata; page chrome an HTML extractor drops) is rightly not body text: it counts as found.
    removed = removed_boilerplate(corpus, labels, out, set(documents))
    gold_bp |= removed
    flagged |= removed
    body.update({k: k[1] for k in removed})
    fates = []
    for f in labels["fate"]:
        got = _fates_of(out, f)
        fates.append(
            {
                **{k: f[k] for k in ("origin", "doc", "snippet", "fate")},
                "found": got,
                "right": f["fate"] in got,
            }
        )
    right = sum(f["right"] for f in fates)
    aligned = [f for f in fates if f["found"] != ["not aligned"]]
    paragraphs_of: dict[str, list[str]] = {}
    for source, _, text, _ in out.paragraphs:
        paragraphs_of.setdefault(source, []).append(squash(text))
    cut = [
        [w["doc"], squash(w["text"])]
        for w in labels["whole"]
        if not any(squash(w["text"]) in p for p in paragraphs_of.get(w["doc"], []))
    ]
    return {
        "documents": len(documents),
        "grouping": grouping,
        "families": families,
        "families_whole": sum(1 for f in families.values() if f["stories"] == 1),
        "families_total": len(families),
        "hard_negatives": len(labels["hard_negative"]),
        "hard_negatives_linked": hard,
        "fate_accuracy": right / len(fates) if fates else 1.0,
        "fate_accuracy_aligned": sum(f["right"] for f in aligned) / len(aligned) if aligned else 1.0,
        "fates_aligned": len(aligned),
        "fates": fates,
        "boilerplate": precision_recall(gold_bp, flagged),
        "boilerplate_missed": sorted(f"{k[0]}: {body[k][:80]}" for k in gold_bp - flagged),
        "boilerplate_removed": sorted(f"{k[0]}: {k[1][:80]}" for k in removed),
        "boilerplate_wrong": sorted(f"{k[0]}: {body[k][:80]}" for k in flagged - gold_bp),
        "whole_total": len(labels["whole"]),
        "whole_kept": len(labels["whole"]) - len(cut),
        "whole_cut": cut,
        "rejected": [list(r) for r in out.rejects],
    } | ({} if strangers is None else {"linked_with_generated": linked_with(out.story, documents, strangers)})


def linked_with(story: dict[str, str], documents: list[str], strangers: dict[str, str]) -> list[str]:
    """`document: stranger` for every pair of one of `documents` and a stranger put in one story."""
    members: dict[str, list[str]] = {}
    for doc, s in strangers.items():
        members.setdefault(s, []).append(doc)
    return sorted(f"{d}: {other}" for d in documents if d in story for other in members.get(story[d], []))


# The parts of the real set scored apart: (name in the results, `heldout` value of its labels).
PARTS = (
    ("real-tuned", False),
    ("real-heldout", True),
    ("real-news", "news"),
    ("real-blind", "blind"),
    ("real-blind2", "blind2"),
    ("real-blind3", "blind3"),
    ("real-blind4", "blind4"),
    ("real-news-dev", "news-dev"),
    ("real-blind5", "blind5"),
    ("real-news-dev2", "news-dev2"),
    ("real-blind6", "blind6"),
    ("real-blind7", "blind7"),
    ("real-dev-series", "dev-series"),
    ("real-dev-asf", "dev-asf"),
    ("real-dev-asf2", "dev-asf2"),
    ("real-dev-xpost", "dev-xpost"),
    ("real-dev-wire", "dev-wire"),
    ("real-dev-meter", "dev-meter"),
    ("real-blind8", "blind8"),
    ("real-dev-ocr", "dev-ocr"),
    ("real-blind9", "blind9"),
)
# The parts kept from the people writing rules: their figures are shown, their paragraphs withheld from every
# result. A part leaves this list when it is opened to find and fix misses (it is then blind no more).
WITHHELD = ("blind5", "blind6", "blind7", "blind8", "blind9")


def withheld_documents(labels: dict, documents: list[str], parts: tuple = WITHHELD) -> set[str]:
    """The documents of every withheld part (`parts`: WITHHELD by default), which no result lists."""
    return {d for heldout in parts for d in label_part(labels, documents, heldout)[1]}


# What a withheld hard negative that was linked is shown as: counted, never named.
WITHHELD_PAIR = ["(withheld)", "(withheld)"]


def withhold(result: dict, documents: set[str], families: dict[str, list[str]] | None = None) -> dict:
    """A real-set result without the per-paragraph lines of `documents` (the blind parts): their boilerplate
    missed and wrongly flagged, their labelled fates, the labelled sentences cut across paragraphs and their
    links with generated documents (--real-within) are counted under `withheld` but not listed, so that the
    people writing rules see their figures and never the paragraphs behind them. Nor which of their families
    split or which of their hard negatives were linked (`families`: every labelled family's documents): a
    name says what a blind pair is about, and a rule written for it is tuned to the judge. Scores are
    unchanged."""

    def theirs(line: str) -> bool:
        return line.split(": ", 1)[0] in documents

    hidden = {name for name, docs in (families or {}).items() if set(docs) <= documents}
    listed = ("boilerplate_missed", "boilerplate_wrong", "boilerplate_removed", "linked_with_generated")
    withheld = {key: sum(map(theirs, result[key])) for key in listed if key in result} | {
        "fates": sum(f["origin"] in documents for f in result["fates"]),
        "whole_cut": sum(doc in documents for doc, _ in result.get("whole_cut", [])),
        "families": len(hidden & set(result.get("families", {}))),
        "hard_negatives_linked": sum(
            a in documents or b in documents for a, b in result.get("hard_negatives_linked", [])
        ),
    }
    if not any(withheld.values()):
        return result
    return (
        result
        | {key: [line for line in result[key] if not theirs(line)] for key in listed if key in result}
        | {
            "fates": [f for f in result["fates"] if f["origin"] not in documents],
            "whole_cut": [w for w in result.get("whole_cut", []) if w[0] not in documents],
            "families": {n: f for n, f in result.get("families", {}).items() if n not in hidden},
            # Kept as placeholders, so that the count of hard negatives linked stays what it was.
            "hard_negatives_linked": [
                WITHHELD_PAIR if a in documents or b in documents else [a, b]
                for a, b in result.get("hard_negatives_linked", [])
            ],
            "withheld": withheld,
        }
    )


def _fates_of(out: Warehouse, label: dict) -> list[str]:
    """The fates reprint gave the origin paragraph holding the label's snippet in the labelled pair."""
    snippet = squash(label["snippet"])
    idx = [k for s, k, t, _ in out.paragraphs if s == label["origin"] and snippet in squash(t)]
    rows = out.fates.get((label["origin"], label["doc"]), [])
    found = sorted({fate for b, _, fate in rows if b in idx})
    return found or ["not aligned" if not rows else "no row"]


# --- running and comparing ---------------------------------------------------------------------------


def measure(code: Path, stories: list[int], real: bool, seed: int = 0, within: list[int] = ()) -> dict:
    """Every corpus run through `reprint run` with the code of tree `code`, scored."""
    results = {}
    with tempfile.TemporaryDirectory(prefix="reprint-quality-") as tmp:
        tmp = Path(tmp)
        if real:
            warehouse = tmp / "real" / "warehouse"
            seconds = run_reprint([REAL / "corpus"], warehouse, code)
            results |= score_real_set(read_warehouse(warehouse))
            results["real"]["seconds"] = seconds
            print(f"  real set scored ({seconds:.0f} s)", file=sys.stderr)
        for n in stories:
            folder = write_generated(n, tmp / f"gen{n}" / "in", seed)
            warehouse = tmp / f"gen{n}" / "warehouse"
            seconds = run_reprint([folder], warehouse, code)
            results[f"generator-{n}"] = score_generated(folder, read_warehouse(warehouse)) | {
                "seconds": seconds
            }
            print(f"  {n} stories scored ({seconds:.0f} s)", file=sys.stderr)
        for n in within:
            folder = write_within(n, tmp / f"within{n}" / "in", seed)
            warehouse = tmp / f"within{n}" / "warehouse"
            seconds = run_reprint([folder], warehouse, code)
            results[f"within-{n}"] = score_within(folder, read_warehouse(warehouse)) | {
                "stories": n,
                "seconds": seconds,
            }
            print(f"  the real set within {n} stories scored ({seconds:.0f} s)", file=sys.stderr)
    return results


def score_real_set(out: Warehouse, strangers: dict[str, str] | None = None) -> dict[str, dict]:
    """The real set's scores from one run ({"real": ..., "real-tuned": ..., ...}): the whole set, then each
    part scored from the same run (the whole set is one corpus, as a user's would be); the withheld parts'
    paragraphs withheld from every result."""
    labels, documents = load_labels(), real_documents(REAL / "corpus")
    results = {"real": score_real(REAL / "corpus", labels, out, strangers=strangers)}
    for name, heldout in PARTS:
        part, docs = label_part(labels, documents, heldout)
        if docs:
            results[name] = score_real(REAL / "corpus", part, restricted(out, docs), docs, strangers)
    blind = withheld_documents(labels, documents)
    families = {f["name"]: f["docs"] for f in labels["family"]}
    return {name: withhold(result, blind, families) for name, result in results.items()}


# --- the real set inside a generated corpus (--real-within) ---------------------------------------------

# The two subfolders of a --real-within input folder: the real set's files (and manifest) as assembled, and
# a generated corpus as bench/corpus.py writes it (its manifest, its hidden gold).
WITHIN_REAL, WITHIN_GENERATED = "real", "generated"


def write_within(stories: int, folder: Path, seed: int = 0) -> Path:
    """One input folder holding the real set and a generated corpus of `stories` stories, each in a subfolder
    with its own manifest.csv (outlets, dates, titles), as a user keeps two collections in one corpus."""
    shutil.copytree(REAL / "corpus", folder / WITHIN_REAL)
    write_generated(stories, folder / WITHIN_GENERATED, seed)
    return folder


def under(out: Warehouse, prefix: str) -> Warehouse:
    """A run's warehouse seen through the documents under the input subfolder `prefix`, named by their path
    under it (what `source` holds when the subfolder is run alone)."""
    cut = len(prefix) + 1

    def mine(source: str) -> bool:
        return source.startswith(prefix + "/")

    return Warehouse(
        story={d[cut:]: s for d, s in out.story.items() if mine(d)},
        version={d[cut:]: v for d, v in out.version.items() if mine(d)},
        paragraphs=[(d[cut:], *rest) for d, *rest in out.paragraphs if mine(d)],
        fates={(a[cut:], b[cut:]): v for (a, b), v in out.fates.items() if mine(a) and mine(b)},
        rejects=[(d[cut:], r) for d, r in out.rejects if mine(d)],
    )


def score_within(folder: Path, out: Warehouse) -> dict:
    """The real set's and the generated corpus' scores from one run over both: each against its own labels
    (the real set's parts as alone), a story joining a real and a generated document counted as wrong pairs
    for both corpora's grouping precision, and the pairs named (`linked_with_generated`)."""
    real, generated = under(out, WITHIN_REAL), under(out, WITHIN_GENERATED)
    # Named by their path in the input folder, so that no generated name could pass for a real one.
    strangers = {f"{WITHIN_GENERATED}/{d}": s for d, s in generated.story.items()}
    results = score_real_set(real, strangers)
    realm = {f"{WITHIN_REAL}/{d}": s for d, s in real.story.items()}
    results["generator"] = score_generated(folder / WITHIN_GENERATED, generated, realm)
    return results


@contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """A temporary detached `git worktree` of `rev`."""
    with tempfile.TemporaryDirectory(prefix="reprint-before-") as tmp:
        path = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), rev],
            check=True,
            capture_output=True,
        )
        try:
            yield path
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False)


def commit_of(rev: str = "HEAD") -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", rev], check=True, capture_output=True, text=True
    ).stdout.strip()


def pipeline_commit(rev: str = "HEAD") -> str:
    """The last commit at or before `rev` that changed the pipeline's code (what the figures measure)."""
    return subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "log",
            "-1",
            "--format=%h",
            rev,
            "--",
            "tasks",
            "flows",
            "requirements.lock",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


EXPLAINED = """How to run: `.venv/bin/python -m bench.quality --stories 100 1000 10000` (about ten minutes on
2 cores); `--before REV` puts another commit's figures beside this one's, `--no-real` or `--stories` with no
size skips a corpus, `--real-within 1000 10000` also scores the real set inside generated corpora of those
sizes (last section; about as long again as the generated corpora of those sizes). Every corpus goes through
`reprint run` in a fresh warehouse, as a user's folder would.

What the rows mean. Grouping precision/recall/F1: pairs of documents put in one story, against the gold
families (a document in no family is a story of its own); on the generator, grouping precision is the
linking precision. Hard negatives: labelled pairs that must stay apart. Fate accuracy: the share of labelled
(origin paragraph, republication) pairs given the labelled fate; a pair reprint did not align counts as
wrong, and the next rows give the accuracy over the aligned pairs only. Fates macro-F1: the whole
pipeline's paragraph_fates against the generator's gold rows (bench/score.py). Boilerplate
precision/recall: paragraphs flagged `is_boilerplate` against the gold ones (on the real set, the paragraphs
holding a labelled snippet; a labelled snippet that is in a document's input file but in none of its stored
paragraphs, such as the front matter a Markdown file's reader takes as metadata, was left out of the text by
the reader and counts as found). Sentences kept whole: labelled sentences or <pre> blocks found inside one
paragraph. Articles rejected: documents of the corpus reprint refused (every one of them is an article).
`real` is the whole real set; `real-heldout` scores the same run on its held-out part only (the documents of
the families and hard negatives labelled `heldout = true` in bench/real/labels.toml: text added after the
rules it measures were written, and never used to tune one), `real-news` on the news reprints labelled
`heldout = "news"`, `real-blind` to `real-blind8` on the parts labelled `heldout = "blind"`, `"blind2"`,
`"blind3"`, `"blind4"`, `"blind5"`, `"blind6"`, `"blind7"` and `"blind8"` (kept from the people writing rules:
their figures are shown, the paragraphs behind them are withheld while a part is in `WITHHELD`),
`real-news-dev` and `real-news-dev2` on the news pages saved as HTML labelled `heldout = "news-dev"` and
`"news-dev2"` (development parts rule writers read, of the same kind as the fourth blind part),
`real-dev-series` on an outlet's recurring series labelled `heldout = "dev-series"` (a development part),
`real-dev-asf` on blogs.apache.org posts labelled `heldout = "dev-asf"` (a development part beside the seventh
blind part), `real-dev-asf2` on more of them and Apache Groovy site states labelled `heldout = "dev-asf2"` (a
second such part), `real-dev-xpost` on blog posts cross-posted between blogs labelled `heldout = "dev-xpost"`,
`real-dev-wire` on 1987 Reuters wire stories labelled `heldout = "dev-wire"`, `real-dev-meter` on the METER
corpus's Press Association copy and newspaper stories labelled `heldout = "dev-meter"` (a development part
beside the eighth blind part, of the same corpus), `real-dev-ocr` on stories cut out of OCR'd front pages of
1916 labelled `heldout = "dev-ocr"` (a development part beside the ninth blind part, `real-blind9`, labelled
`heldout = "blind9"` and withheld), `real-tuned` on the rest (the text the rules were developed
on)."""

# Rows of the comparison table: (label, path into a corpus' results, higher is better).
ROWS = [
    ("grouping precision", ("grouping", "precision"), True),
    ("grouping recall", ("grouping", "recall"), True),
    ("grouping F1", ("grouping", "f1"), True),
    ("families labelled", ("families_total",), True),
    ("families grouped whole", ("families_whole",), True),
    ("hard negatives labelled", ("hard_negatives",), True),
    ("hard negatives linked", ("hard_negatives_linked",), False),
    ("fate accuracy (labelled pairs)", ("fate_accuracy",), True),
    ("labelled pairs aligned", ("fates_aligned",), True),
    ("fate accuracy where aligned", ("fate_accuracy_aligned",), True),
    ("fates macro-F1 (whole pipeline)", ("fates_macro_f1",), True),
    ("republications not aligned", ("pairs_not_aligned",), False),
    ("sentences labelled whole", ("whole_total",), True),
    ("sentences kept whole", ("whole_kept",), True),
    ("boilerplate precision", ("boilerplate", "precision"), True),
    ("boilerplate recall", ("boilerplate", "recall"), True),
    ("body paragraphs flagged", ("body_flagged",), False),
    ("articles rejected", ("rejected",), False),
    ("seconds", ("seconds",), False),
]


def _value(result: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(result, dict) or key not in result:
            return None
        result = result[key]
    return len(result) if isinstance(result, list) else result


def _fmt(v) -> str:
    if v is None:
        return "–"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def corpus_table(name: str, runs: dict[str, dict]) -> str:
    """One Markdown table of a corpus: a column per run (e.g. before, after) and the delta of the last two."""
    labels = list(runs)
    header = f"| {name} | " + " | ".join(labels) + (" | delta |" if len(labels) == 2 else " |")
    lines = [header, "|---" + "|---:" * (len(labels) + (len(labels) == 2)) + "|"]
    for label, path, _ in ROWS:
        values = [_value(runs[r].get(name, {}), path) for r in labels]
        if all(v is None for v in values):
            continue
        cells = [_fmt(v) for v in values]
        if len(values) == 2:
            a, b = values
            cells.append(_fmt(b - a) if isinstance(a, int | float) and isinstance(b, int | float) else "")
            if isinstance(a, float) or isinstance(b, float):
                cells[-1] = f"{b - a:+.3f}" if a is not None and b is not None else ""
            elif a is not None and b is not None:
                cells[-1] = f"{b - a:+d}"
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def real_details(result: dict) -> str:
    """The real set's per-family grouping, hard negatives, fates, missed boilerplate and rejects."""
    lines = ["| family | class | documents | stories it fell into |", "|---|---|---:|---:|"]
    for name, f in result["families"].items():
        lines.append(f"| {name} | {','.join(map(str, f['class']))} | {f['documents']} | {f['stories']} |")
    lines.append("")
    lines.append(
        f"Hard negatives linked: {len(result['hard_negatives_linked'])} of {result['hard_negatives']}"
        + "".join(f"\n- {a} + {b}" for a, b in result["hard_negatives_linked"])
    )
    lines.append("")
    lines.append("| labelled pair (origin → doc) | origin snippet | gold fate | reprint |")
    lines.append("|---|---|---|---|")
    for f in result["fates"]:
        lines.append(
            f"| {f['origin']} → {f['doc']} | {f['snippet'][:50]} | {f['fate']} | {', '.join(f['found'])} |"
        )
    withheld = result.get("withheld", {})
    if withheld:
        lines.append(
            f"\nWithheld (the blind parts' paragraphs): {withheld['fates']} labelled fates,"
            f" {withheld['boilerplate_missed']} boilerplate paragraphs missed,"
            f" {withheld.get('boilerplate_removed', 0)} left out of the text by the reader,"
            f" {withheld['boilerplate_wrong']} flagged but not boilerplate"
            + (
                f"; {withheld['families']} families and {withheld['hard_negatives_linked']} hard negatives"
                " linked are counted, not named."
                if "families" in withheld  # results measured before names were withheld have no count
                else "."
            )
        )
    lines.append("")
    lines.append(
        f"Boilerplate missed ({len(result['boilerplate_missed'])}):"
        + "".join(f"\n- `{t}`" for t in result["boilerplate_missed"])
    )
    lines.append("")
    lines.append(
        f"Flagged but not boilerplate ({len(result['boilerplate_wrong'])}):"
        + "".join(f"\n- `{t}`" for t in result["boilerplate_wrong"])
    )
    if result.get("boilerplate_removed"):  # absent from results measured before the reader left any out
        lines.append("")
        lines.append(
            f"Left out of the text by the reader, counted as found ({len(result['boilerplate_removed'])}):"
            + "".join(f"\n- `{t}`" for t in result["boilerplate_removed"])
        )
    lines.append("")
    lines.append(
        f"Rejected ({len(result['rejected'])}):" + "".join(f"\n- {s}: {r}" for s, r in result["rejected"])
    )
    return "\n".join(lines)


WITHIN_EXPLAINED = """The same real documents inside a larger corpus: `--real-within N` writes one input
folder holding the real set (its files and manifest.csv, as assembled) in `real/` and the generator's N
stories (same seed) in `generated/`, runs `reprint run` once over it, and scores each corpus against its own
labels: the real set and its parts as alone, the generated documents against the generator's gold. A story
joining a real and a generated document is a wrong pair for both corpora's grouping precision; `linked with
generated` counts those pairs. Each cell reads alone / inside each size, left to right; the withheld parts
show totals only."""

# The within tables' columns: (heading, path into a part's results).
WITHIN_COLUMNS = [
    ("families whole", ("families_whole",)),
    ("hard negatives linked", ("hard_negatives_linked",)),
    ("grouping P", ("grouping", "precision")),
    ("grouping R", ("grouping", "recall")),
    ("boilerplate P", ("boilerplate", "precision")),
    ("boilerplate R", ("boilerplate", "recall")),
    ("linked with generated", ("linked_with_generated",)),
]


def within_tables(runs: dict[str, dict]) -> str:
    """The real set inside generated corpora of each size beside the real set alone (per part), the generated
    documents beside the generator alone, and the open parts' lines that differ from their run alone."""
    out = ["## The real set inside generated corpora", "", *WITHIN_EXPLAINED.splitlines(), ""]
    for name, run in runs.items():
        sizes = sorted((c for c in run if c.startswith("within-")), key=lambda c: run[c]["stories"])
        if not sizes:
            continue
        columns = [run.get("real", {}), *(run[c]["real"] | {"seconds": run[c]["seconds"]} for c in sizes)]
        heading = " / ".join(["alone", *(f"{run[c]['stories']:,}" for c in sizes)])
        out += [f"### {name}: the real set alone / inside {heading[len('alone / ') :]} stories", ""]
        out += ["| part | " + " | ".join(h for h, _ in WITHIN_COLUMNS) + " |"]
        out += ["|---" + "|---:" * len(WITHIN_COLUMNS) + "|"]
        for part in ["real", *(p for p, _ in PARTS)]:
            results = [run.get(part, {}), *(run[c].get(part, {}) for c in sizes)]
            if not any(results):
                continue
            cells = [" / ".join(_fmt(_value(r, path)) for r in results) for _, path in WITHIN_COLUMNS]
            out.append(f"| {part} | " + " | ".join(cells) + " |")
        seconds = [_value(c, ("seconds",)) for c in columns]
        out += ["", "Seconds: " + " / ".join("–" if v is None else f"{v:.0f}" for v in seconds) + ".", ""]
        rows = [(label, path) for label, path, _ in ROWS if path[0] != "seconds"]
        out += [f"| generated documents | {' | '.join(f'alone {c[7:]} | inside {c[7:]}' for c in sizes)} |"]
        out += ["|---" + "|---:" * 2 * len(sizes) + "|"]
        for label, path in rows:
            pairs = [(run.get(f"generator-{c[7:]}", {}), run[c]["generator"]) for c in sizes]
            values = [_value(r, path) for pair in pairs for r in pair]
            if any(v is not None for v in values):
                out.append(f"| {label} | " + " | ".join(map(_fmt, values)) + " |")
        out.append("")
        for c in sizes:
            out += [f"What differs inside {run[c]['stories']:,} stories from the real set alone:", ""]
            lines = []
            for key in ("linked_with_generated", "boilerplate_missed", "boilerplate_wrong"):
                alone = set(run.get("real", {}).get(key, []))
                lines += [f"- {key}: `{line}`" for line in run[c]["real"].get(key, []) if line not in alone]
                lines += [f"- no longer {key}: `{line}`" for line in alone - set(run[c]["real"].get(key, []))]
            split = {
                f: v["stories"]
                for f, v in run[c]["real"]["families"].items()
                if v["stories"] != run.get("real", {}).get("families", {}).get(f, {}).get("stories")
            }
            lines += [f"- family {f} fell into {n} stories" for f, n in split.items()]
            out += [*(lines or ["- nothing"]), ""]
    return "\n".join(out).rstrip()


def render_page(results: dict) -> str:
    """docs/quality.md from bench/results/quality.json."""
    runs = results["runs"]
    corpora = [c for c in dict.fromkeys(c for r in runs.values() for c in r) if not c.startswith("within-")]
    out = [
        "# Quality: grouping, fates, boilerplate and rejects on real and generated text",
        "",
        "Rendered from bench/results/quality.json by `bench.quality.render_page`; do not edit by hand.",
        f"Measured {results['date']} on {results['machine']}, commit {results['commit']},",
        f"with `{results['command']}`.",
        "The real set is bench/real/ (sources and licences in bench/real/SOURCES.md, labels in"
        " bench/real/labels.toml); the generator is bench/corpus.py. Columns: "
        + ", ".join(f"`{name}` = commit {rev}" for name, rev in results["revisions"].items())
        + ".",
        "",
    ]
    out += [*EXPLAINED.splitlines(), ""]
    for c in corpora:
        out += [f"## {c}", "", corpus_table(c, runs), ""]
        if c.startswith("real"):
            for name, r in runs.items():
                if c in r:
                    out += [f"### {c} in detail: {name}", "", real_details(r[c]), ""]
    if any(c.startswith("within-") for r in runs.values() for c in r):
        out += [within_tables(runs), ""]
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--before", metavar="REV", help="also run the same corpora on this commit")
    parser.add_argument("--no-real", action="store_true", help="skip the real set")
    parser.add_argument(
        "--real-within",
        type=int,
        nargs="*",
        default=[],
        metavar="N",
        help="also run the real set inside a generated corpus of N stories (one folder, one run) per N",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--page", type=Path, default=PAGE)
    args = parser.parse_args(argv)
    real, within = not args.no_real, args.real_within
    if (real or within) and not is_assembled():
        # A set built before the labels grew lacks the new parts' files: scoring it would write figures of
        # another set under today's labels (or, with no generated corpora asked for, nothing at all).
        parser.exit(2, NOT_ASSEMBLED + " (or pass --no-real to score the generated corpora only)\n")
    revisions, runs = {}, {}
    if args.before:
        with worktree(args.before) as tree:
            revisions["before"] = f"{commit_of(args.before)} (pipeline code {pipeline_commit(args.before)})"
            print(f"before: {args.before} ({revisions['before']})", file=sys.stderr)
            runs["before"] = measure(tree, args.stories, real, args.seed, within)
    name = "after" if args.before else "this"
    revisions[name] = (
        f"{commit_of()} (pipeline code {pipeline_commit()}{', uncommitted changes' if _dirty() else ''})"
    )
    print(f"{name}: {revisions[name]}", file=sys.stderr)
    runs[name] = measure(ROOT, args.stories, real, args.seed, within)
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "commit": revisions[name],
        "command": "python -m bench.quality " + " ".join(argv if argv is not None else sys.argv[1:]),
        "revisions": revisions,
        "runs": runs,
    }
    for c in dict.fromkeys(c for r in runs.values() for c in r):
        if not c.startswith("within-"):
            print(corpus_table(c, runs) + "\n")
    if within:
        print(within_tables(runs) + "\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    args.page.write_text(render_page(results))
    print(f"wrote {args.out} and {args.page}", file=sys.stderr)
    return results


def _dirty() -> bool:
    status = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "tasks", "flows"],
        capture_output=True,
        text=True,
    ).stdout
    return bool(status.strip())


if __name__ == "__main__":
    main()
