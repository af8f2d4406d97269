-- Per republishing outlet: how many origin paragraphs met each fate, what it added, and its survival rate.
with

summary as (
    select * from story_summary
),

final as (
    select
        republication as outlet,
        count(*) as republications,
        sum(origin_paragraphs)::bigint as origin_paragraphs,
        sum(survived)::bigint as survived,
        sum(moved)::bigint as moved,
        sum(changed)::bigint as changed,
        sum(split)::bigint as split,
        sum(merged)::bigint as merged,
        sum(disappeared)::bigint as disappeared,
        sum(appeared)::bigint as appeared,
        share(sum(survived), sum(origin_paragraphs)) as survival_rate,
        share(sum(survived + moved + changed + split + merged), sum(origin_paragraphs)) as retention_rate
    from summary
    group by republication
    order by survival_rate desc nulls last, outlet
)

select * from final
