"""Story linking at corpus scale: quality against gold stories, wall time and peak memory, against datasketch.

    python -m bench.link_bench                      # 10k and 100k documents (make bench-link)
    python -m bench.link_bench --sizes 10000 --runs ours
    python -m bench.link_bench --sizes 1000000 --runs ours   # 1M: ~7 min to prepare, 2 min and 10 GB to link

The corpus comes from bench/corpus.py: one story in ten is republished 1-4 times (edits, truncation,
mojibake, outlet boilerplate), the rest are stories of one; a fifth of all stories quote a paragraph of an
earlier story verbatim. Documents are prepared as the pipeline does (clean, boilerplate rules, fingerprint,
MinHash) once, in shards of about 5,000 documents by two processes, and cached under bench/.cache/; each
measured run is a fresh process that reads the prepared shards, so its peak memory is its own. Runs:
  ours      what find_stories does to link (tasks.stories.body_rows: outlet boilerplate held out; then
            tasks.link.link_corpus: LSH, verification, clustering, version order, reprint tree), on the body
            rows read straight into numpy (sketches as one uint32 matrix), not on Arrow tables
  datasketch  the same paragraph sketches, body paragraphs and threshold, candidates from datasketch's
            MinHashLSH (insert every paragraph, query every paragraph), the same verification, then the usual
            connected components
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bench.score import pairwise_scores

CACHE = Path(__file__).resolve().parent / ".cache"
BLOCK = 10  # stories per block: the first is republished, the others are stories of one
DISTRACTORS = 0.2
SEED = 0


def _prepare_block(block: int) -> tuple[list[dict], list[dict]]:
    from bench.corpus import iter_documents
    from tasks.boilerplate import flag_document
    from tasks.clean import comparison_words, split_document
    from tasks.fingerprint import fingerprint, minhash_batch

    first = block * BLOCK
    docs = list(iter_documents(1, SEED, (1, 4), distractors=DISTRACTORS, first_story=first))
    docs += list(iter_documents(BLOCK - 1, SEED, (0, 0), distractors=DISTRACTORS, first_story=first + 1))
    doc_rows, para_rows, words = [], [], []
    for doc in docs:
        _, paragraphs = split_document(doc.text)
        flags = flag_document(paragraphs)
        for idx, (text, flag) in enumerate(zip(paragraphs, flags, strict=True)):
            w = comparison_words(text)
            words.append(w)
            para_rows.append(
                {
                    "doc_id": doc.doc_id,
                    "para_idx": idx,
                    "fingerprint": fingerprint(" ".join(w)),
                    "is_boilerplate": flag,
                    "boilerplate_reason": "rule" if flag else None,
                    "n_words": len(w),
                }
            )
        doc_rows.append(
            {
                "doc_id": doc.doc_id,
                "source": f"{doc.outlet}/{doc.doc_id}.txt",
                "outlet": doc.outlet,
                "title": doc.title,
                "published_at": doc.published_at,
                "n_paragraphs": len(paragraphs),
                "story": doc.story,
                "gold_version": doc.version,
                "gold_base": doc.base_doc_id,
            }
        )
    for row, sketch in zip(para_rows, minhash_batch(words), strict=True):
        row["minhash"] = sketch
    return doc_rows, para_rows


def corpus_version() -> str:
    """The generator's and the sketching code's hash: a change to either never reads an old cache."""
    root = Path(__file__).resolve().parent.parent
    code = [root / "bench" / "corpus.py"] + [
        root / "tasks" / f"{m}.py" for m in ("clean", "boilerplate", "fingerprint")
    ]
    return hashlib.sha256(b"".join(p.read_bytes() for p in code)).hexdigest()[:12]


SHARD_BLOCKS = 400  # blocks (about 5,000 documents) per prepared shard


def _prepare_shard(job: tuple[Path, int, int]) -> int:
    """Writes shard `shard` (blocks shard*SHARD_BLOCKS .. up to `blocks`) unless a finished one is there."""
    from tasks.warehouse import SCHEMAS

    folder, shard, blocks = job
    names = [folder / f"{t}-{shard:05d}.parquet" for t in ("documents", "paragraphs")]
    if all(n.exists() for n in names):
        return 0
    docs, paras = [], []
    for block in range(shard * SHARD_BLOCKS, min((shard + 1) * SHARD_BLOCKS, blocks)):
        doc_rows, para_rows = _prepare_block(block)
        docs += doc_rows
        paras += para_rows
    doc_schema = pa.schema(
        list(SCHEMAS["documents"])
        + [("story", pa.string()), ("gold_version", pa.int32()), ("gold_base", pa.string())]
    )
    tables = [
        pa.Table.from_pylist(docs, schema=doc_schema),
        pa.Table.from_pylist(paras, schema=SCHEMAS["paragraphs"]),
    ]
    for name, table in zip(names, tables, strict=True):
        part = name.with_suffix(".part")  # a shard killed half-written is never read as finished
        pq.write_table(table, part)
        part.rename(name)
    return len(docs)


def prepare(n_docs: int, workers: int = 2) -> Path:
    """The prepared corpus of about n_docs documents (cached), in shards of SHARD_BLOCKS blocks prepared
    by `workers` processes: documents-NNNNN.parquet and paragraphs-NNNNN.parquet. An interrupted
    preparation resumes from the shards already written."""
    blocks = max(1, round(n_docs / 12.5))  # 1 story of 2-5 documents and 9 of one per block
    folder = CACHE / f"link-{blocks}-{SEED}-{DISTRACTORS}-{corpus_version()}"
    done = folder / "complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(folder, shard, blocks) for shard in range(-(-blocks // SHARD_BLOCKS))]
    start, made = time.perf_counter(), 0
    with Pool(workers) as pool:
        for k, n in enumerate(pool.imap_unordered(_prepare_shard, jobs), start=1):
            made += n
            if k % 20 == 0 or k == len(jobs):
                seconds = time.perf_counter() - start
                print(
                    f"prepared {k}/{len(jobs)} shards, {made} documents in {seconds:.0f} s "
                    f"({made / max(seconds, 1e-9):.0f} documents/s)",
                    file=sys.stderr,
                )
    done.touch()
    return folder


def shards(folder: Path, table: str) -> list[Path]:
    """The prepared corpus' Parquet files of one table, in document order."""
    return sorted(folder.glob(f"{table}-*.parquet"))


