"""Publication dates as feeds and pages write them (ISO 8601, RFC 2822, `June 25, 2019`, `25/06/2019`, Unix
epochs), to naive UTC datetimes. A value that cannot be read for certain raises ValueError saying why, so the
caller can keep the document and drop only the date."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone

from dateutil import parser as dateutil_parser
from dateutil.parser import UnknownTimezoneWarning

# RFC 822/2822's named zones (its "obsolete" ones are still what feeds send). dateutil knows only UTC/GMT by
# name and would silently drop any other zone, shifting the time by hours.
RFC822_ZONES = {
    name: timezone(timedelta(hours=hours))
    for name, hours in {
        "UT": 0,
        "GMT": 0,
        "UTC": 0,
        "Z": 0,
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
    }.items()
}
# Unix epochs: 9-11 digits are seconds (1973-5138), 12-14 milliseconds (1973-5138). Shorter runs of digits are
# years or compact dates (20190625), longer ones nothing a feed writes.
EPOCH = re.compile(r"[+-]?(\d{9,14})(\.\d+)?")
# Defaults for the parts a value leaves out: a part that differs between the two readings was not given.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2004, 2, 2))


def parse_timestamp(value: object) -> datetime | None:
    """A date or date-time as written by a feed or page, to a naive UTC datetime; None for an empty value.

    A time without a zone is taken as UTC. Raises ValueError naming the value when it cannot be read, has no
    year, names an unknown zone, leaves the years 1-9999 when shifted to UTC, or is a numeric date whose day
    and month could be either way round (`06/07/2019`); one that only fits one way (`25/06/2019`) is read
    that way.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        moment = _parse(text)
    except (ValueError, OverflowError) as err:
        raise ValueError(
            f"published_at {text!r} is not a date reprint can read ({err}); write it as ISO 8601, "
            "e.g. 2019-06-25T14:30:00Z"
        ) from None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:  # a date that leaves the years 1-9999 when shifted to UTC
            raise ValueError(f"published_at {value!r} is out of range after the shift to UTC") from None
    return moment


def _parse(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))  # the common case, exact and fast
    except ValueError:
        pass
    epoch = EPOCH.fullmatch(text)
    if epoch:
        seconds = float(text) / (1000 if len(epoch.group(1)) >= 12 else 1)
        return datetime.fromtimestamp(seconds, UTC)
    monthfirst, dayfirst = (_read(text, first, _DEFAULTS[0]) for first in (False, True))
    if monthfirst != dayfirst:
        raise ValueError("its day and month could be read either way round")
    # Read again with other default fields: a field the text lacks takes the default, so it differs.
    other = _read(text, False, _DEFAULTS[1])
    if other.year != monthfirst.year:
        raise ValueError("it has no year")
    if other.day != monthfirst.day:
        raise ValueError("it has no day")
    return monthfirst


def _read(text: str, dayfirst: bool, default: datetime) -> datetime:
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownTimezoneWarning)
        try:
            return dateutil_parser.parse(text, dayfirst=dayfirst, default=default, tzinfos=RFC822_ZONES)
        except UnknownTimezoneWarning as warning:
            raise ValueError(f"unknown time zone: {warning}") from None
        except dateutil_parser.ParserError as err:
            raise ValueError(str(err).split(":")[0]) from None
