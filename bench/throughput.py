"""How fast ingest → clean → fingerprint → write runs, the memory it holds, and how close it is to the limit.

    .venv/bin/python -m bench.throughput                      # 50k and 10k documents, 1 and 2 workers
    .venv/bin/python -m bench.throughput --documents 2000 --workers 1   # a quick look
    .venv/bin/python -m bench.throughput --before 699f0aa               # also time an earlier commit, in turn

Corpora come from bench/corpus.py (real news prose, stories with republications), written once as a folder of
.txt files with manifest.csv under --work and reused. Each ingest runs in a fresh process (clean peak RSS):
worker processes read and prepare batches of files, the main process streams the tables to Parquet.
Measured in the same run: datasketch's MinHash on the same paragraphs and parameters, and a floor, DuckDB
reading the same files into lower-cased word lists with as many threads as we have workers.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from itertools import islice
from pathlib import Path

CORPUS_SEED = 0
# ~22 paragraphs a document, boilerplate included: 50k documents ≈ 1M paragraphs.
PARAGRAPHS_PER_STORY = (12, 30)
BATCH_FILES = 200  # files per batch
STAGES = ("read", "clean", "boilerplate", "fingerprint", "language", "tables")


# --- the corpus ----------------------------------------------------------------------------------------


def make_corpus(n_documents: int, work: Path) -> Path:
    """A folder of n_documents .txt files from bench/corpus.py, written once and reused."""
    from bench.corpus import iter_documents, write_folder

    folder = work / f"corpus-{n_documents}"
    stamp = folder / ".complete"
    wanted = json.dumps({"documents": n_documents, "seed": CORPUS_SEED, "paragraphs": PARAGRAPHS_PER_STORY})
    if stamp.exists() and stamp.read_text() == wanted:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    docs = iter_documents(n_documents, seed=CORPUS_SEED, paragraphs_per_story=PARAGRAPHS_PER_STORY)
    write_folder(islice(docs, n_documents), folder)
    stamp.write_text(wanted)
    return folder


# --- one ingest, run in its own process ------------------------------------------------------------------


def ingest(folder: Path, out: Path, workers: int) -> dict:
    """Ingest every file under `folder` into Parquet under `out` with `workers` processes; what it took.

    The shards are prepared by `reprint run`'s own step (tasks.run.prepare_shard, in its worker processes);
    this process streams the staged parts into one file per table, so memory holds a few shards, never the
    corpus."""
    import pyarrow.parquet as pq

    from tasks.ingest import discover_inputs
    from tasks.run import Runner, prepare_shard, worker_processes
    from tasks.warehouse import StagedParquet

    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    items, _ = discover_inputs([folder])
    discovered = time.perf_counter()
    batches = [items[k : k + BATCH_FILES] for k in range(0, len(items), BATCH_FILES)]
    seconds: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    write = 0.0
    staging = out / ".staging"
    with (
        worker_processes(workers),
        StagedParquet(out / "documents" / "part-0.parquet", "documents") as documents,
        StagedParquet(out / "paragraphs" / "part-0.parquet", "paragraphs") as paragraphs,
    ):
        # At most two batches per worker in flight (Runner's window).
        for shard in Runner(2 * workers).map(
            "prepare_shard", prepare_shard, ((staging, b, {}) for b in batches)
        ):
            t = time.perf_counter()
            documents.write(pq.read_table(Path(shard.folder) / "documents.parquet"))
            paragraphs.write(pq.read_table(Path(shard.folder) / "paragraphs.parquet"))
            shutil.rmtree(shard.folder)
            write += time.perf_counter() - t
            for k, v in shard.stage_seconds.items():
                seconds[k] += v
            for k, v in shard.stage_counts.items():
                counts[k] += v
            counts["rejects"] += len(shard.rejects)
    total = time.perf_counter() - start
    seconds["write"] = write
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "workers": workers,
        "files": len(items),
        "wall_seconds": total,
        "discover_seconds": discovered - start,
        "stage_seconds": dict(seconds),
        "counts": dict(counts),
        "peak_rss_mib": {"main": own / 1024, "largest_worker": (children if workers > 1 else own) / 1024},
    }


def run_ingest(folder: Path, out: Path, workers: int, code: Path | None = None) -> dict:
    """`ingest` in a fresh interpreter, so that its peak RSS is its own; `code`: a checkout to run instead."""
    command = [sys.executable, "-m", "bench.throughput", "ingest", str(folder), str(out), str(workers)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=code)
    return json.loads(done.stdout.strip().splitlines()[-1])


def same_rows(out: Path, other: Path) -> bool:
    """Whether two ingests wrote equal documents and paragraphs tables (every column, every row, in order)."""
    import pyarrow.parquet as pq

    return all(
        pq.read_table(out / name / "part-0.parquet").equals(pq.read_table(other / name / "part-0.parquet"))
        for name in ("documents", "paragraphs")
    )


def checkout(revision: str, work: Path) -> Path:
    """The repository's files at `revision` (git archive), to measure an earlier version in the same run."""
    root = Path(__file__).resolve().parent.parent
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
        check=True,
        capture_output=True,
        text=True,
        cwd=root,
    ).stdout.strip()
    folder = work / f"code-{commit[:12]}"
    if not (folder / "bench" / "throughput.py").exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], check=True, capture_output=True, cwd=root).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


