"""The report page: a static, self-contained HTML report of a warehouse (`DIR/report/index.html`, one page
per story in `DIR/report/stories/`), read from the catalog's report views; it opens from disk, no network.

Article text is untrusted: every value is escaped, and the pages' Content-Security-Policy lets only the
page's own filter script run: a `<script>` in an article shows as text, and would not run if it got through.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path

import duckdb

from tasks import report_charts as charts
from tasks.align import FATES, word_edits
from tasks.warehouse import current_version

PAGE_VERSION = "page-2"  # page-2: marks come from align.word_edits, as changed_words does
REPORT_DIR = "report"


@dataclass(frozen=True)
class PageConfig:
    """How much goes on the pages: stories with most republications first; the rest stay in the catalog."""

    max_stories: int = 2000
    max_outlets_charted: int = 40
    version: str = PAGE_VERSION


# Filters: show what has a checked fate and the chosen outlet. Elements carry data-fates / data-outlets.
SCRIPT = """
const fateBoxes = [...document.querySelectorAll('input[data-filter=fate]')];
const outletChoice = document.querySelector('select[data-filter=outlet]');
function applyFilters() {
  const fates = new Set(fateBoxes.filter(b => b.checked).map(b => b.value));
  const outlet = outletChoice ? outletChoice.value : '';
  let shown = 0;
  for (const el of document.querySelectorAll('[data-fates],[data-outlets]')) {
    const fateOk = !el.dataset.fates || el.dataset.fates.split(' ').some(f => fates.has(f));
    const outletOk = !outlet || !el.dataset.outlets || JSON.parse(el.dataset.outlets).includes(outlet);
    el.hidden = !(fateOk && outletOk);
  }
  for (const row of document.querySelectorAll('tr.story')) if (!row.hidden) shown++;
  const count = document.getElementById('shown-count');
  if (count) count.textContent = shown;
}
fateBoxes.forEach(b => b.addEventListener('change', applyFilters));
if (outletChoice) outletChoice.addEventListener('change', applyFilters);
applyFilters();
"""
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:1400px;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}a{color:#1557a0}
table{border-collapse:collapse;width:100%}th,td{padding:.3rem .45rem;vertical-align:top;text-align:left}
tr{border-bottom:1px solid #eee}th{background:#f5f5f5;position:sticky;top:0}
.num{text-align:right;white-space:nowrap}.note,.meta{color:#666;font-size:.85rem}
svg text{font-size:11px;fill:#333}.chart{display:block;margin:.5rem 0 1rem}
.legend .key{margin-right:1rem;white-space:nowrap}.legend i{display:inline-block;width:.8rem;height:.8rem;
margin-right:.3rem;vertical-align:-1px}
.filters{background:#fafafa;border:1px solid #ddd;padding:.5rem .8rem;margin:1rem 0}
.filters label{margin-right:.8rem;white-space:nowrap}
.pair td.text{width:44%}.fate{font-weight:600;white-space:nowrap}
tr.fate-survived .fate{color:#2e7d32}tr.fate-moved .fate{color:#00897b}tr.fate-changed .fate{color:#b07800}
tr.fate-split .fate{color:#8e24aa}tr.fate-merged .fate{color:#d81b60}tr.fate-disappeared .fate{color:#c62828}
tr.fate-appeared .fate{color:#1565c0}tr.fate-disappeared td.text:first-child{background:#fdecea}
tr.fate-appeared td.text:last-child{background:#e8f0fb}
del{background:#f9d0cc;text-decoration:line-through}ins{background:#cdeccd;text-decoration:none}
.continued{color:#999;font-style:italic}details{margin:.5rem 0}summary{cursor:pointer;color:#555}
.boilerplate li{color:#777;font-size:.9rem}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _date(value) -> str:
    return value.date().isoformat() if value is not None else "undated"


def _dates(story: dict) -> str:
    first, last = _date(story["origin_published_at"]), _date(story["last_published_at"])
    return first if first == last else f"{first} → {last}"


def story_file(story_id: str) -> str:
    """The story page's file name; ids that are not plain names are hashed, so no path leaves the folder."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,80}", story_id):
        return f"{story_id}.html"
    return hashlib.sha256(story_id.encode()).hexdigest()[:32] + ".html"


