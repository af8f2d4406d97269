-- The fate of every origin paragraph in every republication, with both texts side by side.
with

fates as (
    select * from paragraph_fates
),

docs as (
    select doc_id, source, outlet from documents
),

paras as (
    select doc_id, para_idx, text from paragraphs
),

final as (
    select
        f.story_id,
        f.base_doc_id,
        doc_label(bd.outlet, bd.source) as origin,
        f.doc_id,
        doc_label(rd.outlet, rd.source) as republication,
        f.base_para_idx,
        f.para_idx,
        f.fate,
        f.similarity,
        f.diff,
        bp.text as origin_text,
        rp.text as republication_text
    from fates f
    join docs bd on bd.doc_id = f.base_doc_id
    join docs rd on rd.doc_id = f.doc_id
    left join paras bp on bp.doc_id = f.base_doc_id and bp.para_idx = f.base_para_idx
    left join paras rp on rp.doc_id = f.doc_id and rp.para_idx = f.para_idx
    order by f.story_id, f.doc_id, coalesce(f.base_para_idx, f.para_idx), f.para_idx nulls first
)

select * from final
