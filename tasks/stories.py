"""Corpus-level steps over the whole warehouse: find stories (with boilerplate repeated across an outlet's
stories), and align every republication with its origin, again only where a story or its text changed.
Folding new documents in is tasks/changes.py."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import tempfile
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks.align import ALIGN_VERSION, AlignConfig, Paragraph, align_versions
from tasks.boilerplate import BoilerplateConfig, release_template_rows
from tasks.briefs import ShortStoryEvidence, brief_pairs
from tasks.corrections import correction_pairs
from tasks.derived import derived_pairs
from tasks.evidence import (
    DOCUMENT_EVIDENCE,
    PARAGRAPH_EVIDENCE,
    YEAR,
    canonical_url,  # noqa: F401 (part of this module's interface)
    dates_of,
    lead_subject,
    name_lists,
    names_and_numbers,  # noqa: F401 (part of this module's interface)
    narrative_keys,
    narrative_shingles,  # noqa: F401 (part of this module's interface)
    own_share,
    series_lead_of,
    series_of,
    standing_title_of,
    with_evidence,
    words_of,
    year_of,
)
from tasks.fingerprint import SketchConfig, minhash_word_hashes
from tasks.ingest import EXTRACTED_FORMATS
from tasks.link import (
    LINK_VERSION,
    LinkConfig,
    Member,
    candidate_pair_batches,
    candidate_paragraph_pairs,
    distinct,
    document_similarity,
    document_sketches,
    link_corpus,
    pairs_within_groups,
    release_heap,
    released,
    row_dtype,
    sketch_blocks,
)
from tasks.link_state import TitleReadings
from tasks.ocr_copies import copies_check, letters_reader, ocr_copy_pairs, ocr_documents
from tasks.outlet_repeats import KeptRepeats, outlet_repeats
from tasks.relink import BodyReading, crowded_keys, relinked_documents
from tasks.warehouse import SCHEMAS

# What linking reads of the warehouse (a caller reading Parquet needs no other column): not the text, but
# for the documents of the few rewrite candidates whose narratives link-10 compares (narrative_reader: their
# body rows' `text`, read from the files `find_stories` is given, or the table when it holds it), and of the
# few documents whose titles name two instances of one of their outlet's series (series_apart: the days they
# name). `url` serves only documents stored before `canonical_url` was prepared
# (tasks.evidence.with_evidence); `title` names the release a post announces and the instance of a series
# (tasks.evidence.series_of). `repairs` says which documents were read as OCR'd columns (link-27).
LINK_DOCUMENT_COLUMNS = [
    "doc_id",
    "source",
    "outlet",
    "published_at",
    "url",
    "title",
    "page_address",
    "page_aliases",
    "page_day",
    "repairs",
    *DOCUMENT_EVIDENCE,
]
LINK_PARAGRAPH_COLUMNS = [
    "doc_id",
    "para_idx",
    "fingerprint",
    "is_boilerplate",
    "boilerplate_reason",
    "n_words",
    "minhash",
    *PARAGRAPH_EVIDENCE,
]
# The paragraphs' wide columns (the sketch, 260 bytes a row, and the names and numbers): most of what linking
# reads, so find_stories can read them from the Parquet files a row group at a time instead of whole.
WIDE_COLUMNS = ("minhash", "names")


def read_link_tables(
    documents: list[Path], paragraphs: list[Path], wide: bool = True
) -> tuple[pa.Table, pa.Table]:
    """What find_stories reads, from the documents' and paragraphs' Parquet files: LINK_DOCUMENT_COLUMNS and
    LINK_PARAGRAPH_COLUMNS only, one row group at a time (a whole file read at once holds the decoder's
    scratch for all of it: 860 MB of RSS for 414 MB of columns at 50k documents, 500 MB this way). A file
    written before the evidence columns has them null, and its `text` is read too, to compute them from.

    wide: False leaves WIDE_COLUMNS out (find_stories then reads them from the same files, `evidence`), unless
    a file lacks its evidence (it is then read whole, to compute it from the text)."""
    columns = LINK_PARAGRAPH_COLUMNS
    if not wide and not _lacks_evidence([pq.ParquetFile(path) for path in paragraphs], "paragraphs"):
        columns = [c for c in columns if c not in WIDE_COLUMNS]
    return (
        _read_columns(documents, "documents", LINK_DOCUMENT_COLUMNS),
        _read_columns(paragraphs, "paragraphs", columns),
    )


def _lacks_evidence(files: list[pq.ParquetFile], table: str) -> bool:
    evidence = PARAGRAPH_EVIDENCE if table == "paragraphs" else ()
    return any(not set(evidence) <= set(f.schema_arrow.names) for f in files)


def _read_columns(paths: list[Path], table: str, columns: list[str]) -> pa.Table:
    files = [pq.ParquetFile(path) for path in paths]
    evidence = PARAGRAPH_EVIDENCE if table == "paragraphs" else ()
    old = _lacks_evidence(files, table)
    wanted = columns + ["text"] * old
    schema = pa.schema([SCHEMAS[table].field(c) for c in wanted])
    parts = [schema.empty_table()]
    for f in files:
        present = [c for c in wanted if c in f.schema_arrow.names]
        if old and set(evidence) <= set(present):
            present.remove("text")  # this file has its evidence: its text is not needed
        for k in range(f.num_row_groups):
            part = f.read_row_group(k, columns=present)
            arrays = [
                part.column(field.name).cast(field.type)
                if field.name in present
                else pa.nulls(part.num_rows, field.type)
                for field in schema
            ]
            parts.append(pa.Table.from_arrays(arrays, schema=schema))
    return pa.concat_tables(parts)


# (positions into the rows asked for, the column's values at those rows): what WideColumns.picked yields.
Picks = Iterable[tuple[np.ndarray, pa.Array]]


@dataclass(frozen=True)
class WideColumns:
    """Where find_stories reads the paragraphs' WIDE_COLUMNS from, the rows it asks for at a time: the
    paragraphs table when it holds them, else the Parquet files it was read from (`files`, in the order
    read_link_tables read them), a row group at a time, and only the row groups holding rows asked for.

    rows: per row of the files (in that order), its position in the paragraphs table, -1 for a row not in it;
    None when the files' rows are the table's, in order. So the run reads the sketches and names from the
    stored files and the staged parts as they are, whatever order the corpus's rows are in (no copy of the
    columns in the corpus's order is written)."""

    paras: pa.Table
    files: tuple[Path, ...] = ()
    rows: np.ndarray | None = None

    def has_text(self) -> bool:
        """Whether the paragraphs' `text` can be read (the table holds it, or there are files)."""
        return "text" in self.paras.column_names or bool(self.files)

    def texts(self, wanted: np.ndarray) -> list[str]:
        """The `text` of the table's rows `wanted` (ascending positions), in their order ("" for none): the
        few documents' paragraphs a rule reads (narrative_reader, series_apart), never the corpus's."""
        out = [""] * len(wanted)
        for where, values in self.picked("text", wanted):
            for k, text in zip(where.tolist(), values.to_pylist(), strict=True):
                out[k] = text or ""
        return out

    def picked(self, name: str, wanted: np.ndarray) -> Picks:
        """The column's values at the table's rows `wanted` (ascending positions), a part at a time."""
        if name in self.paras.column_names:
            yield from picked_from_chunks(self.paras.column(name).chunks, wanted)
            return
        field, offset = SCHEMAS["paragraphs"].field(name), 0
        for path in self.files:
            f = pq.ParquetFile(path)
            for k in range(f.num_row_groups):
                n = f.metadata.row_group(k).num_rows
                at = np.arange(offset, offset + n) if self.rows is None else self.rows[offset : offset + n]
                offset += n
                where, hit = _ranks(wanted, at)
                if len(hit):
                    column = f.read_row_group(k, columns=[name]).column(0).combine_chunks().cast(field.type)
                    yield where, column.take(pa.array(hit))
        expected = self.paras.num_rows if self.rows is None else len(self.rows)
        if offset != expected:
            raise ValueError(
                f"the paragraphs' {name} files ({', '.join(map(str, self.files))}) hold {offset} rows, "
                f"{'the paragraphs table' if self.rows is None else 'the row map'} {expected}: pass the "
                "files the table was read from"
            )