# --- baselines, measured in the same run -----------------------------------------------------------------


def duckdb_floor(folder: Path, threads: int) -> dict:
    """The least work any tool must do: read every file and split it into lower-cased words (DuckDB, C++)."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads = {int(threads)}")
    con.execute("SET VARIABLE pattern = ?", [(folder / "**" / "*.txt").as_posix()])
    start = time.perf_counter()
    files, words = con.execute(
        r"SELECT count(*), sum(len(regexp_extract_all(lower(content), '[\pL\pN]+'))) "
        "FROM read_text(getvariable('pattern'))"
    ).fetchall()[0]
    return {"threads": threads, "seconds": time.perf_counter() - start, "files": files, "words": int(words)}


def sketch_race(paragraphs_file: Path, limit: int, batch: int = 4000) -> dict:
    """Our MinHash against datasketch's on the same paragraphs: 64 permutations of word 3-shingles."""
    import numpy as np
    import pyarrow.parquet as pq
    from datasketch import MinHash

    from tasks.clean import comparison_words
    from tasks.fingerprint import SketchConfig, minhash_batch, shingles

    texts = pq.read_table(paragraphs_file, columns=["text"]).column("text").to_pylist()[:limit]
    words = [comparison_words(t) for t in texts]
    config = SketchConfig()
    start = time.perf_counter()
    ours = [minhash_batch(words[k : k + batch], config) for k in range(0, len(words), batch)]
    ours_seconds = time.perf_counter() - start
    start = time.perf_counter()
    template = MinHash(num_perm=config.num_perm, seed=1)
    theirs = []
    for w in words:
        m = MinHash(num_perm=config.num_perm, permutations=template.permutations, scheme="affine32")
        m.update_batch([s.encode("utf-8") for s in shingles(w, config.shingle)])
        theirs.append(m)
    theirs_seconds = time.perf_counter() - start
    # Both estimate the same Jaccard: check their agreement on neighbouring paragraph pairs.
    ours_all = np.concatenate(ours)
    gaps = [
        abs(float((ours_all[k] == ours_all[k + 1]).mean()) - theirs[k].jaccard(theirs[k + 1]))
        for k in range(0, len(words) - 1, 97)
    ]
    return {
        "paragraphs": len(words),
        "ours_seconds": ours_seconds,
        "datasketch_seconds": theirs_seconds,
        "speedup": theirs_seconds / ours_seconds,
        "mean_estimate_gap": sum(gaps) / len(gaps),
    }


def langdetect_reference(paragraphs_file: Path, n: int = 300) -> dict:
    """Seconds per text of langdetect itself and of our batched run of its algorithm, on the same texts."""
    import pyarrow.parquet as pq
    from langdetect import DetectorFactory, detect_langs

    from tasks.clean import comparison_form
    from tasks.language import language_probabilities

    DetectorFactory.seed = 0
    texts = pq.read_table(paragraphs_file, columns=["text"]).column("text").to_pylist()
    sample = list(dict.fromkeys(comparison_form(t) for t in texts[: 20 * n] if len(t.split()) >= 8))[:n]
    detect_langs(sample[0])  # profiles load outside the clock, as ours are
    language_probabilities(sample[:1])
    start = time.perf_counter()
    for text in sample:
        detect_langs(text)
    theirs = (time.perf_counter() - start) / len(sample)
    start = time.perf_counter()
    language_probabilities(sample)
    ours = (time.perf_counter() - start) / len(sample)
    # Again, with every word's score known (as for most texts of a long run).
    start = time.perf_counter()
    language_probabilities(sample)
    warm = (time.perf_counter() - start) / len(sample)
    return {"texts": len(sample), "langdetect_ms": theirs * 1e3, "ours_ms": ours * 1e3, "warm_ms": warm * 1e3}


# --- the report ----------------------------------------------------------------------------------------


def _per_second(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}" if seconds else "-"