def _load(folder: Path) -> tuple[pa.Table, pa.Table]:
    return tuple(
        pa.concat_tables(pq.read_table(p) for p in shards(folder, t)) for t in ("documents", "paragraphs")
    )


@dataclass
class LinkingInput:
    """The prepared corpus as linking reads it: lists per document, numpy arrays per paragraph row."""

    docs: pa.Table  # doc_id, source, outlet, published_at, story, gold_base
    outlet: np.ndarray  # per paragraph row: its document's outlet code (-1 unknown)
    doc_index: np.ndarray  # per paragraph row: its document's position
    fingerprints: np.ndarray
    is_boilerplate: np.ndarray
    shingles: np.ndarray


def load_rows(folder: Path) -> LinkingInput:
    """The documents and every paragraph row's small columns (no sketches, no text), shard by shard:
    each paragraphs shard holds the rows of the documents shard of the same number."""
    from tasks.stories import shingle_counts

    columns = ["doc_id", "source", "outlet", "published_at", "story", "gold_base"]
    doc_shards = [pq.read_table(p, columns=columns) for p in shards(folder, "documents")]
    docs = pa.concat_tables(doc_shards)
    outlet_code = pc.fill_null(pc.dictionary_encode(docs.column("outlet")).combine_chunks().indices, -1)
    doc_index, fingerprints, flags, words, offset = [], [], [], [], 0
    for path, shard in zip(shards(folder, "paragraphs"), doc_shards, strict=True):
        rows = pq.read_table(path, columns=["doc_id", "fingerprint", "is_boilerplate", "n_words"])
        index = pc.index_in(rows.column("doc_id"), value_set=shard.column("doc_id"))
        if index.null_count:
            raise ValueError(f"{path} holds paragraphs of documents not in its documents shard")
        doc_index.append(index.to_numpy().astype(np.int64) + offset)
        fingerprints.append(rows.column("fingerprint").to_numpy().view(np.int64))
        flags.append(rows.column("is_boilerplate").to_numpy(zero_copy_only=False))
        words.append(rows.column("n_words").to_numpy())
        offset += shard.num_rows
    doc_index = np.concatenate(doc_index)
    return LinkingInput(
        docs,
        outlet_code.to_numpy().astype(np.int64)[doc_index],
        doc_index,
        np.concatenate(fingerprints),
        np.concatenate(flags),
        shingle_counts(np.concatenate(words)),
    )


def load_sketches(folder: Path, rows: np.ndarray) -> np.ndarray:
    """The MinHash sketches of the given paragraph rows (sorted positions) as one uint32 matrix, read
    shard by shard, so only one shard's sketches are ever held as Arrow."""
    out = None
    start = 0
    for path in shards(folder, "paragraphs"):
        minhash = pq.read_table(path, columns=["minhash"]).column("minhash").combine_chunks()
        sketches = minhash.flatten().to_numpy().reshape(len(minhash), -1)
        if out is None:
            out = np.empty((len(rows), sketches.shape[1]), dtype=np.uint32)
        lo, hi = np.searchsorted(rows, [start, start + len(minhash)])
        out[lo:hi] = sketches[rows[lo:hi] - start]
        start += len(minhash)
    return out if out is not None else np.empty((0, 0), dtype=np.uint32)


