"""Localized dates, times and zone names (Babel) for the seven languages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core import display
from core.time_rules import TimeRuleError

pytestmark = pytest.mark.pure

LANGUAGES = ["en", "fr", "es", "de", "ru", "ar", "zh-hans"]
NOON_UTC = datetime(2026, 4, 28, 12, 0, tzinfo=UTC)


def test_babel_locale_maps_django_codes():
    assert {code: str(display.babel_locale(code)) for code in [*LANGUAGES, "pt-br", "xx", ""]} == {
        "en": "en_GB",
        "fr": "fr",
        "es": "es",
        "de": "de",
        "ru": "ru",
        "ar": "ar",
        "zh-hans": "zh_Hans",
        "pt-br": "pt_BR",
        "xx": "en_GB",
        "": "en_GB",
    }


def test_format_time_follows_each_language():
    assert {code: display.format_time(NOON_UTC, "Asia/Tokyo", code) for code in LANGUAGES} == {
        "en": "21:00",
        "fr": "21:00",
        "es": "21:00",
        "de": "21:00",
        "ru": "21:00",
        "ar": "9:00 م",
        "zh-hans": "21:00",
    }


def test_format_day_follows_each_language():
    assert {
        code: display.format_day(NOON_UTC, "America/Los_Angeles", code) for code in LANGUAGES
    } == {
        "en": "Tuesday, 28 April 2026",
        "fr": "mardi 28 avril 2026",
        "es": "martes, 28 de abril de 2026",
        "de": "Dienstag, 28. April 2026",
        "ru": "вторник, 28 апреля 2026\u202fг.",
        "ar": "الثلاثاء، 28 أبريل 2026",
        "zh-hans": "2026年4月28日星期二",
    }


def test_zone_city_is_localized():
    assert [display.zone_city("Asia/Tokyo", code) for code in LANGUAGES] == [
        "Tokyo",
        "Tokyo",
        "Tokio",
        "Tokio",
        "Токио",
        "طوكيو",
        "东京",
    ]


def test_zone_long_name_follows_daylight_saving():
    winter = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    assert [
        display.zone_long_name("Europe/Berlin", "en", NOON_UTC),
        display.zone_long_name("Europe/Berlin", "en", winter),
        display.zone_long_name("Europe/Berlin", "fr", winter),
    ] == [
        "Central European Summer Time",
        "Central European Standard Time",
        "heure normale d’Europe centrale",
    ]


def test_time_pair_names_both_clocks():
    pair = display.time_pair(
        NOON_UTC, own_zone="Europe/Berlin", viewer_zone="Asia/Tokyo", language="en"
    )
    assert pair.text == "14:00 in Berlin · 21:00 your time"


def test_time_pair_names_the_days_when_they_differ():
    late = datetime(2026, 4, 28, 22, 30, tzinfo=UTC)
    pair = display.time_pair(
        late, own_zone="Europe/Berlin", viewer_zone="America/Los_Angeles", language="en"
    )
    assert pair.text == "Wed 29 Apr 00:30 in Berlin · Tue 28 Apr 15:30 your time"


def test_time_pair_says_it_once_when_the_clocks_agree():
    pair = display.time_pair(
        NOON_UTC, own_zone="Europe/Berlin", viewer_zone="Europe/Paris", language="de"
    )
    assert (pair.text, pair.same_clock) == ("14:00 in Berlin", True)


def test_format_date_range_is_localized():
    assert [
        display.format_date_range(date(2026, 4, 28), date(2026, 4, 30), "en"),
        display.format_date_range(date(2026, 4, 28), date(2026, 4, 28), "fr"),
        display.format_date_range(date(2027, 2, 10), date(2027, 4, 21), "zh-hans"),
    ] == ["28\u2009–\u200930 Apr 2026", "28 avr. 2026", "2027年2月10日\u2009–\u20094月21日"]


def test_format_list_and_datetime_are_localized():
    assert [
        display.format_list(["06:00", "15:00"], "en"),
        display.format_list(["06:00", "15:00", "20:00"], "fr"),
        display.format_list([], "en"),
        display.format_datetime(NOON_UTC, "Asia/Tokyo", "en"),
    ] == ["06:00 and 15:00", "06:00, 15:00 et 20:00", "", "Tue 28 Apr, 21:00"]


def test_is_right_to_left_only_for_arabic():
    assert [code for code in LANGUAGES if display.is_right_to_left(code)] == ["ar"]


def test_display_refuses_a_bad_zone_and_a_naive_time():
    with pytest.raises(TimeRuleError) as refused:
        display.format_time(NOON_UTC, "Moon/Base", "en")
    assert refused.value.field == "timezone"
    with pytest.raises(ValueError, match="aware instant"):
        display.format_time(datetime(2026, 4, 28, 12, 0), "Asia/Tokyo", "en")


SPAN_START = datetime(2026, 4, 28, 12, 0, tzinfo=UTC)
SPAN_END = datetime(2026, 4, 28, 13, 30, tzinfo=UTC)


def test_format_span_names_the_zone_and_offset_in_each_language():
    assert {
        (language, zone): display.format_span(SPAN_START, SPAN_END, zone=zone, language=language)
        for language, zone in [
            ("en", "Europe/London"),
            ("fr", "Europe/Paris"),
            ("zh-hans", "Asia/Shanghai"),
            ("ru", "Asia/Kolkata"),
        ]
    } == {
        ("en", "Europe/London"): ("Tuesday, 28 April 2026, 13:00–14:30 (London, UTC+01:00)"),
        ("fr", "Europe/Paris"): "mardi 28 avril 2026, 14:00–15:30 (Paris, UTC+02:00)",
        ("zh-hans", "Asia/Shanghai"): ("2026年4月28日星期二 20:00–21:30（上海，UTC+08:00）"),
        ("ru", "Asia/Kolkata"): (
            "вторник, 28 апреля 2026\u202fг., 17:30–19:00 (Калькутта, UTC+05:30)"
        ),
    }


def test_format_span_when_it_ends_the_next_local_day_dates_the_end():
    assert (
        display.format_span(
            datetime(2026, 4, 28, 14, tzinfo=UTC),
            datetime(2026, 4, 28, 16, tzinfo=UTC),
            zone="Asia/Tokyo",
            language="en",
        )
        == "Tuesday, 28 April 2026, 23:00–Wednesday, 29 April 2026 01:00 (Tokyo, UTC+09:00)"
    )


def test_session_times_leaves_out_the_session_zone_when_it_is_the_viewers():
    assert display.session_times(
        SPAN_START,
        SPAN_END,
        session_zone="Europe/Paris",
        viewer_zone="Europe/Paris",
        language="en",
    ) == {"yours": "Tuesday, 28 April 2026, 14:00–15:30 (Paris, UTC+02:00)", "session": ""}


def test_session_times_gives_both_zones_when_they_differ():
    assert display.session_times(
        SPAN_START,
        SPAN_END,
        session_zone="America/New_York",
        viewer_zone="Asia/Tokyo",
        language="de",
    ) == {
        "yours": "Dienstag, 28. April 2026, 21:00–22:30 (Tokio, UTC+09:00)",
        "session": "Dienstag, 28. April 2026, 08:00–09:30 (New York, UTC-04:00)",
    }


def test_a_zone_is_named_at_the_instants_shown_and_by_one_rule_everywhere():
    winter, summer = datetime(2027, 2, 10, 15, tzinfo=UTC), datetime(2027, 4, 7, 15, tzinfo=UTC)
    assert [
        display.zone_label("America/New_York", "en", [winter, winter]),
        display.zone_label("America/New_York", "en", [winter, summer]),
        display.zone_label("Pacific/Auckland", "en", [datetime(2026, 5, 18, tzinfo=UTC)]),
        display.zone_label("Africa/Lagos", "fr", [summer]),
        display.zone_label("Asia/Shanghai", "zh-hans", [summer]),
    ] == [
        "New York (Eastern Standard Time)",
        "New York (Eastern Standard Time and Eastern Daylight Time)",
        "Auckland (New Zealand Standard Time)",
        "Lagos (heure d’Afrique de l’Ouest)",
        "上海（中国标准时间）",
    ]
