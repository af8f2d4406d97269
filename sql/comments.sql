-- What each table and column means, readable in the catalog (duckdb_views(), duckdb_columns(), or `describe`).
-- Loaded into corpus.duckdb by reprint after the views; report views get their file's opening comment.

COMMENT ON VIEW documents IS 'One row per ingested document (reads DIR/documents/*.parquet).';
COMMENT ON COLUMN documents.doc_id IS 'Stable id: the same input (source and content) always gets the same id.';
COMMENT ON COLUMN documents.source IS 'Where it came from: path relative to the input root, #<line> appended for JSONL.';
COMMENT ON COLUMN documents.outlet IS 'Publisher: from metadata, else the parent folder; may be null.';
COMMENT ON COLUMN documents.title IS 'Title from metadata or the first lines of the text; may be null.';
COMMENT ON COLUMN documents.published_at IS 'Publication time; may be null.';
COMMENT ON COLUMN documents.language IS 'ISO 639-1 code of the body text, und when undetermined.';
COMMENT ON COLUMN documents.n_paragraphs IS 'Paragraphs stored for it, boilerplate included.';
COMMENT ON COLUMN documents.url IS 'Address from metadata; may be null.';
COMMENT ON COLUMN documents.encoding IS 'The encoding the input was decoded from.';
COMMENT ON COLUMN documents.input_format IS 'txt, jsonl, html, ...';
COMMENT ON COLUMN documents.content_hash IS 'Hash of the input bytes the document was read from.';
COMMENT ON COLUMN documents.pipeline_version IS 'Versions of the steps that produced the row.';
COMMENT ON COLUMN documents.repairs IS 'What was repaired in the text, metadata or page before reading: mojibake and other Unicode damage, markup a damaged capture cut (an unclosed title); empty when nothing.';
COMMENT ON COLUMN documents.author IS 'Author from metadata (page, dump line); may be null.';
COMMENT ON COLUMN documents.captured_at IS 'When a web archive captured the page; null for other inputs.';
COMMENT ON COLUMN documents.input_source IS 'The input file it was read from (source without #<line>); a changed file replaces its documents.';
COMMENT ON COLUMN documents.input_root IS 'The input root (absolute folder) input_source is relative to: the same name under two roots is two inputs; null for rows written before roots were stored.';
COMMENT ON COLUMN documents.canonical_url IS 'The url in one form per page (scheme, www., trailing slash, fragment and tracking parameters dropped): documents at one are one story. Null without a url, or for rows prepared before it was stored.';
COMMENT ON COLUMN documents.page_address IS 'The address a Markdown file''s front matter gives its page (its permalink, url or path, else its date and slug: 2026-02-23/forum-closing): an outlet''s documents at one are versions of one page, a draft without a url among them. Null without one, or for rows prepared before it was stored.';
COMMENT ON COLUMN documents.page_aliases IS 'The former addresses a Markdown file''s front matter gives its page (aliases, redirect_from), each redirected to it: a document at one of them, of the same outlet, is a version of this page (a page moved to a new address). Null without any, or for rows prepared before they were stored.';
COMMENT ON COLUMN documents.page_day IS 'The day a Markdown file''s front matter dates its page (its date, publishDate): the page''s own day where a manifest dates the file otherwise (by the commit that moved it). Null without one, or for rows prepared before it was stored.';

