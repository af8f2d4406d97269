-- Reusable expressions for the reports, loaded into corpus.duckdb by reprint (in the duckdb shell: .read sql/macros.sql)

-- Share of `part` in `whole`, 0..1, null when there is nothing to share.
CREATE OR REPLACE MACRO share(part, whole) AS CASE WHEN whole > 0 THEN round(part / whole, 4) END;

-- Whether a fate keeps the origin paragraph's content in some form.
CREATE OR REPLACE MACRO is_kept(fate) AS fate IN ('survived', 'moved', 'changed', 'split', 'merged');

-- Whether a fate is an edit of the origin paragraph (anything kept but not verbatim in place).
CREATE OR REPLACE MACRO is_edited(fate) AS fate IN ('changed', 'split', 'merged');

-- A document's label in reports: outlet when known, else its source.
CREATE OR REPLACE MACRO doc_label(outlet, source) AS coalesce(outlet, source);

-- The passage index (tasks/passages.py): a text's words, lower-cased letters and digits (punctuation and spacing
-- never count); the start of each 5-word shingle of a word list; a shingle's key (low 64 bits of its MD5).
CREATE OR REPLACE MACRO passage_words(passage) AS regexp_extract_all(lower(passage), '[\p{L}\p{N}]+');
CREATE OR REPLACE MACRO passage_starts(words) AS range(greatest(len(words) - 4, 0));
CREATE OR REPLACE MACRO passage_shingle_key(shingle) AS md5_number_lower(shingle);
CREATE OR REPLACE MACRO passage_key(words, start) AS passage_shingle_key(array_to_string(words[start + 1 : start + 5], ' '));

-- The paragraphs sharing shingles with PASSAGE, from the passage index: `shared` counts the passage's shingle keys
-- each holds. `passage_index` is sorted by key in small row groups, so DuckDB reads only the row groups whose key
-- range holds one of them when the passage has at most `dynamic_or_filter_threshold` keys (DuckDB's default 50:
-- a passage of 54 words; `reprint trace` raises it for longer ones); a longer one reads the whole index, not text.
CREATE OR REPLACE MACRO trace_hits(passage) AS TABLE
    with wanted as (
        select distinct passage_key(words, start) as key
        from (select words, unnest(passage_starts(words)) as start from (select passage_words(passage) as words))
    )
    select doc_id, para_idx, count(distinct key) as shared
    from passage_index semi join wanted using (key)
    group by doc_id, para_idx;

-- Every paragraph that carries PASSAGE or a close version of it (a shared run of 12 words is always found),
-- earliest first, with its document, story and text. `reprint trace` shows each version's words.
CREATE OR REPLACE MACRO trace(passage) AS TABLE
    with
    hits as (from trace_hits(passage)),
    -- The documents found as an unnested list: DuckDB then takes them for the small side of each join below and
    -- skips the row groups of `paragraphs` (10,000 rows each, in document order) that hold none of them.
    found as (select unnest(list(distinct doc_id)) as doc_id from hits),
    texts as (select doc_id, para_idx, text from paragraphs where doc_id in (from found)),
    docs as (select doc_id, outlet, source, published_at from documents where doc_id in (from found)),
    members as (select doc_id, story_id from story_members where doc_id in (from found))
    select
        m.story_id,
        h.doc_id,
        doc_label(d.outlet, d.source) as outlet,
        d.published_at,
        h.para_idx,
        h.shared,
        t.text
    from hits h
    join docs d on d.doc_id = h.doc_id
    join texts t on t.doc_id = h.doc_id and t.para_idx = h.para_idx
    left join members m on m.doc_id = h.doc_id
    order by d.published_at nulls last, h.doc_id, h.para_idx;