def _ranks(wanted: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the positions `at` that are among `wanted` (ascending): their ranks in `wanted`, and their own
    indices into `at`."""
    rank = np.searchsorted(wanted, at)
    inside = np.flatnonzero((at >= 0) & (rank < len(wanted)))
    hit = inside[wanted[rank[inside]] == at[inside]]
    return rank[hit], hit


def picked_from_chunks(chunks: Iterable[pa.Array], wanted: np.ndarray) -> Picks:
    """Picks of a column given as its chunks in row order (a table's column)."""
    offset = 0
    for chunk in chunks:
        lo, hi = np.searchsorted(wanted, [offset, offset + len(chunk)])
        if hi > lo:
            yield np.arange(lo, hi), chunk.take(pa.array(wanted[lo:hi] - offset, pa.int64()))
        offset += len(chunk)


def release_freed_memory() -> None:
    """Give back to the OS what a whole-corpus step freed: Arrow's allocator (mimalloc) keeps freed blocks for
    reuse, so after reading and sorting the corpus's columns the process held twice what was live (369 MB
    for 181 at 50k documents) and every later step's peak stood on it (docs/memory.md). So does C's malloc,
    which numpy's arrays come from (tasks.link.release_heap)."""
    pa.default_memory_pool().release_unused()
    release_heap()


@dataclass
class StoredStories:
    """The stories a daily run starts from (tasks.relink): per document of the corpus linked (in its order),
    its stored story's number, or -1 for a document linked again whatever it shares (a new one, or one of a
    stored story that lost or changed a member); and the stored story_members rows (at least those of the
    documents with a story number). find_stories sets `relinked`: how many documents it linked again."""

    story: np.ndarray
    members: pa.Table
    relinked: int | None = None


def stored_stories(
    members: pa.Table, doc_ids: pa.ChunkedArray, staged: pa.Array, dropped: pa.Array
) -> StoredStories | None:
    """What a daily run starts from: the stored stories (`members`) of the corpus's documents (`doc_ids`, in
    its order); the documents staged in this run (`staged`) and the other members of the stored stories that
    lose a document (`dropped`: gone or replaced) are linked again. None when linking must be over the whole
    corpus: no story stored, stories another linking version made, or a stored document in none."""
    if members.num_rows == 0 or set(members.column("link_version").to_pylist()) != {LINK_VERSION}:
        return None
    story_ids = members.column("story_id")
    number = pc.index_in(story_ids, value_set=pc.unique(story_ids))
    lost = pc.unique(story_ids.filter(pc.is_in(members.column("doc_id"), value_set=dropped)))
    number = pc.if_else(pc.is_in(story_ids, value_set=lost), -1, number)
    at = pc.index_in(doc_ids, value_set=members.column("doc_id").combine_chunks())
    missing = pc.is_null(at).to_numpy(zero_copy_only=False)
    new = pc.is_in(doc_ids, value_set=staged).to_numpy(zero_copy_only=False)
    if (missing & ~new).any():
        return None
    story = pc.take(number, pc.fill_null(at, 0)).to_numpy(zero_copy_only=False).astype(np.int64)
    story[missing | new] = -1
    return StoredStories(story, members)


def linking_order(docs: pa.Table) -> pa.Array:
    """The order find_stories links documents in: by source (the input's path, as a folder lists it), then
    doc_id.

    Linking breaks ties by a document's position (average linkage takes equal links in the order of their
    documents; a chain of the documents printing one pair of stock texts follows it). In this order any two
    documents are in one order whatever order the files hold them in: a daily run's stored-then-new
    documents, the part it links again, and a fresh run's corpus (issue #13: at 100k, ties broken in two
    orders put 25 documents in other stories)."""
    return pc.sort_indices(docs, sort_keys=[("source", "ascending"), ("doc_id", "ascending")])


def find_stories(
    docs: pa.Table,
    paras: pa.Table,
    config: LinkConfig = LinkConfig(),  # noqa: B008
    evidence: list[Path] | None = None,
    scratch: Path | None = None,
    evidence_rows: np.ndarray | None = None,
    stored: StoredStories | None = None,
    readings: TitleReadings | None = None,
    kept: KeptRepeats | None = None,
) -> tuple[pa.Table, pa.Table]:
    """story_members, and paragraphs with boilerplate repeated across an outlet's stories flagged.

    Over the whole corpus, unless `stored` is given: a daily run then links again only the documents the
    changed ones can reach (tasks.relink) and keeps the other stories; the counts linking reads before
    linking (held-out text, templates, versions) and the flags after it are still taken over the whole
    corpus. A link's weight also depends on counts over the documents linked (how crowded an LSH bucket is,
    how often a text is printed, in how many documents a paragraph is matched), which a daily run takes over
    the documents it links: docs/daily-run.md says what that can change.

    Reads LINK_DOCUMENT_COLUMNS and LINK_PARAGRAPH_COLUMNS only; paragraphs stored without their link
    evidence get it from their `text` (then needed too), and are returned with it. evidence: the Parquet
    files `paras` was read from (read_link_tables, `wide=False`), where WIDE_COLUMNS missing from `paras` are
    read a row group at a time; evidence_rows: per row of those files, its position in `paras` (-1: not in
    it), when the files' rows are not `paras`' rows in order (WideColumns). scratch: a folder for linking's
    files (the body rows' sketches, the LSH buckets grouped out of core; a temporary folder when None),
    removed after. The narratives of churnalism (link-10, narrative_check) are read from the `text` of those
    files, or of `paras`: given neither, that rule is off. stored: a daily run's stored stories: only the
    documents a changed one could reach are linked again (tasks.relink.relinked_documents), the other
    stories are kept as stored; the flags are set over the whole corpus as always. readings: the title
    rules' readings a run kept (tasks.link_state), looked up before a title is read, and added to. kept:
    the outlet-text counts (tasks.outlet_repeats.KeptRepeats: the last run's kept ones), counted again only
    for the texts a changed document prints when the last run's are usable, and holding this run's after.
    """
    if evidence and not set(WIDE_COLUMNS) <= set(paras.column_names):
        # The paragraphs' evidence is in the files (read_link_tables reads a file lacking it whole).
        docs, _ = with_evidence(docs, SCHEMAS["paragraphs"].empty_table())
    else:
        docs, paras = with_evidence(docs, paras)
    wide = WideColumns(paras, tuple(evidence or ()), evidence_rows)
    order = linking_order(docs)
    docs = docs.take(order)
    given = stored
    if stored is not None:
        stored = StoredStories(stored.story[order.to_numpy()], stored.members)
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch, prefix="find-stories-") as folder:
        found = _find_stories(docs, paras, wide, config, Path(folder), stored, readings, kept)
    if given is not None:
        given.relinked = stored.relinked
    return found


def _find_stories(
    docs: pa.Table,
    paras: pa.Table,
    wide: WideColumns,
    config: LinkConfig,
    scratch: Path,
    stored: StoredStories | None = None,
    readings: TitleReadings | None = None,
    kept: KeptRepeats | None = None,
) -> tuple[pa.Table, pa.Table]:
    n_docs = docs.num_rows
    doc_index = pc.index_in(paras.column("doc_id"), value_set=docs.column("doc_id")).to_numpy()
    doc_index = doc_index.astype(np.int64)
    outlet = pc.dictionary_encode(docs.column("outlet")).combine_chunks()
    doc_outlet = pc.fill_null(outlet.indices, -1).to_numpy().astype(np.int64)  # per document
    outlet_code = doc_outlet[doc_index]  # per paragraph row
    fp = paras.column("fingerprint").to_numpy().astype(np.uint64).view(np.int64)
    flag = paras.column("is_boilerplate").to_numpy(zero_copy_only=False).copy()
    # Order (furniture is known only once stories are, stories only once furniture is set aside): documents at
    # one canonical URL are one story before anything else; text an outlet prints under two such groups is
    # held out of linking; an outlet's documents sharing most of their text verbatim are versions of one text
    # and link on that alone; then linking; then `repeated` is judged over the stories found.
    url = page_groups(docs, doc_outlet)
    heading = paras.column("is_heading").to_numpy(zero_copy_only=False)
    # Under how many groups an outlet printed each text, counted again only for the texts a changed document
    # prints when the last run's counts are kept (tasks/outlet_repeats.py).
    counts = (kept or KeptRepeats()).bind(
        docs.column("doc_id").combine_chunks(),
        outlet.dictionary,
        None if stored is None else stored.story < 0,
    )
    url_repeats = counts.of("url", outlet_code, doc_index, url, fp)
    body = body_rows(outlet_code, url[doc_index], fp, flag, heading, url_repeats)
    held = ~flag
    held[body] = False
    shingles = shingle_counts(paras.column("n_words").to_numpy(zero_copy_only=False))
    given = np.concatenate(
        [
            url_versions(same_url_pairs(url), doc_index, fp, shingles, flag, wide, config),
            outlet_version_pairs(
                outlet_code, doc_index, fp, shingles, flag, held, n_docs, config, url[doc_index]
            ),
            whole_note_pairs(
                doc_index, fp, paras.column("n_words").to_numpy(zero_copy_only=False), body, n_docs, config
            ),
        ]
    )
    # Two instances of an outlet's series (two releases announced, two issues of a newsletter, two years'
    # calls) are two stories, however much of one template they share (issue 12): never versions of one text,
    # nor linked on their text (link_corpus, below).
    # Each document's page day, read once for the series rules and the write-through rule (link_corpus).
    page_days = _page_days(docs)
    apart = series_apart(docs, outlet_code, url, page_days, doc_index, flag, wide, config, readings)
    given = given[~apart(given[:, 0], given[:, 1])]
    groups = document_groups(given, n_docs)
    revisions = outlet_revision_pairs(
        paras,
        outlet_code,
        doc_index,
        fp,
        shingles,
        flag,
        held,
        groups,
        config,
        wide,
        counts.of("groups", outlet_code, doc_index, groups, fp),
    )
    # A story the wire sent again marked as corrected, its wrong paragraph rewritten, is a version of the
    # story it corrects (link-25), though less of it is verbatim than an update keeps. Read over the text
    # (boilerplate and headings aside): what the two share is held out of `body` until they are one text.
    text_rows = np.flatnonzero(~flag & ~heading)
    para_idx = paras.column("para_idx").to_numpy(zero_copy_only=False)
    corrected = correction_pairs(docs, doc_outlet, page_days, doc_index, text_rows, fp, para_idx, config)
    given = np.concatenate([given, revisions, corrected])
    given = given[~apart(given[:, 0], given[:, 1])]
    # Versions of one text are never each other's furniture: text held out because it was printed under two
    # URLs (a page moved, a revision at a new address) is body again once they are known to be one text, so
    # a draft or rewrite of that text has something to match (issue 12, class 2).
    versions = document_groups(given, n_docs)
    body = body_rows(
        outlet_code,
        versions[doc_index],
        fp,
        flag,
        heading,
        counts.of("versions", outlet_code, doc_index, versions, fp),
    )
    # The names and numbers of a document's text in order, its template's included (below).
    names = document_names(wide.picked("names", body), doc_index, body, n_docs)
    # A short document of another outlet made of a story's lead is a brief of it (link-25): linked as given,
    # since it is too short for the paragraph and name evidence below.
    # What the brief and derived-story rules read: names, text rows, paragraph places and sizes, days.
    evidence = ShortStoryEvidence(
        names.hashes,
        names.starts,
        text_rows,
        doc_index,
        para_idx,
        paras.column("n_words").to_numpy(zero_copy_only=False),
        page_days,
        doc_outlet,
        wide.texts if wide.has_text() else None,
    )
    briefs = brief_pairs(evidence, config)
    # A longer story of another outlet lifting the source's sentences, published after it, is partly derived
    # from it (link-28).
    derived = derived_pairs(published_seconds(docs), evidence, config)
    briefs = np.concatenate([briefs, derived])
    given = np.concatenate([given, briefs[~apart(briefs[:, 0], briefs[:, 1])]])
    # OCR'd copies of one dispatch (link-27): their words broken and misread, they are found and judged by the
    # runs of letters they share, and linked as given, as briefs are (a daily run links them again together).
    copies = ocr_copy_pairs(
        ocr_documents(docs),
        text_rows,
        doc_index,
        para_idx,
        doc_outlet,
        wide.texts if wide.has_text() else None,
        config,
    )
    given = np.concatenate([given, copies[~apart(copies[:, 0], copies[:, 1])]])
    # An outlet's release template (a paragraph it prints, numbers aside, under 3 groups of documents: one
    # URL, or versions paired above) carries no weight in paragraph linking either: two announcements built
    # on one template share its paragraphs with their own version numbers in each, and need not share anything
    # else (Flink's 1.16.2 and 1.17.1 bug-fix releases, issue 12). Markdown headings are structure, kept.
    template = template_rows(paras, outlet_code, groups[doc_index], doc_index, flag) & ~heading
    body = body[~template[body]]
    del held, url, template, url_repeats, text_rows, para_idx
    release_freed_memory()
    # A daily run links only the documents a changed one could reach (tasks.relink); the rest keep their
    # stories. `linked`: the positions of the documents linked, `at`: each document's place among them.
    rare = None if stored is None else _rare_names(names, config)
    relink = every_sketches = None
    if stored is not None:
        # The corpus's body sketches are read from the files once, to a file of their own: choosing the
        # documents to link again, the crowded buckets and the linked documents' sketches read it.
        every_sketches = sketch_file(wide.picked("minhash", body), len(body), scratch / "corpus.u32")
        # A brief and its source (link-25) are linked again together, as versions of one text are: a daily
        # run's new brief shares no paragraph with its source to reach it otherwise.
        together = document_groups(given, n_docs)
        reading = BodyReading()  # what the choice takes of every body row and the crowded keys again
        relink = _relinked(
            stored, together, doc_index, body, fp, shingles, rare, every_sketches, config, reading
        )
    linked = np.arange(n_docs)
    if stored is not None:
        stored.relinked = int(relink.sum())
    every_body = body
    if relink is not None:
        linked = np.flatnonzero(relink)
        body = body[relink[doc_index[body]]]
        given = given[relink[given[:, 0]] & relink[given[:, 1]]]
        rare = _names_of(rare, linked)
        names = _names_of(names, linked)
    at = np.full(n_docs, -1, dtype=np.int64)
    at[linked] = np.arange(len(linked))
    # The body rows' sketches go to a file read a block at a time (never the column whole, nor a copy of it).
    crowded = None
    if relink is None:
        sketches = sketch_file(wide.picked("minhash", body), len(body), scratch / "sketches.u32")
    else:
        kept = np.flatnonzero(relink[doc_index[every_body]])
        picks = ((np.arange(lo, lo + len(b)), b) for lo, b in sketch_blocks(every_sketches, kept))
        sketches = sketch_file(picks, len(body), scratch / "sketches.u32")
        # A bucket is crowded or not as in a run over the whole corpus, however few of its texts are linked
        # again.
        crowded = crowded_keys(
            relink,
            doc_index[every_body],
            fp[every_body],
            shingles[every_body],
            _blocks(every_sketches),
            (block for _, block in sketch_blocks(sketches)),
            config,
            reading,
        )
        released(every_sketches)
        del reading
    del every_body, every_sketches
    # What reading the sketches and names from the files freed (Arrow's pool keeps it), before linking.
    release_freed_memory()
    # Each linked document's paragraphs but boilerplate and headings: where its lead and names are read for
    # the rewrites of one outlet (other_subjects).
    lead_rows = np.flatnonzero(~flag & ~heading)
    lead_rows = lead_rows[at[doc_index[lead_rows]] >= 0]
    # Per body row, its document's place among those linked and its fingerprint: one copy each, which
    # linking and the narratives' reader share.
    body_owner, body_fp = at[doc_index[body]], fp[body]
    members = link_corpus(
        pc.take(docs.column("doc_id"), pa.array(linked)).to_pylist(),
        pc.take(docs.column("published_at"), pa.array(linked)).to_pylist(),
        pc.take(docs.column("source"), pa.array(linked)).to_pylist(),
        body_owner,
        sketches,
        body_fp,
        shingles[body],
        config,
        given=at[given],
        versions=versions[linked],
        rewrite_check=narrative_check(
            names,
            narrative_reader(wide, body, body_owner, body_fp),
            doc_outlet[linked],
            config,
            subject_reader(wide, lead_rows, at[doc_index[lead_rows]], config),
            write_through=write_through_check(page_days[linked], doc_outlet[linked], config),
            copies=_copies(wide, body, body_owner, body_fp, config),
        ),
        rewrite_candidates=name_candidate_pairs(rare or names, config, scratch),
        scratch=scratch,
        apart=lambda a, b: apart(linked[a], linked[b]),
        crowded=crowded,
    )
    del names, rare, shingles, body, sketches, groups, versions, at, body_owner, body_fp
    if relink is not None:
        members = sorted(
            members + _kept_members(stored.members, docs.column("doc_id").filter(pa.array(~relink))),
            key=lambda m: (m.story_id, m.version),
        )
    story_index = {s: k for k, s in enumerate(sorted({m.story_id for m in members}))}
    member_ids = pa.array([m.doc_id for m in members], pa.string())
    story_of = np.empty(n_docs, dtype=np.int64)
    story_of[pc.index_in(member_ids, value_set=docs.column("doc_id")).to_numpy()] = [
        story_index[m.story_id] for m in members
    ]
    # A Markdown heading is the document's structure ("## Scope" in two policies), not furniture, unless it
    # heads furniture only (below).
    # Under how many stories each outlet printed each text: furniture from 2 (`again`), shared news under 3.
    repeats = counts.of("story", outlet_code, doc_index, story_of, fp)
    again = repeats >= BoilerplateConfig().min_stories_repeated
    repeated = (
        ~flag
        & ~heading
        & ~empty_section_marks(paras, doc_index, heading)
        & (again | template_rows(paras, outlet_code, story_of[doc_index], doc_index, flag, furniture=True))
    )
    # A lead-in to furniture is furniture with it, printed (numbers aside) under two stories of the outlet:
    # only the keys of lead-ins are counted again.
    twice = template_rows(
        paras,
        outlet_code,
        story_of[doc_index],
        doc_index,
        flag,
        furniture=True,
        config=BoilerplateConfig(min_stories_template=2),
        only=lead_in_keys(paras, flag),
    )
    repeated |= ~flag & lead_ins_to_furniture(paras, doc_index, again | twice, flag | repeated)
    repeated |= ~flag & furniture_headings(paras, doc_index, heading & again, flag | repeated)
    repeated &= ~lead_ins_to_own_text(paras, doc_index, flag | repeated)
    few = repeats < 3
    del repeats
    authored = authored_lists(docs)[doc_index]
    repeated &= ~shared_news(paras, doc_index, repeated & few, flag | repeated | heading, authored)
    repeated &= ~table_rows(paras, doc_index, repeated, flag | repeated | heading, wide)
    reasons = pc.if_else(pa.array(repeated), pa.scalar("repeated"), paras.column("boilerplate_reason"))
    paras = paras.set_column(
        paras.schema.get_field_index("is_boilerplate"),
        "is_boilerplate",
        pa.array(flag | repeated, pa.bool_()),
    )
    paras = paras.set_column(
        paras.schema.get_field_index("boilerplate_reason"),
        "boilerplate_reason",
        reasons,
    )
    table = pa.table(
        {
            "story_id": [m.story_id for m in members],
            "doc_id": [m.doc_id for m in members],
            "version": [m.version for m in members],
            "n_members": [m.n_members for m in members],
            "link_version": [LINK_VERSION] * len(members),
            "align_key": [None] * len(members),
            "copied_from": [m.copied_from for m in members],
        },
        schema=SCHEMAS["story_members"],
    )
    return table, paras


def _relinked(
    stored: StoredStories,
    versions: np.ndarray,
    doc_index: np.ndarray,
    body: np.ndarray,
    fp: np.ndarray,
    shingles: np.ndarray,
    names: Names,
    sketches: np.ndarray,
    config: LinkConfig,
    reading: BodyReading,
) -> np.ndarray:
    """tasks.relink.relinked_documents over the corpus's body rows (`body`) and their `sketches` (a file)."""
    fresh = stored.story < 0
    return relinked_documents(
        fresh,
        stored.story,
        versions,
        doc_index[body],
        fp[body],
        _blocks(sketches),
        _blocks(sketches, np.flatnonzero(fresh[doc_index[body]])),
        shingles[body],
        (names.hashes, names.starts),
        config,
        reading,
    )


def _blocks(sketches: np.ndarray, rows: np.ndarray | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(positions, sketch matrix) blocks of `sketches` (of the positions `rows` when given), as Picks come."""
    for lo, block in sketch_blocks(sketches, rows):
        yield (np.arange(lo, lo + len(block)) if rows is None else rows[lo : lo + len(block)]), block


def _names_of(names: Names, docs: np.ndarray) -> Names:
    """The names of the documents at positions `docs` (ascending), renumbered 0, 1, ... in that order."""
    lengths = np.diff(names.starts)[docs]
    rows = np.repeat(names.starts[docs], lengths) + (
        np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    return Names(names.hashes[rows], np.r_[0, np.cumsum(lengths)].astype(np.int64))


def _rare_names(names: Names, config: LinkConfig) -> Names:
    """Each document's names and numbers without those printed in more than `max_name_documents` documents
    of the whole corpus: what name_candidate_pairs sketches, counted over the corpus, not the part linked."""
    n_docs = len(names.starts) - 1
    owner = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(names.starts))
    # Each name numbered by Arrow's hashing (np.unique's inverse took 22 s at 100k documents: a sort).
    encoded = pc.dictionary_encode(pa.array(names.hashes))
    token = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    flat = distinct(token * n_docs + owner)
    documents = np.bincount(flat // n_docs, minlength=len(encoded.dictionary))
    keep = documents[token] <= config.max_name_documents
    return Names(
        names.hashes[keep], np.r_[0, np.cumsum(np.bincount(owner[keep], minlength=n_docs))].astype(np.int64)
    )


def _kept_members(members: pa.Table, doc_ids: pa.ChunkedArray) -> list[Member]:
    """The stored story_members rows of these documents, as linking's Members."""
    rows = members.filter(pc.is_in(members.column("doc_id"), value_set=doc_ids.combine_chunks()))
    return [
        Member(r["story_id"], r["doc_id"], r["version"], r["n_members"], r["copied_from"])
        for r in rows.select(["story_id", "doc_id", "version", "n_members", "copied_from"]).to_pylist()
    ]


def body_sketches(minhash: Picks, n: int) -> np.ndarray:
    """The sketches of `n` paragraph rows, one matrix row each, from the picks of the sketch column at those
    rows (WideColumns.picked): the whole column is never copied."""
    out = None
    for where, values in minhash:
        part = _sketch_matrix(values)
        if out is None:
            out = np.empty((n, part.shape[1]), dtype=np.uint32)
        out[where] = part
    return out if out is not None else np.empty((0, SketchConfig().num_perm), dtype=np.uint32)


def sketch_file(minhash: Picks, n: int, path: Path) -> np.ndarray:
    """body_sketches written to `path` a pick at a time (each run of rows in place) and mapped into memory:
    linking reads it a block at a time (tasks.link.sketch_blocks) and lets its pages go, so no sketch column
    is held, read or gathered. The picks' values may be sketch matrices already (another file's blocks)."""
    width = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for where, values in minhash:
            part = values if isinstance(values, np.ndarray) else _sketch_matrix(values)
            width = width or part.shape[1]
            if not len(where):
                continue
            order = np.argsort(where, kind="stable")
            where, part = where[order], part[order]
            # Consecutive rows are written at once: a stored file's rows come in long runs.
            cuts = np.flatnonzero(np.diff(where) != 1) + 1
            for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(where)], strict=True):
                os.pwrite(fd, part[lo:hi].tobytes(), int(where[lo]) * part.shape[1] * 4)
    finally:
        os.close(fd)
    if n == 0 or width == 0:
        return np.empty((0, width or SketchConfig().num_perm), dtype=np.uint32)
    return np.memmap(path, dtype=np.uint32, mode="r", shape=(n, width))