COMMENT ON VIEW paragraphs IS 'One row per paragraph of every document, boilerplate included.';
COMMENT ON COLUMN paragraphs.doc_id IS 'The document (documents.doc_id).';
COMMENT ON COLUMN paragraphs.para_idx IS '0-based reading order within the document.';
COMMENT ON COLUMN paragraphs.text IS 'The cleaned text, as a person should read it.';
COMMENT ON COLUMN paragraphs.fingerprint IS 'Equal exactly when the normalised texts are equal.';
COMMENT ON COLUMN paragraphs.is_boilerplate IS 'Page chrome, donation appeals, bios, subscription prompts, template leftovers.';
COMMENT ON COLUMN paragraphs.boilerplate_reason IS 'rule (matched a pattern) or repeated (an outlet prints it in several stories).';
COMMENT ON COLUMN paragraphs.language IS 'ISO 639-1 or und (short paragraphs may be und).';
COMMENT ON COLUMN paragraphs.n_words IS 'Words in the comparison form.';
COMMENT ON COLUMN paragraphs.minhash IS 'Near-duplicate sketch used to link documents into stories.';
COMMENT ON COLUMN paragraphs.names IS 'Its names and numbers in reading order, as 64-bit word hashes: what linking compares for heavy rewrites, so it never reads the text. Null for rows prepared before it was stored.';
COMMENT ON COLUMN paragraphs.is_heading IS 'A Markdown heading (## Scope): document structure, never repeated boilerplate. Null for rows prepared before it was stored.';
COMMENT ON COLUMN paragraphs.is_lead_in IS 'A line of at most 25 words ending in a colon: the structure of the text it introduces when that text is the document''s own, never repeated boilerplate then. Null for rows prepared before it was stored.';
COMMENT ON COLUMN paragraphs.is_list_item IS 'A paragraph opening with a list''s bullet or number (* Venue, 2. Objectives): items two stories of an outlet share between items of each one''s own are each one''s text, never repeated, however short. Null for rows prepared before it was stored.';
COMMENT ON COLUMN paragraphs.template_key IS 'A key equal for paragraphs that differ only in numbers, dates and link targets (0: none): how an outlet''s release template ("upgrade to 1.16.2") is found across its stories and flagged repeated. Null for rows prepared before it was stored.';
COMMENT ON COLUMN paragraphs.template_facts IS 'The facts a template paragraph carries: a key of its numbers other than version strings (a count, a day, a year; 0: none). Paragraphs of one template key with other facts are the template filled in for other news (not furniture, and no shared text in linking). Null for rows prepared before it was stored.';
COMMENT ON COLUMN paragraphs.passage_keys IS 'Winnowed keys of its 5-word shingles (tasks/passages.py): every run of 12 or more words it shares with a passage shares one. Each is a row of `passage_index`, which the `trace` macro and `reprint trace` read. Null for rows prepared before it was stored (the index keys their text).';

COMMENT ON VIEW story_members IS 'Which documents are versions of the same story; version 0 is the origin.';
COMMENT ON COLUMN story_members.story_id IS 'Stable across runs while membership is unchanged.';
COMMENT ON COLUMN story_members.doc_id IS 'Every document belongs to exactly one story (a story of one when nothing matches).';
COMMENT ON COLUMN story_members.version IS '0 = the origin: earliest published_at, ties and nulls broken by source order.';
COMMENT ON COLUMN story_members.n_members IS 'Documents in the story.';
COMMENT ON COLUMN story_members.link_version IS 'Version of the linking step.';
COMMENT ON COLUMN story_members.align_key IS 'What the story''s fates depend on; unchanged key = fates reused.';
COMMENT ON COLUMN story_members.copied_from IS 'The earlier version this republication most likely copied (most body paragraphs shared verbatim, ties to the earliest); null for the origin.';

COMMENT ON VIEW paragraph_fates IS 'What became of each origin paragraph in each republication of its story.';
COMMENT ON COLUMN paragraph_fates.story_id IS 'The story.';
COMMENT ON COLUMN paragraph_fates.base_doc_id IS 'The origin (version 0).';
COMMENT ON COLUMN paragraph_fates.base_para_idx IS 'The origin paragraph; null for appeared.';
COMMENT ON COLUMN paragraph_fates.doc_id IS 'The republication.';
COMMENT ON COLUMN paragraph_fates.para_idx IS 'The republication paragraph; null for disappeared.';
COMMENT ON COLUMN paragraph_fates.fate IS 'survived, moved, changed, split, merged, disappeared or appeared.';
COMMENT ON COLUMN paragraph_fates.similarity IS '0..1 between the two texts; null for appeared and disappeared.';
COMMENT ON COLUMN paragraph_fates.diff IS 'Changed words as [-deleted-]{+inserted+} spans joined by " … ".';
COMMENT ON COLUMN paragraph_fates.align_version IS 'Version of the alignment step.';

COMMENT ON VIEW rejects IS 'Inputs that could not be ingested, with the reason.';
COMMENT ON COLUMN rejects.source IS 'The input (path, #<line> for a JSONL line).';
COMMENT ON COLUMN rejects.reason IS 'A sentence a person can act on.';
COMMENT ON COLUMN rejects.input_source IS 'The input file the reject is about; its rejects are replaced when the file is read again.';
COMMENT ON COLUMN rejects.input_root IS 'The input root the file is under, when known.';
COMMENT ON COLUMN rejects.severity IS 'error: what source names was not ingested; warning: it was ingested, without what the reason names (an unreadable date). Null for rows written before severities: error.';

