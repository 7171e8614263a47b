"""Controlled vocabularies: parties, categories, proposal formats, date precision."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path


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


# ISO 3166-1 alpha-2, officially assigned codes (data, read once from the file beside this).
PARTIES: frozenset[str] = frozenset(
    line.strip()
    for line in (Path(__file__).parent / "iso3166_alpha2.txt").read_text("ascii").splitlines()
    if line.strip() and not line.startswith("#")
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
DIMENSION_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