def _sketch_matrix(values: pa.Array) -> np.ndarray:
    """A list column of equal-length sketches as a (rows x width) uint32 matrix."""
    flat = values.flatten().to_numpy(zero_copy_only=False)
    width = len(flat) // len(values) if len(values) else 0
    return np.ascontiguousarray(flat.reshape(len(values), width), dtype=np.uint32)


def body_rows(
    outlet: np.ndarray,
    group: np.ndarray,
    fingerprint: np.ndarray,
    is_boilerplate: np.ndarray,
    heading: np.ndarray | None = None,
    repeats: np.ndarray | None = None,
) -> np.ndarray:
    """The paragraph rows linking weighs (positions): neither rule boilerplate nor held out of linking, nor
    (given `heading`, per row) a stock heading (stock_headings).

    group: per row, its document's position, or the group of documents at its canonical URL (url_groups).
    repeats: per row, outlet_repeats under those groups when counted already (held out from 2).
    """
    held = held_out_of_linking(outlet, group, fingerprint) if repeats is None else repeats >= 2
    if heading is not None:
        held |= stock_headings(group, fingerprint, heading)
    return np.flatnonzero(~is_boilerplate & ~held)


def stock_headings(
    group: np.ndarray, fingerprint: np.ndarray, heading: np.ndarray, at_least: int = 3
) -> np.ndarray:
    """Per paragraph row: a heading printed under `at_least` groups of documents or more, whichever outlets
    print it ("# Summary", "## Impact"): the structure of many texts, never evidence that two are one story.

    Held out of linking whatever the outlets: `held_out_of_linking` holds out an outlet's own repeated text
    only while that outlet prints most of its copies, so a stock heading of one outlet's template started to
    link two of its security announcements once other outlets' posts printing "# Summary" joined the corpus
    (the Node.js pairs of the first blind part, issue 12). The headings of two versions of one text are
    printed under their own group or two, and stay evidence."""
    out = np.zeros(len(fingerprint), dtype=bool)
    rows = np.flatnonzero(heading)
    if len(rows) == 0:
        return out
    pairs = np.unique(np.stack([fingerprint[rows], group[rows]], axis=1), axis=0)
    texts, groups = np.unique(pairs[:, 0], return_counts=True)
    stock = texts[groups >= at_least]
    out[rows] = np.isin(fingerprint[rows], stock)
    return out


@dataclass(frozen=True)
class Names:
    """Per document position, the names and numbers of its body paragraphs in reading order, as word hashes
    (tasks.evidence): document d's are `hashes[starts[d]:starts[d + 1]]`."""

    hashes: np.ndarray  # uint64
    starts: np.ndarray  # int64, one more than there are documents

    def of(self, d: int) -> list[int]:
        return self.hashes[self.starts[d] : self.starts[d + 1]].tolist()

    @classmethod
    def from_lists(cls, names: list[list[str]]) -> Names:
        """From each document's names as words (names_and_numbers)."""
        lists = name_lists(names)
        return cls(lists.flatten().to_numpy(), lists.offsets.to_numpy().astype(np.int64))


def document_names(names: Picks, doc_index: np.ndarray, body: np.ndarray, n_docs: int) -> Names:
    """Per document position: the names and numbers of its body paragraphs (rows `body`, ascending), in
    reading order.

    names: the picks of the paragraphs' `names` column (tasks.evidence) at the rows `body`
    (WideColumns.picked: each row once)."""
    # Each pick's hashes are put straight in their place among their document's (the rows ordered by
    # document, then reading order), a pick at a time: about 16 bytes a name at most (the picks and the
    # result), where sorting every name by its row and document held about 48 (at 200k generated
    # documents, 30M names: over a GB, the peak of the run's link step).
    length = np.zeros(len(body), dtype=np.int64)
    picks = []
    for where, lists in names:
        length[where] = pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False)
        picks.append((where, lists.flatten().to_numpy(zero_copy_only=False).astype(np.uint64)))
    owner = doc_index[body]
    order = np.argsort(owner, kind="stable")  # rows by document, each document's rows in reading order
    placed = np.cumsum(length[order]) - length[order]
    start = np.empty(len(body), dtype=np.int64)
    start[order] = placed
    del order, placed
    flat = np.empty(int(length.sum()), dtype=np.uint64)
    while picks:
        where, hashes = picks.pop(0)
        n = length[where]
        at = np.repeat(start[where] - (np.cumsum(n) - n), n) + np.arange(len(hashes))
        flat[at] = hashes
        del where, hashes, n, at
    counts = np.bincount(owner, weights=length, minlength=n_docs).astype(np.int64)
    return Names(flat, np.r_[0, np.cumsum(counts)].astype(np.int64))


def names_check(names: Names, config: LinkConfig = LinkConfig(), cut: bool = False):  # noqa: B008
    """rewrite_check for link_corpus: whether, for document pairs, `min_names_matched` of the names and
    numbers of the one with fewer (at least `min_names`) are found in the other in the same order; for pairs
    marked `low` (little wording shared), also `min_names_matched_longer` of the one with more.

    cut: a link's strength instead (1 for those pairs; `cut_weight` for a pair that fails only because the
    one with fewer is a short rewrite of the other: `min_names_matched_cut` of its names matched in order,
    few of the other's; 0 otherwise)."""

    def check(a: np.ndarray, b: np.ndarray, low: np.ndarray | None = None) -> np.ndarray:
        out = np.zeros(len(a), dtype=np.float64 if cut else bool)
        low = np.zeros(len(a), dtype=bool) if low is None else low
        for k, (x, y, strict) in enumerate(zip(a.tolist(), b.tolist(), low.tolist(), strict=True)):
            nx, ny = names.of(x), names.of(y)
            fewer, more = min(len(nx), len(ny)), max(len(nx), len(ny))
            if fewer >= config.min_names:
                matched = sum(
                    m.size for m in SequenceMatcher(None, nx, ny, autojunk=False).get_matching_blocks()
                )
                out[k] = matched >= config.min_names_matched * fewer and (
                    not strict or matched >= config.min_names_matched_longer * more
                )
                if cut and not out[k] and matched >= config.min_names_matched_cut * fewer:
                    out[k] = config.cut_weight
        return out

    return check


def narrative_check(
    names: Names,
    narrative: Callable[[np.ndarray], dict[int, list]] | None,
    outlet: np.ndarray,
    config: LinkConfig = LinkConfig(),  # noqa: B008
    subjects: Callable[[np.ndarray], dict[int, tuple[set, set]]] | None = None,
    write_through: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None,
    copies: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
):
    """rewrite_check for link_corpus: names_check (with short rewrites' thin links), and a full link for a
    pair of two outlets that fails it whose smaller body is `min_narrative_containment` in the other
    (estimated: `contained`) and whose narratives share a phrase in `min_narrative_paragraphs` paragraphs of
    each, in the same order (narrative_paragraphs): churnalism, another outlet's rewrite that recasts the
    lead, moves the attribution and rewords most sentences, keeps the quotes and some of the source's own
    phrasing (issue 12, class 3).
    Two reports of one event written apart share quotes and names (often in order) but hardly a phrase of
    their own; an outlet reuses its own phrasing across its stories (series, templates, lists of fixes), so
    two documents of one outlet are left to the other rules.

    Paragraphs the two print verbatim (one fingerprint) are left out of both narratives: they are the
    matched-paragraph rules' evidence, and a passage reused whole (an independent report pasting three of a
    story's paragraphs, an agency's background paragraphs) is no rewrite; this rule weighs the wording a
    rewrite keeps inside the paragraphs it recasts.

    A pair of one outlet whose leads name other subjects is no rewrite, whatever its names (link-23,
    other_subjects): two banks' rate cuts of one morning, two issuers' notices on one template.

    narrative: per document asked for, its body paragraphs' (fingerprint, narrative shingles)
    (narrative_reader), read only for the pairs this rule tests; outlet: per document, its outlet's number
    (-1: unknown); subjects: per document asked for, (its lead's names, every name it prints)
    (subject_reader); write_through: for pairs (a, b, contained), the chain of narrative paragraphs
    each needs instead when both are one outlet's (write_through_check), 0 for none; copies: for the pairs
    of two outlets the chain leaves unlinked, whether they print the same sentences read as letters
    (tasks/ocr_copies.py, link-26: OCR'd copies of one dispatch, whose misread and broken words spoil the
    phrases)."""
    named = names_check(names, config, cut=True)

    def check(
        a: np.ndarray, b: np.ndarray, low: np.ndarray | None = None, contained: np.ndarray | None = None
    ) -> np.ndarray:
        out = named(a, b, low)
        other = np.zeros(len(a), dtype=bool)
        if subjects is not None:
            other = other_subjects(a, b, out > 0, outlet, subjects)
            out[other] = 0
        if narrative is None or contained is None:
            return out
        apart = (outlet[a] != outlet[b]) | (outlet[a] < 0)
        churn = apart & (contained >= config.min_narrative_containment)
        need = np.where(churn, config.min_narrative_paragraphs, 0)
        if write_through is not None:
            need = np.where(apart, need, write_through(a, b, contained))
            # A write-through keeps who its story is about (link-23): one outlet's two stories whose leads
            # name other subjects are not written through from each other, whatever phrasing they share.
            if subjects is not None:
                other |= other_subjects(a, b, ~apart & (need > 0) & (out < 1) & ~other, outlet, subjects)
            need[~apart & other] = 0
        test = np.flatnonzero((out < 1) & (need > 0))
        # The pairs' documents are read a part of at most _NARRATIVE_DOCS at a time: what is held of their
        # narratives is bounded, however many pairs the corpus makes (at 100k generated documents, thousands).
        for part in _pair_parts(a[test], b[test], _NARRATIVE_DOCS):
            read = narrative(np.union1d(a[test[part]], b[test[part]]))
            for k in test[part].tolist():
                x, y = read[int(a[k])], read[int(b[k])]
                verbatim = {f for f, _ in x} & {f for f, _ in y}
                kept = narrative_paragraphs(
                    [p for f, p in x if f not in verbatim], [p for f, p in y if f not in verbatim]
                )
                if kept >= need[k]:
                    out[k] = 1.0
            if copies is not None:  # a part at a time too: its documents' text is read again, as letters
                left = test[part][(out[test[part]] < 1) & apart[test[part]]]
                out[left[copies(a[left], b[left])]] = 1.0
        return out

    return check


def _copies(
    wide: WideColumns, rows: np.ndarray, owner: np.ndarray, fingerprint: np.ndarray, config: LinkConfig
):
    """narrative_check's copies rule (tasks/ocr_copies.py) over the body rows' text, None with no text."""
    read = letters_reader(wide, rows, owner, fingerprint)
    return None if read is None else copies_check(read, config)


def write_through_check(day: np.ndarray, outlet: np.ndarray, config: LinkConfig = LinkConfig()):  # noqa: B008
    """For narrative_check: per pair (a, b) of one outlet, the chain of narrative paragraphs that links it as
    the outlet's write-through of its own story (`min_write_through_paragraphs`), 0 where the rule does not
    apply. An agency rewrites the day's story for the next morning's papers (the Press Association's
    nightlead: a new lead, the order recast, page 1's evidence and much of its phrasing kept through the
    text, 6-25% of 5-word shingles shared), too reworded for the names check and left out of the churnalism
    rule, which pairs two outlets only. Asked: the same outlet, dated at most `write_through_days` apart,
    the smaller body `min_write_through_containment` (estimated) in the other. An outlet reuses its own
    phrasing across its stories, a few paragraphs at a time (a release series' lists of fixes, a
    pre-announcement's sentences in the advisory: chains of 3-5), so the chain asked is twice the
    churnalism rule's.

    day: per document, its day (days since 1970; a large negative number unknown); outlet: per document,
    its outlet's number (-1 unknown)."""

    def need(a: np.ndarray, b: np.ndarray, contained: np.ndarray) -> np.ndarray:
        known = (outlet[a] >= 0) & (outlet[a] == outlet[b]) & (day[a] >= 0) & (day[b] >= 0)
        near = np.abs(day[a] - day[b]) <= config.write_through_days
        ok = known & near & (contained >= config.min_write_through_containment)
        return np.where(ok, config.min_write_through_paragraphs, 0)

    return need


def other_subjects(
    a: np.ndarray,
    b: np.ndarray,
    tested: np.ndarray,
    outlet: np.ndarray,
    subjects: Callable[[np.ndarray], dict[int, tuple[set, set]]],
) -> np.ndarray:
    """Per pair (a, b): whether the two are documents of one outlet (`tested` pairs only) whose leads are
    each about someone the other never names: a word of each lead's subject (`lead_subject`, its first run
    of capitalised words) the other does not print (link-23). An outlet's versions of one story keep who it
    is about: a write-through, a correction, a take with paragraphs added open on the same company or
    person. Two of its
    stories of one event or one template name another subject in the lead (Barclays and Midland's base-rate
    cut, Lloyds' of the same morning; the Commonwealth Bank's eurobond and the State Bank of South
    Australia's, on one template) while sharing most other names (the rate, the lead bank, the central bank,
    the budget's day; the terms, the lead manager) in order. Both leads must: a version that adds a name to
    its lead keeps the first one's. Two outlets' texts are not tested: another outlet recasts the lead."""
    out = np.zeros(len(a), dtype=bool)
    test = np.flatnonzero(tested & (outlet[a] == outlet[b]) & (outlet[a] >= 0))
    for part in _pair_parts(a[test], b[test], _NARRATIVE_DOCS):
        read = subjects(np.union1d(a[test[part]], b[test[part]]))
        for k in test[part].tolist():
            (lead_a, every_a), (lead_b, every_b) = read[int(a[k])], read[int(b[k])]
            out[k] = bool(lead_a - every_b) and bool(lead_b - every_a)
    return out