COMMENT ON VIEW passage_index IS 'The passage index: one row per stored passage key of a paragraph (paragraphs.passage_keys), sorted by key in small row groups, so that the `trace` macro reads only the row groups holding a passage''s keys, not every paragraph''s keys or text.';
COMMENT ON COLUMN passage_index.key IS 'A winnowed 5-word shingle key (the `passage_key` macro).';
COMMENT ON COLUMN passage_index.doc_id IS 'The document of the paragraph holding it (paragraphs.doc_id).';
COMMENT ON COLUMN passage_index.para_idx IS 'The paragraph holding it (paragraphs.para_idx).';

COMMENT ON VIEW inputs IS 'One row per input file ingested: what it held when read, so unchanged files are skipped by later runs.';
COMMENT ON COLUMN inputs.source IS 'The input file, relative to its input root.';
COMMENT ON COLUMN inputs.content_hash IS 'sha256 of its bytes when it was read.';
COMMENT ON COLUMN inputs.metadata_hash IS 'Hash of the metadata it was given (folder outlet, manifest row).';
COMMENT ON COLUMN inputs.pipeline_version IS 'Versions of the steps that prepared its documents.';
COMMENT ON COLUMN inputs.size IS 'Bytes.';
COMMENT ON COLUMN inputs.n_documents IS 'Documents read from it.';
COMMENT ON COLUMN inputs.n_rejects IS 'Rejects (bad lines) it produced.';
COMMENT ON COLUMN inputs.root IS 'The input root (absolute folder) source is relative to; null for rows written before roots were stored.';
COMMENT ON COLUMN inputs.mtime_ns IS 'Its modification time in nanoseconds when read: a file whose size and time still equal these is not read again (reprint run --checksum hashes every file); null when too recent to trust or written before times were stored.';

COMMENT ON VIEW reuse_pairs IS 'Reuse outside stories: one row per passage of 12 or more words two documents share, whichever stories they are in (docs/reuse.md).';
COMMENT ON COLUMN reuse_pairs.doc_id1 IS 'The first document of the pair (doc_id1 < doc_id2).';
COMMENT ON COLUMN reuse_pairs.doc_id2 IS 'The second document of the pair.';
COMMENT ON COLUMN reuse_pairs.story_id1 IS 'The story of doc_id1 (story_members).';
COMMENT ON COLUMN reuse_pairs.story_id2 IS 'The story of doc_id2.';
COMMENT ON COLUMN reuse_pairs.same_story IS 'Both documents are versions of one story; false is reuse outside stories (a quote, a wire paragraph).';
COMMENT ON COLUMN reuse_pairs.b1 IS 'Where the span begins in doc_id1''s text (document_texts: paragraphs joined by a blank line), a 0-based character offset as in passim: text[b1:e1] in Python, substr(text, b1 + 1, e1 - b1) in SQL.';
COMMENT ON COLUMN reuse_pairs.e1 IS 'Where the span ends in doc_id1''s text (exclusive): it ends with its last word.';
COMMENT ON COLUMN reuse_pairs.b2 IS 'Where the span begins in doc_id2''s text.';
COMMENT ON COLUMN reuse_pairs.e2 IS 'Where the span ends in doc_id2''s text (exclusive).';
COMMENT ON COLUMN reuse_pairs.matches IS 'Words the two spans share word for word, in order (passim''s matches); 12 or more.';
COMMENT ON COLUMN reuse_pairs.score IS 'matches over the words of the longer of the two spans: 1.0 is a verbatim copy, less is an edited one.';
COMMENT ON COLUMN reuse_pairs.share1 IS 'Of doc_id1''s words (paragraphs.n_words summed), the share its spans shared with doc_id2 cover, 0..1: the same on every row of the pair.';
COMMENT ON COLUMN reuse_pairs.share2 IS 'Of doc_id2''s words, the share its spans shared with doc_id1 cover.';
COMMENT ON COLUMN reuse_pairs.boilerplate IS 'The span is in a paragraph flagged boilerplate in either document (a wire footer, a shared bio): reuse too, marked so it can be left out.';
COMMENT ON COLUMN reuse_pairs.reuse_version IS 'Version of the reuse step and its settings (tasks/reuse.py).';
