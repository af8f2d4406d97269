"""From a read document to warehouse rows: clean, split into paragraphs, flag boilerplate by rule,
fingerprint, sketch and tag languages. One call handles a batch of documents."""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import replace
from itertools import accumulate

import numpy as np
import pyarrow as pa

from tasks.boilerplate import BOILERPLATE_VERSION, flag_documents
from tasks.clean import (
    CLEAN_VERSION,
    COLUMN_LINES,
    CleanConfig,
    comparison_batch,
    comparison_form,
    split_page,
)
from tasks.evidence import canonical_url, paragraph_evidence, text_digest
from tasks.fingerprint import FINGERPRINT_VERSION, fingerprint, minhash_words
from tasks.html import HTML_VERSION
from tasks.ingest import EXTRACTED_FORMATS, INGEST_VERSION, RawDocument
from tasks.language import LANGUAGE_VERSION, UNDETERMINED, LanguageConfig, tag_by_fingerprint
from tasks.passages import passage_keys
from tasks.repair import REPAIR_VERSION
from tasks.warehouse import SCHEMAS

PIPELINE_VERSION = "+".join(
    [
        INGEST_VERSION,
        CLEAN_VERSION,
        BOILERPLATE_VERSION,
        FINGERPRINT_VERSION,
        LANGUAGE_VERSION,
        HTML_VERSION,
        REPAIR_VERSION,
    ]
)
_TITLES = CleanConfig()
# A short first paragraph of an extracted page (a standfirst) is body text, not a title to set aside.
_NO_TITLES = CleanConfig(max_title_lines=0)


def _titled(raw: RawDocument) -> bool:
    """Whether the document's title is metadata apart from its text (an extracted page's <head>, a Markdown
    file's front matter), so that its first block is body text."""
    return raw.input_format in EXTRACTED_FORMATS or raw.front_matter


# Tags carried between batches of one process; the cap keeps a long run's memory flat.
_KNOWN_LANGUAGES: dict[int, str] = {}
_KNOWN_LANGUAGES_CAP = 1_000_000
# Paragraph evidence carried between the shards a worker prepares (a story's copies and an outlet's furniture
# fall in other shards): 29% fewer texts read on the 10k corpus; about 36 MB at the cap.
_KNOWN_EVIDENCE: dict[bytes, tuple] = {}
_KNOWN_EVIDENCE_CAP = 100_000
# Passage keys likewise, by the text's digest (a text's keys are its own), under the same cap.
_KNOWN_PASSAGES: dict[bytes, np.ndarray] = {}
_LANGUAGE = LanguageConfig()


