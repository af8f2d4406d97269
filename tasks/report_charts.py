"""Charts for the report page, as inline SVG built from report rows: a fate bar, survival by outlet,
survival by position in the article, and a story's fate matrix. Labels are escaped; nothing is fetched."""

from __future__ import annotations

from html import escape

from tasks.align import FATES

# Colours a reader can tell apart; kept fates are cool-to-warm, losses red, additions blue.
FATE_COLOUR = {
    "survived": "#2e7d32",
    "moved": "#00897b",
    "changed": "#f9a825",
    "split": "#8e24aa",
    "merged": "#d81b60",
    "disappeared": "#c62828",
    "appeared": "#1565c0",
}
ORIGIN_FATES = FATES[:-1]  # what can become of an origin paragraph; `appeared` has no origin paragraph


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _pct(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def _segments(
    counts: dict[str, int],
    fates: tuple[str, ...],
    x: float,
    y: float,
    width: float,
    height: float,
    horizontal: bool = True,
) -> list[str]:
    """Rectangles of a 100% stacked bar, one per fate with a count, each with a tooltip."""
    total = sum(counts.get(f, 0) for f in fates)
    parts, offset = [], 0.0
    for fate in fates:
        n = counts.get(fate, 0)
        if not n or not total:
            continue
        size = (width if horizontal else height) * n / total
        if horizontal:
            rx, ry, rw, rh = x + offset, y, size, height
        else:
            rx, ry, rw, rh = x, y + height - offset - size, width, size
        parts.append(
            f'<rect class="fate-{fate}" x="{rx:.1f}" y="{ry:.1f}" width="{rw:.1f}" '
            f'height="{rh:.1f}" fill="{FATE_COLOUR[fate]}"><title>{fate}: {n} ({_pct(n, total)})'
            "</title></rect>"
        )
        offset += size
    return parts


def fate_bar(counts: dict[str, int], width: int = 160, height: int = 12) -> str:
    """A small horizontal bar of a story's fate mix (origin paragraphs, all republications)."""
    body = "".join(_segments(counts, FATES, 0, 0, width, height))
    return _svg("fate-bar", width, height, "fate mix", body)


def survival_by_outlet_chart(rows: list[dict], width: int = 720, bar_height: int = 16) -> str:
    """One 100% stacked bar per outlet (rows of survival_by_outlet), labelled with its survival rate."""
    label_w, rate_w, gap = 220, 110, 6
    bar_w = width - label_w - rate_w
    height = max(len(rows), 1) * (bar_height + gap) + gap
    parts = []
    for k, row in enumerate(rows):
        y = gap + k * (bar_height + gap)
        name = row["outlet"] if len(row["outlet"]) <= 32 else row["outlet"][:31] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_height - 4}" text-anchor="end">{_e(name)}'
            f"<title>{_e(row['outlet'])}</title></text>"
        )
        parts += _segments(row, ORIGIN_FATES, label_w, y, bar_w, bar_height)
        rate = "–" if row["survival_rate"] is None else f"{row['survival_rate']:.0%}"
        parts.append(
            f'<text x="{label_w + bar_w + 8}" y="{y + bar_height - 4}">'
            f"{rate} of {row['republications']}</text>"
        )
    return _svg("chart", width, height, "survival by outlet", "".join(parts), "chart-outlets")


def survival_by_position_chart(rows: list[dict], width: int = 720, height: int = 220) -> str:
    """One 100% stacked column per tenth of the origin article (survival_by_position rows), start to end."""
    left, bottom, top = 44, 34, 8
    plot_h = height - bottom - top
    by_tenth = {r["position_tenth"]: r for r in rows}
    col_w = (width - left) / 10
    parts = [
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">100%</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0%</text>',
    ]
    for tenth in range(1, 11):
        x = left + (tenth - 1) * col_w
        row = by_tenth.get(tenth)
        if row:
            parts += _segments(row, ORIGIN_FATES, x + 3, top, col_w - 6, plot_h, horizontal=False)
        label = "start" if tenth == 1 else "end" if tenth == 10 else f"{tenth}/10"
        n = row["paragraphs"] if row else 0
        middle = x + col_w / 2
        parts.append(
            f'<text x="{middle:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{label}</text>'
            f'<text class="note" x="{middle:.1f}" y="{top + plot_h + 28}" text-anchor="middle">'
            f"n={n}</text>"
        )
    return _svg("chart", width, height, "survival by position", "".join(parts), "chart-position")