def mark_changes(origin: str, republication: str) -> tuple[str, str]:
    """Both texts as escaped HTML, words the republication deleted in <del>, words it inserted in <ins>."""
    left, right = [], []
    for same, deleted, inserted in word_edits(origin, republication):
        a, b = _e(deleted), _e(inserted)
        left.append(a if same or not a else f"<del>{a}</del>")
        right.append(b if same or not b else f"<ins>{b}</ins>")
    return " ".join(t for t in left if t), " ".join(t for t in right if t)


def reading_order(fates: list[dict]) -> list[dict]:
    """A pair's rows in the origin's order, each appeared paragraph after the row that precedes it in the
    republication, so both columns read top to bottom."""
    based = sorted(
        (f for f in fates if f["base_para_idx"] is not None),
        key=lambda f: (f["base_para_idx"], -1 if f["para_idx"] is None else f["para_idx"]),
    )
    for new in sorted((f for f in fates if f["base_para_idx"] is None), key=lambda f: f["para_idx"]):
        before = [
            k for k, f in enumerate(based) if f["para_idx"] is not None and f["para_idx"] < new["para_idx"]
        ]
        based.insert(max(before, key=lambda k: based[k]["para_idx"]) + 1 if before else 0, new)
    return based


def _page(title: str, body: str) -> str:
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{SCRIPT_HASH}'"
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n"
        f"<script>{SCRIPT}</script>\n</body></html>\n"
    )


def _fate_filters(fate_label: str, outlets: list[str], outlet_label: str) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" data-filter="fate" value="{f}" checked> {f}</label>' for f in FATES
    )
    options = "".join(f'<option value="{_e(o)}">{_e(o)}</option>' for o in outlets)
    return (
        f'<form class="filters" id="filters">{fate_label} {boxes}<br>{outlet_label}: '
        f'<select data-filter="outlet"><option value="">all</option>{options}</select></form>'
    )


def render_index(
    totals: dict,
    stories: list[dict],
    outlets: list[dict],
    positions: list[dict],
    rejects: list[dict],
    config: PageConfig = PageConfig(),
) -> str:
    """The index: totals, charts, and a row per story with its outlets, dates, survival rate and fate bar."""
    shown = stories[: config.max_stories]
    rows = []
    for s in shown:
        counts = {f: s[f] or 0 for f in FATES}
        labels = s["outlets"].split(" | ")
        present = " ".join(f for f in FATES if counts[f])
        rows.append(
            f'<tr class="story" id="story-{_e(s["story_id"])}" data-fates="{present}" '
            f'data-outlets="{_e(json.dumps(labels, ensure_ascii=False))}">'
            f'<td><a href="stories/{story_file(s["story_id"])}">{_e(s["title"] or s["origin"])}</a>'
            f'<div class="meta">{_e(s["story_id"])}</div></td>'
            f'<td>{_e(s["origin"])}<div class="meta">{_dates(s)}</div></td>'
            f"<td>{'<br>'.join(_e(x) for x in labels[1:])}</td>"
            f'<td class="num">{s["republications"]}</td><td class="num">{_rate(s["survival_rate"])}</td>'
            f"<td>{charts.fate_bar(counts)}</td></tr>"
        )
    all_outlets = sorted({o for s in shown for o in s["outlets"].split(" | ")})
    more = ""
    if not stories:
        more = '<p class="note">No story has a republication yet: nothing to compare.</p>'
    elif len(stories) > len(shown):
        more = (
            f'<p class="note">Showing the {len(shown)} stories with most republications of '
            f"{len(stories)}; query <code>fate_mix_by_story</code> for all.</p>"
        )
    charted = outlets[: config.max_outlets_charted]
    body = f"""<h1>reprint report</h1>
<p>{totals["documents"]} documents, {totals["stories"]} stories, {totals["shared"]} with republications,
{totals["rejects"]} rejected inputs.</p>
{charts.legend()}
<h2>Survival by outlet</h2>
<p class="note">Share of the origin's paragraphs each republishing outlet kept verbatim (green) or changed,
moved, split, merged, dropped; right: survival rate and republications. Showing {len(charted)} of
{len(outlets)}.</p>
{charts.survival_by_outlet_chart(charted)}
<h2>Survival by position in the article</h2>
<p class="note">Fates of origin paragraphs by where they stand in the origin, start to end: red at the right
means republications cut the ending.</p>
{charts.survival_by_position_chart(positions)}
<h2>Stories</h2>
{_fate_filters("Stories where a paragraph", all_outlets, "Printed by")}
<p class="note"><span id="shown-count">{len(shown)}</span> stories shown.</p>{more}
<table id="stories"><thead><tr><th>story</th><th>origin</th><th>republished by</th><th class="num">reps</th>
<th class="num">survival</th><th>fate mix</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table>
{_rejects(rejects)}"""
    return _page("reprint report", body)


