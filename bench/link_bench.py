"""Story linking at corpus scale: quality against gold stories, wall time and peak memory, against datasketch.

    python -m bench.link_bench                      # 10k and 100k documents (make bench-link)
    python -m bench.link_bench --sizes 10000 --runs ours

The corpus comes from bench/corpus.py: one story in ten is republished 1-4 times (edits, truncation,
mojibake, outlet boilerplate), the rest are stories of one; a fifth of all stories quote a paragraph of an
earlier story verbatim. Documents are prepared as the pipeline does (clean, boilerplate rules, fingerprint,
MinHash) once and cached under bench/.cache/; each measured run is a fresh process that loads the prepared
tables, so its peak memory is its own. Runs:
  ours      tasks.stories.find_stories, what the flow calls (outlet boilerplate held out, LSH, verification,
            clustering, version order, reprint tree)
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
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

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


def prepare(n_docs: int) -> Path:
    """The prepared corpus of about n_docs documents (cached): documents.parquet, paragraphs.parquet."""
    from tasks.warehouse import SCHEMAS

    blocks = max(1, round(n_docs / 12.5))  # 1 story of 2-5 documents and 9 of one per block
    folder = CACHE / f"link-{blocks}-{SEED}-{DISTRACTORS}-{corpus_version()}"
    if (folder / "paragraphs.parquet").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    doc_schema = pa.schema(
        list(SCHEMAS["documents"])
        + [("story", pa.string()), ("gold_version", pa.int32()), ("gold_base", pa.string())]
    )
    docs, paras = [], []
    with Pool(2) as pool:
        for doc_rows, para_rows in pool.imap(_prepare_block, range(blocks), chunksize=50):
            docs += doc_rows
            paras += para_rows
    pq.write_table(pa.Table.from_pylist(docs, schema=doc_schema), folder / "documents.parquet")
    pq.write_table(pa.Table.from_pylist(paras, schema=SCHEMAS["paragraphs"]), folder / "paragraphs.parquet")
    return folder


def pairwise_scores(gold: np.ndarray, found: np.ndarray) -> dict[str, float]:
    """Pairwise precision, recall, F1 and the adjusted Rand index of two labelings."""
    _, g = np.unique(gold, return_inverse=True)
    _, f = np.unique(found, return_inverse=True)
    cells = np.unique(g.astype(np.int64) * (f.max() + 1) + f, return_counts=True)[1]

    def pairs(counts: np.ndarray) -> float:
        return float((counts.astype(np.float64) * (counts - 1) / 2).sum())

    both, in_gold, in_found = pairs(cells), pairs(np.bincount(g)), pairs(np.bincount(f))
    total = len(gold) * (len(gold) - 1) / 2
    expected = in_gold * in_found / total
    precision = both / in_found if in_found else 1.0
    recall = both / in_gold if in_gold else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "ari": (both - expected) / ((in_gold + in_found) / 2 - expected),
    }


def _load(folder: Path) -> tuple[pa.Table, pa.Table]:
    return pq.read_table(folder / "documents.parquet"), pq.read_table(folder / "paragraphs.parquet")


def run_ours(folder: Path) -> dict:
    from tasks.stories import find_stories

    docs, paras = _load(folder)
    loaded = _peak_mb()
    start = time.perf_counter()
    members, _ = find_stories(docs.select(["doc_id", "source", "outlet", "published_at"]), paras)
    seconds = time.perf_counter() - start
    story = dict(
        zip(members.column("doc_id").to_pylist(), members.column("story_id").to_pylist(), strict=True)
    )
    source = dict(
        zip(members.column("doc_id").to_pylist(), members.column("copied_from").to_pylist(), strict=True)
    )
    gold = docs.column("story").to_pylist()
    doc_ids = docs.column("doc_id").to_pylist()
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


def measure(run: str, n_docs: int, limit_gb: float = MEMORY_LIMIT_GB, timeout: float = 1800) -> dict:
    """One run in a fresh process, so that its peak memory is its own, capped at `limit_gb` of address
    space and `timeout` seconds: a run that passes either is reported as such, and the benchmark goes on."""
    limit = int(limit_gb * 2**30)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    start = time.perf_counter()
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bench.link_bench", "--one", run, "--sizes", str(n_docs)],
            capture_output=True,
            text=True,
            preexec_fn=cap,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"failed": f"stopped after {timeout:.0f} s (time limit)"}
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        memory = "MemoryError" in out.stderr or "bad_alloc" in out.stderr or out.returncode < 0
        reason = f"exceeded {limit_gb:g} GiB after {seconds:.0f} s" if memory else "failed"
        return {"failed": reason, "stderr": out.stderr.strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", nargs="+", default=["ours", "datasketch"])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        folder = prepare(args.sizes[0])
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
            results.append({"run": run, "size": n, **measure(run, n)})
            print(json.dumps(results[-1]), file=sys.stderr)
    print("| run | documents | stories | precision | recall | F1 | ARI | seconds | peak MB (input MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        if "failed" in r:
            memory = f"over {MEMORY_LIMIT_GB:g} GiB" if "GiB" in r["failed"] else "—"
            print(f"| {r['run']} | ~{r['size']} | — | — | — | — | — | {r['failed']} | {memory} |")
            continue
        print(
            f"| {r['run']} | {r['documents']} | {r['found_stories']} / {r['gold_stories']} "
            f"| {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['ari']:.4f} "
            f"| {r['seconds']:.1f} | {r['peak_mb']:.0f} ({r['input_mb']:.0f}) |"
        )
    results_ok = [r for r in results if "failed" not in r]
    for run in args.runs:
        mine = {r["size"]: r for r in results_ok if r["run"] == run}
        sizes = sorted(mine)
        if len(sizes) > 1:
            a, b = mine[sizes[0]], mine[sizes[-1]]
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
