"""Countries as a participant picks them: localized names, the suggested zone and the region.

Pure (pytz's country data, Babel's territory names, ``core.regions``), no database. The zone
suggestion is the registrations app's own rule (``suggest_timezone``), so the form suggests
exactly what the service would pick for an empty zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pytz
from django.utils import timezone as django_timezone
from django.utils import translation

from core import display
from core.country_zones import country_zones
from core.regions import REGIONS_BY_CODE, region_for_country
from registrations.cleaning import suggest_timezone


@dataclass(frozen=True)
class CountryHint:
    zone: str  # the zone suggested for the country ("" when none fits)
    region: str  # the region's name in the language ("" when the country has none)
    # When the country spans several zones: (zone, "City (UTC±hh:mm)") for each, the
    # suggested one first, for the person to choose theirs; () otherwise.
    zones: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=16)
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Every ISO 3166-1 country pytz knows, as (code, name in the language), by name."""
    territories = display.babel_locale(language).territories
    named = [(code, territories.get(code) or name) for code, name in pytz.country_names.items()]
    return tuple(sorted(named, key=lambda item: (item[1].casefold(), item[0])))


def region_name(country: str, language: str) -> str:
    """The localized name of the region a country belongs to, or ""."""
    code = region_for_country(country)
    if code is None:
        return ""
    with translation.override(language):
        return str(REGIONS_BY_CODE[code].name)


def country_hint(country: str, language: str) -> CountryHint:
    """What choosing ``country`` suggests: its zone and its region."""
    code = (country or "").upper()
    if code not in pytz.country_names:
        return CountryHint(zone="", region="")
    zones = country_zones(code)
    now = django_timezone.now()
    choices = (
        tuple(
            (zone, f"{display.zone_city(zone, language)} ({display.format_offset_at(now, zone)})")
            for zone in zones
        )
        if len(zones) > 1
        else ()
    )
    return CountryHint(
        zone=suggest_timezone(code), region=region_name(code, language), zones=choices
    )


@lru_cache(maxsize=16)
def _hints(language: str, day: date) -> tuple[tuple[str, CountryHint], ...]:
    del day  # the offsets shown are today's: the cache lasts a day
    return tuple((code, country_hint(code, language)) for code in sorted(pytz.country_names))


def country_hints(language: str) -> dict[str, dict[str, object]]:
    """``{code: {"zone": …, "region": …, "zones": [[zone, label], …]}}`` for every country
    (``zones`` only for a country of several): the script's map (json_script)."""
    return {
        code: {"zone": hint.zone, "region": hint.region}
        | ({"zones": [list(pair) for pair in hint.zones]} if hint.zones else {})
        for code, hint in _hints(language, django_timezone.now().date())
    }
