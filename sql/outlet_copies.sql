-- Who copies whom: per pair of outlets, how often the second republished a version the first printed (from
-- story_members.copied_from), how fast, and how much of the story's origin it kept. An outlet paired with
-- itself is its own revisions.
with

members as (
    select story_id, doc_id, copied_from from story_members where copied_from is not null
),

docs as (
    select doc_id, source, outlet, published_at from documents
),

summary as (
    select story_id, doc_id, survival_rate, retention_rate from story_summary
),

copies as (
    select
        doc_label(src.outlet, src.source) as from_outlet,
        doc_label(dst.outlet, dst.source) as to_outlet,
        m.story_id,
        -- Hours from the copied version to the copy; null when either date is unknown.
        date_diff('minute', src.published_at, dst.published_at) / 60.0 as delay_hours,
        s.survival_rate,
        s.retention_rate
    from members m
    join docs src on src.doc_id = m.copied_from
    join docs dst on dst.doc_id = m.doc_id
    left join summary s on s.story_id = m.story_id and s.doc_id = m.doc_id
),

final as (
    select
        from_outlet,
        to_outlet,
        count(*) as copies,
        count(distinct story_id) as stories,
        round(median(delay_hours), 2) as median_delay_hours,
        round(median(retention_rate), 4) as median_origin_kept,
        round(median(survival_rate), 4) as median_origin_verbatim
    from copies
    group by from_outlet, to_outlet
    order by copies desc, from_outlet, to_outlet
)

select * from final
