-- Per story and republication: how many origin paragraphs met each fate, what was added, and the survival rate.
with

members as (
    select * from story_members
),

docs as (
    select doc_id, source, outlet, published_at from documents
),

origin_body as (
    select doc_id, count(*) as n_body
    from paragraphs
    where not is_boilerplate
    group by doc_id
),

-- One fate per origin paragraph: a split paragraph has several rows but is one paragraph.
per_base as (
    select story_id, doc_id, base_para_idx, any_value(fate) as fate
    from paragraph_fates
    where base_para_idx is not null
    group by story_id, doc_id, base_para_idx
),

counts as (
    select
        story_id,
        doc_id,
        count(*) filter (where fate = 'survived') as survived,
        count(*) filter (where fate = 'moved') as moved,
        count(*) filter (where fate = 'changed') as changed,
        count(*) filter (where fate = 'split') as split,
        count(*) filter (where fate = 'merged') as merged,
        count(*) filter (where fate = 'disappeared') as disappeared
    from per_base
    group by story_id, doc_id
),

appeared as (
    select story_id, doc_id, count(*) as appeared
    from paragraph_fates
    where fate = 'appeared'
    group by story_id, doc_id
),

final as (
    select
        m.story_id,
        o.doc_id as origin_doc_id,
        doc_label(od.outlet, od.source) as origin,
        m.doc_id,
        doc_label(rd.outlet, rd.source) as republication,
        m.version,
        ob.n_body as origin_paragraphs,
        c.survived, c.moved, c.changed, c.split, c.merged, c.disappeared,
        coalesce(a.appeared, 0) as appeared,
        share(c.survived, ob.n_body) as survival_rate,
        share(c.survived + c.moved + c.changed + c.split + c.merged, ob.n_body) as retention_rate
    from members m
    join members o on o.story_id = m.story_id and o.version = 0
    join docs od on od.doc_id = o.doc_id
    join docs rd on rd.doc_id = m.doc_id
    join origin_body ob on ob.doc_id = o.doc_id
    join counts c on c.story_id = m.story_id and c.doc_id = m.doc_id
    left join appeared a on a.story_id = m.story_id and a.doc_id = m.doc_id
    where m.version >= 1
    order by m.story_id, m.version
)

select * from final
