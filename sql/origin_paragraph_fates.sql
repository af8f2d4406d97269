-- One fate per origin body paragraph per republication (a split paragraph is one paragraph), with its position.
with

positions as (
    select * from origin_positions
),

fates as (
    select story_id, doc_id, base_para_idx, any_value(fate) as fate
    from paragraph_fates
    where base_para_idx is not null
    group by story_id, doc_id, base_para_idx
),

docs as (
    select doc_id, source, outlet from documents
),

final as (
    select
        p.story_id,
        p.origin_doc_id,
        p.base_para_idx,
        f.doc_id,
        doc_label(d.outlet, d.source) as republication,
        f.fate,
        p.body_rank,
        p.n_body,
        p.from_end,
        p.relative_position,
        p.position_tenth,
        p.text
    from positions p
    join fates f on f.story_id = p.story_id and f.base_para_idx = p.base_para_idx
    join docs d on d.doc_id = f.doc_id
    order by p.story_id, f.doc_id, p.base_para_idx
)

select * from final