LINK_STAGES = (
    "candidate_paragraph_pairs",
    "verify_paragraph_pairs",
    "matched_rows",
    "paragraph_spread",
    "document_overlaps",
    "stock_document_pairs",
    "document_sketches",
    "candidate_document_pairs",
    "document_similarity",
    "paragraphs_in_common",
    "cluster_stories",
    "group_stories",
)


def trace_stages() -> None:
    """Report each linking stage on stderr as it starts and ends (seconds, resident and peak MB), so a run
    stopped by its memory cap still says where memory went. Only wraps tasks.link's functions."""
    import functools

    from tasks import link

    def rss_mb() -> float:
        return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20

    def wrap(name: str, function):
        @functools.wraps(function)
        def traced(*args, **kwargs):
            print(f"stage {name} start rss {rss_mb():.0f} MB peak {_peak_mb():.0f} MB", file=sys.stderr)
            start = time.perf_counter()
            out = function(*args, **kwargs)
            print(
                f"stage {name} end {time.perf_counter() - start:.1f} s rss {rss_mb():.0f} MB "
                f"peak {_peak_mb():.0f} MB",
                file=sys.stderr,
                flush=True,
            )
            return out

        return traced

    for name in LINK_STAGES:
        setattr(link, name, wrap(name, getattr(link, name)))


def link_prepared(folder: Path) -> tuple[pa.Table, list, float, float]:
    """find_stories' linking (tasks.stories.body_rows, then tasks.link.link_corpus) on numpy input read
    straight from the prepared Parquet: the documents, their story members, the seconds from paragraph
    rows to members (reading the sketches untimed) and the peak MB once the input was loaded."""
    from tasks.link import link_corpus
    from tasks.stories import body_rows

    data = load_rows(folder)
    doc_ids = data.docs.column("doc_id").to_pylist()
    published = data.docs.column("published_at").to_pylist()
    sources = data.docs.column("source").to_pylist()
    start = time.perf_counter()
    body = body_rows(data.outlet, data.doc_index, data.fingerprints, data.is_boilerplate)
    seconds = time.perf_counter() - start
    sketches = load_sketches(folder, body)
    rows = data.doc_index[body], sketches, data.fingerprints[body], data.shingles[body]
    docs, data = data.docs, None  # every row's columns: no longer needed (350 MB at 1M documents)
    loaded = _peak_mb()
    start = time.perf_counter()
    members = link_corpus(doc_ids, published, sources, *rows)
    return docs, members, seconds + time.perf_counter() - start, loaded


def corpus_counts(folder: Path) -> dict:
    """What linking has to handle in a prepared corpus: paragraph rows, body rows, distinct texts, texts
    printed more than `max_copies` times (and their rows), LSH candidate and near text pairs, matched
    paragraph row pairs (the same text or near texts, in different documents)."""
    from tasks import link
    from tasks.stories import body_rows

    config = link.LinkConfig()
    data = load_rows(folder)
    body = body_rows(data.outlet, data.doc_index, data.fingerprints, data.is_boilerplate)
    first, text_of = link.paragraph_texts(data.fingerprints[body])
    texts = load_sketches(folder, body)[first]
    copies = np.bincount(text_of)
    candidates = link.candidate_paragraph_pairs(texts, config)
    near = link.verify_paragraph_pairs(candidates, texts, config)
    return {
        "documents": data.docs.num_rows,
        "paragraph_rows": len(data.doc_index),
        "body_rows": len(body),
        "texts": len(first),
        "stock_texts": int((copies > config.max_copies).sum()),
        "stock_rows": int(copies[copies > config.max_copies].sum()),
        "candidate_text_pairs": len(candidates),
        "near_text_pairs": len(near),
        "matched_row_pairs": len(link.matched_rows(near, text_of, data.doc_index[body], config)),
    }


def run_ours(folder: Path) -> dict:
    docs, members, seconds, loaded = link_prepared(folder)
    doc_ids = docs.column("doc_id").to_pylist()
    story = {m.doc_id: m.story_id for m in members}
    source = {m.doc_id: m.copied_from for m in members}
    gold = docs.column("story").to_pylist()
    result = _result(gold, [story[d] for d in doc_ids], seconds, loaded)
    bases = docs.column("gold_base").to_pylist()
    republications = [(d, b) for d, b in zip(doc_ids, bases, strict=True) if b is not None]
    result["copied_from_accuracy"] = sum(source[d] == b for d, b in republications) / max(
        len(republications), 1
    )
    return result


