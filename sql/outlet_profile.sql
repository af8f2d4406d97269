-- Per republishing outlet: how it treats the origin's paragraphs (keeps, edits, drops), what it adds,
-- and how much boilerplate it puts around the text.
with

summary as (
    select * from story_summary
),

docs as (
    select doc_id, source, outlet from documents
),

boilerplate as (
    select doc_id, count(*) filter (where is_boilerplate) as n_boilerplate
    from paragraphs
    group by doc_id
),

republished as (
    select
        doc_label(d.outlet, d.source) as outlet,
        s.*,
        coalesce(b.n_boilerplate, 0) as n_boilerplate
    from summary s
    join docs d on d.doc_id = s.doc_id
    left join boilerplate b on b.doc_id = s.doc_id
),

final as (
    select
        outlet,
        count(*) as republications,
        sum(origin_paragraphs) as origin_paragraphs,
        share(sum(survived), sum(origin_paragraphs)) as kept_verbatim,
        share(sum(changed + split + merged), sum(origin_paragraphs)) as edited,
        share(sum(moved), sum(origin_paragraphs)) as moved,
        share(sum(disappeared), sum(origin_paragraphs)) as dropped,
        round(avg(appeared), 2) as added_per_republication,
        round(avg(n_boilerplate), 2) as boilerplate_per_republication
    from republished
    group by outlet
    order by republications desc, outlet
)

select * from final