def subject_reader(wide: WideColumns, rows: np.ndarray, owner: np.ndarray, config: LinkConfig = LinkConfig()):  # noqa: B008
    """Per document asked for: (its lead's subject, `lead_subject`; every word it prints), read from the text
    of its rows (`rows`: its paragraphs but boilerplate and headings, ascending, each document's in reading
    order; owner: each row's document position). The lead is the first paragraph of `min_lead_words` or
    more: a byline or a dateline on its own line names nobody the story is about. None when there is no text
    to read."""
    if not wide.has_text():
        return None

    def read(docs: np.ndarray) -> dict[int, tuple[set, set]]:
        wanted = np.flatnonzero(np.isin(owner, docs))
        out: dict[int, tuple[set, set]] = {int(d): (set(), set()) for d in docs.tolist()}
        led: set[int] = set()
        for d, text in zip(owner[wanted].tolist(), wide.texts(rows[wanted]), strict=True):
            subject, every = out[d]
            every.update(words_of(text))
            if d not in led and len(text.split()) >= config.min_lead_words:
                led.add(d)
                subject.update(lead_subject(text))
        return out

    return read


# Documents whose narratives narrative_check holds at once (about 13 kB each as narrative_keys).
_NARRATIVE_DOCS = 1 << 13


def _pair_parts(a: np.ndarray, b: np.ndarray, most: int) -> list[slice]:
    """Runs of consecutive pairs (a[k], b[k]) each naming at most `most` documents (one pair: two)."""
    parts, seen, lo = [], set(), 0
    for k, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        if seen and len(seen) + (x not in seen) + (y not in seen and y != x) > most:
            parts.append(slice(lo, k))
            seen, lo = set(), k
        seen.update((x, y))
    if len(a) > lo:
        parts.append(slice(lo, len(a)))
    return parts


def narrative_paragraphs(a: list[list], b: list[list]) -> int:
    """In how many paragraphs of each, in the same order, two texts share a phrase of their narratives: the
    longest chain of paragraph pairs (one of `a`, one of `b`, each a list of narrative_shingles) sharing a
    5-word shingle, each pair after the one before in both texts. A rewrite keeps a phrase here and there
    through the text; one sentence two stories share (a quote printed without marks, a sentence the
    generator's pool gives both, names changed) is one paragraph, however many phrases its changed names
    leave."""
    sets_a, sets_b = _shingle_sets(a), _shingle_sets(b)
    # Pairs by paragraph of `a`, and for one paragraph of `a` its places in `b` from the last: the longest
    # chain increasing in `b` then takes at most one pair per paragraph of `a`.
    places = [j for x in sets_a for j in range(len(sets_b) - 1, -1, -1) if x & sets_b[j]]
    chain: list[int] = []  # per chain length, the least last place in `b`
    for place in places:
        k = bisect_left(chain, place)
        chain[k : k + 1] = [place]
    return len(chain)


def _shingle_sets(paragraphs: list) -> list[set]:
    """Each paragraph's shingles as a set: narrative_shingles' (None left out), or narrative_keys' keys."""
    return [
        set(p.tolist()) if isinstance(p, np.ndarray) else {s for s in p if s is not None} for p in paragraphs
    ]


def narrative_reader(wide: WideColumns, rows: np.ndarray, owner: np.ndarray, fingerprint: np.ndarray):
    """Per document asked for, its body paragraphs in reading order as (fingerprint, narrative shingles),
    read from their text when asked (the documents of the few pairs narrative_check tests), never the
    corpus's text whole. rows: the body rows (ascending, each document's in reading order); owner and
    fingerprint: each row's document position and fingerprint. None when there is no text to read (a
    paragraphs table given without it and no files)."""
    if not wide.has_text():
        return None

    def read(docs: np.ndarray) -> dict[int, list]:
        wanted = np.flatnonzero(np.isin(owner, docs))
        # Each part's texts are keyed as they come (narrative_keys), never all held as text or as shingles.
        keys: list = [None] * len(wanted)
        for where, values in wide.picked("text", rows[wanted]):
            found = narrative_keys([t or "" for t in values.to_pylist()])
            for k, paragraph in zip(where.tolist(), found, strict=True):
                keys[k] = paragraph
        empty = np.zeros(0, dtype=np.uint64)
        out: dict[int, list] = {int(d): [] for d in docs.tolist()}
        for d, f, paragraph in zip(owner[wanted].tolist(), fingerprint[wanted].tolist(), keys, strict=True):
            out[d].append((f, empty if paragraph is None else paragraph))
        release_freed_memory()  # the part's texts, read through Arrow's pool
        return out

    return read


# Names and numbers taken at once when rare ones are told apart (name_candidate_pairs): about 40 bytes each
# while they are sorted and counted.
_NAMES_PART = 1 << 21


