"""Controlled vocabularies: parties, categories, proposal formats, date precision."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """Who is exchanged (one documented vocabulary for proposals, terms and swaps)."""

    MILITARY = "military"
    CIVILIANS = "civilians"
    SEVERELY_WOUNDED = "severely_wounded"
    SICK = "sick"
    UNDER_25 = "under_25"
    CONVICTS = "convicts"
    MOBILISED = "mobilised"
    AKHMAT = "akhmat"
    DPR_LNR_UNITS = "dpr_lnr_units"
    FOREIGNERS = "foreigners"
    LONG_HELD = "long_held"
    BODIES = "bodies"
    WOMEN = "women"
    JOURNALISTS = "journalists"
    CLERGY = "clergy"
    MEDICS = "medics"
    AZOVSTAL_DEFENDERS = "azovstal_defenders"
    MARIUPOL_DEFENDERS = "mariupol_defenders"
    SAILORS = "sailors"
    BORDER_GUARDS = "border_guards"
    NATIONAL_GUARD = "national_guard"
    CONSCRIPTS = "conscripts"
    OFFICERS = "officers"
    POLITICAL_PRISONERS = "political_prisoners"
    CHILDREN = "children"


class ProposalFormat(StrEnum):
    ALL_FOR_ALL = "all_for_all"
    ISTANBUL_FORMAT = "istanbul_format"
    NUMBERS = "numbers"
    CATEGORIES = "categories"
    MEDICAL = "medical"


class TermBasis(StrEnum):
    ALL_FOR_ALL = "all_for_all"
    NUMBERS = "numbers"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


# ISO 3166-1 alpha-2, officially assigned codes.
PARTIES: frozenset[str] = frozenset(
    [
        "AD",
        "AE",
        "AF",
        "AG",
        "AI",
        "AL",
        "AM",
        "AO",
        "AQ",
        "AR",
        "AS",
        "AT",
        "AU",
        "AW",
        "AX",
        "AZ",
        "BA",
        "BB",
        "BD",
        "BE",
        "BF",
        "BG",
        "BH",
        "BI",
        "BJ",
        "BL",
        "BM",
        "BN",
        "BO",
        "BQ",
        "BR",
        "BS",
        "BT",
        "BV",
        "BW",
        "BY",
        "BZ",
        "CA",
        "CC",
        "CD",
        "CF",
        "CG",
        "CH",
        "CI",
        "CK",
        "CL",
        "CM",
        "CN",
        "CO",
        "CR",
        "CU",
        "CV",
        "CW",
        "CX",
        "CY",
        "CZ",
        "DE",
        "DJ",
        "DK",
        "DM",
        "DO",
        "DZ",
        "EC",
        "EE",
        "EG",
        "EH",
        "ER",
        "ES",
        "ET",
        "FI",
        "FJ",
        "FK",
        "FM",
        "FO",
        "FR",
        "GA",
        "GB",
        "GD",
        "GE",
        "GF",
        "GG",
        "GH",
        "GI",
        "GL",
        "GM",
        "GN",
        "GP",
        "GQ",
        "GR",
        "GS",
        "GT",
        "GU",
        "GW",
        "GY",
        "HK",
        "HM",
        "HN",
        "HR",
        "HT",
        "HU",
        "ID",
        "IE",
        "IL",
        "IM",
        "IN",
        "IO",
        "IQ",
        "IR",
        "IS",
        "IT",
        "JE",
        "JM",
        "JO",
        "JP",
        "KE",
        "KG",
        "KH",
        "KI",
        "KM",
        "KN",
        "KP",
        "KR",
        "KW",
        "KY",
        "KZ",
        "LA",
        "LB",
        "LC",
        "LI",
        "LK",
        "LR",
        "LS",
        "LT",
        "LU",
        "LV",
        "LY",
        "MA",
        "MC",
        "MD",
        "ME",
        "MF",
        "MG",
        "MH",
        "MK",
        "ML",
        "MM",
        "MN",
        "MO",
        "MP",
        "MQ",
        "MR",
        "MS",
        "MT",
        "MU",
        "MV",
        "MW",
        "MX",
        "MY",
        "MZ",
        "NA",
        "NC",
        "NE",
        "NF",
        "NG",
        "NI",
        "NL",
        "NO",
        "NP",
        "NR",
        "NU",
        "NZ",
        "OM",
        "PA",
        "PE",
        "PF",
        "PG",
        "PH",
        "PK",
        "PL",
        "PM",
        "PN",
        "PR",
        "PS",
        "PT",
        "PW",
        "PY",
        "QA",
        "RE",
        "RO",
        "RS",
        "RU",
        "RW",
        "SA",
        "SB",
        "SC",
        "SD",
        "SE",
        "SG",
        "SH",
        "SI",
        "SJ",
        "SK",
        "SL",
        "SM",
        "SN",
        "SO",
        "SR",
        "SS",
        "ST",
        "SV",
        "SX",
        "SY",
        "SZ",
        "TC",
        "TD",
        "TF",
        "TG",
        "TH",
        "TJ",
        "TK",
        "TL",
        "TM",
        "TN",
        "TO",
        "TR",
        "TT",
        "TV",
        "TW",
        "TZ",
        "UA",
        "UG",
        "UM",
        "US",
        "UY",
        "UZ",
        "VA",
        "VC",
        "VE",
        "VG",
        "VI",
        "VN",
        "VU",
        "WF",
        "WS",
        "YE",
        "YT",
        "ZA",
        "ZM",
        "ZW",
    ]
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
DIMENSION_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