def report(runs: list[dict], floors: dict, race: dict, lang: dict) -> str:
    """Markdown tables of the measurements."""
    lines = [
        "| documents | paragraphs | workers | wall s | docs/s | paras/s | DuckDB floor s | ours / floor "
        "| language share | tags computed / used | peak RSS main / worker MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in (r for r in runs if not r.get("before")):
        c, s = run["counts"], run["stage_seconds"]
        floor = floors[(run["files"], run["workers"])]
        busy = sum(s.get(k, 0.0) for k in STAGES)
        lines.append(
            f"| {c['documents']:,} | {c['paragraphs']:,} | {run['workers']} | {run['wall_seconds']:.1f} "
            f"| {_per_second(c['documents'], run['wall_seconds'])} "
            f"| {_per_second(c['paragraphs'], run['wall_seconds'])} | {floor['seconds']:.1f} "
            f"| {run['wall_seconds'] / floor['seconds']:.1f}x | {s.get('language', 0) / busy:.0%} "
            f"| {c['language_tags_computed']:,} / {c['language_tags_used']:,} "
            f"| {run['peak_rss_mib']['main']:.0f} / {run['peak_rss_mib']['largest_worker']:.0f} |"
        )
    lines += [
        "",
        "Per stage (seconds summed over workers; throughput per worker-second):",
        "",
        "| documents | workers | " + " | ".join(STAGES + ("write",)) + " |",
        "|---:|---:|" + "---|" * (len(STAGES) + 1),
    ]
    for run in (r for r in runs if not r.get("before")):
        c, s = run["counts"], run["stage_seconds"]
        cells = [
            f"{s.get(k, 0.0):.1f} s, {_per_second(c['documents'], s.get(k, 0.0))} d/s, "
            f"{_per_second(c['paragraphs'], s.get(k, 0.0))} p/s"
            for k in STAGES + ("write",)
        ]
        lines.append(f"| {c['documents']:,} | {run['workers']} | " + " | ".join(cells) + " |")
    before = [run for run in runs if run.get("before")]
    if before:
        lines += [
            "",
            f"The same, by the code at {before[0]['before']} (measured in this run, just before ours):",
            "",
            "| documents | workers | wall s | "
            + " | ".join(STAGES + ("write",))
            + " | ours / before (wall) | same rows |",
            "|---:|---:|---:|" + "---:|" * (len(STAGES) + 2) + "---|",
        ]
        ours = {(r["files"], r["workers"]): r for r in runs if not r.get("before")}
        for run in before:
            s = run["stage_seconds"]
            now = ours[(run["files"], run["workers"])]
            cells = [f"{s.get(k, 0.0):.1f}" for k in STAGES + ("write",)]
            lines.append(
                f"| {run['counts']['documents']:,} | {run['workers']} | {run['wall_seconds']:.1f} | "
                + " | ".join(cells)
                + f" | {now['wall_seconds'] / run['wall_seconds']:.2f}"
                + f" | {'yes' if run['same_rows'] else 'NO'} |"
            )
    lines += [
        "",
        f"MinHash (64 permutations, word 3-shingles) on {race['paragraphs']:,} paragraphs: ours "
        f"{race['ours_seconds']:.2f} s, datasketch {race['datasketch_seconds']:.2f} s: "
        f"**{race['speedup']:.1f}x faster**; mean gap between the two Jaccard estimates "
        f"{race['mean_estimate_gap']:.3f}.",
        f"Language, {lang['texts']} distinct paragraphs: langdetect {lang['langdetect_ms']:.2f} ms per "
        f"call, naive Bayes over its profiles here {lang['ours_ms']:.3f} ms per text "
        f"({lang.get('warm_ms', 0):.3f} ms with the words' scores known).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    if args and args[0] == "ingest":
        print(json.dumps(ingest(Path(args[1]), Path(args[2]), int(args[3]))))
        return
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[50_000, 10_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--work", type=Path, default=Path("/tmp/reprint-bench"))
    parser.add_argument("--sketch-paragraphs", type=int, default=100_000)
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    parser.add_argument("--before", metavar="REV", help="also time the ingest of this git revision, in turn")
    opts = parser.parse_args(args)
    runs, floors = [], {}
    code = checkout(opts.before, opts.work) if opts.before else None
    for n in opts.documents:
        folder = make_corpus(n, opts.work)
        for workers in opts.workers:
            if code is not None:
                old = run_ingest(folder, opts.work / f"before-{n}-{workers}", workers, code)
                runs.append({**old, "before": opts.before})
                print(
                    f"before: {n} documents, {workers} worker(s): {old['wall_seconds']:.1f} s",
                    file=sys.stderr,
                )
            run = run_ingest(folder, opts.work / f"out-{n}-{workers}", workers)
            if code is not None:
                same = same_rows(opts.work / f"out-{n}-{workers}", opts.work / f"before-{n}-{workers}")
                runs[-1]["same_rows"] = run["same_rows"] = same
            print(f"ingest {n} documents, {workers} worker(s): {run['wall_seconds']:.1f} s", file=sys.stderr)
            runs.append(run)
            floors[(run["files"], workers)] = duckdb_floor(folder, workers)
    smallest = min(opts.documents)
    paragraphs = opts.work / f"out-{smallest}-{opts.workers[0]}" / "paragraphs" / "part-0.parquet"
    race = sketch_race(paragraphs, opts.sketch_paragraphs)
    lang = langdetect_reference(paragraphs)
    if opts.json:
        named = {f"{files}x{workers}": floor for (files, workers), floor in floors.items()}
        measured = {"runs": runs, "floors": named, "sketch": race, "language": lang}
        opts.json.write_text(json.dumps(measured, indent=1))
    print(report(runs, floors, race, lang))


if __name__ == "__main__":
    main()
