"""From a read document to warehouse rows: clean, split into paragraphs, flag boilerplate by rule,
fingerprint, sketch and tag languages. One call handles a batch of documents."""

from __future__ import annotations

import pyarrow as pa

from tasks.boilerplate import BOILERPLATE_VERSION, flag_document
from tasks.clean import CLEAN_VERSION, CleanConfig, comparison_words, split_document
from tasks.fingerprint import FINGERPRINT_VERSION, fingerprint, minhash_batch
from tasks.html import HTML_VERSION
from tasks.ingest import EXTRACTED_FORMATS, INGEST_VERSION, RawDocument
from tasks.language import LANGUAGE_VERSION, detect_languages
from tasks.repair import REPAIR_VERSION
from tasks.warehouse import SCHEMAS

PIPELINE_VERSION = "+".join([INGEST_VERSION, CLEAN_VERSION, BOILERPLATE_VERSION, FINGERPRINT_VERSION,
                             LANGUAGE_VERSION, HTML_VERSION, REPAIR_VERSION])


def prepare_documents(raws: list[RawDocument]) -> tuple[pa.Table, pa.Table]:
    """Documents and paragraphs tables (warehouse schemas) for a batch of read documents."""
    docs: list[dict] = []
    paras: list[dict] = []
    words: list[list[str]] = []
    bodies: list[str] = []
    for raw in raws:
        # A short first paragraph of an extracted page (a standfirst) is body text, not a title to set aside.
        spotting = CleanConfig(max_title_lines=0) if raw.input_format in EXTRACTED_FORMATS else CleanConfig()
        title, paragraphs = split_document(raw.text, spotting)
        flags = flag_document(paragraphs)
        for idx, (text, flag) in enumerate(zip(paragraphs, flags, strict=True)):
            w = comparison_words(text)
            words.append(w)
            paras.append({
                "doc_id": raw.doc_id, "para_idx": idx, "text": text, "fingerprint": fingerprint(" ".join(w)),
                "is_boilerplate": flag, "boilerplate_reason": "rule" if flag else None, "n_words": len(w),
            })
        bodies.append("\n\n".join(p for p, f in zip(paragraphs, flags, strict=True) if not f))
        docs.append({
            "doc_id": raw.doc_id, "source": raw.source, "outlet": raw.outlet, "title": raw.title or title,
            "published_at": raw.published_at, "n_paragraphs": len(paragraphs), "url": raw.url,
            "encoding": raw.encoding, "input_format": raw.input_format, "content_hash": raw.content_hash,
            "pipeline_version": PIPELINE_VERSION,
            "repairs": list(raw.repairs), "author": raw.author, "captured_at": raw.captured_at,
        })
    for doc, language in zip(docs, detect_languages(bodies), strict=True):
        doc["language"] = language
    for para, language in zip(paras, detect_languages([p["text"] for p in paras]), strict=True):
        para["language"] = language
    sketches = minhash_batch(words)
    for para, sketch in zip(paras, sketches, strict=True):
        para["minhash"] = sketch
    return (pa.Table.from_pylist(docs, schema=SCHEMAS["documents"]),
            pa.Table.from_pylist(paras, schema=SCHEMAS["paragraphs"]))
