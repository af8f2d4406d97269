-- Fate of origin paragraphs by where they stand in the article (tenths): do republications cut the ending?
with

outcomes as (
    select * from origin_paragraph_fates
),

counts as (
    select
        position_tenth,
        count(*) as paragraphs,
        count(*) filter (where fate = 'survived') as survived,
        count(*) filter (where fate = 'moved') as moved,
        count(*) filter (where fate = 'changed') as changed,
        count(*) filter (where fate = 'split') as split,
        count(*) filter (where fate = 'merged') as merged,
        count(*) filter (where fate = 'disappeared') as disappeared
    from outcomes
    group by position_tenth
),

final as (
    select
        *,
        share(survived, paragraphs) as survival_rate,
        share(paragraphs - disappeared, paragraphs) as retention_rate
    from counts
    order by position_tenth
)

select * from final