def fate_matrix(
    republications: list[str],
    origin_paragraphs: list[int],
    fates: dict[tuple[str, int], str],
    labels: dict[str, str],
    cell: int = 16,
) -> str:
    """A story at a glance: a row per republication, a cell per origin paragraph (start left, end right)."""
    label_w = 160
    width = label_w + max(len(origin_paragraphs), 1) * cell + 4
    height = len(republications) * (cell + 4) + 4
    parts = []
    for r, doc_id in enumerate(republications):
        y = 2 + r * (cell + 4)
        name = labels[doc_id][:30]
        parts.append(f'<text x="{label_w - 8}" y="{y + cell - 2}" text-anchor="end">{_e(name)}</text>')
        for c, para_idx in enumerate(origin_paragraphs):
            fate = fates.get((doc_id, para_idx))
            colour = FATE_COLOUR.get(fate, "#ddd")
            parts.append(
                f'<rect x="{label_w + c * cell}" y="{y}" width="{cell - 1}" height="{cell}" '
                f'fill="{colour}"><title>¶{para_idx}: {fate or "—"}</title></rect>'
            )
    return _svg("chart matrix", width, height, "fate of each origin paragraph", "".join(parts))


def _svg(css_class: str, width: float, height: float, label: str, body: str, element_id: str = "") -> str:
    ident = f' id="{element_id}"' if element_id else ""
    return (
        f'<svg class="{css_class}"{ident} width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">{body}</svg>'
    )


def legend() -> str:
    """The fate colours, as HTML."""
    items = "".join(f'<span class="key"><i style="background:{FATE_COLOUR[f]}"></i>{f}</span>' for f in FATES)
    return f'<p class="legend">{items}</p>'


# How fast a copy follows what it copied: viridis steps (dark = fast), told apart in colour-blind vision too.
DELAY_STEPS = (
    (1.0, "under 1 h", "#440154"),
    (6.0, "1–6 h", "#3b528b"),
    (24.0, "6–24 h", "#21918c"),
    (72.0, "1–3 days", "#5ec962"),
    (float("inf"), "over 3 days", "#fde725"),
)
UNDATED_COLOUR = "#9e9e9e"  # a pair whose delay is unknown (a date missing)
OTHERS_COLOUR = "#cfcfcf"  # the summed outlets beyond the drawn ones: copies only
OTHERS = "other outlets"


def delay_colour(hours: float | None) -> str:
    if hours is None:
        return UNDATED_COLOUR
    return next(colour for limit, _, colour in DELAY_STEPS if hours < limit)


