"""The report page: a static, self-contained HTML report of a warehouse (`DIR/report/index.html`, one page
per story in `DIR/report/stories/`), read from the catalog's report views; it opens from disk, no network.

Article text is untrusted: every value is escaped, and the pages' Content-Security-Policy lets only the
page's own filter script run: a `<script>` in an article shows as text, and would not run if it got through.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tasks import report_charts as charts
from tasks.align import FATES, word_edits
from tasks.report import left_off_query
from tasks.report_scripts import INDEX_SCRIPT, STORY_SCRIPT, script_hash
from tasks.warehouse import SQL_DIR, current_version

if TYPE_CHECKING:  # duckdb is imported at use: a run with nothing new queries nothing
    import duckdb

# page-2: marks come from align.word_edits, as changed_words does; page-3: the index draws its stories from a
# JSON block a page at a time (search, sort, selecting filters), who copies whom, story pages' reprint tree
PAGE_VERSION = "page-3"
REPORT_DIR = "report"
# DuckDB's own memory while the pages are queried (its default is 80% of the machine's): the index ranks every
# story, and unbounded that held 1.7 GB at 50k documents, against 0.8 GB with this cap and the same pages and
# seconds (docs/memory.md). DuckDB spills what is over it to a temporary folder beside the catalog.
MEMORY_LIMIT = "512MB"


@dataclass(frozen=True)
class PageConfig:
    """How much goes on the pages: stories with most republications first; the rest stay in the catalog.

    The index draws its list a page at a time, so it opens as fast with 10,000 stories as with 1,000; a story
    page holds every version's text (about 65 KB), so fewer stories get one (bench/report_page_bench.py)."""

    max_stories: int = 10_000  # rows of the index
    max_story_pages: int = 2000  # stories with a page of their own, among those rows
    max_outlets_charted: int = 40
    max_outlets_drawn: int = 30  # the copy matrix: outlets with most copies; the rest summed in one row
    lead_chars: int = 200  # what search reads of a story's text: the start of its origin's first paragraph
    version: str = PAGE_VERSION


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
.tree ul{list-style:none;margin:0;padding-left:1.4rem;border-left:1px solid #ccc}
.tree>ul{border-left:0;padding-left:0}.tree li{margin:.15rem 0}.tree li li:before{content:"↳ ";color:#999}
th button{font:inherit;font-weight:600;border:0;background:none;padding:0;cursor:pointer;color:#1557a0}
th[aria-sort=descending] button:after{content:" ▼"}th[aria-sort=ascending] button:after{content:" ▲"}
.lead{color:#555;font-size:.85rem;max-width:42rem}
#stories{table-layout:fixed}#stories td{overflow-wrap:anywhere}
#story-controls input[type=search]{font:inherit}
"""


def _e(value: object) -> str:
    """html.escape(str(value), quote=True), None as "": its five replacements in its order, written out (the
    story pages of 10,000 documents call this 1.7 million times; html.escape's call was a tenth of it)."""
    if type(value) is int:  # a paragraph's number (most calls): digits and a sign, nothing to escape
        return str(value)
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


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


def _page(title: str, body: str, script: str) -> str:
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {script_hash(script)}"
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n"
        f"<script>{script}</script>\n</body></html>\n"
    )


def json_block(element_id: str, value: object) -> str:
    """Data for the page's script, in a block the browser never runs. '<', '>' and '&' are written as
    \\u escapes, so no text in the data can end the block or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def _fate_filters(fate_label: str, outlets: list[str], outlet_label: str) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" data-filter="fate" value="{f}"> {f}</label>' for f in FATES
    )
    options = "".join(f'<option value="{_e(o)}">{_e(o)}</option>' for o in outlets)
    return (
        f'<form class="filters" id="filters">{fate_label} {boxes} <span class="note">(none checked: all)'
        f'</span><br>{outlet_label}: <select data-filter="outlet"><option value="">all</option>{options}'
        "</select></form>"
    )


def _story_controls(outlets: list[str], config: PageConfig) -> str:
    """The index's search, fate and outlet filters and page size; its script reads them by name."""
    boxes = "".join(
        f'<label><input type="checkbox" name="fate" data-filter="fate" value="{f}"> {f}</label>'
        for f in FATES
    )
    options = "".join(f'<option value="{_e(o)}">{_e(o)}</option>' for o in outlets)
    sizes = "".join(
        f'<option value="{n}"{" selected" if n == 100 else ""}>{n}</option>' for n in (25, 100, 500)
    )
    return f"""<form class="filters" id="story-controls" role="search">
<label>Search <input type="search" name="q" size="40" placeholder="words of a title, an outlet, the text">
</label>
<span class="note">finds stories holding every word in their title, id, outlets or the first
{config.lead_chars} characters of the origin's first paragraph</span><br>
Stories where a paragraph <select name="mode" aria-label="how checked fates combine"><option value="any">has
any</option><option value="all">has every one</option></select> of the checked fates: {boxes}
<span class="note">(none checked: all)</span><br>
<label>Printed by <select name="outlet" data-filter="outlet"><option value="">any outlet</option>{options}
</select></label> <label>Per page <select name="size">{sizes}</select></label>
</form>"""


def _story_data(stories: list[dict], leads: dict[str, str], pages: int) -> dict:
    """The stories as compact rows for the index's script; outlets once, by number; a story's page file for
    the first `pages` stories, empty for the rest."""
    labels = [s["outlets"].split(" | ") for s in stories]
    outlets = sorted({o for names in labels for o in names})
    number = {o: k for k, o in enumerate(outlets)}
    rows = [
        [
            story_file(s["story_id"]) if k < pages else "",
            s["story_id"],
            s["title"] or s["origin"],
            leads.get(s["story_id"], ""),
            number[names[0]],
            _date(s["origin_published_at"]) if s["origin_published_at"] is not None else "",
            _date(s["last_published_at"]) if s["last_published_at"] is not None else "",
            [number[o] for o in names[1:]],
            s["republications"],
            None if s["survival_rate"] is None else round(s["survival_rate"], 4),
            [s[f] or 0 for f in FATES],
        ]
        for k, (s, names) in enumerate(zip(stories, labels, strict=True))
    ]
    colours = [charts.FATE_COLOUR[f] for f in FATES]
    return {"fates": list(FATES), "colours": colours, "outlets": outlets, "stories": rows}


def render_index(
    totals: dict,
    stories: list[dict],
    outlets: list[dict],
    positions: list[dict],
    rejects: list[dict],
    config: PageConfig = PageConfig(),
    copies: list[dict] = (),
    leads: dict[str, str] | None = None,
) -> str:
    """The index: totals, charts, who copies whom, and the story list (drawn by the page's script from a JSON
    block, a page at a time): outlets, dates, survival rate and fate bar per story, searched and sorted."""
    shown = stories[: config.max_stories]
    data = _story_data(shown, leads or {}, config.max_story_pages)
    total = max(len(stories), totals["shared"])
    more = ""
    if not stories:
        more = '<p class="note">No story has a republication yet: nothing to compare.</p>'
    elif total > len(shown):
        more = (
            f'<p class="note" id="left-off">This page holds the {len(shown)} stories with most '
            "republications; "
            f"{total - len(shown)} more are in the catalog: <code>reprint sql "
            f'"{_e(left_off_query(len(shown)))}"</code>.</p>'
        )
    if len(shown) > config.max_story_pages:
        more += (
            f'<p class="note" id="no-page">The {config.max_story_pages} stories with most republications '
            "have a page of their own (each version side by side); the fates of another story are in the "
            "catalog: "
            "<code>reprint sql \"select * from fate_details where story_id = 'ID'\"</code>.</p>"
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
{_copies_section(list(copies), config)}
<h2>Stories</h2>
{_story_controls(data["outlets"], config)}
<p class="note"><span id="shown-count">{len(shown)}</span> stories match; showing
<span id="page-range"></span> <button type="button" id="previous">← previous</button>
page <span id="page-of"></span> <button type="button" id="next">next →</button></p>{more}
<noscript><p>The story list needs JavaScript (this page's own script, nothing from the network); the catalog
holds the same rows: <code>reprint sql "select * from fate_mix_by_story"</code>.</p></noscript>
<table id="stories"><colgroup><col style="width:38%"><col style="width:15%"><col style="width:15%">
<col style="width:5rem"><col style="width:6rem"><col style="width:176px"></colgroup>
<thead><tr><th>story</th><th data-sort="date" aria-sort="none"><button type="button">
origin, dates</button></th><th>republished by</th>
<th class="num" data-sort="reps" aria-sort="descending"><button type="button">reps</button></th>
<th class="num" data-sort="survival" aria-sort="none"><button type="button">survival</button></th>
<th>fate mix</th></tr></thead><tbody></tbody></table>
{json_block("story-data", data)}
{_rejects(rejects)}"""
    return _page("reprint report", body, INDEX_SCRIPT)


def _hours(value: float | None) -> str:
    return "–" if value is None else f"{value:g} h"


def _copies_section(copies: list[dict], config: PageConfig) -> str:
    """Who copies whom: the matrix of the outlets with most copies, the top pairs, where the rest is."""
    if not copies:
        return '<h2>Who copies whom</h2>\n<p class="note">No republication copied another yet.</p>'
    ranked = charts.outlets_by_copies(copies)
    drawn = min(len(ranked), config.max_outlets_drawn)
    rest = (
        f" The other {len(ranked) - drawn} outlets are summed in the last row and column."
        if len(ranked) > drawn
        else ""
    )
    top = sorted(copies, key=lambda r: (-r["copies"], r["from_outlet"], r["to_outlet"]))[:15]
    rows = "".join(
        f"<tr><td>{_e(r['from_outlet'])}</td><td>{_e(r['to_outlet'])}"
        f"{' <span class=meta>(own revisions)</span>' if r['from_outlet'] == r['to_outlet'] else ''}</td>"
        f'<td class="num">{r["copies"]}</td><td class="num">{r["stories"]}</td>'
        f'<td class="num">{_hours(r["median_delay_hours"])}</td>'
        f'<td class="num">{_rate(r["median_origin_kept"])}</td>'
        f'<td class="num">{_rate(r["median_origin_verbatim"])}</td></tr>'
        for r in top
    )
    return f"""<section id="copies"><h2>Who copies whom</h2>
<p class="note">Each square: an outlet (column) republished a version another outlet (row) printed, by the
version each republication most likely copied. Area: copies; colour: median delay; the diagonal is an outlet's
own revisions. The {drawn} outlets of {len(ranked)} with most copies made or taken.{rest} Hover a square for
its figures.</p>
{charts.delay_legend()}
{charts.copy_matrix(copies, config.max_outlets_drawn)}
<details open><summary>The {len(top)} pairs with most copies, of {len(copies)}; all:
<code>reprint sql "select * from outlet_copies"</code></summary>
<table class="pairs" id="copy-pairs"><thead><tr><th>copied from</th><th>by</th><th class="num">copies</th>
<th class="num">stories</th><th class="num">median delay</th><th class="num">origin kept</th>
<th class="num">verbatim</th></tr></thead><tbody>{rows}</tbody></table></details></section>"""


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
    """A story's page: its versions, its reprint tree, a fate matrix, then origin and each republication side
    by side."""
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
<h2>Who copied whom</h2>
<p class="note">Each version under the one it most likely copied (most body paragraphs shared verbatim), with
the time it took and the share of the origin it kept verbatim.</p>
{reprint_tree(members, summaries)}
<h2>Each origin paragraph in each republication</h2>
{charts.legend()}
{charts.fate_matrix(reps, origin_paragraphs, matrix, label)}
{_fate_filters("Paragraphs that", sorted({label[d] for d in reps}), "Republication")}
{"".join(sections)}
<h2>Boilerplate set aside</h2>
{folded or '<p class="note">none</p>'}"""
    return _page(title, body, STORY_SCRIPT)


def copy_tree(members: list[dict]) -> list[tuple[int, dict]]:
    """The story's versions in tree order, each with its depth: a version under the one it copied
    (copied_from), siblings by version; one whose copied_from is not in the story hangs off the origin."""
    ids = {m["doc_id"] for m in members}
    children: dict[str | None, list[dict]] = defaultdict(list)
    for m in sorted(members, key=lambda m: m["version"]):
        parent = m.get("copied_from")
        if m["version"] == 0:
            parent = None
        elif parent not in ids or parent == m["doc_id"]:
            parent = next(o["doc_id"] for o in members if o["version"] == 0)
        children[parent].append(m)
    order, seen = [], set()

    def visit(member: dict, depth: int) -> None:
        if member["doc_id"] in seen:  # copied_from points to an earlier version; a loop would be a bug
            return
        seen.add(member["doc_id"])
        order.append((depth, member))
        for child in children.get(member["doc_id"], []):
            visit(child, depth + 1)

    for root in children[None]:
        visit(root, 0)
    order += [(1, m) for m in members if m["doc_id"] not in seen]  # unreachable: shown, never dropped
    return order


def _delay(earlier, later) -> str:
    if earlier is None or later is None:
        return "delay unknown"
    hours = (later - earlier).total_seconds() / 3600
    return f"+{hours:.0f} h" if abs(hours) < 48 else f"+{hours / 24:.1f} days"


def reprint_tree(members: list[dict], summaries: dict[str, dict]) -> str:
    """The story's versions as an indented tree of who copied whom (nested lists)."""
    published = {m["doc_id"]: m["published_at"] for m in members}
    tree = copy_tree(members)
    if not tree:
        return ""
    html, depth = [], -1
    for level, m in tree:
        if level > depth:
            html.append("<ul>" * (level - depth))
        else:
            html.append("</li>" + "</ul></li>" * (depth - level))
        depth = level
        if m["version"] == 0:
            note = f"origin · {_date(m['published_at'])}"
        else:
            kept = _rate(summaries.get(m["doc_id"], {}).get("survival_rate"))
            source = published.get(m.get("copied_from"))
            when = _date(m["published_at"])
            note = f"v{m['version']} · {when} · {_delay(source, m['published_at'])} · kept {kept}"
        html.append(
            f'<li data-doc="{_e(m["doc_id"])}"><b>{_e(m["label"])}</b> <span class="meta">{_e(note)}</span>'
        )
    html.append("</li>" + "</ul></li>" * depth + "</ul>")
    return f'<div class="tree" id="reprint-tree">{"".join(html)}</div>'


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
    """Stage next to the target and rename, so a reader never sees half a page. The staged name is the
    writer's own (its process id): two processes writing one report folder (two runs, or a run and
    `reprint report`) must not rename each other's file away."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
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


# A helper process: one that renders and writes story pages while this one queries their rows.
Helper = Callable[[], AbstractContextManager[Executor | None]]
# Below this many story pages a helper process costs more than it saves (a daily run writes a few).
HELPED_PAGES = 64
# Pages handed to the helper and not yet written; when that many wait, this process renders the next itself.
HELPER_WINDOW = 4


def write_report_pages(
    warehouse: Path,
    config: PageConfig = PageConfig(),
    touched: set[str] | None = None,
    since: str | None = None,
    helper: Helper | None = None,
) -> Path:
    """Write `DIR/report/index.html` and the story pages from the catalog; returns the index's path.

    touched, since: the stories whose rows changed since warehouse version `since`; when the pages show that
    version, only these stories' pages are written again (a page shows its own story's rows only) and the
    others are kept. Otherwise every page is written. helper: opens a process that renders story pages beside
    this one (tasks.run.page_helper), used when there are HELPED_PAGES pages or more.
    """
    import duckdb  # at use: a run with nothing new queries nothing

    root = warehouse.resolve()
    out = root / REPORT_DIR
    (out / "stories").mkdir(parents=True, exist_ok=True)
    same_version = since is not None and _pages_show(out, config, since)
    con = duckdb.connect(str(root / "corpus.duckdb"), read_only=True, config={"memory_limit": MEMORY_LIMIT})
    try:
        totals = _rows(
            con,
            "select (select count(*) from documents) as documents, "
            "(select count(distinct story_id) from story_members) as stories, "
            "(select count(distinct story_id) from story_members where n_members > 1) "
            "as shared, (select count(*) from rejects) as rejects",
        )[0]
        # `story_summary` (every story's fates joined to the corpus's paragraphs) once, not once per view
        # reading it: the index's views and the story pages read its rows (over_summary).
        con.register(SUMMARY_ROWS, con.sql("select * from story_summary").to_arrow_table())
        # The stories the page holds; the rest are counted (totals) and a query away.
        stories = _rows(
            con,
            f"select * from ({over_summary('fate_mix_by_story')}) "
            "order by republications desc, story_id limit ?",
            config.max_stories,
        )
        leads = {
            story_id: lead if len(lead) <= config.lead_chars else lead[: config.lead_chars] + "…"
            for story_id, lead in con.execute(
                f"select story_id, left(text, ?) from ({origin_positions_of()}) where body_rank = 0",
                [config.lead_chars + 1, [s["story_id"] for s in stories]],
            ).fetchall()
        }
        index = render_index(
            totals,
            stories,
            _rows(con, over_summary("survival_by_outlet")),
            _rows(con, "select * from survival_by_position"),
            _rows(con, "select * from rejects order by source"),
            config,
            _rows(con, over_summary("outlet_copies")),
            leads,
        )
        wanted = {s["story_id"]: s for s in stories[: config.max_story_pages]}
        if touched is not None and same_version:
            wanted = {
                k: s
                for k, s in wanted.items()
                if k in touched or not (out / "stories" / story_file(k)).exists()
            }
        many = helper is not None and len(wanted) >= HELPED_PAGES
        with helper() if many else nullcontext() as pool:
            _write_story_pages(con, out / "stories", wanted, pool)
        shown = {story_file(s["story_id"]) for s in stories[: config.max_story_pages]}
    finally:
        con.close()
    for stale in (out / "stories").glob("*.html"):
        if stale.name not in shown:
            stale.unlink()
    _write(out / "index.html", index)
    _write(out / MARKER, _made_from(config, _current_name(root)))
    return out / "index.html"


def _write_story_pages(
    con: duckdb.DuckDBPyConnection, folder: Path, stories: dict[str, dict], pool: Executor | None = None
) -> None:
    """The story pages; with a `pool` (a helper process), pages are rendered and written there while this
    process queries and groups the next stories' rows, and here when the helper is behind: the same function
    makes the same bytes wherever it runs. The helper is given a story's rows, never a query, so it holds a
    few stories' rows at a time (helpers querying the catalog themselves each held the paragraphs join)."""
    # Only the rows of the stories to write: at a daily run, a few stories of a large corpus.
    ids = sorted(stories)
    members = _grouped(
        _rows(
            con,
            "select m.story_id, m.version, m.copied_from, d.doc_id, d.source, d.title, "
            "d.published_at, d.language, doc_label(d.outlet, d.source) as label "
            "from story_members m join documents d using (doc_id) "
            f"where m.n_members > 1 and {_AMONG.format(column='m.story_id')} order by m.story_id, m.version",
            ids,
        ),
        "story_id",
    )
    summaries = _grouped(
        _rows(
            con,
            f"select * from {SUMMARY_ROWS} where {_AMONG.format(column='story_id')} "
            "order by story_id, version",
            ids,
        ),
        "story_id",
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
    fates = _stream(con, fate_details_of(), ids)
    pending: deque = deque()
    for story_id, rows in itertools.groupby(fates, key=lambda r: r["story_id"]):
        if story_id not in stories:
            continue
        page = (
            folder / story_file(story_id),
            stories[story_id],
            members[story_id],
            _grouped(list(rows), "doc_id"),
            {s["doc_id"]: s for s in summaries[story_id]},
            matrix[story_id],
            origin_paragraphs[story_id],
            {m["doc_id"]: boilerplate.get(m["doc_id"], []) for m in members[story_id]},
        )
        while pending and pending[0].done():
            pending.popleft().result()
        if pool is None or len(pending) >= HELPER_WINDOW:  # no helper, or it is behind: render here
            _write_story_page(*page)
        else:
            pending.append(pool.submit(_write_story_page, *page))
    for done in pending:
        done.result()


# fate_details' sources (sql/fate_details.sql), each narrowed to the stories of a list (the query's one
# parameter) and the documents of their fates. The view filtered by story joins the fates to every paragraph's
# text (the join's other side is the whole corpus: 7.3 s CPU at 100k documents for the 25 stories of a daily
# run's pages); narrowed first, the same rows take 0.4 s.
_FATE_SOURCES = {
    "fates as (\n    select * from paragraph_fates\n),": (
        "fates as (\n    select * from paragraph_fates where story_id in (select unnest(?::varchar[]))\n),"
    ),
    "docs as (\n    select doc_id, source, outlet from documents\n),": (
        "docs as (\n    select doc_id, source, outlet from documents\n"
        "    where doc_id in (select doc_id from fates union select base_doc_id from fates)\n),"
    ),
    "paras as (\n    select doc_id, para_idx, text from paragraphs\n),": (
        "paras as (\n    select doc_id, para_idx, text from paragraphs\n"
        "    where doc_id in (select doc_id from fates union select base_doc_id from fates)\n),"
    ),
}


# The rows of `story_summary` as write_report_pages read them once (a DuckDB relation of the connection).
SUMMARY_ROWS = "story_summary_rows"


def over_summary(view: str) -> str:
    """A view's own SQL (sql/VIEW.sql) reading the rows of `story_summary` registered as SUMMARY_ROWS instead
    of computing the view again: the same rows in the same order."""
    query = (SQL_DIR / f"{view}.sql").read_text(encoding="utf-8")
    source = " from story_summary\n"
    if query.count(source) != 1:
        raise ValueError(f"sql/{view}.sql no longer reads story_summary once as expected")
    return query.replace(source, f" from {SUMMARY_ROWS}\n")


# origin_positions' origins narrowed to the stories of a list (the query's one parameter): filtered after the
# view, its window over every origin's body paragraphs read the whole corpus's paragraphs for a page's leads.
_POSITION_ORIGINS = (
    "origins as (\n    select story_id, doc_id from story_members where version = 0 and n_members > 1\n),",
    "origins as (\n    select story_id, doc_id from story_members where version = 0 and n_members > 1\n"
    "    and story_id in (select unnest(?::varchar[]))\n),",
)


def origin_positions_of() -> str:
    """The rows of the `origin_positions` view of the stories its parameter lists (a list of story ids): the
    view's own SQL, its origins narrowed (a story's rows depend on its origin's paragraphs only)."""
    query = (SQL_DIR / "origin_positions.sql").read_text(encoding="utf-8")
    source, narrowed = _POSITION_ORIGINS
    if source not in query:
        raise ValueError("sql/origin_positions.sql no longer reads its origins as expected")
    return query.replace(source, narrowed)


def fate_details_of() -> str:
    """The rows of the `fate_details` view of the stories its parameter lists (a list of story ids), in the
    view's order: the view's own SQL, its sources narrowed (_FATE_SOURCES)."""
    query = (SQL_DIR / "fate_details.sql").read_text(encoding="utf-8")
    for source, narrowed in _FATE_SOURCES.items():
        if source not in query:
            raise ValueError(f"sql/fate_details.sql no longer reads {source.splitlines()[0]!r} as expected")
        query = query.replace(source, narrowed)
    return (
        f"select * from (\n{query}\n) "
        "order by story_id, doc_id, coalesce(base_para_idx, para_idx), para_idx nulls first"
    )


def _write_story_page(path: Path, *story) -> None:
    """render_story(*story) written to `path`."""
    _write(path, render_story(*story))