def run_datasketch(folder: Path) -> dict:
    from datasketch import LeanMinHash, MinHashLSH
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from tasks.fingerprint import SketchConfig
    from tasks.link import (
        LinkConfig,
        document_containment,
        document_overlaps,
        matched_rows,
        paragraph_texts,
        verify_paragraph_pairs,
    )
    from tasks.stories import held_out_of_linking

    docs, paras = _load(folder)
    loaded = _peak_mb()
    start = time.perf_counter()
    config = LinkConfig()
    doc_ids = docs.column("doc_id").to_pylist()
    position = {d: k for k, d in enumerate(doc_ids)}
    doc_index = np.array([position[d] for d in paras.column("doc_id").to_pylist()], dtype=np.int64)
    outlet = pc.dictionary_encode(docs.column("outlet")).combine_chunks().indices.to_numpy()
    fp = paras.column("fingerprint").to_numpy().view(np.int64)
    flag = paras.column("is_boilerplate").to_numpy(zero_copy_only=False)
    body = np.flatnonzero(~flag & ~held_out_of_linking(outlet.astype(np.int64)[doc_index], doc_index, fp))
    sketches = paras.column("minhash").combine_chunks().flatten().to_numpy().reshape(len(paras), -1)[body]
    doc_index = doc_index[body]
    first, text_of = paragraph_texts(fp[body])
    texts = sketches[first]
    lsh = MinHashLSH(threshold=config.min_paragraph_jaccard, num_perm=texts.shape[1])
    seed = SketchConfig().seed
    signatures = [LeanMinHash(seed=seed, hashvalues=row, scheme="legacy") for row in texts]
    with lsh.insertion_session() as session:
        for text, signature in enumerate(signatures):
            session.insert(text, signature, check_duplication=False)
    found = []
    for text, signature in enumerate(signatures):
        found += [(text, other) for other in lsh.query(signature) if other > text]
    near = verify_paragraph_pairs(np.array(found, dtype=np.int64).reshape(-1, 2), texts, config)
    overlaps = document_overlaps(
        doc_index, matched_rows(near, text_of, doc_index, config), len(doc_ids), config.stock_spread
    )
    shingles = np.maximum(paras.column("n_words").to_numpy().astype(np.float64) - 2, 1)[body]
    weight = document_containment(overlaps.a, overlaps.b, doc_index, sketches, shingles, len(doc_ids))
    linked = (weight * overlaps.rarity >= config.min_containment) & (overlaps.shared >= config.min_shared)
    graph = coo_matrix(
        (np.ones(linked.sum()), (overlaps.a[linked], overlaps.b[linked])), shape=(len(doc_ids), len(doc_ids))
    )
    _, label = connected_components(graph, directed=False)
    seconds = time.perf_counter() - start
    return _result(docs.column("story").to_pylist(), label.tolist(), seconds, loaded)


def _result(gold: list, found: list, seconds: float, loaded_mb: float) -> dict:
    scores = pairwise_scores(
        np.unique(gold, return_inverse=True)[1], np.unique(found, return_inverse=True)[1]
    )
    return {
        "documents": len(gold),
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "input_mb": loaded_mb,
        "gold_stories": len(set(gold)),
        "found_stories": len(set(found)),
        **scores,
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


MEMORY_LIMIT_GB = 7.0  # every run's address space (RLIMIT_AS): the machine is shared


def memory_limit_gb(n_docs: int) -> float:
    """A run's cap: 7 GiB, but 18 GiB from 1M documents (what linking needs there, of the 24 GiB machine)."""
    return 18.0 if n_docs >= 1_000_000 else MEMORY_LIMIT_GB


def measure(run: str, n_docs: int, limit_gb: float | None = None, timeout: float = 1800) -> dict:
    """One run in a fresh process, so that its peak memory is its own, capped at `limit_gb` of address
    space and `timeout` seconds: a run that passes either is reported as such, and the benchmark goes on."""
    limit_gb = memory_limit_gb(n_docs) if limit_gb is None else limit_gb
    limit = int(limit_gb * 2**30)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    log = CACHE / f"{run}-{n_docs}.stderr"  # the stages as they go: `tail -f` it during a long run
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with log.open("w") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.link_bench", "--one", run, "--sizes", str(n_docs)],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            preexec_fn=cap,
        )
        try:
            stdout, _ = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            return {"failed": f"stopped after {timeout:.0f} s (time limit)", **_stages(log)}
    seconds = time.perf_counter() - start
    stderr = log.read_text()
    if child.returncode != 0:
        memory = "MemoryError" in stderr or "bad_alloc" in stderr or child.returncode < 0
        reason = f"exceeded {limit_gb:g} GiB after {seconds:.0f} s" if memory else "failed"
        return {"failed": reason, "stderr": stderr.strip().splitlines()[-1:], **_stages(log)}
    return {**json.loads(stdout.strip().splitlines()[-1]), **_stages(log)}


