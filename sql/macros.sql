-- Reusable expressions for the reports, loaded into corpus.duckdb by reprint (in the duckdb shell: .read sql/macros.sql)

-- Share of `part` in `whole`, 0..1, null when there is nothing to share.
CREATE OR REPLACE MACRO share(part, whole) AS CASE WHEN whole > 0 THEN round(part / whole, 4) END;

-- Whether a fate keeps the origin paragraph's content in some form.
CREATE OR REPLACE MACRO is_kept(fate) AS fate IN ('survived', 'moved', 'changed', 'split', 'merged');

-- Whether a fate is an edit of the origin paragraph (anything kept but not verbatim in place).
CREATE OR REPLACE MACRO is_edited(fate) AS fate IN ('changed', 'split', 'merged');

-- A document's label in reports: outlet when known, else its source.
CREATE OR REPLACE MACRO doc_label(outlet, source) AS coalesce(outlet, source);
