"""The whole-corpus passes find_stories makes in every run, daily ones included (docs/daily-run.md, #13
dlink): each faster form gives what the plain one gives."""

import numpy as np
import pyarrow as pa

from tasks.boilerplate import BoilerplateConfig
from tasks.stories import (
    outlet_repeats,
    reading_order,
    repeated_in_outlet_rows,
    series_codes,
    stories_in_order,
)


def test_reading_order_is_by_document_then_paragraph_index_whatever_order_the_rows_come_in():
    # Two documents' rows interleaved, as a daily run's stored and staged rows come.
    doc = np.array([1, 0, 1, 0, 1, 0])
    idx = np.array([2, 1, 0, 0, 1, 2])
    paras = pa.table({"para_idx": pa.array(idx, pa.int32())})
    order = reading_order(paras, doc)
    assert list(zip(doc[order].tolist(), idx[order].tolist(), strict=True)) == [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 1),
        (1, 2),
    ]
    assert order.tolist() == np.lexsort((idx, doc)).tolist()


def test_reading_order_of_documents_numbered_too_far_apart_for_one_key_is_the_same():
    doc = np.array([1 << 50, 0, 1 << 50, 0])
    idx = np.array([1 << 20, 5, 0, 0])
    paras = pa.table({"para_idx": pa.array(idx, pa.int64())})
    assert reading_order(paras, doc).tolist() == [3, 1, 2, 0]


def test_an_outlets_repeats_count_the_groups_it_printed_a_text_under_where_it_printed_most_copies():
    # Outlet 0 prints text 7 under groups 1, 2 and 3 (twice under 3); outlet 1 prints it once; an unknown
    # outlet once. Text 9: outlet 0 under one group, outlet 1 under two, outlet 1 printing most copies.
    outlet = np.array([0, 0, 0, 0, 1, -1, 0, 1, 1])
    group = np.array([1, 2, 3, 3, 4, 5, 6, 7, 8])
    fingerprint = np.array([7, 7, 7, 7, 7, 7, 9, 9, 9])
    repeats = outlet_repeats(outlet, group, fingerprint)
    # Text 7: 6 copies, outlet 0 holds 4 (at least half): 3 groups; outlet 1 holds 1 of 6: none.
    # Text 9: 3 copies, outlet 0 holds 1 (under half): none; outlet 1 holds 2: 2 groups.
    assert repeats.tolist() == [3, 3, 3, 3, 0, 0, 0, 2, 2]
    for least in (1, 2, 3, 4):
        config = BoilerplateConfig(min_stories_repeated=least)
        flagged = repeated_in_outlet_rows(outlet, group, fingerprint, config)
        assert flagged.tolist() == (repeats >= least).tolist()


def test_series_codes_read_a_repeated_title_once():
    titles = ["This Week in Rust 551", None, "This Week in Rust 551", "This Week in Rust 552", ""]
    read: list[str] = []

    def series(title: str) -> tuple[str, str] | None:
        read.append(title)
        return ("this week in rust #", title.rsplit(" ", 1)[1])

    series_code, instance, release = series_codes(titles, series)
    assert sorted(read) == ["This Week in Rust 551", "This Week in Rust 552"]
    assert series_code.tolist() == [0, -1, 0, 0, -1]
    assert instance[0] == instance[2] != instance[3]
    assert release == -1


def test_stories_in_order_lists_each_storys_members_by_version():
    members = pa.table(
        {
            "story_id": ["s2", "s1", "s2", "s1", "s2"],
            "doc_id": ["c", "b", "a", "d", "e"],
            "version": [2, 1, 0, 0, 1],
        }
    )
    assert stories_in_order(members) == {"s2": ["a", "e", "c"], "s1": ["d", "b"]}