def prepare_documents(
    raws: list[RawDocument],
    known_languages: dict[int, str] | None = None,
    language: LanguageConfig = _LANGUAGE,
    clock: StageClock | None = None,
) -> tuple[pa.Table, pa.Table]:
    """Documents and paragraphs tables (warehouse schemas) for a batch of read documents.

    Languages are detected on comparison forms, so a tag is a function of the fingerprint: `known_languages`
    (fingerprint -> tag, e.g. from the warehouse) is reused and extended; by default a per-process cache.
    `clock` accumulates the seconds spent per stage (for the throughput benchmark).
    """
    known = _process_cache() if known_languages is None else known_languages
    clock = clock if clock is not None else StageClock()
    with clock("clean"):
        pages = [split_page(raw.text, _NO_TITLES if _titled(raw) else _TITLES) for raw in raws]
        split = [(title, paragraphs) for title, paragraphs, _ in pages]
        # A text read as OCR'd columns says so in its repairs, for linking (link-27).
        raws = [
            replace(raw, repairs=(*raw.repairs, COLUMN_LINES)) if columns else raw
            for raw, (_, _, columns) in zip(raws, pages, strict=True)
        ]
        # Forms, fingerprints and sketches are the text's own: each distinct text of the batch once (an
        # outlet's furniture, a story's copies in one shard), then given to each of its paragraphs.
        distinct: dict[str, int] = {}
        texts = [p for _, paragraphs in split for p in paragraphs]
        at = [distinct.setdefault(text, len(distinct)) for text in texts]
        distinct_texts = list(distinct)
        # Each paragraph's text as a dictionary of the distinct texts, for the steps keyed by text below.
        coded = pa.DictionaryArray.from_arrays(
            pa.array(at, pa.int32()), pa.array(distinct_texts, SCHEMAS["paragraphs"].field("text").type)
        )
        distinct_forms, distinct_words, distinct_n_words = comparison_batch(distinct_texts)
        flat_forms = [distinct_forms[k] for k in at]
        n_words = distinct_n_words[np.array(at, dtype=np.int64)]
        ends = list(accumulate(len(paragraphs) for _, paragraphs in split))
        spans = list(zip([0, *ends][:-1], ends, strict=True))
        forms = [flat_forms[start:end] for start, end in spans]
    with clock("boilerplate"):
        flags = flag_documents([paragraphs for _, paragraphs in split])
        # What the reader saw of the page's markup: paragraphs standing in a box of links are chrome.
        for raw, (_, paragraphs), doc_flags in zip(raws, split, flags, strict=True):
            if raw.in_link_boxes:
                boxed = set(raw.in_link_boxes)
                doc_flags[:] = [f or p in boxed for f, p in zip(doc_flags, paragraphs, strict=True)]
    with clock("fingerprint"):
        distinct_fingerprints = [fingerprint(form) for form in distinct_forms]
        flat_fingerprints = [distinct_fingerprints[k] for k in at]
        fingerprints = [flat_fingerprints[start:end] for start, end in spans]
        sketches = minhash_words(distinct_words, distinct_n_words)[np.array(at, dtype=np.int64)]
    with clock("language"):
        # Paragraphs first. A document takes the tag its body's tagged paragraphs agree on; only one whose
        # paragraphs disagree or say nothing is detected, on its body's head, keyed like a paragraph (so a
        # one-paragraph body shares its paragraph's tag).
        cut = language.max_chars
        before = len(known)
        keys = [
            fp if len(form) <= cut else fingerprint(form[:cut])
            for doc_forms, doc_fps in zip(forms, fingerprints, strict=True)
            for form, fp in zip(doc_forms, doc_fps, strict=True)
        ]
        said = iter(tag_by_fingerprint(keys, [f[:cut] for doc in forms for f in doc], known, language))
        tags: list[str | None] = []  # every document's tag follows its paragraphs' tags; None: to detect
        heads: list[str] = []
        for doc_forms, doc_flags in zip(forms, flags, strict=True):
            doc_tags = [next(said) for _ in doc_forms]
            agreed = {t for t, flag in zip(doc_tags, doc_flags, strict=True) if not flag} - {UNDETERMINED}
            tags += [*doc_tags, agreed.pop() if len(agreed) == 1 else None]
            if tags[-1] is None:
                body = (form for form, flag in zip(doc_forms, doc_flags, strict=True) if not flag)
                heads.append(" ".join(body)[:cut])
        detected = iter(tag_by_fingerprint([fingerprint(h) for h in heads], heads, known, language))
        tags = [t if t is not None else next(detected) for t in tags]
        clock.count("language_tags_computed", len(known) - before)
        clock.count("language_tags_used", len(tags))
        clock.count("language_heads_detected", len(heads))
    with clock("passages"):
        # Passage keys and link evidence are kept by the text's digest: one digest per distinct text for both.
        digests = [text_digest(text) for text in distinct_texts]
        keys = _passage_keys(distinct_texts, digests, _KNOWN_PASSAGES).take(coded.indices)
    with clock("tables"):
        if len(_KNOWN_EVIDENCE) > _KNOWN_EVIDENCE_CAP:
            _KNOWN_EVIDENCE.clear()
        documents, paragraphs = _tables(
            raws,
            split,
            fingerprints,
            flags,
            n_words,
            sketches,
            tags,
            keys,
            _KNOWN_EVIDENCE,
            (coded, distinct_texts, digests),
        )
    clock.count("documents", len(raws))
    clock.count("paragraphs", len(n_words))
    return documents, paragraphs


def _passage_keys(texts: list[str], digests: list[bytes], known: dict[bytes, np.ndarray]) -> pa.ListArray:
    """passage_keys of the texts (their `digests`: text_digest); a text whose digest is in `known` takes the
    keys stored there, the others (each once) are keyed and added."""
    if len(known) > _KNOWN_EVIDENCE_CAP:
        known.clear()
    new = {d: text for d, text in zip(digests, texts, strict=True) if d not in known}
    if new:
        computed = passage_keys(pa.array(list(new.values()), pa.string()))
        offsets, values = computed.offsets.to_numpy(), computed.values.to_numpy()
        for k, digest in enumerate(new):
            known[digest] = values[offsets[k] : offsets[k + 1]]
    lists = [known[d] for d in digests]
    ends = np.zeros(len(lists) + 1, dtype=np.int32)
    np.cumsum(np.fromiter(map(len, lists), np.int32, len(lists)), out=ends[1:])
    flat = np.concatenate(lists) if lists else np.zeros(0, np.uint64)
    return pa.ListArray.from_arrays(pa.array(ends), pa.array(flat, pa.uint64()))


