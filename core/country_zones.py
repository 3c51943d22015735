"""The time zone where most of a country's people live, and all of a country's zones.

The tz database lists a country's zones in ``zone.tab`` (pytz's ``country_timezones``) in a
geographical order, east to west or north to south, so its first zone is often a small one:
America/Noronha for Brazil, Australia/Lord_Howe for Australia, America/St_Johns for Canada,
Europe/Kaliningrad for Russia. ``MOST_POPULOUS`` names, for every country whose first zone is
not where most of its people live, the zone that is.

Source: the countries' latest census or official estimate, summed by zone (IBGE 2022 for
Brazil, where the São Paulo zone (UTC−3, Brasília time) holds about 90 % of the people; ABS 2021
for Australia; Statistics Canada 2021; Rosstat 2021; the State Statistics Service of Ukraine;
the Statistics Agency of Uzbekistan; PCBS 2017 for Palestine; and so on), as tabulated in
Wikipedia's "Time in <country>" articles (read December 2026). Countries whose first
``zone.tab`` zone is already the most populous (the United States, Mexico, Indonesia, China,
Argentina, Chile, Kazakhstan…) need no entry; ``tests/core/test_country_zones.py`` names the
zone expected for every country that spans several zones.
"""

from __future__ import annotations

from functools import lru_cache

import pytz

from core import time_rules

MOST_POPULOUS: dict[str, str] = {
    "AU": "Australia/Sydney",  # New South Wales, Victoria, ACT, Tasmania: 58 % (ABS 2021)
    "BR": "America/Sao_Paulo",  # Brasília time, the South-East and the South (IBGE 2022)
    "CA": "America/Toronto",  # Ontario and Quebec: 61 % (Statistics Canada 2021)
    "CD": "Africa/Lubumbashi",  # Central Africa Time: the Kasais, Katanga, Kivus, the east
    "PS": "Asia/Hebron",  # the West Bank: 3.2 of 5.2 million (PCBS 2017)
    "RU": "Europe/Moscow",  # Moscow time: about 70 % of Russians (Rosstat 2021)
    "UA": "Europe/Kyiv",  # all of Ukraine but Crimea
    "UZ": "Asia/Tashkent",  # Tashkent and the east of the country
    "UM": "Pacific/Wake",  # the islands' only settled base
}


@lru_cache(maxsize=512)
def country_zones(country: str) -> tuple[str, ...]:
    """Every place zone of a country (ISO 3166-1 code), the most populous first, or ()."""
    zones = [
        zone
        for zone in pytz.country_timezones.get((country or "").upper(), ())
        if zone in time_rules.place_zone_names()
    ]
    first = MOST_POPULOUS.get((country or "").upper())
    if first in zones:
        zones.remove(first)
        zones.insert(0, first)
    return tuple(zones)


def most_populous_zone(country: str) -> str:
    """The zone where most of the country's people live, or "" for an unknown country."""
    zones = country_zones(country)
    return zones[0] if zones else ""