def _rejects(rejects: list[dict]) -> str:
    if not rejects:
        return ""
    items = "".join(f"<li>{_e(r['source'])}: {_e(r['reason'])}</li>" for r in rejects)
    return f"<details><summary>Rejected inputs ({len(rejects)})</summary><ul>{items}</ul></details>"


def render_story(
    story: dict,
    members: list[dict],
    pairs: dict[str, list[dict]],
    summaries: dict[str, dict],
    matrix: dict[tuple[str, int], str],
    origin_paragraphs: list[int],
    boilerplate: dict[str, list[dict]],
) -> str:
    """A story's page: its versions, a fate matrix, then origin and each republication side by side."""
    label = {m["doc_id"]: m["label"] for m in members}
    reps = [m["doc_id"] for m in members if m["version"] > 0]
    member_rows = "".join(
        f"<tr><td>{'origin' if m['version'] == 0 else m['version']}</td><td>{_e(m['label'])}</td>"
        f"<td>{_e(m['source'])}</td><td>{_date(m['published_at'])}</td><td>{_e(m['language'])}</td>"
        f"<td>{_e(m['title'])}</td>"
        f'<td class="num">{_rate(summaries.get(m["doc_id"], {}).get("survival_rate"))}</td></tr>'
        for m in members
    )
    sections = [_pair_section(label, d, pairs.get(d, []), summaries.get(d, {})) for d in reps]
    folded = "".join(_boilerplate(label[m["doc_id"]], boilerplate.get(m["doc_id"], [])) for m in members)
    title = story["title"] or story["origin"]
    body = f"""<p><a href="../index.html">← all stories</a></p>
<h1>{_e(title)}</h1>
<p class="meta">story {_e(story["story_id"])} · {story["republications"]} republications ·
survival {_rate(story["survival_rate"])}</p>
<table class="members"><thead><tr><th>version</th><th>outlet</th><th>source</th><th>published</th>
<th>lang</th><th>title</th><th class="num">survival</th></tr></thead><tbody>{member_rows}</tbody></table>
<h2>Each origin paragraph in each republication</h2>
{charts.legend()}
{charts.fate_matrix(reps, origin_paragraphs, matrix, label)}
{_fate_filters("Paragraphs that", sorted({label[d] for d in reps}), "Republication")}
{"".join(sections)}
<h2>Boilerplate set aside</h2>
{folded or '<p class="note">none</p>'}"""
    return _page(title, body)


