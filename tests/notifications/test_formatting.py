from datetime import UTC, datetime

import pytest

from notifications import formatting

pytestmark = pytest.mark.pure

START = datetime(2026, 4, 28, 12, 0, tzinfo=UTC)
END = datetime(2026, 4, 28, 13, 30, tzinfo=UTC)


def test_format_span_names_the_zone_and_offset_in_english():
    assert formatting.format_span(START, END, zone="Europe/London", language="en") == (
        "Tuesday, April 28, 2026, 1:00\u202fPM–2:30\u202fPM (Europe/London, UTC+01:00)"
    )


def test_format_span_in_french():
    assert formatting.format_span(START, END, zone="Europe/Paris", language="fr") == (
        "mardi 28 avril 2026, 14:00–15:30 (Europe/Paris, UTC+02:00)"
    )


def test_format_span_when_it_ends_the_next_local_day_dates_the_end():
    assert formatting.format_span(
        datetime(2026, 4, 28, 14, tzinfo=UTC),
        datetime(2026, 4, 28, 16, tzinfo=UTC),
        zone="Asia/Tokyo",
        language="en",
    ) == (
        "Tuesday, April 28, 2026, 11:00\u202fPM–Wednesday, April 29, 2026 1:00\u202fAM "
        "(Asia/Tokyo, UTC+09:00)"
    )


def test_format_span_in_simplified_chinese():
    assert formatting.format_span(START, END, zone="Asia/Shanghai", language="zh-hans") == (
        "2026年4月28日星期二, 20:00–21:30 (Asia/Shanghai, UTC+08:00)"
    )


def test_session_times_leaves_out_the_session_zone_when_it_is_the_recipients():
    assert formatting.session_times(
        START, END, session_zone="Asia/Tokyo", recipient_zone="Asia/Tokyo", language="en"
    ) == {
        "yours": "Tuesday, April 28, 2026, 9:00\u202fPM–10:30\u202fPM (Asia/Tokyo, UTC+09:00)",
        "session": "",
    }
