-- Each origin body paragraph with its place in the article: rank, paragraphs to the end, tenth of the way through.
with

origins as (
    select story_id, doc_id from story_members where version = 0 and n_members > 1
),

body as (
    select doc_id, para_idx, text from paragraphs where not is_boilerplate
),

ranked as (
    select
        o.story_id,
        b.doc_id as origin_doc_id,
        b.para_idx as base_para_idx,
        b.text,
        row_number() over (partition by b.doc_id order by b.para_idx) - 1 as body_rank,
        count(*) over (partition by b.doc_id) as n_body
    from origins o
    join body b on b.doc_id = o.doc_id
),

final as (
    select
        story_id,
        origin_doc_id,
        base_para_idx,
        body_rank,
        n_body,
        n_body - 1 - body_rank as from_end,
        -- the paragraph's midpoint, so a one-paragraph article sits in the middle, not at the start
        round((body_rank + 0.5) / n_body, 4) as relative_position,
        floor((body_rank + 0.5) / n_body * 10)::integer + 1 as position_tenth,
        text
    from ranked
    order by story_id, base_para_idx
)

select * from final
