"""The report page's SVG charts: sizes follow the data, labels are escaped."""

import re

from tasks.report_charts import (
    FATE_COLOUR,
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