def name_candidate_pairs(
    names: Names,
    config: LinkConfig = LinkConfig(),  # noqa: B008
    scratch: Path | None = None,
) -> np.ndarray:
    """(a, b) document pairs whose sets of rare names and numbers look alike: rewrite candidates that survive
    rewording, where the document LSH over shingles finds a pair of Jaccard 0.2 about one time in six.

    A name or number printed in more than `max_name_documents` documents is left out (a country, a weekday,
    a year: what same-topic stories share). Each document's remaining set is sketched by MinHash (the
    paragraph sketch's hash functions over one-word shingles) and banded (`name_bands` x `name_rows`);
    pairs sharing a band whose estimated Jaccard reaches `min_name_jaccard` are candidates. Documents with
    fewer than `min_names` / 2 rare ones take no part (the names check needs `min_names`). Numpy throughout
    but for reading the names, so the cost is linear in the corpus.
    """
    n_docs = len(names.starts) - 1
    empty = np.empty((0, 2), dtype=np.int64)
    if names.starts[-1] == 0:
        return empty
    width = config.name_bands * config.name_rows
    # One-word shingles: a set's sketch does not depend on the order of its words, and is the element-wise
    # minimum of its parts' sketches. So the names are taken in parts by their hash (every copy of a name in
    # one part: its document count is the part's), each part's rare names sketched, and the sketches' minimum
    # kept per document (128 bytes each): what is held at once is one part's names, not the corpus'.
    sketch = np.full((n_docs, width), np.iinfo(np.uint32).max, dtype=np.uint32)
    per_doc = np.zeros(n_docs, dtype=np.int64)
    parts = -(-len(names.hashes) // _NAMES_PART)
    for part in range(parts):
        at = np.flatnonzero(names.hashes % np.uint64(parts) == part)
        owner = np.searchsorted(names.starts, at, side="right") - 1
        words, token = np.unique(names.hashes[at], return_inverse=True)
        del at
        n_tokens = np.int64(len(words))
        # One entry per (document, distinct name), documents in order.
        flat = distinct(owner * n_tokens + token.ravel().astype(np.int64))
        owner, token = flat // n_tokens, flat % n_tokens
        del flat
        rare = np.bincount(token, minlength=int(n_tokens))[token] <= config.max_name_documents
        owner, token = owner[rare], token[rare]
        counts = np.bincount(owner, minlength=n_docs)
        per_doc += counts
        present = np.flatnonzero(counts)
        found = minhash_word_hashes(words[token], counts[present], SketchConfig(num_perm=width, shingle=1))
        sketch[present] = np.minimum(sketch[present], found)
    usable = per_doc >= max(config.min_names // 2, 1)
    if usable.sum() < 2:
        return empty
    sketch = sketch[usable]
    docs = np.flatnonzero(usable)
    banding = LinkConfig(bands=config.name_bands, rows=config.name_rows, max_bucket=config.max_bucket)
    pairs = candidate_paragraph_pairs(sketch, banding, scratch=scratch)
    agree = (sketch[pairs[:, 0]] == sketch[pairs[:, 1]]).mean(axis=1) if len(pairs) else np.empty(0)
    # 32 hash functions estimate a Jaccard of 0.44 under 0.3 about one time in twenty: a pair the bands
    # found but the estimate doubts is judged on its names themselves (a few dozen each).
    # A short rewrite's names are few beside the longer story's: their Jaccard is low while nearly all of the
    # shorter one's are in the other (link-9): the containment, estimated from the Jaccard and the sizes.
    size = per_doc[docs]
    x, y = size[pairs[:, 0]], size[pairs[:, 1]]
    contained = agree * (x + y) / (1 + agree) / np.maximum(np.minimum(x, y), 1)
    doubt = np.flatnonzero(agree < config.min_name_jaccard)
    for k in doubt.tolist():
        agree[k], contained[k] = _name_overlap(names, *docs[pairs[k]].tolist())
    kept = docs[pairs[(agree >= config.min_name_jaccard) | (contained >= config.min_name_containment)]]
    contained_pairs = _contained_name_pairs(names, sketch, docs, size, config, scratch)
    return np.unique(np.concatenate([kept, contained_pairs]), axis=0)


def _contained_name_pairs(
    names: Names,
    sketch: np.ndarray,
    docs: np.ndarray,
    size: np.ndarray,
    config: LinkConfig,
    scratch: Path | None,
) -> np.ndarray:
    """(a, b) document pairs whose smaller set of rare names and numbers is estimated `min_name_containment`
    inside the other (name_candidate_pairs' estimate), among pairs sharing the value of any one hash function
    of their name sketches (`sketch`, of documents `docs` with `size` rare names each) in a bucket of at most
    `max_bucket` documents (link-23).

    A short rewrite's names are nearly all inside the longer story's and a fifth to a quarter of them (a blog
    post's cut of an AP story: 8 names of 40): a Jaccard of 0.2 to 0.26, which bands of `name_rows` 2 find
    one time in 27 to 15 each, so 0.73 to 0.89 of such pairs over 32 bands, and which of them depends on what
    else the corpus holds (a name printed in more documents of a larger corpus leaves both sets and the
    minima the bands compare). Every hash function a band of one row (as link-11 does for bodies), such a
    pair agrees on about 13 of 64: found whatever the corpus around it. Each value pairs at most
    `max_bucket` documents, so the pairs stay under 64 x documents x max_bucket / 2."""
    banding = LinkConfig(bands=sketch.shape[1], rows=1, max_bucket=config.max_bucket)
    kept = [np.empty((0, 2), dtype=np.int64)]
    for batch in candidate_pair_batches(sketch, banding, scratch=scratch):
        x, y = size[batch[:, 0]], size[batch[:, 1]]
        agree = (sketch[batch[:, 0]] == sketch[batch[:, 1]]).mean(axis=1)
        # A share: estimated from the Jaccard, it passes 1 when more values agree than the sizes allow.
        contained = np.minimum(agree * (x + y) / (1 + agree) / np.maximum(np.minimum(x, y), 1), 1.0)
        # 64 values estimate a containment of 1 (8 names in 40) under 0.8 about one time in six: a pair the
        # estimate doubts, but puts at half the share or more, is judged on its names themselves.
        doubt = (contained < config.min_name_containment) & (contained >= config.min_name_containment / 2)
        for k in np.flatnonzero(doubt).tolist():
            contained[k] = _name_overlap(names, *docs[batch[k]].tolist())[1]
        kept.append(docs[batch[contained >= config.min_name_containment]])
    return np.concatenate(kept)


def _name_overlap(names: Names, a: int, b: int) -> tuple[float, float]:
    """The Jaccard similarity of two documents' sets of names and numbers, and the share of the smaller set
    found in the other."""
    x, y = set(names.of(a)), set(names.of(b))
    if not x or not y:
        return 0.0, 0.0
    return len(x & y) / len(x | y), len(x & y) / min(len(x), len(y))


def url_groups(canonical: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Per document: a group number shared by documents at one canonical URL (the first one's position), else
    its own position."""
    group = np.arange(len(canonical), dtype=np.int64)
    codes = pc.dictionary_encode(canonical)
    codes = codes.combine_chunks() if isinstance(codes, pa.ChunkedArray) else codes
    at = np.flatnonzero(codes.indices.is_valid().to_numpy(zero_copy_only=False))
    code = codes.indices.to_numpy(zero_copy_only=False)[at].astype(np.int64)
    first = np.full(len(codes.dictionary), len(group), dtype=np.int64)
    np.minimum.at(first, code, at)
    group[at] = first[code]
    return group


def page_groups(docs: pa.Table, outlet: np.ndarray) -> np.ndarray:
    """Per document: a group number shared by the documents of one page, at one canonical URL (url_groups) or,
    of one outlet, at one address their front matter gives (`page_address`: a slug under its date, a
    permalink). A post's draft, taken from the site's repository before it had a URL, carries the address the
    post is published at: rOpenSci's forum-closing notice, drafted in a pull request, recast by a second
    author and published days later with its middle rewritten (issue 12, class 2 and 3), has one slug and
    one date in all three. Two posts of a series have their own (two issues of a newsletter, two years'
    calls), and one slug under two dates is two pages (Openscapes's conference post and its later post
    reusing the slug). A page moved to a new address names its old one among its aliases (`page_aliases`,
    link-21): its versions at the old address are the same page. A collision is still told apart by
    url_versions."""
    by_url = url_groups(docs.column("canonical_url"))
    if "page_address" not in docs.column_names:
        return by_url
    address = docs.column("page_address").combine_chunks()
    known = address.is_valid().to_numpy(zero_copy_only=False) & (outlet >= 0)
    if not known.any():
        return by_url
    # One key per outlet and address: the outlet's code, then the address.
    key = pc.binary_join_element_wise(pa.array(outlet.astype(str)), address, "\x1f")
    by_page = url_groups(pc.if_else(pa.array(known), key, pa.nulls(len(key), pa.string())))
    joined = np.flatnonzero((by_url != np.arange(len(by_url))) | (by_page != np.arange(len(by_page))))
    pairs = [np.stack([by_url[joined], joined], 1), np.stack([by_page[joined], joined], 1)]
    pairs.append(_moved_page_pairs(docs, outlet, address, known))
    pairs = np.concatenate(pairs)
    return document_groups(pairs[pairs[:, 0] != pairs[:, 1]], len(by_url))


def _address_key(address: str) -> str:
    """An address as a page's aliases and its address both name it: "2023/08/30/post.html" and
    "/2023/08/30/post/" are the page at "2023/08/30/post"."""
    return address.strip("/").removesuffix(".html").removesuffix(".htm")


def _moved_page_pairs(docs: pa.Table, outlet: np.ndarray, address: pa.Array, known: np.ndarray) -> np.ndarray:
    """(a, b) document pairs of one outlet where b's front matter names a's address among its page's former
    addresses (`page_aliases`): a's page moved to b's address. Few documents name aliases; only when some do
    are the others' addresses read."""
    none = np.zeros((0, 2), dtype=np.int64)
    if "page_aliases" not in docs.column_names:
        return none
    aliases = docs.column("page_aliases").combine_chunks()
    moved = np.flatnonzero(aliases.is_valid().to_numpy(zero_copy_only=False) & (outlet >= 0))
    if not len(moved):
        return none
    former: dict[tuple[int, str], list[int]] = defaultdict(list)
    for d, names in zip(moved.tolist(), aliases.take(pa.array(moved)).to_pylist(), strict=True):
        for name in names or ():
            former[(int(outlet[d]), _address_key(name))].append(d)
    at = np.flatnonzero(known)
    out = [
        (a, b)
        for a, page in zip(at.tolist(), address.take(pa.array(at)).to_pylist(), strict=True)
        for b in former.get((int(outlet[a]), _address_key(page)), ())
    ]
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def same_url_pairs(group: np.ndarray) -> np.ndarray:
    """(a, b) document pairs, a < b, at one canonical URL: the edit history of one page (NewsDiffs, NewsEdits)
    is one story whatever its versions share."""
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]]) if len(group) else group
    sizes = np.diff(np.r_[starts, len(group)])
    keep = sizes > 1
    return pairs_within_groups(order, starts[keep], sizes[keep])


def url_versions(
    pairs: np.ndarray,
    doc_index: np.ndarray,
    fingerprint: np.ndarray,
    shingles: np.ndarray,
    is_boilerplate: np.ndarray,
    wide: WideColumns,
    config: LinkConfig = LinkConfig(),  # noqa: B008
) -> np.ndarray:
    """The pairs at one canonical URL (same_url_pairs) that are versions of one text: all but a collision,
    two documents that share nothing at all (no paragraph verbatim, an estimated Jaccard of their bodies
    under `min_url_jaccard`, their names and numbers failing the heavy-rewrite check). A site that builds
    its addresses from a file name published two stories at one URL (Data Carpentry's /blog/merger/, issue
    12); a page rewritten from top to bottom keeps its names, or some sentence."""
    if len(pairs) == 0:
        return pairs
    docs = np.unique(pairs)
    rows = np.flatnonzero(~is_boilerplate & np.isin(doc_index, docs))
    n_docs = int(docs.max()) + 1
    # A text both print verbatim: pairs of documents printing one fingerprint (a text printed in more than
    # `max_copies` of them is furniture and pairs nothing).
    table = np.unique(np.stack([fingerprint[rows], doc_index[rows]], axis=1), axis=0)
    starts = np.flatnonzero(np.r_[True, table[1:, 0] != table[:-1, 0]]) if len(table) else np.empty(0, int)
    sizes = np.diff(np.r_[starts, len(table)])
    keep = (sizes > 1) & (sizes <= config.max_copies)
    printed = table[pairs_within_groups(np.arange(len(table)), starts[keep], sizes[keep]), 1]
    n = np.int64(n_docs)
    shared = np.minimum(printed[:, 0], printed[:, 1]) * n + np.maximum(printed[:, 0], printed[:, 1])
    verbatim = np.isin(pairs.min(axis=1) * n + pairs.max(axis=1), shared)
    # Each document's body sketch (the minimum of its paragraphs'), a chunk of the sketch column at a time:
    # the documents' sketches are held, not their paragraphs'.
    at = np.full(n_docs, -1, dtype=np.int64)
    at[docs] = np.arange(len(docs))
    documents = None
    for where, values in wide.picked("minhash", rows):
        part = _sketch_matrix(values)
        if documents is None:
            documents = np.full((len(docs), part.shape[1]), np.iinfo(np.uint32).max, dtype=np.uint32)
        np.minimum.at(documents, at[doc_index[rows[where]]], part)
    if documents is None:  # no body row among them: every sketch empty, as each would be
        documents = np.full((len(docs), SketchConfig().num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    size = np.bincount(at[doc_index[rows]], weights=shingles[rows], minlength=len(docs))
    _, jaccard = document_similarity(at[pairs[:, 0]], at[pairs[:, 1]], documents, size)
    names = document_names(wide.picked("names", rows), doc_index, rows, n_docs)
    named = names_check(names, config)(pairs[:, 0], pairs[:, 1])
    return pairs[verbatim | (jaccard >= config.min_url_jaccard) | named]


def shared_held_texts(
    outlet: np.ndarray,
    doc_index: np.ndarray,
    fingerprint: np.ndarray,
    shingles: np.ndarray,
    held: np.ndarray,
    n_docs: int,
    config: LinkConfig = LinkConfig(),  # noqa: B008
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, shingles, texts): document pairs of one outlet printing the same held-out texts, with the
    shingles of those texts and their number. Texts printed in more than `max_copies` documents are furniture
    and make no pairs."""
    rows = np.flatnonzero(held)
    empty = np.empty(0, dtype=np.int64)
    if len(rows) == 0:
        return empty, empty, np.empty(0), empty
    table = np.unique(np.stack([outlet[rows], fingerprint[rows], doc_index[rows]], axis=1), axis=0)
    starts = np.flatnonzero(np.r_[True, (table[1:, :2] != table[:-1, :2]).any(axis=1)])
    sizes = np.diff(np.r_[starts, len(table)])
    keep = (sizes > 1) & (sizes <= config.max_copies)
    pairs = pairs_within_groups(np.arange(len(table)), starts[keep], sizes[keep])
    if len(pairs) == 0:
        return empty, empty, np.empty(0), empty
    # The shingles of each shared text, as the first row printing it counts them.
    size_of = dict(zip(fingerprint[rows].tolist(), shingles[rows].tolist(), strict=True))
    text_size = np.array([size_of[f] for f in table[pairs[:, 0], 1].tolist()])
    a, b = table[pairs[:, 0], 2], table[pairs[:, 1], 2]
    n = np.int64(n_docs)
    key, at = np.unique(np.minimum(a, b) * n + np.maximum(a, b), return_inverse=True)
    common = np.bincount(at.ravel(), weights=text_size)
    count = np.bincount(at.ravel())
    return key // n, key % n, common, count


def whole_note_pairs(
    doc_index: np.ndarray,
    fingerprint: np.ndarray,
    n_words: np.ndarray,
    body: np.ndarray,
    n_docs: int,
    config: LinkConfig = LinkConfig(),  # noqa: B008
) -> np.ndarray:
    """(a, b) document pairs whose whole body (the rows `body`) is one paragraph, the same text, of
    `min_note_words` or more (issue 12, class 1: a short note posted whole on two blogs). Each document of a
    group is paired with the group's first; a text that is the whole body of more than `max_copies`
    documents is a stub pages share, not a note, and makes no pairs."""
    per_doc = np.bincount(doc_index[body], minlength=n_docs)
    lone = body[(per_doc[doc_index[body]] == 1) & (n_words[body] >= config.min_note_words)]
    if len(lone) < 2:
        return np.empty((0, 2), dtype=np.int64)
    lone = lone[np.lexsort((doc_index[lone], fingerprint[lone]))]
    text = fingerprint[lone]
    starts = np.flatnonzero(np.r_[True, text[1:] != text[:-1]])
    sizes = np.diff(np.r_[starts, len(lone)])
    first = np.repeat(doc_index[lone[starts]], sizes)
    keep = (np.repeat((sizes >= 2) & (sizes <= config.max_copies), sizes)) & (doc_index[lone] != first)
    return np.stack([first[keep], doc_index[lone][keep]], axis=1).astype(np.int64)


def outlet_version_pairs(
    outlet: np.ndarray,
    doc_index: np.ndarray,
    fingerprint: np.ndarray,
    shingles: np.ndarray,
    is_boilerplate: np.ndarray,
    held: np.ndarray,
    n_docs: int,
    config: LinkConfig = LinkConfig(),  # noqa: B008
    group: np.ndarray | None = None,
) -> np.ndarray:
    """(a, b) document pairs of one outlet whose held-out text (printed verbatim by that outlet in both) is at
    least `min_containment` of each one's body, in `min_shared` paragraphs or more: versions of one text (a
    write-through, a revised policy page), not two stories sharing furniture, which is a small part of each.
    With `group` (per row, its document's URL group), also pairs where `min_contained` of the shorter one's
    own text (of `min_text_shingles` or more) is printed in the longer: an update that keeps its first
    version whole.

    Texts the outlet printed in more than `max_copies` documents are furniture and make no pairs.
    """
    a, b, common, count = shared_held_texts(outlet, doc_index, fingerprint, shingles, held, n_docs, config)
    body = np.bincount(doc_index[~is_boilerplate], weights=shingles[~is_boilerplate], minlength=n_docs)
    versions = (common >= config.min_containment * np.maximum(body[a], body[b])) & (
        count >= config.min_shared
    )
    pairs = np.stack([a[versions], b[versions]], axis=1)
    if group is None:
        return pairs
    # An update that keeps its first version whole and adds to it (a security notice's release-day post over
    # its pre-announcement, a write-through that prepends new paragraphs): the shorter one's own text, all of
    # it, is printed in the longer. Its own text: furniture (printed under three groups or more: a series'
    # headings and standing lines) is left out of both the shared text and the body it is measured against.
    # The groups are counted with the versions just paired joined (link-20, again since link-23): a story
    # the wire sent three times (a first take, then twice with paragraphs added) printed its lead under three
    # documents but two texts, and the first take's own text is that lead. With its lead body again, the
    # story reads like another bank's rate cut of the morning by its names; other_subjects keeps them apart.
    furniture = repeated_in_outlet_rows(
        outlet,
        joined_groups(group, doc_index, pairs, n_docs)[doc_index],
        fingerprint,
        BoilerplateConfig(min_stories_repeated=3),
    )
    own = ~is_boilerplate & ~furniture
    a, b, common, count = shared_held_texts(
        outlet, doc_index, fingerprint, shingles, held & own, n_docs, config
    )
    body = np.bincount(doc_index[own], weights=shingles[own], minlength=n_docs)
    shorter = np.minimum(body[a], body[b])
    contained = (
        (common >= config.min_contained * shorter)
        & (shorter >= config.min_text_shingles)
        & (count >= config.min_shared)
    )
    return np.concatenate([pairs, np.stack([a[contained], b[contained]], axis=1)])


def outlet_revision_pairs(
    paras: pa.Table,
    outlet: np.ndarray,
    doc_index: np.ndarray,
    fingerprint: np.ndarray,
    shingles: np.ndarray,
    is_boilerplate: np.ndarray,
    held: np.ndarray,
    groups: np.ndarray,
    config: LinkConfig = LinkConfig(),  # noqa: B008
    wide: WideColumns | None = None,
    repeats: np.ndarray | None = None,
) -> np.ndarray:
    """(a, b) document pairs of one outlet that are a revision of one text and its reworked version (a policy
    recast in places, a code of conduct's next edition): they print `min_shared` or more held-out texts in
    common inside both (not as either one's first or last paragraph), and read as whole texts (held-out
    rows included, but for texts the outlet printed under three groups or more) their estimated Jaccard
    reaches `min_revision_jaccard`, or they pass the heavy-rewrite test (Jaccard from
    `min_rewrite_jaccard`, and the names check with both shares, `min_names_matched` of the names of the one
    with fewer and `min_names_matched_longer` of the one with more, matched in order).

    Why held-out rows count here: what a revision keeps verbatim is exactly what the outlet prints under two
    URLs, so it is held out of linking as furniture, and without it too little of each body is left to link
    (issue 12, class 2). Two different stories of an outlet share furniture too, but furniture opens and
    closes a page, is printed under many of the outlet's stories, and is a small part of each whole text.
    groups: per document, a label shared by the documents already known to be one story (one URL, outlet
    versions). wide: where the sketches and names are read from (by default, `paras`)."""
    wide = wide or WideColumns(paras)
    n_docs = len(groups)
    # Only texts inside both documents count (neither one's first nor last paragraph): an outlet's header and
    # footer open and close its pages, while what a revision keeps runs through it.
    text = np.flatnonzero(~is_boilerplate)
    idx = paras.column("para_idx").to_numpy(zero_copy_only=False).astype(np.int64)
    first = np.full(n_docs, np.iinfo(np.int64).max)
    last = np.full(n_docs, -1)
    np.minimum.at(first, doc_index[text], idx[text])
    np.maximum.at(last, doc_index[text], idx[text])
    # Text the outlet printed under three groups of documents or more (a group: the documents at one URL or
    # already paired as versions, `groups`) is furniture even for this test: two short stories of an outlet
    # sharing its header and footer would otherwise read as much alike as a text and its revision; and it is
    # no shared text either: two release announcements built on one template share its headings and standing
    # lines with every other announcement (Flink's 1.16.2 and 1.17.1 bug-fix releases, issue 12).
    if repeats is None:  # per row, outlet_repeats under `groups`, when counted already
        repeats = outlet_repeats(outlet, groups[doc_index], fingerprint)
    furniture = repeats >= 3
    inside = held & ~furniture & (idx > first[doc_index]) & (idx < last[doc_index])
    a, b, _, count = shared_held_texts(outlet, doc_index, fingerprint, shingles, inside, n_docs, config)
    a, b = a[count >= config.min_shared], b[count >= config.min_shared]
    if len(a) == 0:
        return np.empty((0, 2), dtype=np.int64)
    rows = np.flatnonzero(~is_boilerplate & ~furniture & np.isin(doc_index, np.r_[a, b]))
    sketches = body_sketches(wide.picked("minhash", rows), len(rows))  # only these rows' sketches are read
    documents, size = document_sketches(doc_index[rows], sketches, shingles[rows], n_docs)
    _, jaccard = document_similarity(a, b, documents, size)
    close = jaccard >= config.min_revision_jaccard
    test = np.flatnonzero(~close & (jaccard >= config.min_rewrite_jaccard))
    tested = rows[np.isin(doc_index[rows], np.r_[a[test], b[test]])]
    names = document_names(wide.picked("names", tested), doc_index, tested, n_docs)
    close[test] = names_check(names, config)(a[test], b[test], np.ones(len(test), dtype=bool))
    close &= ~filled_apart(paras, doc_index, a, b)
    return np.stack([a[close], b[close]], axis=1)


def filled_apart(paras: pa.Table, doc_index: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per document pair: whether they print two or more template paragraphs of one key (`template_key`) each
    with other facts (`template_facts`), and more such than with the same facts: one template filled in for
    other news (two security notices of a series: other dates, other counts), where a revision of one text
    keeps most of its facts. Two posts of a series are told apart this way even where only they print it, so
    that no third post makes it furniture."""
    out = np.zeros(len(a), dtype=bool)
    facts = template_facts_of(paras)
    if len(a) == 0 or facts is None:
        return out
    key = paras.column("template_key").to_numpy(zero_copy_only=False)
    rows = np.flatnonzero((key != 0) & (facts != 0) & np.isin(doc_index, np.r_[a, b]))
    filled: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for d, k, f in zip(doc_index[rows].tolist(), key[rows].tolist(), facts[rows].tolist(), strict=True):
        filled[d][k].add(f)
    for i, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        common = filled[x].keys() & filled[y].keys()
        apart = sum(1 for k in common if not filled[x][k] & filled[y][k])
        out[i] = apart >= 2 and 2 * apart > len(common)
    return out


def series_codes(
    titles: list[str | None], read: Callable = series_of, seen: dict | None = None
) -> tuple[np.ndarray, np.ndarray, int]:
    """Per document (its title): a code of the series its title names and of its instance
    (tasks.evidence.series_of, or `read`), -1 for none; and the code of the release series (-1 if no title
    announces one). seen: readings of `read` known by title (tasks.link_state), added to."""
    named = _per_title(read, titles, seen)
    codes, values = [], []
    for part in (0, 1):
        encoded = pc.dictionary_encode(pa.array([x and x[part] for x in named], pa.string()))
        codes.append(pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64))
        values.append(encoded.dictionary.to_pylist())
    return codes[0], codes[1], values[0].index("release") if "release" in values[0] else -1


def _per_title(read: Callable, titles: list[str | None], seen: dict | None = None) -> list:
    """`read` of each title (None for none), called once per distinct title not in `seen` (and added to it):
    a corpus repeats its titles (an outlet's series, a story's versions: 4,840 distinct of 10,100 generated
    documents), and the title rules are Python over every document's title."""
    seen = {} if seen is None else seen
    return [(seen[t] if t in seen else seen.setdefault(t, read(t))) if t else None for t in titles]


def _other_instances(
    outlet: np.ndarray, series: np.ndarray, instance: np.ndarray, release: int
) -> np.ndarray:
    """The documents sharing an outlet's series (codes from series_codes; the release series aside) with a
    document of another instance."""
    named = np.flatnonzero((series >= 0) & (series != release))
    key = outlet[named] * (int(series.max(initial=-1)) + 2) + series[named]
    group = np.unique(key, return_inverse=True)[1].reshape(-1)
    low = np.full(len(named), np.iinfo(np.int64).max)
    high = np.full(len(named), -1)
    np.minimum.at(low, group, instance[named])
    np.maximum.at(high, group, instance[named])
    return named[low[group] != high[group]]


def series_apart(
    docs: pa.Table,
    outlet_code: np.ndarray,
    url: np.ndarray,
    page_days: np.ndarray,
    doc_index: np.ndarray,
    flag: np.ndarray,
    wide: WideColumns,
    config: LinkConfig = LinkConfig(),  # noqa: B008
    readings: TitleReadings | None = None,
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Per (a, b) document pair: whether the two are two instances of one series (issue 12, class 2), which
    are two stories however much of its template they print alike.

    Two announcements of other releases (tasks.evidence.release_of), as before: a blog's announcements built
    from one template print most of it word for word (Apache Grails's 7.0.0-RC2 and 7.0.0), and the release
    each title names tells them apart. And two documents of one outlet, at two URLs, whose titles name two
    instances of one series (tasks.evidence.series_of: "This Week in Rust 551" and "552", a yearly "Call for
    Host", a "Monthly Update - March 2025"), when both name days and not the same days
    (tasks.evidence.dates_of, over their text but what the rules flagged): a newsletter issue, a call with its
    deadlines, an update on its events is about its own days (a draft of an issue may carry the last issue's
    events over, and its own days are still another set); an edition of a standing text re-issued each year
    (a conference's code of conduct, "PyCon US Code of Conduct (2013)" and "(2018)") names none, and is a
    revision of one text. One page at one URL retitled as its date moved (a security release postponed) is
    one story. A draft and its issue name one instance. A title's words up to its first instance name its
    series too (tasks.evidence.series_lead_of), for a title reworded after the instance. And two reports on
    two years are apart, whatever their outlets and titles' wording (_year_reader); and two years' posts of
    an outlet under one title (_yearly_reader). page_days: per document, its page's day (_page_days).
    readings: the title rules' readings known (a run's kept ones, tasks.link_state), added to."""
    kept = readings is not None
    readings = readings or TitleReadings()
    outlet = np.full(docs.num_rows, -1, dtype=np.int64)
    outlet[doc_index] = outlet_code
    # The titles, read once for every title rule below (none without a `title` column); let go once they are
    # read (the few titles days_of reads are taken from the column).
    titled = "title" in docs.column_names
    titles = docs.column("title").to_pylist() if titled else [None] * docs.num_rows
    series, instance, release = series_codes(titles, series_of, readings.seen["series"])
    # A series named by its title's words up to its first instance too: the words after it may be reworded
    # from one instance to the next (tasks.evidence.series_lead_of).
    lead, lead_instance, _ = series_codes(titles, series_lead_of, readings.seen["lead"])
    # The days of the documents sharing an outlet's series with another instance: their text is read once
    # (few documents), and the days named in it found when a pair of them is tested (a daily run tests the
    # pairs of the versions and of the part it links again: finding every such document's days was a sixth of
    # its link step at 100k, 7,668 documents).
    wanted = np.union1d(
        _other_instances(outlet, series, instance, release), _other_instances(outlet, lead, lead_instance, -1)
    )
    texts: dict[int, list[str]] = {int(d): [] for d in wanted.tolist()}
    if len(wanted) and wide.has_text():
        rows = np.flatnonzero(np.isin(doc_index, wanted) & ~flag)
        for d, text in zip(doc_index[rows].tolist(), wide.texts(rows), strict=True):
            texts[d].append(text)
    days: dict[int, set[str]] = {}
    title_days: dict[int, set[str]] = {}

    def title_of(d: int) -> str:
        return (docs.column("title")[d].as_py() if titled else None) or ""

    def days_of(d: int) -> tuple[set[str], set[str]]:
        """The days document d's title names, and its text (none for a document not in `wanted`)."""
        if d not in days:
            # An instance named by its day ("Weekly Update - Jan 18th, 2016" and "Jan 22th"): two days, two
            # issues, whatever their texts name (the Jan 22 update printed the Jan 18 one's events again;
            # found by bench.revisions on Node.js's weekly updates, issue 12).
            title_days[d] = dates_of([title_of(d)]) if d in texts else set()
            days[d] = dates_of(texts.pop(d)) if d in texts else set()  # each text is read for its days once
        return title_days[d], days[d]

    # Both year rules read a few documents' text; each document's is read once for both.
    text_of = _text_reader(docs.num_rows, doc_index, flag, wide)
    about = _year_reader(titles, text_of, wide)
    posts = _OutletPosts(_standing_keys(titles, readings.seen["standing"]), page_days, outlet, url, text_of)
    if kept:  # every title rule has read the titles: the run's kept file is made, the readings let go
        readings.settle(titles)
    del titles
    yearly = _yearly_reader(posts, wide, config)
    daily = _daily_reader(posts, wide, config)

    def apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if len(a) == 0:
            return np.zeros(0, dtype=bool)
        other = (series[a] >= 0) & (series[a] == series[b]) & (instance[a] != instance[b])
        out = other & (series[a] == release)
        other &= series[a] != release
        other |= (lead[a] >= 0) & (lead[a] == lead[b]) & (lead_instance[a] != lead_instance[b])
        test = np.flatnonzero(other & (outlet[a] == outlet[b]) & (url[a] != url[b]))
        for i, x, y in zip(test.tolist(), a[test].tolist(), b[test].tolist(), strict=True):
            (named_x, mine), (named_y, theirs) = days_of(x), days_of(y)
            if named_x and named_y:
                out[i] = named_x != named_y
                continue
            out[i] = bool(mine) and bool(theirs) and mine != theirs
        return out | about(a, b) | yearly(a, b) | daily(a, b)

    return apart


def _text_reader(
    n_docs: int, doc_index: np.ndarray, flag: np.ndarray, wide: WideColumns
) -> Callable[[int], list[str]]:
    """A document's paragraphs but those the rules flagged, in order, read from the stored files on first
    use and kept: the year rules read the texts of the few documents of their pairs only."""
    order = np.argsort(doc_index, kind="stable")
    starts = np.searchsorted(doc_index[order], np.arange(n_docs + 1))
    # Kept through linking (its pairs ask for texts): 4 bytes a paragraph row where the rows' count fits.
    order = order.astype(row_dtype(len(order)))
    texts: dict[int, list[str]] = {}

    def text_of(d: int) -> list[str]:
        if d not in texts:
            rows = np.sort(order[starts[d] : starts[d + 1]]).astype(np.int64)
            texts[d] = wide.texts(rows[~flag[rows]])
        return texts[d]

    return text_of


def _year_reader(
    titles: list[str | None], text_of: Callable[[int], list[str]], wide: WideColumns
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Per (a, b) document pair: whether the two are reports on two years (issue 12, class 2): each title
    names one year, not the same one, and each text is about its title's year (tasks.evidence.year_of: named
    in most of its paragraphs). A foundation's yearly security report ("Apache Software Foundation Security
    Report: 2021", the next year "ASF Security Report: 2022", posted on another of its blogs) prints its
    process paragraphs word for word each year; the titles' wording and outlets may differ, the years the
    texts are about do not lie. An edition of a standing text re-issued each year names its year in a line or
    two, and a copy of a report is about the report's year. Texts are read for the few documents of such pairs
    only, once each."""
    n = len(titles)
    title_year = np.full(n, -1, dtype=np.int64)
    for d, title in enumerate(titles):
        named = set(YEAR.findall(title or ""))
        if len(named) == 1:
            title_year[d] = int(named.pop())
    about: dict[int, bool] = {}

    def is_about_its_year(d: int) -> bool:
        if d not in about:
            about[d] = year_of(text_of(d)) == str(title_year[d])
        return about[d]

    def apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.zeros(len(a), dtype=bool)
        if len(a) == 0 or not (title_year >= 0).any() or not wide.has_text():
            return out
        test = np.flatnonzero((title_year[a] >= 0) & (title_year[b] >= 0) & (title_year[a] != title_year[b]))
        for i, x, y in zip(test.tolist(), a[test].tolist(), b[test].tolist(), strict=True):
            out[i] = is_about_its_year(x) and is_about_its_year(y)
        return out

    return apart


# A document's day as its page was dated (link-17): the front matter's, where its address is a slug under
# a day (tasks.frontmatter.page_address) or a path through the day's folders (Zola's and Jekyll's
# `inside-rust/2025/08/20/slug`, link-21), else its date (`page_day`, link-21), else `published_at` (a file's
# commit, in a repository's history, which a site's migration commit dates alike for every post).
_ADDRESS_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)/|(?:^|/)(\d{4})/(\d\d)/(\d\d)/")


# published_seconds' mark of a document without a time stamp: before any date a corpus holds.
_UNDATED = np.iinfo(np.int64).min // 2


def published_seconds(docs: pa.Table) -> np.ndarray:
    """Per document: its `published_at` as seconds since 1970, or _UNDATED."""
    out = np.full(docs.num_rows, _UNDATED, dtype=np.int64)
    if "published_at" in docs.column_names:
        published = docs.column("published_at").combine_chunks()
        if pa.types.is_timestamp(published.type):
            seconds = pc.cast(published, pa.int64()).to_numpy(zero_copy_only=False)
            scale = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[published.type.unit]
            valid = published.is_valid().to_numpy(zero_copy_only=False)
            out[valid] = np.floor_divide(np.nan_to_num(seconds[valid]), scale)
    return out


def _page_days(docs: pa.Table) -> np.ndarray:
    """Per document: its page's day, as days since 1970 (front matter first), or a large negative number."""
    none = np.iinfo(np.int32).min
    seconds = published_seconds(docs)
    days = np.where(seconds >= _UNDATED, np.floor_divide(seconds, 86400), none).astype(np.int64)
    if "page_day" in docs.column_names:
        # The front matter's own date: a file's commit (a site's migration) is not the page's day.
        day = docs.column("page_day").combine_chunks()
        given = day.is_valid().to_numpy(zero_copy_only=False)
        days = np.where(given, pc.fill_null(pc.cast(day, pa.int32()), 0).to_numpy(zero_copy_only=False), days)
    if "page_address" in docs.column_names:
        for d, address in enumerate(docs.column("page_address").to_pylist()):
            m = _ADDRESS_DAY.search(address or "")
            if m:
                year, month, day = (int(g) for g in m.groups() if g is not None)
                try:
                    days[d] = (datetime.date(year, month, day) - datetime.date(1970, 1, 1)).days
                except ValueError:  # "2025/13/40/": folders that name no day
                    continue
    return days


def _standing_keys(titles: list[str | None], seen: dict | None) -> np.ndarray:
    """Per document: a code of its standing title (tasks.evidence.standing_title_of), -1 for none."""
    codes = pc.dictionary_encode(pa.array(_per_title(standing_title_of, titles, seen), pa.string())).indices
    return pc.fill_null(codes, -1).to_numpy().astype(np.int64)


class _OutletPosts:
    """What the yearly and daily readers read of an outlet's recurring posts, made once for both: each
    document's standing-title code, page day, outlet code and address group, its text, and the days its
    text names (read on first use and kept)."""

    def __init__(
        self,
        key: np.ndarray,
        days: np.ndarray,
        outlet: np.ndarray,
        url: np.ndarray,
        text_of: Callable[[int], list[str]],
    ):
        self.key, self.days, self.outlet, self.url, self.text_of = key, days, outlet, url, text_of
        self._named: dict[int, set[str]] = {}

    def one_title(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Per (x, y) pair: one outlet, one standing title, two addresses."""
        key, outlet, url = self.key, self.outlet, self.url
        return (
            (key[x] >= 0)
            & (key[x] == key[y])
            & (outlet[x] >= 0)
            & (outlet[x] == outlet[y])
            & (url[x] != url[y])
        )

    def days_named(self, d: int) -> set[str]:
        """The days document d's text names (tasks.evidence.dates_of)."""
        if d not in self._named:
            self._named[d] = dates_of(self.text_of(d))
        return self._named[d]

    def each_its_own(self, x: int, y: int, config: LinkConfig) -> bool:
        """Whether each of two documents has `min_own_share` of its words its own (evidence.own_share)."""
        text_of = self.text_of
        return (
            min(own_share(text_of(x), text_of(y)), own_share(text_of(y), text_of(x))) >= config.min_own_share
        )


def _yearly_reader(
    posts: _OutletPosts, wide: WideColumns, config: LinkConfig
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Per (a, b) document pair: whether the two are an outlet's yearly post of two years (issue 12, class
    2, link-17): one outlet, two addresses, one standing title (tasks.evidence.standing_title_of: the same
    words, its instance masked), pages dated a year apart within `yearly_slack_days`, and each with
    `min_own_share` of its words its own (tasks.evidence.own_share: in paragraphs the other has no near copy
    of). A foundation announces its new board each year after its members' meeting under one title, with one
    election sentence and standing pointers and that year's names; a project reviews its code of conduct
    each January under one title; a transparency report names that year's incidents. A standing text's
    edition (a code of conduct, terms of service) is re-issued when it is revised, seldom on the same weeks
    a year later, and an edition a year on that only changes its year has nothing of its own. Texts are read
    for the documents of such pairs only."""
    days, url = posts.days, posts.url
    has_day = days != np.iinfo(np.int32).min

    def yearly(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Per pair: one outlet, one standing title, not one address, whole years apart within the slack (a
        year, or more: an outlet's election of 2023 and of 2025, the one between not in the corpus)."""
        gap = np.abs(days[x] - days[y]).astype(np.float64)
        years = np.rint(gap / 365.25)
        return (
            posts.one_title(x, y)
            & has_day[x]
            & has_day[y]
            & (years >= 1)
            & (np.abs(gap - years * 365.25) <= config.yearly_slack_days)
        )

    # Judged per pair of addresses: a document at this year's address is this year's post, whatever text it
    # began from (a draft of the next review begun as a copy of last year's, the front matter already the
    # new one's: the same text as last year's post, and one page with this year's).
    pages: dict[tuple[int, int], bool] = {}

    def its_own(p: int, q: int) -> bool:
        """Each of two years' posts is that year's: each names its own days (a call's deadlines, an
        election's dates: link-12's evidence for a series' instances; link-21: the next year's call copied
        from the last but its days, Rust's 2025 director election "mostly copy-pasted from last year's
        post"), or each has a quarter of its words its own."""
        mine, theirs = posts.days_named(p), posts.days_named(q)
        if mine and theirs and mine != theirs:
            return True
        return posts.each_its_own(p, q, config)

    def two_years(x: int, y: int) -> bool:
        page = (min(url[x], url[y]), max(url[x], url[y]))
        if page not in pages:
            one, other = np.flatnonzero(url == url[x]), np.flatnonzero(url == url[y])
            xs, ys = np.repeat(one, len(other)), np.tile(other, len(one))
            dated = yearly(xs, ys)
            pages[page] = any(
                its_own(p, q) for p, q in zip(xs[dated].tolist(), ys[dated].tolist(), strict=True)
            )
        return pages[page]

    def apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.zeros(len(a), dtype=bool)
        if len(a) == 0 or not wide.has_text():
            return out
        test = np.flatnonzero(yearly(a, b))
        for i, x, y in zip(test.tolist(), a[test].tolist(), b[test].tolist(), strict=True):
            out[i] = two_years(x, y)
        return out

    return apart


def _daily_reader(
    posts: _OutletPosts, wide: WideColumns, config: LinkConfig
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Per (a, b) document pair: whether the two are a wire's templated report of two days (issue 12, class
    2, link-20): one outlet, two addresses, one standing title (tasks.evidence.standing_title_of), pages
    dated on two days at most `daily_span_days` apart, texts naming days and not the same days
    (tasks.evidence.dates_of: the dateline's "March 3"), and each with `min_own_share` of its words its own
    (tasks.evidence.own_share). The Fed's operations as dealers expect them each morning, the Treasury's
    balances, the weekly petroleum stocks: one lead with the day changed, then that day's figures and
    comment. A story sent again the next day under its new dateline keeps its paragraphs (nothing its own),
    and a write-through reworded on the next day still names the day of its news. Texts are read for the
    documents of such pairs only."""
    days = posts.days

    def apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.zeros(len(a), dtype=bool)
        if len(a) == 0 or not wide.has_text():
            return out
        span = np.abs(days[a] - days[b])
        test = np.flatnonzero(posts.one_title(a, b) & (span >= 1) & (span <= config.daily_span_days))
        for i, x, y in zip(test.tolist(), a[test].tolist(), b[test].tolist(), strict=True):
            mine, theirs = posts.days_named(x), posts.days_named(y)
            out[i] = bool(mine) and bool(theirs) and mine != theirs and posts.each_its_own(x, y, config)
        return out

    return apart


def document_groups(pairs: np.ndarray, n_docs: int) -> np.ndarray:
    """Per document: a label shared by the documents the (a, b) pairs join, directly or through others."""
    if len(pairs) == 0:
        return np.arange(n_docs, dtype=np.int64)
    from scipy.sparse import coo_matrix  # imported at use: a run with nothing new links nothing
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n_docs, n_docs))
    return connected_components(graph, directed=False)[1].astype(np.int64)


def joined_groups(group: np.ndarray, doc_index: np.ndarray, pairs: np.ndarray, n_docs: int) -> np.ndarray:
    """Per document: a label shared by the documents of one group (`group`, per paragraph row: a URL group)
    and by those the (a, b) pairs join, directly or through others."""
    label = np.zeros(n_docs, dtype=np.int64)
    label[doc_index] = group
    docs = np.zeros(n_docs, dtype=bool)
    docs[doc_index] = True
    docs = np.flatnonzero(docs)
    # One edge per document, to the first document of its group.
    _, first, inverse = np.unique(label[docs], return_index=True, return_inverse=True)
    same = np.stack([docs[first][inverse.ravel()], docs], axis=1)
    return document_groups(np.concatenate([pairs.reshape(-1, 2), same]).astype(np.int64), n_docs)


def shingle_counts(n_words: np.ndarray) -> np.ndarray:
    """About how many word 3-shingles a paragraph of n_words words has (at least 1)."""
    return np.maximum(n_words.astype(np.float64) - 2, 1)


def held_out_of_linking(outlet: np.ndarray, group: np.ndarray, fingerprint: np.ndarray) -> np.ndarray:
    """Per paragraph row: outlet boilerplate no rule caught, which must not count as a shared text.

    Before stories are known, that is a text an outlet printed in two documents (or groups of documents at
    one canonical URL) or more, and mostly that outlet (repeated_in_outlet_rows).
    """
    return repeated_in_outlet_rows(outlet, group, fingerprint)


def furniture_headings(
    paras: pa.Table, doc_index: np.ndarray, candidate: np.ndarray, flagged: np.ndarray
) -> np.ndarray:
    """Per paragraph row: a heading (`candidate`: one its outlet prints under other stories too) of its
    document's last section, every paragraph of which is boilerplate: the heading of the footer, the outlet's
    contact or subscription block ("## Contact and future updates"), not of the story's own text. A heading
    printed in one story only, over text of its own ("## Impact"), or over furniture between sections of
    the story ("## Maven Dependencies" of a release template) stays structure."""
    out = np.zeros(len(candidate), dtype=bool)
    if not candidate.any():
        return out
    heading = paras.column("is_heading").to_numpy(zero_copy_only=False)
    order = reading_order(paras, doc_index)
    doc, head, furniture = doc_index[order], heading[order], flagged[order]
    found = np.zeros(len(order), dtype=bool)
    # A box's own labels ("You can also:" inside a "## Connect with us!" notice) are furniture headings found
    # first, in the box's last part; they head no section of their own then, and the box's heading is found
    # on the next pass.
    for _ in range(_FURNITURE_LABELS):
        # Sections: a new one at each heading and each document's start; the rows after a heading are its own.
        starts = (head & ~found) | np.r_[True, doc[1:] != doc[:-1]]
        section = np.cumsum(starts) - 1
        text = ~starts
        rows_in = np.bincount(section, weights=text)
        furniture_in = np.bincount(section, weights=text & (furniture | found))
        last = np.r_[section[1:] != section[:-1], True] & np.r_[doc[1:] != doc[:-1], True]
        whole = (rows_in > 0) & (furniture_in == rows_in) & (np.bincount(section, weights=last) > 0)
        now = head & candidate[order] & whole[section]
        if not (now & ~found).any():
            break
        found |= now
    out[order] = found
    # A heading heads a standing block only where it heads furniture in every document printing it: one that
    # heads the story's own text in another issue is a section of the outline, left empty this time ("# Quote
    # of the Week" over the standing call alone in a newsletter's draft, over the week's quote in its issues).
    fp = paras.column("fingerprint").to_numpy().astype(np.uint64).view(np.int64)
    printed = np.flatnonzero(candidate)
    heads_text = np.unique(fp[printed[~out[printed]]])
    out[np.isin(fp, heads_text)] = False
    return out


# How deep furniture_headings looks: a box's heading over one or two labels of its own.
_FURNITURE_LABELS = 3


# The most words of an empty section's mark ("* None", "N/A", "Nothing yet").
_EMPTY_SECTION_WORDS = 2


def empty_section_marks(paras: pa.Table, doc_index: np.ndarray, heading: np.ndarray) -> np.ndarray:
    """Per paragraph row: the whole text of a section, of at most `_EMPTY_SECTION_WORDS` words, with a heading
    right before it and a heading or its document's end right after it: the mark of a section this document
    leaves empty ("## Deprecated and defunct" over "* None" in a package's release notes). Like the heading,
    it is the document's structure, never `repeated`, however many posts of the series print it."""
    order = reading_order(paras, doc_index)
    doc, head = doc_index[order], heading[order]
    words = paras.column("n_words").to_numpy(zero_copy_only=False)[order]
    same_before = np.r_[False, doc[1:] == doc[:-1]]
    same_after = np.r_[doc[1:] == doc[:-1], False]
    after_heading = same_before & np.r_[False, head[:-1]]
    closed = ~same_after | np.r_[head[1:], False]
    out = np.zeros(len(order), dtype=bool)
    out[order] = ~head & (words <= _EMPTY_SECTION_WORDS) & after_heading & closed
    return out


def reading_order(paras: pa.Table, doc_index: np.ndarray) -> np.ndarray:
    """The paragraph rows in reading order: by document, then by `para_idx` (the rules that look at a row's
    neighbours in its document)."""
    idx = paras.column("para_idx").to_numpy(zero_copy_only=False).astype(np.int64)
    doc = np.asarray(doc_index, dtype=np.int64)
    if len(idx) == 0:
        return np.zeros(0, dtype=np.int64)
    # One int64 key sorted stably: the order of the lexsort of the two columns, in a third of its time (the
    # stored files hold each document's rows in runs, which a stable sort takes as they come). The rules ask
    # for it seven times per linking, over every row of the corpus.
    span = int(idx.max()) - int(idx.min()) + 1
    if (int(doc.max()) - int(doc.min()) + 1) * span >= 1 << 62:
        return np.lexsort((idx, doc))
    return np.argsort((doc - doc.min()) * span + (idx - idx.min()), kind="stable")


def lead_in_keys(paras: pa.Table, flag: np.ndarray) -> np.ndarray:
    """Per paragraph row: whether its `template_key` is one of a lead-in's that no rule flags."""
    lead_in = lead_ins(paras) & ~flag
    if not lead_in.any():
        return lead_in
    key = paras.column("template_key").to_numpy(zero_copy_only=False).astype(np.int64)
    return np.isin(key, key[lead_in & (key != 0)])


def lead_ins_to_furniture(
    paras: pa.Table, doc_index: np.ndarray, printed: np.ndarray, flagged: np.ndarray
) -> np.ndarray:
    """Per paragraph row: a lead-in (`is_lead_in`) its outlet prints, numbers aside, under another story too
    (`printed`), whose next paragraph is furniture (`flagged`): the line a release template puts over its
    standing command ("If you have a previous version installed, getting Gadget 2.1 is as easy as:" over
    "gadget self-update"), worded alike in only some of the outlet's posts. A lead-in to the document's own
    text stays structure (lead_ins_to_own_text)."""
    return _lead_ins_followed_by(paras, doc_index, lead_ins(paras) & printed, flagged)


def lead_ins_to_own_text(paras: pa.Table, doc_index: np.ndarray, flagged: np.ndarray) -> np.ndarray:
    """Per paragraph row: a lead-in (`is_lead_in`, a line ending in a colon) whose next paragraph in its
    document is not `flagged`: it introduces the document's own text ("The following methods and trait
    implementations are now stabilized:" over a release's own list; a release template's "In this release,
    we've upgraded several dependency versions, including but not limited to the following:" over its own
    versions), and is that text's structure, as a heading is, however many posts of the series print it. A
    lead-in to furniture ("The Grails Shell CLI can be accessed as:" over the template's command) stays
    with it."""
    return _lead_ins_followed_by(paras, doc_index, lead_ins(paras), ~flagged)


def lead_ins(paras: pa.Table) -> np.ndarray:
    """Per paragraph row: whether it is a lead-in (`is_lead_in`; none in a table without the column)."""
    if "is_lead_in" not in paras.column_names:
        return np.zeros(paras.num_rows, dtype=bool)
    return pc.fill_null(paras.column("is_lead_in"), False).to_numpy(zero_copy_only=False)


def _lead_ins_followed_by(
    paras: pa.Table, doc_index: np.ndarray, lead_in: np.ndarray, next_is: np.ndarray
) -> np.ndarray:
    """Per paragraph row: a `lead_in` row whose next paragraph in its document is `next_is`."""
    out = np.zeros(len(lead_in), dtype=bool)
    if not lead_in.any():
        return out
    order = reading_order(paras, doc_index)
    doc = doc_index[order]
    followed = np.zeros(len(order), dtype=bool)
    followed[:-1] = (doc[1:] == doc[:-1]) & next_is[order][1:]
    out[order] = lead_in[order] & followed
    return out


def _runs_inside(
    paras: pa.Table, doc_index: np.ndarray, candidate: np.ndarray, not_own: np.ndarray
) -> tuple[np.ndarray, ...]:
    """The runs of consecutive `candidate` rows of one document in reading order, and whether each stands
    inside the document's own text (a row not `not_own` right before and right after it): (order, the
    candidate rows' positions in it, per position its run, per run its first position, its size, the position
    before it, and whether it stands inside)."""
    order = reading_order(paras, doc_index)
    doc, mine, other = doc_index[order], candidate[order], not_own[order]
    starts = mine & ~np.r_[False, mine[:-1] & (doc[1:] == doc[:-1])]
    run = np.cumsum(starts) - 1
    rows = np.flatnonzero(mine)
    first = np.flatnonzero(starts)
    size = np.bincount(run[rows], minlength=len(first))
    before, after = first - 1, first + size
    ok = (before >= 0) & (after < len(order))
    ok[ok] &= (doc[before[ok]] == doc[first[ok]]) & (doc[after[ok]] == doc[first[ok]])
    ok[ok] &= ~other[before[ok]] & ~other[after[ok]]
    return order, rows, run, first, size, before, ok


# A table the wire prints as lines (table_rows): its rows' labels and fields are this short, and the line of
# figures above them this long at most ("Rev 161.6 mln vs 77.6 mln", "SAN MATEO, Calif., March 2 - Mthly div
# 7.1 cts vs 7.1 cts prior").
_TABLE_ROW_WORDS = 4
_TABLE_LINE_WORDS = 16
_FIGURE = re.compile(r"\S*\d\S*")


def table_rows(
    paras: pa.Table, doc_index: np.ndarray, candidate: np.ndarray, not_own: np.ndarray, wide: WideColumns
) -> np.ndarray:
    """Per paragraph row: a row of a table a news wire prints as lines, among the `candidate` rows (issue 12,
    real-dev-wire): a run of at most `_SHARED_NEWS_RUN` rows of `_TABLE_ROW_WORDS` words or fewer standing
    inside the document's own text (shared_news), right under a line of figures (`_TABLE_LINE_WORDS` words at
    most, two numbers or more) and over another, or holding numbers itself. An earnings table's period label
    ("Year", "Six mths" between the quarter's figures and the year's) and a dividend notice's fields ("Pay
    March 31", "Record March 16") are printed alike by many reports of the wire, and each is its report's own
    table, not furniture. A box between a story's paragraphs ("Advertisement", "Did You Know?") or a list's
    standing items ("- Maven bundles") stand among sentences or items, not between lines of figures."""
    out = np.zeros(len(candidate), dtype=bool)
    words = paras.column("n_words").to_numpy(zero_copy_only=False)
    short = candidate & (words <= _TABLE_ROW_WORDS)
    if not short.any() or not wide.has_text():
        return out
    order, rows, run, first, size, before, ok = _runs_inside(paras, doc_index, short, not_own)
    ok &= size <= _SHARED_NEWS_RUN
    after = first + size
    # Only the lines around the runs that may be a table's, and those runs' rows, are read.
    inside = ok[run[rows]]
    wanted = np.unique(np.r_[order[before[ok]], order[after[ok]], order[rows[inside]]])
    numbers = np.zeros(len(candidate), dtype=np.int64)
    numbers[wanted] = [len(_FIGURE.findall(t)) for t in wide.texts(wanted)]
    line = (numbers >= 2) & (words <= _TABLE_LINE_WORDS)
    counted = np.bincount(run[rows], weights=numbers[order[rows]] > 0, minlength=len(first))
    ok[ok] &= line[order[before[ok]]] & (line[order[after[ok]]] | (counted[ok] == size[ok]))
    out[order[rows]] = ok[run[rows]]
    return out


# The longest run of shared paragraphs read as news the stories share (shared_news).
_SHARED_NEWS_RUN = 3
_SHARED_NEWS_WORDS = 10
_SHARED_NEWS_TEXTS = 2


def shared_news(
    paras: pa.Table,
    doc_index: np.ndarray,
    shared: np.ndarray,
    not_own: np.ndarray,
    authored: np.ndarray | None = None,
) -> np.ndarray:
    """Per paragraph row: text an outlet prints under two stories only (`shared`) that stands inside each
    story's own text: a run of at most `_SHARED_NEWS_RUN` such paragraphs with the document's own paragraphs
    (`not_own` false: neither flagged nor a heading) right before and right after it. That is news the two
    stories share, not furniture: a newsroom's background paragraph printed in two wire stories of one
    hurricane, a digest's items on packages still in review listed again in a later issue. Furniture stands
    apart from a story's text (a header, a footer, a box or a section under its own heading), or is
    printed under more stories.

    The items of a list its author wrote (`is_list_item` in a row `authored`: authored_lists), and the lead-in
    over them, need not be sentences, and a run of them may be longer: items two stories share beside items
    of each one's own are part of each one's own list (a yearly call for hosts re-issued with the list of
    what a proposal must contain and the budget's lines kept word for word, its dates and places new:
    "* Venue", "* Rooms", "2. Objectives" between the year's own items)."""
    out = np.zeros(len(shared), dtype=bool)
    if not shared.any():
        return out
    order, rows, run, first, size, before, ok = _runs_inside(paras, doc_index, shared, not_own)
    after = first + size
    # A run of list items (and the list's lead-in) beside the document's own items is part of its own list,
    # however long.
    item = (list_items(paras) & (True if authored is None else authored))[order]
    listed = item | (lead_ins(paras)[order] & item[np.minimum(np.arange(len(order)) + 1, len(order) - 1)])
    in_list = ok & (np.bincount(run[rows], weights=listed[rows], minlength=len(first)) == size)
    in_list[in_list] &= item[before[in_list]] | item[after[in_list]]
    out[order[rows]] = (ok & (size <= _SHARED_NEWS_RUN))[run[rows]]
    # News is written in sentences, and every copy of it stands inside its story's own text.
    out &= paras.column("n_words").to_numpy(zero_copy_only=False) >= _SHARED_NEWS_WORDS
    out[order[rows]] |= in_list[run[rows]]
    fp = paras.column("fingerprint").to_numpy().astype(np.uint64).view(np.int64)
    texts, text_of = np.unique(fp[shared], return_inverse=True)
    inside = np.bincount(text_of.ravel(), weights=out[shared], minlength=len(texts))
    copies = np.bincount(text_of.ravel(), minlength=len(texts))
    out[shared] &= (inside == copies)[text_of.ravel()]
    # Two stories of one news share passages, not one: a single box between a story's paragraphs is a box.
    for _ in range(2):  # a text losing a copy here loses the others too
        rows = np.flatnonzero(out)
        pairs = np.unique(np.stack([doc_index[rows], fp[rows]], axis=1), axis=0)
        texts_in = np.bincount(pairs[:, 0], minlength=int(doc_index.max()) + 1)
        out[rows] &= texts_in[doc_index[rows]] >= _SHARED_NEWS_TEXTS
        inside = np.bincount(text_of.ravel(), weights=out[shared], minlength=len(texts))
        out[shared] &= (inside == copies)[text_of.ravel()]
    return out


def authored_lists(docs: pa.Table) -> np.ndarray:
    """Per document: whether its lists are its author's, as written in its source (a Markdown or text file,
    a dump's text), not lists an extractor read from a web page (EXTRACTED_FORMATS), where the site's boxes
    of related stories, sections and tags come out as lists beside the article's own."""
    if "input_format" not in docs.column_names:
        return np.ones(docs.num_rows, dtype=bool)
    extracted = pa.array(sorted(EXTRACTED_FORMATS))
    return ~pc.fill_null(pc.is_in(docs.column("input_format"), value_set=extracted), False).to_numpy(
        zero_copy_only=False
    )


def list_items(paras: pa.Table) -> np.ndarray:
    """Per paragraph row: whether it is a list item (`is_list_item`; none in a table without the column)."""
    if "is_list_item" not in paras.column_names:
        return np.zeros(paras.num_rows, dtype=bool)
    return pc.fill_null(paras.column("is_list_item"), False).to_numpy(zero_copy_only=False)


def template_facts_of(paras: pa.Table) -> np.ndarray | None:
    """Per paragraph row: its `template_facts` (0 where none), or None for rows stored without the column."""
    if "template_facts" not in paras.column_names:
        return None
    return pc.fill_null(paras.column("template_facts"), 0).to_numpy(zero_copy_only=False).astype(np.int64)


def template_rows(
    paras: pa.Table,
    outlet: np.ndarray,
    story: np.ndarray,
    doc_index: np.ndarray,
    flag: np.ndarray,
    furniture: bool = False,
    config: BoilerplateConfig = BoilerplateConfig(),  # noqa: B008
    only: np.ndarray | None = None,
) -> np.ndarray:
    """Per paragraph row: an outlet's release template (boilerplate.release_template_rows, on the stored
    `template_key`, printed under `config.min_stories_template` stories), each document's lead being its
    first paragraph no rule flags.

    For linking (the default), a template is also one printed under two groups with other facts in each
    (`template_facts`): a series' two posts filled in for other news share no text however alike they read.
    furniture: the template's facts must be the same too (furniture changes only its versions)."""
    key = paras.column("template_key").to_numpy(zero_copy_only=False).astype(np.int64)
    if only is not None:  # the rows of some keys only (`only`: per row), the others keyless
        key = np.where(only, key, 0)
    facts = template_facts_of(paras)
    if facts is not None:
        if furniture:  # one key per (template, facts); a row with no template key keeps 0 (none)
            keyed = key != 0
            key = np.where(keyed, (key * np.int64(1_000_003)) ^ facts, 0)
            key[keyed & (key == 0)] = 1
            facts = None
    order = reading_order(paras, doc_index)
    body = order[~flag[order]]
    lead = np.zeros(len(key), dtype=bool)
    if len(body):
        lead[body[np.r_[True, doc_index[body][1:] != doc_index[body][:-1]]]] = True
    del order, body
    # A row's answer depends only on the rows of its key, and release_template_rows sorts its rows a few
    # times: so the rows with a key go to it a run of keys of about `_TEMPLATE_PART` rows at a time.
    out = np.zeros(len(key), dtype=bool)
    keyed = np.flatnonzero(key != 0)
    keyed = keyed[np.argsort(key[keyed], kind="stable")]
    for lo, hi in _key_runs(key[keyed], _TEMPLATE_PART):
        rows = np.sort(keyed[lo:hi])
        told = None if facts is None else facts[rows]
        out[rows] = release_template_rows(
            outlet[rows], story[rows], key[rows], lead[rows], config, facts=told
        )
    return out


def _key_runs(keys: np.ndarray, size: int) -> list[tuple[int, int]]:
    """(lo, hi) runs of sorted `keys`, about `size` long, never cutting a key's rows apart."""
    cuts = np.searchsorted(keys, keys[np.arange(size, len(keys), size)], side="left")
    edges = distinct(np.r_[0, cuts, len(keys)])
    return [(int(lo), int(hi)) for lo, hi in zip(edges[:-1], edges[1:], strict=True) if hi > lo]


# Paragraph rows with a template key taken at once by template_rows (release_template_rows holds about
# 100 bytes a row while it sorts them).
_TEMPLATE_PART = 1 << 18


def repeated_in_outlet_rows(
    outlet: np.ndarray,
    group: np.ndarray,
    fingerprint: np.ndarray,
    config: BoilerplateConfig = BoilerplateConfig(),  # noqa: B008
) -> np.ndarray:
    """Per paragraph row: whether its outlet printed the same text under `min_stories_repeated` groups, and
    printed at least half of its copies (furniture is one outlet's own; a sentence two stories share by
    chance or by quoting is printed by the outlets of both, and such chances grow with the corpus).

    The vectorised form of boilerplate.repeated_in_outlet, for whole corpora; outlet -1 means unknown."""
    return outlet_repeats(outlet, group, fingerprint) >= max(config.min_stories_repeated, 1)


def alignment_inputs(members: pa.Table, paras: pa.Table) -> dict[str, list[Paragraph]]:
    """Body paragraphs per member document, in reading order."""
    body: dict[str, list[Paragraph]] = defaultdict(list)
    # Only the members' rows become Python objects: on a run that changed a few stories that is a few rows.
    paras = paras.filter(pc.is_in(paras.column("doc_id"), value_set=pc.unique(members.column("doc_id"))))
    # Column by column, not a dictionary per row (an align shard's 30,000 rows: 0.7 CPU s of 13 at 10,000
    # documents); a null flag is no boilerplate.
    paras = paras.filter(pc.invert(pc.fill_null(paras.column("is_boilerplate"), False)))
    columns = [paras.column(c).to_pylist() for c in ("doc_id", "para_idx", "text", "fingerprint")]
    for doc_id, para_idx, text, fingerprint in zip(*columns, strict=True):
        body[doc_id].append(Paragraph(para_idx, text, fingerprint))
    return body


def changed_documents(old_paras: pa.Table, new_paras: pa.Table) -> set[str]:
    """Documents whose body differs between two paragraphs tables: rows added, dropped, or with another
    fingerprint or boilerplate flag (a flag for text repeated across an outlet's stories can change with
    documents elsewhere)."""
    columns = ["doc_id", "para_idx", "fingerprint", "is_boilerplate"]
    old = old_paras.select(columns).rename_columns(["doc_id", "para_idx", "old_fp", "old_flag"])
    new = new_paras.select(columns).rename_columns(["doc_id", "para_idx", "new_fp", "new_flag"])
    both = old.join(new, ["doc_id", "para_idx"], join_type="full outer")
    same = pc.and_(
        pc.equal(both.column("old_fp"), both.column("new_fp")),
        pc.equal(both.column("old_flag"), both.column("new_flag")),
    )
    differs = pc.invert(pc.fill_null(same, False))  # null: the row is on one side only
    return set(pc.unique(both.column("doc_id").filter(differs)).to_pylist())


def story_key(story_id: str, versions: list[str], body: dict[str, list[Paragraph]]) -> str:
    """What a story's fates depend on: its members in order and their body paragraphs."""
    h = hashlib.sha256(f"{ALIGN_VERSION}\n{story_id}".encode())
    for doc_id in versions:
        h.update(doc_id.encode())
        for p in body.get(doc_id, ()):
            h.update(f"{p.para_idx}:{p.fingerprint};".encode())
    return h.hexdigest()


def align_stories(
    stories: dict[str, list[str]], body: dict[str, list[Paragraph]], config: AlignConfig = AlignConfig()
) -> pa.Table:
    """paragraph_fates for the given stories: {story_id: doc_ids in version order}."""
    # The rows column by column, not a dictionary per row.
    names = ["story_id", "base_doc_id", "doc_id", "base_para_idx", "para_idx", "fate", "similarity", "diff"]
    columns: dict[str, list] = {name: [] for name in names}
    for story_id in sorted(stories):
        origin, *republications = stories[story_id]
        for doc_id in republications:
            fates = align_versions(body.get(origin, []), body.get(doc_id, []), config)
            columns["story_id"] += [story_id] * len(fates)
            columns["base_doc_id"] += [origin] * len(fates)
            columns["doc_id"] += [doc_id] * len(fates)
            for name in names[3:]:
                columns[name] += [getattr(f, name) for f in fates]
    rows = len(columns["story_id"])
    schema = SCHEMAS["paragraph_fates"]
    return pa.table(
        {
            name: pa.array(columns[name], schema.field(name).type)
            if name in columns
            else pa.array([ALIGN_VERSION] * rows, schema.field(name).type)
            for name in schema.names
        },
        schema=schema,
    )


def stories_in_order(members: pa.Table) -> dict[str, list[str]]:
    """{story_id: member doc_ids by version}."""
    stories: dict[str, list[tuple[int, str]]] = defaultdict(list)
    # Column by column (a dict per row took twice as long; a daily run orders every stored story's members).
    columns = (members.column(c).to_pylist() for c in ("story_id", "version", "doc_id"))
    for story, version, doc in zip(*columns, strict=True):
        stories[story].append((version, doc))
    return {s: [d for _, d in sorted(v)] for s, v in stories.items()}


KEYED_STORIES = 2000  # stories keyed at a time


def keyed_members(
    members: pa.Table,
    paras: pa.Table,
    stored: pa.Table | None = None,
    changed: set[str] = frozenset(),  # noqa: B006 (never mutated)
    with_body: bool = True,
) -> tuple[pa.Table, dict[str, list[Paragraph]]]:
    """story_members with each story's align_key filled in, and the body paragraphs of the stories keyed now.

    stored: the stored story_members, whose keys are kept for a story with the same members in the same order
    when none of them is in `changed` (documents whose body paragraphs may differ from the stored ones); the
    caller passes it only when the stored keys were made by this alignment version. Only stories keyed now
    can need aligning, so only their members' paragraphs are read. with_body: False returns no paragraphs
    (the run reads them again where it aligns), and holds only a part of the stories' at a time.
    """
    stories = stories_in_order(members)
    keys: dict[str, str] = {}
    if stored is not None and stored.num_rows:
        before = stories_in_order(stored)
        stored_key = dict(
            zip(stored.column("story_id").to_pylist(), stored.column("align_key").to_pylist(), strict=True)
        )
        keys = {
            s: stored_key[s]
            for s, docs in stories.items()
            if before.get(s) == docs and stored_key[s] and not changed.intersection(docs)
        }
    if keys and not _keys_hold(min(keys), stories[min(keys)], keys[min(keys)], paras):
        keys = {}  # stored by another alignment version: key every story again
    todo = sorted(s for s in stories if s not in keys)
    body: dict[str, list[Paragraph]] = {}
    # A part of the stories at a time: their members' paragraphs become Python objects only while keyed (a
    # first run keys every story; holding them all would cost about 150 bytes a paragraph of the corpus).
    for k in range(0, len(todo), KEYED_STORIES):
        part = todo[k : k + KEYED_STORIES]
        wanted = [d for s in part for d in stories[s]]
        held = alignment_inputs(pa.table({"doc_id": pa.array(wanted, pa.string())}), paras)
        keys.update({s: story_key(s, stories[s], held) for s in part})
        if with_body:
            body.update(held)
    column = pa.array([keys[s] for s in members.column("story_id").to_pylist()], pa.string())
    keyed = members.set_column(members.schema.get_field_index("align_key"), "align_key", column)
    return keyed, body


def _keys_hold(story_id: str, docs: list[str], stored_key: str, paras: pa.Table) -> bool:
    """Whether a kept story's stored key is what this code makes (keys hash the alignment version)."""
    body = alignment_inputs(pa.table({"doc_id": pa.array(docs, pa.string())}), paras)
    return story_key(story_id, docs, body) == stored_key


def stories_to_align(
    members: pa.Table, old_members: pa.Table, old_fates: pa.Table
) -> tuple[dict[str, list[str]], pa.Table]:
    """Stories whose fates must be computed, and the stored fates that still hold for the others."""
    old_keys = dict(
        zip(
            old_members.column("story_id").to_pylist(),
            old_members.column("align_key").to_pylist(),
            strict=True,
        )
    )
    stories = stories_in_order(members)
    new_keys = dict(
        zip(members.column("story_id").to_pylist(), members.column("align_key").to_pylist(), strict=True)
    )
    unchanged = {s for s in stories if old_keys.get(s) == new_keys[s]}
    kept = old_fates.filter(
        pc.is_in(old_fates.column("story_id"), value_set=pa.array(sorted(unchanged), pa.string()))
    )
    return {s: d for s, d in stories.items() if s not in unchanged}, kept
