"""`reprint export --passim DIR`: the warehouse's reuse in passim's output layout, so the tools written for
passim (its cluster scripts, the Viral Texts and impresso pipelines) read reprint's output.

passim writes `out.json/part-*`: JSON lines, one record per reused passage, carrying the input record's fields
(`id`, `series`, `date`, `title`, ...) with `text` cut down to the passage, plus `cluster`, `size`, `begin`,
`end` (character offsets into the document's text), `uid` and `pboiler`. Here the passages are the spans of
`reuse_pairs`; a document's spans that overlap by half the longer are one passage (passim's relative overlap),
and passages linked by a pair are one cluster (single link, as passim's connected components). `align.json`
holds the pairs themselves (passim's `--pairwise` output: id1, id2, b1, e1, b2, e2, matches, score).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

import duckdb

OVERLAP = 0.5  # two spans of one document are one passage when they overlap by this share of the longer
PART = "part-00000.json"


def uid(doc_id: str) -> int:
    """A signed 64-bit number for a document id, the same in every run (passim's `uid`: a hash of `id`)."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big", signed=True)


class _Components:
    """Union-find over passage numbers."""

    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, k: int) -> int:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def passages(spans: dict[str, list[tuple[int, int]]]) -> dict[str, list[tuple[int, int, list[int]]]]:
    """Per document, its spans grouped into passages: (begin, end, the spans' numbers in the input order)."""
    grouped: dict[str, list[tuple[int, int, list[int]]]] = {}
    for doc_id, found in spans.items():
        order = sorted(range(len(found)), key=lambda k: found[k])
        merged: list[tuple[int, int, list[int]]] = []
        for k in order:
            b, e = found[k]
            if merged:
                mb, me, members = merged[-1]
                overlap = min(me, e) - max(mb, b)
                if overlap >= OVERLAP * max(me - mb, e - b):
                    merged[-1] = (mb, max(me, e), [*members, k])
                    continue
            merged.append((b, e, [k]))
        grouped[doc_id] = merged
    return grouped


def export_passim(catalog: Path, target: Path) -> dict[str, int]:
    """Write `target/out.json/part-00000.json` (clusters) and `target/align.json/part-00000.json` (pairs) from
    the warehouse whose catalog is `catalog`; returns how many passages, clusters and pairs were written."""
    con = duckdb.connect(str(catalog), read_only=True)
    try:
        pairs = con.sql(
            "select doc_id1, doc_id2, b1, e1, b2, e2, matches, score, boilerplate from reuse_pairs "
            "order by doc_id1, doc_id2, b1, b2, e1, e2"
        ).fetchall()
        # Each pair's two spans, numbered per document in the order they come.
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        ends = []
        for d1, d2, b1, e1, b2, e2, *_ in pairs:
            spans[d1].append((b1, e1))
            spans[d2].append((b2, e2))
            ends.append(((d1, len(spans[d1]) - 1), (d2, len(spans[d2]) - 1)))
        grouped = passages(spans)
        number: dict[tuple[str, int], int] = {}  # (document, span) -> passage number
        where: list[tuple[str, int, int]] = []  # passage number -> (document, begin, end)
        components = _Components()
        for doc_id in sorted(grouped):
            for begin, end, members in grouped[doc_id]:
                k = components.add()
                where.append((doc_id, begin, end))
                for m in members:
                    number[(doc_id, m)] = k
        for a, b in ends:
            components.union(number[a], number[b])
        root = [components.find(k) for k in range(len(where))]
        documents = defaultdict(set)
        for k, r in enumerate(root):
            documents[r].add(where[k][0])
        meta = {
            row[0]: row[1:]
            for row in con.sql(
                "select doc_id, outlet, published_at, title, url, source from documents"
            ).fetchall()
        }
        # passim's pboiler: of a cluster's links, the share between documents of one series (outlet).
        links, same = defaultdict(int), defaultdict(int)
        for (a, ka), (b, _) in ends:
            r = root[number[(a, ka)]]
            links[r] += 1
            series_a, series_b = meta[a][0], meta[b][0]
            same[r] += int(series_a is not None and series_a == series_b)
        cluster_id = {r: uid(f"{where[r][0]}:{where[r][1]}") for r in set(root)}
        (target / "out.json").mkdir(parents=True, exist_ok=True)
        (target / "align.json").mkdir(parents=True, exist_ok=True)
        by_document = defaultdict(list)
        for k, (doc_id, begin, end) in enumerate(where):
            by_document[doc_id].append((begin, end, root[k]))
        written = 0
        with open(target / "out.json" / PART, "w", encoding="utf-8") as out:
            for doc_id, text in con.sql(
                "select doc_id, text from document_texts where doc_id in "
                "(select doc_id1 from reuse_pairs union select doc_id2 from reuse_pairs) order by doc_id"
            ).fetchall():
                outlet, published_at, title, url, source = meta[doc_id]
                for begin, end, r in by_document[doc_id]:
                    record = {
                        "id": doc_id,
                        "uid": uid(doc_id),
                        "cluster": cluster_id[r],
                        "size": len(documents[r]),
                        "begin": begin,
                        "end": end,
                        "text": text[begin:end],
                        "series": outlet,
                        "date": published_at.isoformat() if published_at else None,
                        "title": title,
                        "url": url,
                        "source": source,
                        "pboiler": round(same[r] / links[r], 4) if links[r] else 0.0,
                    }
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    written += 1
        with open(target / "align.json" / PART, "w", encoding="utf-8") as out:
            for d1, d2, b1, e1, b2, e2, matches, score, boilerplate in pairs:
                record = {
                    "id1": d1,
                    "uid1": uid(d1),
                    "b1": b1,
                    "e1": e1,
                    "id2": d2,
                    "uid2": uid(d2),
                    "b2": b2,
                    "e2": e2,
                    "matches": matches,
                    "score": score,
                    "boilerplate": boilerplate,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return {"passages": written, "clusters": len(set(root)), "pairs": len(pairs)}
    finally:
        con.close()
