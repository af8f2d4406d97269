"""From a read document to warehouse rows: clean, split into paragraphs, flag boilerplate by rule,
fingerprint, sketch and tag languages. One call handles a batch of documents."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from tasks.boilerplate import BOILERPLATE_VERSION, flag_document
from tasks.clean import CLEAN_VERSION, comparison_form, split_document
from tasks.fingerprint import FINGERPRINT_VERSION, fingerprint, minhash_batch
from tasks.ingest import INGEST_VERSION, RawDocument
from tasks.language import LANGUAGE_VERSION, LanguageConfig, tag_by_fingerprint
from tasks.warehouse import SCHEMAS

PIPELINE_VERSION = "+".join([INGEST_VERSION, CLEAN_VERSION, BOILERPLATE_VERSION, FINGERPRINT_VERSION,
                             LANGUAGE_VERSION])
# Tags carried between batches of one process; the cap keeps a long run's memory flat.
_KNOWN_LANGUAGES: dict[int, str] = {}
_KNOWN_LANGUAGES_CAP = 1_000_000
_LANGUAGE = LanguageConfig()


def prepare_documents(raws: list[RawDocument], known_languages: dict[int, str] | None = None,
                      language: LanguageConfig = _LANGUAGE) -> tuple[pa.Table, pa.Table]:
    """Documents and paragraphs tables (warehouse schemas) for a batch of read documents.

    Languages are detected on comparison forms, so a tag is a function of the fingerprint: `known_languages`
    (fingerprint -> tag, e.g. from the warehouse) is reused and extended; by default a per-process cache.
    """
    known = _process_cache() if known_languages is None else known_languages
    docs: dict[str, list] = {name: [] for name in SCHEMAS["documents"].names}
    paras: dict[str, list] = {name: [] for name in SCHEMAS["paragraphs"].names if name != "minhash"}
    words: list[list[str]] = []
    # Language keys and texts, each document's paragraphs then the document itself.
    keys: list[int] = []
    texts: list[str] = []
    for raw in raws:
        title, paragraphs = split_document(raw.text)
        flags = flag_document(paragraphs)
        body: list[str] = []
        for idx, (text, flag) in enumerate(zip(paragraphs, flags, strict=True)):
            form = comparison_form(text)
            w = form.split()
            words.append(w)
            fp = fingerprint(form)
            keys.append(fp if len(form) <= language.max_chars else fingerprint(form[: language.max_chars]))
            texts.append(form[: language.max_chars])
            if not flag:
                body.append(form)
            for name, value in (("doc_id", raw.doc_id), ("para_idx", idx), ("text", text),
                                ("fingerprint", fp), ("is_boilerplate", flag),
                                ("boilerplate_reason", "rule" if flag else None), ("n_words", len(w))):
                paras[name].append(value)
        # A document's tag comes from its body's head, keyed like a paragraph: a one-paragraph body shares it.
        head = " ".join(body)[: language.max_chars]
        keys.append(fingerprint(head))
        texts.append(head)
        for name, value in (("doc_id", raw.doc_id), ("source", raw.source), ("outlet", raw.outlet),
                            ("title", raw.title or title), ("published_at", raw.published_at),
                            ("n_paragraphs", len(paragraphs)), ("url", raw.url), ("encoding", raw.encoding),
                            ("input_format", raw.input_format), ("content_hash", raw.content_hash),
                            ("pipeline_version", PIPELINE_VERSION)):
            docs[name].append(value)
    tags = tag_by_fingerprint(keys, texts, known, language)
    # Every document's tag follows its paragraphs' tags.
    doc_slots = np.cumsum(np.array(docs["n_paragraphs"], dtype=np.int64) + 1) - 1
    is_doc = np.zeros(len(tags), dtype=bool)
    is_doc[doc_slots] = True
    docs["language"] = [tags[k] for k in doc_slots.tolist()]
    paras["language"] = [t for t, d in zip(tags, is_doc.tolist(), strict=True) if not d]
    sketches = minhash_batch(words)
    num_perm = sketches.shape[1]
    offsets = pa.array(np.arange(0, (len(words) + 1) * num_perm, num_perm, dtype=np.int32))
    schema = SCHEMAS["paragraphs"]
    columns = {name: pa.array(values, schema.field(name).type) for name, values in paras.items()}
    columns["minhash"] = pa.ListArray.from_arrays(offsets, pa.array(sketches.reshape(-1)))
    documents = pa.Table.from_pydict(docs, schema=SCHEMAS["documents"])
    return documents, pa.Table.from_pydict(columns, schema=schema)


def _process_cache() -> dict[int, str]:
    if len(_KNOWN_LANGUAGES) > _KNOWN_LANGUAGES_CAP:
        _KNOWN_LANGUAGES.clear()
    return _KNOWN_LANGUAGES
