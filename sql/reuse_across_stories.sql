-- Reuse outside stories: each passage that two documents of different stories share (a quote, a wire
-- paragraph, a footer), with both outlets, dates and the passage as each prints it (from reuse_pairs and
-- document_texts), earliest document first. Boilerplate passages are in, marked.
with

pairs as (
    select * from reuse_pairs where not same_story
),

texts as (
    select doc_id, text from document_texts
    where doc_id in (select doc_id1 from pairs union select doc_id2 from pairs)
),

docs as (
    select doc_id, source, outlet, published_at from documents
),

final as (
    select
        doc_label(d1.outlet, d1.source) as outlet1,
        d1.published_at as published_at1,
        doc_label(d2.outlet, d2.source) as outlet2,
        d2.published_at as published_at2,
        p.matches,
        p.score,
        p.boilerplate,
        substr(t1.text, p.b1 + 1, p.e1 - p.b1) as passage1,
        substr(t2.text, p.b2 + 1, p.e2 - p.b2) as passage2,
        p.doc_id1,
        p.b1,
        p.e1,
        p.doc_id2,
        p.b2,
        p.e2,
        p.story_id1,
        p.story_id2
    from pairs p
    join docs d1 on d1.doc_id = p.doc_id1
    join docs d2 on d2.doc_id = p.doc_id2
    join texts t1 on t1.doc_id = p.doc_id1
    join texts t2 on t2.doc_id = p.doc_id2
    order by least(d1.published_at, d2.published_at) nulls last, p.doc_id1, p.doc_id2, p.b1
)

select * from final
