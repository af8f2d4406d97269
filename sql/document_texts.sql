-- Each document's text as reuse_pairs offsets count in it: its paragraphs in reading order joined by a blank
-- line, boilerplate included. The span b1..e1 of a reuse_pairs row is substr(text, b1 + 1, e1 - b1) of its
-- first document's text (DuckDB counts characters from 1, passim's offsets from 0).
with

final as (
    select doc_id, string_agg(text, chr(10) || chr(10) order by para_idx) as text
    from paragraphs
    group by doc_id
)

select * from final
