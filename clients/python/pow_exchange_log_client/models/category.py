from enum import StrEnum


class Category(StrEnum):
    AKHMAT = "akhmat"
    AZOVSTAL_DEFENDERS = "azovstal_defenders"
    BODIES = "bodies"
    BORDER_GUARDS = "border_guards"
    CHILDREN = "children"
    CIVILIANS = "civilians"
    CLERGY = "clergy"
    CONSCRIPTS = "conscripts"
    CONVICTS = "convicts"
    DPR_LNR_UNITS = "dpr_lnr_units"
    FOREIGNERS = "foreigners"
    JOURNALISTS = "journalists"
    LONG_HELD = "long_held"
    MARIUPOL_DEFENDERS = "mariupol_defenders"
    MEDICS = "medics"
    MILITARY = "military"
    MOBILISED = "mobilised"
    NATIONAL_GUARD = "national_guard"
    OFFICERS = "officers"
    POLITICAL_PRISONERS = "political_prisoners"
    SAILORS = "sailors"
    SEVERELY_WOUNDED = "severely_wounded"
    SICK = "sick"
    UNDER_25 = "under_25"
    WOMEN = "women"

    def __str__(self) -> str:
        return str(self.value)
