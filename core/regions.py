"""The six world regions: their countries (ISO 3166-1), representative zones and languages.

Pure data, used by the data migration that loads the ``Region`` table and by code that
must not touch the database (the planner, country → region suggestions).
Every country that pytz knows belongs to exactly one region (a test checks it).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RegionData:
    code: str
    name: str
    countries: tuple[str, ...]
    zones: tuple[str, ...]
    languages: tuple[str, ...]


_AFRICA = (
    "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW "
    "MZ NA NE NG RE RW SC SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW IO TF"
)
_ASIA_OCEANIA = (
    "AF AQ AS AU BD BN BT CC CK CN CX FJ FM GU HK HM ID IN JP KG KH KI KP KR KZ LA LK MH MM MN "
    "MO MP MV MY NC NF NP NR NU NZ PF PG PH PK PN PW SB SG TH TJ TK TL TM TO TV TW UM UZ VN VU "
    "WF WS"
)
_EUROPE = (
    "AD AL AM AT AX AZ BA BE BG BV BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU IE IM "
    "IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR UA VA"
)
_LATIN_AMERICA_CARIBBEAN = (
    "AG AI AR AW BB BL BO BQ BR BS BZ CL CO CR CU CW DM DO EC FK GD GF GP GS GT GY HN HT JM KN "
    "KY LC MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI"
)
_MIDDLE_EAST_NORTH_AFRICA = "AE BH DZ EG EH IL IQ IR JO KW LB LY MA OM PS QA SA SD SY TN YE"
_NORTH_AMERICA = "BM CA GL PM US"

REGIONS: tuple[RegionData, ...] = (
    RegionData(
        code="africa",
        name=_("Africa"),
        countries=tuple(_AFRICA.split()),
        zones=("Africa/Dakar", "Africa/Lagos", "Africa/Johannesburg", "Africa/Nairobi"),
        languages=("en", "fr"),
    ),
    RegionData(
        code="asia-oceania",
        name=_("Asia and Oceania"),
        countries=tuple(_ASIA_OCEANIA.split()),
        zones=("Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney"),
        languages=("en", "zh-hans", "ru"),
    ),
    RegionData(
        code="europe",
        name=_("Europe"),
        countries=tuple(_EUROPE.split()),
        zones=("Europe/London", "Europe/Berlin", "Europe/Moscow"),
        languages=("en", "fr", "de", "es", "ru"),
    ),
    RegionData(
        code="latin-america-caribbean",
        name=_("Latin America and the Caribbean"),
        countries=tuple(_LATIN_AMERICA_CARIBBEAN.split()),
        zones=("America/Mexico_City", "America/Bogota", "America/Santiago", "America/Sao_Paulo"),
        languages=("es", "en", "fr"),
    ),
    RegionData(
        code="middle-east-north-africa",
        name=_("Middle East and North Africa"),
        countries=tuple(_MIDDLE_EAST_NORTH_AFRICA.split()),
        zones=("Africa/Casablanca", "Africa/Cairo", "Asia/Riyadh", "Asia/Tehran", "Asia/Dubai"),
        languages=("ar", "fr", "en"),
    ),
    RegionData(
        code="north-america",
        name=_("North America"),
        countries=tuple(_NORTH_AMERICA.split()),
        zones=("America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York"),
        languages=("en", "fr", "es"),
    ),
)

REGIONS_BY_CODE: dict[str, RegionData] = {region.code: region for region in REGIONS}
REGION_BY_COUNTRY: dict[str, str] = {
    country: region.code for region in REGIONS for country in region.countries
}


def region_for_country(country: str) -> str | None:
    """The code of the region a country (ISO 3166-1 alpha-2) belongs to, or None."""
    return REGION_BY_COUNTRY.get((country or "").upper())
