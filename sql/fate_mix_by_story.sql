-- Per story with republications: its outlets and dates, and the fates of the origin's paragraphs over all of them.
with

summary as (
    select * from story_summary
),

members as (
    select m.story_id, m.version, d.doc_id, d.title, d.published_at, doc_label(d.outlet, d.source) as label
    from story_members m
    join documents d on d.doc_id = m.doc_id
    where m.n_members > 1
),

origins as (
    select story_id, doc_id as origin_doc_id, title, label as origin, published_at as origin_published_at
    from members
    where version = 0
),

spread as (
    select
        story_id,
        count(*) - 1 as republications,
        string_agg(label, ' | ' order by version) as outlets,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at
    from members
    group by story_id
),

fates as (
    select
        story_id,
        sum(origin_paragraphs)::bigint as origin_paragraphs,
        sum(survived)::bigint as survived,
        sum(moved)::bigint as moved,
        sum(changed)::bigint as changed,
        sum(split)::bigint as split,
        sum(merged)::bigint as merged,
        sum(disappeared)::bigint as disappeared,
        sum(appeared)::bigint as appeared
    from summary
    group by story_id
),

final as (
    select
        o.story_id,
        o.title,
        o.origin,
        o.origin_doc_id,
        o.origin_published_at,
        s.republications,
        s.outlets,
        s.first_published_at,
        s.last_published_at,
        f.origin_paragraphs,
        f.survived, f.moved, f.changed, f.split, f.merged, f.disappeared, f.appeared,
        share(f.survived, f.origin_paragraphs) as survival_rate,
        share(f.survived + f.moved + f.changed + f.split + f.merged, f.origin_paragraphs) as retention_rate
    from origins o
    join spread s using (story_id)
    join fates f using (story_id)
    order by s.republications desc, o.story_id
)

select * from final