def outlets_by_copies(rows: list[dict]) -> list[str]:
    """Outlets by copies made and copies taken from them (a pair with itself counted once), most first."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["from_outlet"]] = totals.get(row["from_outlet"], 0) + row["copies"]
        if row["to_outlet"] != row["from_outlet"]:
            totals[row["to_outlet"]] = totals.get(row["to_outlet"], 0) + row["copies"]
    return sorted(totals, key=lambda o: (-totals[o], o))


def copy_matrix(rows: list[dict], max_outlets: int = 30) -> str:
    """Who copies whom (rows of outlet_copies) as an adjacency matrix: a row per outlet copied from, a column
    per outlet copying, a square per pair sized by copies (area) and coloured by median delay. The outlets
    beyond the `max_outlets` with most copies are summed in one row and column; a matrix stays readable at
    hundreds of outlets where a node-link drawing is a hairball."""
    ranked = outlets_by_copies(rows)
    drawn = ranked[:max_outlets]
    axis = drawn + ([OTHERS] if len(ranked) > len(drawn) else [])
    place = {o: k for k, o in enumerate(drawn)}
    cells: dict[tuple[int, int], dict] = {}
    for row in rows:
        key = (place.get(row["from_outlet"], len(drawn)), place.get(row["to_outlet"], len(drawn)))
        if key in cells:  # a cell of the summed outlets: copies and stories add up, medians do not
            cells[key] = {**cells[key], "copies": cells[key]["copies"] + row["copies"], "summed": True}
        else:
            cells[key] = {**row, "summed": len(drawn) in key}
    cell = max(16, min(36, 480 // max(len(axis), 1)))  # a few outlets get larger squares
    names = [o if len(o) <= 26 else o[:25] + "…" for o in axis]
    longest = 12 + 6.5 * max((len(n) for n in names), default=4)
    label_w, top = max(longest, 96), max(longest, 40)  # room for the caption; column labels run upwards
    size = label_w + len(axis) * cell + 4, top + len(axis) * cell + 4
    # The scale is the drawn pairs' (a summed cell, often the largest, is capped at a full square).
    biggest = max((c["copies"] for c in cells.values() if not c["summed"]), default=1)
    parts = [f'<text x="4" y="{top - 22}">by →</text><text x="4" y="{top - 8}">copied from ↓</text>']
    for k, (outlet, name) in enumerate(zip(axis, names, strict=True)):
        y, x = top + k * cell, label_w + k * cell
        parts.append(
            f'<text x="{label_w - 6:.0f}" y="{y + cell / 2 + 4:.0f}" text-anchor="end">{_e(name)}'
            f"<title>{_e(outlet)}</title></text>"
            f'<text transform="translate({x + cell / 2 + 4:.0f} {top - 6}) rotate(-90)">{_e(name)}'
            f"<title>{_e(outlet)}</title></text>"
            f'<rect class="self" x="{x:.0f}" y="{y}" width="{cell}" height="{cell}" fill="#f0f0f0"/>'
        )
    for (r, c), pair in sorted(cells.items()):
        side = max(4.0, (cell - 2) * min(1.0, pair["copies"] / biggest) ** 0.5)
        x = label_w + c * cell + (cell - side) / 2
        y = top + r * cell + (cell - side) / 2
        parts.append(
            f'<rect class="copies" x="{x:.1f}" y="{y:.1f}" width="{side:.1f}" height="{side:.1f}" '
            f'fill="{OTHERS_COLOUR if pair["summed"] else delay_colour(pair["median_delay_hours"])}">'
            f"<title>{_e(_pair_note(axis[r], axis[c], pair))}</title></rect>"
        )
    return _svg("chart", round(size[0]), round(size[1]), "who copies whom", "".join(parts), "chart-copies")


def _pair_note(source: str, copier: str, pair: dict) -> str:
    head = f"{copier} copied {source}: {pair['copies']} copies"
    if pair["summed"]:
        return head + " (summed over the outlets not drawn)"
    delay = pair["median_delay_hours"]
    kept = pair["median_origin_kept"]
    return (
        f"{head} in {pair['stories']} stories, median delay "
        f"{'unknown' if delay is None else f'{delay:g} h'}, median share of the origin kept "
        f"{'–' if kept is None else f'{kept:.0%}'}" + (" (its own revisions)" if source == copier else "")
    )


def delay_legend() -> str:
    """The delay colours of the copy matrix, as HTML."""
    steps = [(label, colour) for _, label, colour in DELAY_STEPS]
    steps += [("delay unknown", UNDATED_COLOUR), (OTHERS + " (copies only)", OTHERS_COLOUR)]
    items = "".join(f'<span class="key"><i style="background:{c}"></i>{label}</span>' for label, c in steps)
    return f'<p class="legend">Median delay: {items} · square area: copies</p>'