def _stages(log: Path) -> dict:
    """Per linking stage: total seconds and by how many MB it raised the run's peak memory (most in one
    call; a stage called inside another counts in both); and the stages a stopped run was in."""
    stages: dict[str, list[float]] = {}
    running: list[tuple[str, float]] = []
    for line in log.read_text().splitlines():
        words = line.split()
        if len(words) < 3 or words[0] != "stage":
            continue
        if words[2] == "start":
            running.append((words[1], float(words[-2])))
            continue
        _, peak_before = running.pop()
        total = stages.setdefault(words[1], [0.0, 0.0])
        total[0] += float(words[3])
        total[1] = max(total[1], float(words[-2]) - peak_before)
    out: dict = {"stages": {k: [round(v[0], 1), round(v[1])] for k, v in stages.items()}}
    if running:
        out["stopped_in"] = [name for name, _ in running]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", nargs="+", default=["ours", "datasketch"])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--counts", action="store_true", help="what linking handles per size, no runs")
    args = parser.parse_args(argv)
    if args.counts:
        for n in args.sizes:
            print(json.dumps({"size": n, **corpus_counts(prepare(n))}))
        return 0
    if args.one:
        folder = prepare(args.sizes[0])
        trace_stages()
        runs = {"ours": run_ours, "datasketch": run_datasketch}
        print(json.dumps(runs[args.one](folder)))
        return 0
    results = []
    for n in args.sizes:
        start = time.perf_counter()
        prepare(n)
        print(
            f"prepared ~{n} documents in {time.perf_counter() - start:.0f} s (cached in {CACHE})",
            file=sys.stderr,
        )
        for run in args.runs:
            results.append({"run": run, "size": n, "cap_gb": memory_limit_gb(n), **measure(run, n)})
            print(json.dumps(results[-1]), file=sys.stderr)
    print("| run | documents | stories | precision | recall | F1 | ARI | seconds | peak MB (input MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        if "failed" in r:
            memory = f"over {memory_limit_gb(r['size']):g} GiB" if "GiB" in r["failed"] else "—"
            print(f"| {r['run']} | ~{r['size']} | — | — | — | — | — | {r['failed']} | {memory} |")
            continue
        print(
            f"| {r['run']} | {r['documents']} | {r['found_stories']} / {r['gold_stories']} "
            f"| {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['ari']:.4f} "
            f"| {r['seconds']:.1f} | {r['peak_mb']:.0f} ({r['input_mb']:.0f}) |"
        )
    for r in results:
        stages = ", ".join(f"{k} {v[0]} s (+{v[1]} MB peak)" for k, v in r.get("stages", {}).items())
        stopped = f"; stopped in {' > '.join(r['stopped_in'])}" if r.get("stopped_in") else ""
        print(f"{r['run']} ~{r['size']} stages: {stages or 'none reached'}{stopped}")
    for n in args.sizes:
        print(f"~{n} documents: each run capped at {memory_limit_gb(n):g} GiB of address space (RLIMIT_AS)")
    results_ok = [r for r in results if "failed" not in r]
    for run in args.runs:
        mine = {r["size"]: r for r in results_ok if r["run"] == run}
        sizes = sorted(mine)
        for small, large in zip(sizes, sizes[1:], strict=False):
            a, b = mine[small], mine[large]
            print(
                f"{run}: {b['documents']} documents cost {b['seconds'] / a['seconds']:.1f}x the time of "
                f"{a['documents']} ({b['documents'] / a['documents']:.1f}x the documents)"
            )
    for n in args.sizes:
        by_run = {r["run"]: r for r in results_ok if r["size"] == n}
        if "ours" in by_run and "datasketch" in by_run:
            print(
                f"{n}: datasketch takes {by_run['datasketch']['seconds'] / by_run['ours']['seconds']:.1f}x "
                f"the time of ours"
            )
    for r in results_ok:
        if "copied_from_accuracy" in r:
            print(
                f"{r['run']} {r['documents']}: copied_from names the gold source for "
                f"{r['copied_from_accuracy']:.4f} of republications"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
