"""Publication dates as feeds and pages write them, parsed to UTC; a date that cannot be read costs the date,
never the document (a `warning` row in rejects says which value was dropped)."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from tasks.changes import read_changed
from tasks.dates import parse_timestamp
from tasks.ingest import discover_inputs
from tasks.prepare import PIPELINE_VERSION

JUNE_25 = datetime(2019, 6, 25)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2019-06-25", JUNE_25),
        ("2019-06-25T14:30:00Z", datetime(2019, 6, 25, 14, 30)),
        ("2019-06-25T16:30:00+02:00", datetime(2019, 6, 25, 14, 30)),
        ("2019-06-25 14:30", datetime(2019, 6, 25, 14, 30)),  # no zone: taken as UTC
        ("Tue, 25 Jun 2019 14:30:00 GMT", datetime(2019, 6, 25, 14, 30)),
        ("Tue, 25 Jun 2019 10:30:00 -0400", datetime(2019, 6, 25, 14, 30)),
        ("Tue, 25 Jun 2019 10:30:00 EDT", datetime(2019, 6, 25, 14, 30)),  # RFC 822 zone names
        ("Tue, 25 Jun 2019 06:30:00 PST", datetime(2019, 6, 25, 14, 30)),
        ("June 25, 2019", JUNE_25),
        ("25 June 2019", JUNE_25),
        ("Jun 25 2019 2:30 PM", datetime(2019, 6, 25, 14, 30)),
        ("25/06/2019", JUNE_25),  # only one reading: the 25th cannot be a month
        ("06/25/2019", JUNE_25),
        ("25.06.2019", JUNE_25),
        ("05/05/2019", datetime(2019, 5, 5)),  # both readings are the same day
        ("1561473000", datetime(2019, 6, 25, 14, 30)),  # Unix seconds
        ("1561473000000", datetime(2019, 6, 25, 14, 30)),  # milliseconds
        (1561473000, datetime(2019, 6, 25, 14, 30)),  # a JSON number
        ("1561473000.5", datetime(2019, 6, 25, 14, 30, 0, 500000)),
        ("20190625", JUNE_25),  # ISO 8601 basic form, not an epoch
        ("", None),
        (None, None),
    ],
)
def test_dates_as_feeds_write_them(written, expected):
    assert parse_timestamp(written) == expected


@pytest.mark.parametrize(
    ("written", "why"),
    [
        (
            "06/07/2019",
            "either way round",
        ),  # 6 July or June 7: a guess could make the wrong version the origin
        ("last week", "not a date"),
        ("June 25", "no year"),
        ("June 2019", "no day"),
        ("Tue, 25 Jun 2019 14:30:00 XYZT", "unknown time zone"),  # never silently shifted by hours
        ("2019-13-45", "not a date"),
    ],
)
def test_dates_that_cannot_be_read_for_certain_say_why(written, why):
    with pytest.raises(ValueError) as err:
        parse_timestamp(written)
    assert why in str(err.value) and repr(written) in str(err.value)


def read(root: Path):
    """(documents by source, rejects as (source, severity, reason)) as a run reads `root`."""
    items, found = discover_inputs([root])
    shard = read_changed(items, {}, PIPELINE_VERSION)
    return {d.source: d for d in shard.raws}, [
        (r.source, r.severity, r.reason) for r in found + shard.rejects
    ]


def test_jsonl_dates_in_any_common_form_keep_their_documents(tmp_path):
    written = [
        "Tue, 25 Jun 2019 14:30:00 GMT",
        "June 25, 2019",
        "25/06/2019",
        1561473000,
        "soon",
        "06/07/2019",
    ]
    lines = [
        json.dumps({"text": f"Story number {k} about the harbour.", "date": d}) for k, d in enumerate(written)
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    docs, rejects = read(tmp_path)
    assert len(docs) == 6  # every line is a document, dated or not
    assert [docs[f"feed.jsonl#{n}"].published_at for n in range(1, 7)] == [
        datetime(2019, 6, 25, 14, 30),
        JUNE_25,
        JUNE_25,
        datetime(2019, 6, 25, 14, 30),
        None,
        None,
    ]
    assert [(s, level) for s, level, _ in rejects] == [
        ("feed.jsonl#5", "warning"),
        ("feed.jsonl#6", "warning"),
    ]
    assert "'soon'" in rejects[0][2] and "ingested without it" in rejects[0][2]


def test_manifest_and_html_dates_in_common_forms(tmp_path):
    (tmp_path / "a.txt").write_text("A story about the harbour strike and the ships waiting offshore.")
    (tmp_path / "b.txt").write_text("Another story about the bridge that will close for repairs in April.")
    (tmp_path / "manifest.csv").write_text(
        'path,published_at\na.txt,"Tue, 25 Jun 2019 14:30:00 GMT"\nb.txt,someday\n'
    )
    page = (
        '<html><head><title>Bridge to close</title><meta property="article:published_time" '
        'content="June 25, 2019 4:30 PM +0200"></head><body><article>'
        + "".join(
            f"<p>The old iron bridge paragraph {k} says enough words to be an article body.</p>"
            for k in range(6)
        )
        + "</article></body></html>"
    )
    (tmp_path / "page.html").write_text(page)
    docs, rejects = read(tmp_path)
    assert docs["a.txt"].published_at == datetime(2019, 6, 25, 14, 30)
    assert docs["b.txt"].published_at is None
    assert docs["page.html"].published_at == datetime(2019, 6, 25, 14, 30)
    assert [(s, level) for s, level, _ in rejects] == [("manifest.csv#3", "warning")]
