"""Why story linking misses gold pairs: counts per cause, on the benchmark corpus of bench/link_bench.py.

    python -m bench.link_misses --size 100000

For each pair of documents of one gold story that linking puts in different stories, it reports the first
step that lost it: the pair was never a candidate, shared fewer than `min_shared` matched paragraphs, its
containment (or containment times rarity) stayed under `min_containment`, it shared no paragraph verbatim,
or it was linked (directly or through others) and the average-linkage re-clustering split it. For the
paragraphs two gold versions really share (sketches agreeing on at least `min_paragraph_jaccard`), it
counts why each was not matched: the text is printed more than `max_copies` times, every LSH bucket the
two share is crowded, or they share no bucket at all.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

import numpy as np
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from bench.link_bench import _load, prepare
from bench.score import pairwise_scores
from tasks.link import (
    LinkConfig,
    _distinct_counts,
    band_keys,
    candidate_paragraph_pairs,
    cluster_stories,
    link_documents,
    pairs_within_groups,
    paragraph_texts,
    strong_links,
)
from tasks.stories import held_out_of_linking


def linking_inputs(docs, paras) -> dict:
    """What tasks.stories.find_stories hands to linking: body rows, documents, sketches, fingerprints."""
    doc_ids = docs.column("doc_id").to_pylist()
    position = {d: k for k, d in enumerate(doc_ids)}
    doc_index = np.array([position[d] for d in paras.column("doc_id").to_pylist()], dtype=np.int64)
    outlet = pc.dictionary_encode(docs.column("outlet")).combine_chunks()
    outlet_code = pc.fill_null(outlet.indices, -1).to_numpy().astype(np.int64)[doc_index]
    fp = paras.column("fingerprint").to_numpy().astype(np.uint64).view(np.int64)
    flag = paras.column("is_boilerplate").to_numpy(zero_copy_only=False)
    body = np.flatnonzero(~flag & ~held_out_of_linking(outlet_code, doc_index, fp))
    sketches = paras.column("minhash").combine_chunks().flatten().to_numpy().reshape(len(paras), -1)
    shingles = np.maximum(paras.column("n_words").to_numpy().astype(np.float64) - 2, 1)
    return {
        "n_docs": len(doc_ids),
        "doc_index": doc_index[body],
        "sketches": sketches[body],
        "fingerprints": fp[body],
        "shingles": shingles[body],
        "gold": np.unique(docs.column("story").to_pylist(), return_inverse=True)[1],
    }


def gold_pairs(gold: np.ndarray) -> np.ndarray:
    """Every pair of documents (positions, a < b) of one gold story."""
    order = np.argsort(gold, kind="stable")
    starts = np.flatnonzero(np.r_[True, gold[order][1:] != gold[order][:-1]])
    sizes = np.diff(np.r_[starts, len(gold)])
    keep = sizes > 1
    pairs = pairs_within_groups(order, starts[keep], sizes[keep])
    return np.sort(pairs, axis=1)


def diagnose(inputs: dict, config: LinkConfig = LinkConfig()) -> dict:
    n_docs, doc_index, sketches = inputs["n_docs"], inputs["doc_index"], inputs["sketches"]
    fingerprints, gold = inputs["fingerprints"], inputs["gold"]
    start = time.perf_counter()
    links = link_documents(doc_index, sketches, fingerprints, inputs["shingles"], n_docs, config)
    label = cluster_stories(n_docs, links, config)
    seconds = time.perf_counter() - start
    scores = pairwise_scores(gold, label)
    n = np.int64(n_docs)

    # Document level, for every gold pair: the first rule it fails.
    pairs = gold_pairs(gold)
    key = pairs[:, 0] * n + pairs[:, 1]
    link_key = links.a * n + links.b
    order = np.argsort(link_key)
    k = order[np.minimum(np.searchsorted(link_key[order], key), len(order) - 1)]
    found = link_key[k] == key
    verbatim = links.verbatim if links.verbatim is not None else links.shared
    shared, rarity, weight, verbatim = (
        np.where(found, v[k], 0) for v in (links.shared, links.rarity, links.weight, verbatim)
    )
    containment = weight / np.maximum(rarity, 1e-12)
    strong = strong_links(links, config)
    graph = coo_matrix((np.ones(strong.sum()), (links.a[strong], links.b[strong])), shape=(n_docs, n_docs))
    _, component = connected_components(graph, directed=False)
    together = label[pairs[:, 0]] == label[pairs[:, 1]]
    connected = component[pairs[:, 0]] == component[pairs[:, 1]]
    direct = np.select(
        [
            ~found,
            shared < config.min_shared,
            containment < config.min_containment,
            weight < config.min_containment,
            (verbatim < config.min_verbatim) & (shared < config.min_shared_near),
        ],
        [
            "no candidate",
            "shared < min_shared",
            "containment < min",
            "containment x rarity < min",
            "verbatim < min_verbatim",
        ],
        "linked",
    )
    missed = ~together
    causes = Counter(
        ("split by average linkage" if c else f"not connected; direct: {d}")
        for c, d in zip(connected[missed], direct[missed], strict=True)
    )
    direct_all = Counter(direct.tolist())

    # Paragraph level: row pairs of two gold versions whose sketches agree enough, and what became of them.
    first, text_of = paragraph_texts(fingerprints)
    copies = np.bincount(text_of)
    doc_order = np.argsort(gold[doc_index], kind="stable")
    g = gold[doc_index][doc_order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    sizes = np.diff(np.r_[starts, len(g)])
    rows = pairs_within_groups(doc_order, starts, sizes)
    rows = rows[doc_index[rows[:, 0]] != doc_index[rows[:, 1]]]
    need = np.ceil(config.min_paragraph_jaccard * sketches.shape[1] - 1e-9)
    agree = (sketches[rows[:, 0]] == sketches[rows[:, 1]]).sum(axis=1)
    rows = rows[agree >= need]
    tp, tq = text_of[rows[:, 0]], text_of[rows[:, 1]]
    same = tp == tq
    too_common = (copies[tp] > config.max_copies) | (copies[tq] > config.max_copies)
    candidates = candidate_paragraph_pairs(sketches[first], config)
    n_texts = np.int64(len(first))
    cand_key = np.sort(candidates[:, 0] * n_texts + candidates[:, 1])
    pk = np.minimum(tp, tq) * n_texts + np.maximum(tp, tq)
    is_candidate = np.isin(pk, cand_key)
    keys = band_keys(sketches[first], config)
    bucket_keys, bucket_sizes = np.unique(keys.ravel(), return_counts=True)
    shares_band = (keys[tp] == keys[tq]).any(axis=1)
    size_of = bucket_sizes[np.searchsorted(bucket_keys, keys)]
    uncrowded_shared = ((keys[tp] == keys[tq]) & (size_of[tp] <= config.max_bucket)).any(axis=1)
    fate = np.select(
        [
            too_common,
            same,
            is_candidate,
            shares_band & ~uncrowded_shared,
            ~shares_band,
        ],
        [
            f"text printed > {config.max_copies} times",
            "matched (same text)",
            "matched (LSH candidate)",
            f"every shared bucket > {config.max_bucket} texts",
            "no shared bucket (LSH miss)",
        ],
        "other",
    )
    # How many paragraphs each gold pair would share if every one of them were matched.
    da, db = doc_index[rows[:, 0]], doc_index[rows[:, 1]]
    lo, hi = np.minimum(da, db), np.maximum(da, db)
    first_side = np.where(da < db, rows[:, 0], rows[:, 1])
    second_side = np.where(da < db, rows[:, 1], rows[:, 0])
    ideal_keys, count_a = _distinct_counts(lo * n + hi, first_side)
    _, count_b = _distinct_counts(lo * n + hi, second_side)
    ideal = np.zeros(len(key), dtype=np.int64)
    where = np.searchsorted(ideal_keys, key)
    hit = (where < len(ideal_keys)) & (ideal_keys[np.minimum(where, len(ideal_keys) - 1)] == key)
    ideal[hit] = np.minimum(count_a, count_b)[where[hit]]
    few = missed & ~connected & (shared < config.min_shared)
    lost_crowded = fate == f"every shared bucket > {config.max_bucket} texts"
    smallest = np.where(keys[tp] == keys[tq], size_of[tp], np.iinfo(np.int64).max).min(axis=1)
    return {
        "documents": n_docs,
        "seconds": round(seconds, 1),
        **{k: round(v, 4) for k, v in scores.items()},
        "gold_pairs": int(len(pairs)),
        "missed_pairs": int(missed.sum()),
        "missed_by_cause": dict(causes.most_common()),
        "gold_pairs_direct_link": dict(direct_all.most_common()),
        "missed_pairs_direct_shared": dict(Counter(shared[missed & ~connected].tolist()).most_common()),
        "missed_few_shared_ideal_shared": dict(Counter(ideal[few].tolist()).most_common()),
        "shared_paragraph_pairs": int(len(rows)),
        "shared_paragraph_fates": dict(Counter(fate.tolist()).most_common()),
        "crowded_loss_smallest_bucket_quantiles": (
            np.quantile(smallest[lost_crowded], [0.1, 0.5, 0.9]).tolist() if lost_crowded.any() else []
        ),
        "text_copies_quantiles_of_shared": np.quantile(copies[tp], [0.5, 0.9, 0.99]).tolist(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args(argv)
    inputs = linking_inputs(*_load(prepare(args.size)))
    print(json.dumps(diagnose(inputs), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
