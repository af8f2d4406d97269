"""The report page's SVG charts: sizes follow the data, labels are escaped."""

import re

import pytest

from tasks.report_charts import (
    FATE_COLOUR,
    copy_matrix,
    fate_bar,
    fate_matrix,
    survival_by_outlet_chart,
    survival_by_position_chart,
)


def widths(svg: str) -> dict[str, float]:
    found = re.findall(r'class="fate-(\w+)" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)
    return {name: float(width) for name, width in found}


def test_fate_bar_segments_are_proportional_and_skip_empty_fates():
    svg = fate_bar({"survived": 3, "disappeared": 1, "moved": 0}, width=160)
    assert widths(svg) == {"survived": 120.0, "disappeared": 40.0}


def test_outlet_chart_escapes_outlet_names_and_draws_a_bar_per_outlet():
    rows = [
        {
            "outlet": "<b>herald</b>",
            "republications": 2,
            "survival_rate": 0.5,
            "survived": 1,
            "disappeared": 1,
        },
        {"outlet": "courier", "republications": 1, "survival_rate": None},
    ]
    svg = survival_by_outlet_chart(rows)
    assert "&lt;b&gt;herald&lt;/b&gt;" in svg and "<b>" not in svg
    assert svg.count('class="fate-survived"') == 1 and "50% of 2" in svg and "– of 1" in svg


def test_position_chart_has_ten_columns_and_counts_empty_tenths():
    row = {"position_tenth": 10, "paragraphs": 4, "survived": 1, "disappeared": 3}
    svg = survival_by_position_chart([row])
    assert svg.count("n=0") == 9 and "n=4" in svg
    heights = dict(
        re.findall(
            r'class="fate-(\w+)" x="[\d.]+" y="[\d.]+" width="[\d.]+" '
            r'height="([\d.]+)"',
            svg,
        )
    )
    assert float(heights["disappeared"]) == 3 * float(heights["survived"])


def test_fate_matrix_colours_one_cell_per_origin_paragraph_and_republication():
    fates = {("a", 0): "survived", ("a", 3): "disappeared", ("b", 2): "moved"}
    svg = fate_matrix(["a", "b"], [0, 2, 3], fates, {"a": "Outlet A", "b": "<i>B</i>"})
    fills = re.findall(r'<rect [^>]*fill="([^"]+)"', svg)
    assert len(fills) == 6
    assert fills.count(FATE_COLOUR["survived"]) == 1 and fills.count(FATE_COLOUR["disappeared"]) == 1
    assert "&lt;i&gt;B&lt;/i&gt;" in svg


def _copies(n_outlets: int) -> list[dict]:
    """outlet_copies rows for n outlets: outlet k copies outlet k-1 and k-2, fewer copies further down."""
    names = [f"outlet <{k:03d}>" for k in range(n_outlets)]
    rows = []
    for k in range(1, n_outlets):
        for back in (1, 2):
            if k - back >= 0:
                rows.append(
                    {
                        "from_outlet": names[k - back],
                        "to_outlet": names[k],
                        "copies": 1000 - k - back,
                        "stories": 500 - k,
                        "median_delay_hours": None if k % 7 == 0 else float(k % 90),
                        "median_origin_kept": 0.8,
                        "median_origin_verbatim": 0.5,
                    }
                )
    return rows


@pytest.mark.parametrize("n_outlets, drawn", [(20, 20), (300, 30)])
def test_copy_matrix_draws_the_top_outlets_and_sums_the_rest(n_outlets: int, drawn: int):
    rows = _copies(n_outlets)
    svg = copy_matrix(rows, max_outlets=30)
    axis = drawn + (n_outlets > drawn)
    assert svg.count('<rect class="self"') == axis  # the diagonal, one per outlet drawn (+ the others)
    assert ("other outlets" in svg) == (n_outlets > drawn)
    assert "&lt;002&gt;" in svg and "<002>" not in svg  # labels escaped
    cells = re.findall(r'<rect class="copies"[^>]*><title>([^<]*)</title>', svg)
    assert sum(int(re.search(r": (\d+) copies", c).group(1)) for c in cells) == sum(r["copies"] for r in rows)
    if n_outlets > drawn:
        assert any("summed over the outlets not drawn" in c for c in cells)
    size = int(re.search(r'width="(\d+)"', svg).group(1))
    assert size < 800  # readable: 300 outlets do not make a 5000-pixel drawing
