"""The zone suggested for a country is where most of its people live: checked for every ISO
country that spans several zones (a new tzdata country with several zones fails the test)."""

from __future__ import annotations

import pytz

from core.country_zones import country_zones, most_populous_zone

EXPECTED = {
    "AQ": "Antarctica/McMurdo",
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CD": "Africa/Lubumbashi",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "CY": "Asia/Nicosia",
    "DE": "Europe/Berlin",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "FM": "Pacific/Chuuk",
    "GL": "America/Nuuk",
    "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa",
    "KZ": "Asia/Almaty",
    "MH": "Pacific/Majuro",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",
    "PF": "Pacific/Tahiti",
    "PG": "Pacific/Port_Moresby",
    "PS": "Asia/Hebron",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UM": "Pacific/Wake",
    "US": "America/New_York",
    "UZ": "Asia/Tashkent",
}


def test_every_country_with_several_zones_suggests_its_most_populous_one():
    several = {code for code, zones in pytz.country_timezones.items() if len(zones) > 1}
    assert {code: most_populous_zone(code) for code in sorted(several)} == EXPECTED


def test_a_country_lists_all_its_zones_with_the_suggestion_first():
    zones = country_zones("br")
    assert (zones[0], len(zones), set(zones) == set(pytz.country_timezones["BR"])) == (
        "America/Sao_Paulo",
        16,
        True,
    )
    assert (country_zones("KE"), country_zones("XX"), most_populous_zone("")) == (
        ("Africa/Nairobi",),
        (),
        "",
    )