def _pair_section(label: dict[str, str], doc_id: str, fates: list[dict], summary: dict) -> str:
    rows, last_base, last_rep = [], None, None
    for f in reading_order(fates):
        origin = f["origin_text"] or ""
        rep = f["republication_text"] or ""
        if f["fate"] in ("changed", "moved") and origin and rep:
            origin_html, rep_html = mark_changes(origin, rep)
        else:
            origin_html, rep_html = _e(origin), _e(rep)
        # A split shows its origin paragraph once, a merge its republication paragraph once.
        if f["base_para_idx"] is not None and f["base_para_idx"] == last_base:
            origin_html = '<span class="continued">↳ same origin paragraph (split)</span>'
        if f["para_idx"] is not None and f["para_idx"] == last_rep:
            rep_html = '<span class="continued">↳ same republication paragraph (merged)</span>'
        last_base, last_rep = f["base_para_idx"], f["para_idx"]
        sim = "" if f["similarity"] is None else f"{f['similarity']:.2f}"
        rows.append(
            f'<tr class="fate-{_e(f["fate"])}" data-fates="{_e(f["fate"])}">'
            f'<td class="num">{_e(f["base_para_idx"])}</td><td class="text">{origin_html}</td>'
            f'<td class="fate">{_e(f["fate"])}<div class="meta">{sim}</div></td>'
            f'<td class="text">{rep_html}</td><td class="num">{_e(f["para_idx"])}</td></tr>'
        )
    outlet = label[doc_id]
    counts = ", ".join(f"{f} {summary[f]}" for f in FATES if summary.get(f))
    origin = label[fates[0]["base_doc_id"]] if fates else "origin"
    return (
        f'<section class="pair" data-outlets="{_e(json.dumps([outlet], ensure_ascii=False))}">'
        f"<h2>{_e(origin)} → {_e(outlet)}</h2>"
        f'<p class="meta">survival {_rate(summary.get("survival_rate"))} · {_e(counts)}</p>'
        f'<table><thead><tr><th class="num">¶</th><th>origin</th><th>fate</th><th>republication</th>'
        f'<th class="num">¶</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _boilerplate(label: str, paragraphs: list[dict]) -> str:
    if not paragraphs:
        return ""
    items = "".join(
        f'<li value="{p["para_idx"]}">{_e(p["text"])} '
        f'<span class="meta">({_e(p["boilerplate_reason"])})</span></li>'
        for p in paragraphs
    )
    return (
        f"<details><summary>{_e(label)}: {len(paragraphs)} paragraphs</summary>"
        f'<ol class="boilerplate">{items}</ol></details>'
    )


def _rows(con: duckdb.DuckDBPyConnection, query: str, *params) -> list[dict]:
    cursor = con.execute(query, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _stream(con: duckdb.DuckDBPyConnection, query: str, *params, batch: int = 2000):
    cursor = con.execute(query, list(params))
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(batch):
        for row in rows:
            yield dict(zip(names, row, strict=True))


def _grouped(rows: list[dict], key: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        out[row[key]].append(row)
    return out


MARKER = ".made-from"  # in DIR/report: the page version and the warehouse version the pages show

# A filter on a list of story ids, as a semi-join (a hash join, not a scan of the list per row).
_AMONG = "{column} in (select unnest(?::varchar[]))"


def _write(path: Path, text: str) -> None:
    """Stage next to the target and rename, so a reader never sees half a page."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _made_from(config: PageConfig, version: str | None) -> str:
    """What pages are made from: the page code and the warehouse version they show."""
    return f"{config.version} {version or '-'}"


def _pages_show(out: Path, config: PageConfig, version: str | None) -> bool:
    marker = out / MARKER
    return marker.exists() and marker.read_text(encoding="utf-8") == _made_from(config, version)


def _current_name(root: Path) -> str | None:
    version = current_version(root)
    return version.name if version else None


def pages_current(warehouse: Path, config: PageConfig = PageConfig()) -> bool:
    """Whether the report pages show the warehouse's current version (a run killed after its commit did
    not write them)."""
    root = warehouse.resolve()
    return _pages_show(root / REPORT_DIR, config, _current_name(root))


def write_report_pages(
    warehouse: Path,
    config: PageConfig = PageConfig(),
    touched: set[str] | None = None,
    since: str | None = None,
) -> Path:
    """Write `DIR/report/index.html` and the story pages from the catalog; returns the index's path.

    touched, since: the stories whose rows changed since warehouse version `since`; when the pages show that
    version, only these stories' pages are written again (a page shows its own story's rows only) and the
    others are kept. Otherwise every page is written.
    """
    root = warehouse.resolve()
    out = root / REPORT_DIR
    (out / "stories").mkdir(parents=True, exist_ok=True)
    same_version = since is not None and _pages_show(out, config, since)
    con = duckdb.connect(str(root / "corpus.duckdb"), read_only=True)
    try:
        totals = _rows(
            con,
            "select (select count(*) from documents) as documents, "
            "(select count(distinct story_id) from story_members) as stories, "
            "(select count(distinct story_id) from story_members where n_members > 1) "
            "as shared, (select count(*) from rejects) as rejects",
        )[0]
        stories = _rows(con, "select * from fate_mix_by_story")
        index = render_index(
            totals,
            stories,
            _rows(con, "select * from survival_by_outlet"),
            _rows(con, "select * from survival_by_position"),
            _rows(con, "select * from rejects order by source"),
            config,
        )
        wanted = {s["story_id"]: s for s in stories[: config.max_stories]}
        if touched is not None and same_version:
            wanted = {
                k: s
                for k, s in wanted.items()
                if k in touched or not (out / "stories" / story_file(k)).exists()
            }
        _write_story_pages(con, out / "stories", wanted)
        shown = {story_file(s["story_id"]) for s in stories[: config.max_stories]}
    finally:
        con.close()
    for stale in (out / "stories").glob("*.html"):
        if stale.name not in shown:
            stale.unlink()
    _write(out / "index.html", index)
    _write(out / MARKER, _made_from(config, _current_name(root)))
    return out / "index.html"


def _write_story_pages(con: duckdb.DuckDBPyConnection, folder: Path, stories: dict[str, dict]) -> None:
    # Only the rows of the stories to write: at a daily run, a few stories of a large corpus.
    ids = sorted(stories)
    members = _grouped(
        _rows(
            con,
            "select m.story_id, m.version, d.doc_id, d.source, d.title, "
            "d.published_at, d.language, doc_label(d.outlet, d.source) as label "
            "from story_members m join documents d using (doc_id) "
            f"where m.n_members > 1 and {_AMONG.format(column='m.story_id')} order by m.story_id, m.version",
            ids,
        ),
        "story_id",
    )
    summaries = _grouped(
        _rows(con, f"select * from story_summary where {_AMONG.format(column='story_id')}", ids), "story_id"
    )
    boilerplate = _grouped(
        _rows(
            con,
            "select p.doc_id, p.para_idx, p.text, p.boilerplate_reason "
            "from paragraphs p join story_members m using (doc_id) "
            f"where m.n_members > 1 and p.is_boilerplate and {_AMONG.format(column='m.story_id')} "
            "order by p.doc_id, p.para_idx",
            ids,
        ),
        "doc_id",
    )
    matrix: dict[str, dict[tuple[str, int], str]] = defaultdict(dict)
    origin_paragraphs: dict[str, list[int]] = defaultdict(list)
    for row in _rows(
        con,
        "select story_id, doc_id, base_para_idx, fate from origin_paragraph_fates "
        f"where {_AMONG.format(column='story_id')}",
        ids,
    ):
        matrix[row["story_id"]][(row["doc_id"], row["base_para_idx"])] = row["fate"]
    for row in _rows(
        con,
        "select story_id, base_para_idx from origin_positions "
        f"where {_AMONG.format(column='story_id')} order by story_id, body_rank",
        ids,
    ):
        origin_paragraphs[row["story_id"]].append(row["base_para_idx"])
    # fate_details is ordered by story: stream it so only one story's texts are in memory at a time.
    fates = _stream(
        con,
        f"select * from fate_details where {_AMONG.format(column='story_id')} "
        "order by story_id, doc_id, coalesce(base_para_idx, para_idx), para_idx nulls first",
        ids,
    )
    for story_id, rows in itertools.groupby(fates, key=lambda r: r["story_id"]):
        if story_id not in stories:
            continue
        page = render_story(
            stories[story_id],
            members[story_id],
            _grouped(list(rows), "doc_id"),
            {s["doc_id"]: s for s in summaries[story_id]},
            matrix[story_id],
            origin_paragraphs[story_id],
            {m["doc_id"]: boilerplate.get(m["doc_id"], []) for m in members[story_id]},
        )
        _write(folder / story_file(story_id), page)
