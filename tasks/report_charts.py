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