def _tables(
    raws: list[RawDocument],
    split: list[tuple[str | None, list[str]]],
    fingerprints: list[list[int]],
    flags: list[list[bool]],
    n_words: np.ndarray,
    sketches: np.ndarray,
    tags: list[str],
    keys: pa.ListArray,
    evidence: dict,
    texts: tuple[pa.DictionaryArray, list[str], list[bytes]],
) -> tuple[pa.Table, pa.Table]:
    counts = np.array([len(paragraphs) for _, paragraphs in split], dtype=np.int64)
    # In `tags` every document's tag follows its paragraphs' tags.
    doc_slots = np.cumsum(counts + 1) - 1
    is_doc = np.zeros(len(tags), dtype=bool)
    is_doc[doc_slots] = True
    flat_flags = [f for doc in flags for f in doc]
    paras = {
        "doc_id": [raw.doc_id for raw, n in zip(raws, counts.tolist(), strict=True) for _ in range(n)],
        "para_idx": [i for n in counts.tolist() for i in range(n)],
        "fingerprint": [fp for doc in fingerprints for fp in doc],
        "is_boilerplate": flat_flags,
        "boilerplate_reason": ["rule" if f else None for f in flat_flags],
        "language": [t for t, d in zip(tags, is_doc.tolist(), strict=True) if not d],
        "n_words": n_words.tolist(),
    }
    schema = SCHEMAS["paragraphs"]
    columns = {name: pa.array(values, schema.field(name).type) for name, values in paras.items()}
    coded, distinct, digests = texts  # each paragraph's text; the distinct texts and their digests
    columns["text"] = coded.dictionary_decode()
    num_perm = sketches.shape[1]
    offsets = pa.array(np.arange(0, (len(n_words) + 1) * num_perm, num_perm, dtype=np.int32))
    columns["minhash"] = pa.ListArray.from_arrays(offsets, pa.array(sketches.reshape(-1)))
    columns |= paragraph_evidence(coded, evidence, (distinct, digests))
    columns["passage_keys"] = keys
    docs = {
        "doc_id": [raw.doc_id for raw in raws],
        "source": [raw.source for raw in raws],
        "outlet": [raw.outlet for raw in raws],
        "title": [raw.title or title for raw, (title, _) in zip(raws, split, strict=True)],
        "published_at": [raw.published_at for raw in raws],
        "language": [tags[k] for k in doc_slots.tolist()],
        "n_paragraphs": counts.tolist(),
        "url": [raw.url for raw in raws],
        "encoding": [raw.encoding for raw in raws],
        "input_format": [raw.input_format for raw in raws],
        "content_hash": [raw.content_hash for raw in raws],
        "pipeline_version": [PIPELINE_VERSION] * len(raws),
        "repairs": [list(raw.repairs) for raw in raws],
        "author": [raw.author for raw in raws],
        "captured_at": [raw.captured_at for raw in raws],
        "input_source": [None] * len(raws),  # the flow knows which input file each came from (with_owner)
        "input_root": [None] * len(raws),
        "canonical_url": [canonical_url(raw.url) for raw in raws],
        "page_address": [raw.page_address for raw in raws],
        "page_aliases": [list(raw.page_aliases) or None for raw in raws],
        "page_day": [raw.page_day for raw in raws],
    }
    documents = pa.Table.from_pydict(docs, schema=SCHEMAS["documents"])
    return documents, pa.Table.from_pydict(columns, schema=schema)


class StageClock:
    """Seconds and counts per stage, summed over calls: `with clock("clean"): ...`, `clock.count("x", n)`."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)

    @contextmanager
    def __call__(self, stage: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - start

    def count(self, name: str, n: int) -> None:
        self.counts[name] += n


def remember_languages(
    documents: pa.Table, paragraphs: pa.Table, language: LanguageConfig = _LANGUAGE
) -> int:
    """Put stored paragraph tags into this process's cache, so their fingerprints are not detected again.

    Only rows of documents prepared with this LANGUAGE_VERSION count, and only paragraphs whose tag was keyed
    by their fingerprint (comparison form within max_chars). Returns how many fingerprints the cache gained.
    """
    versions = documents.column("pipeline_version").to_pylist()
    current = {
        d
        for d, v in zip(documents.column("doc_id").to_pylist(), versions, strict=True)
        if v and LANGUAGE_VERSION in v.split("+")
    }
    known = _process_cache()
    before = len(known)
    columns = (paragraphs.column(c).to_pylist() for c in ("doc_id", "fingerprint", "text", "language"))
    for doc_id, fp, text, tag in zip(*columns, strict=True):
        if doc_id not in current or tag is None or fp in known:
            continue
        # NFKC can lengthen a text (½ -> 1⁄2, ﷺ -> 18 characters): measure the form when it might be long.
        if len(text) * 18 > language.max_chars and len(comparison_form(text)) > language.max_chars:
            continue
        known[fp] = tag
    return len(known) - before


def _process_cache() -> dict[int, str]:
    if len(_KNOWN_LANGUAGES) > _KNOWN_LANGUAGES_CAP:
        _KNOWN_LANGUAGES.clear()
    return _KNOWN_LANGUAGES
