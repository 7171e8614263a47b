"""Reviewed mapping tables for exchanges.csv: mediators, tags, alternative figures, agreements.

Every entry was decided by reading the row's notes; nothing here is guessed from free text at
run time. A mediator missing from MEDIATOR_CODES is an error, so a new CSV value gets reviewed.
"""

from __future__ import annotations

from typing import Any

MEDIATOR_CODES: dict[str, str] = {
    "UAE": "AE",
    "Turkey": "TR",
    "Turkey (host of the Istanbul talks that agreed it)": "TR",
    "Saudi Arabia": "SA",
    "Qatar": "QA",
    "United States": "US",
    "Vatican": "VA",
}

# Free tag -> vocabulary categories, only where the meaning clearly matches. Tags absent here
# (e.g. "wounded", "Azov", "navy", "Snake Island", "Chornobyl NPP", "local exchange") are kept
# verbatim in the swap's notes: "wounded" is not "severely wounded", "navy" includes marines.
CATEGORY_TAGS: dict[str, tuple[str, ...]] = {
    "civilians": ("civilians",),
    "women": ("women",),
    "severely wounded": ("severely_wounded",),
    "seriously ill": ("sick",),
    "under 25": ("under_25",),
    # Born after 2000 means under 25 at the time of the swap (19 Apr 2025).
    "young soldiers (mostly born after 2000)": ("under_25",),
    "officers": ("officers",),
    # The five Azovstal commanders of 21 Sep 2022 are officers.
    "commanders": ("officers",),
    "Azovstal defenders": ("azovstal_defenders",),
    "Mariupol defenders": ("mariupol_defenders",),
    "clergy": ("clergy",),
    "journalists": ("journalists",),
    "foreign fighters": ("foreigners",),
    "foreign national": ("foreigners",),
    "civilian sailors": ("civilians", "sailors"),
    "long-held civilians (since 2014-2017)": ("civilians", "long_held"),
    # 5 Feb 2026, Russia's side (I Want to Live project): fighters of the Chechen Akhmat unit
    # and convicts who signed contracts from prison.
    "Akhmat fighters": ("akhmat",),
    "convicts": ("convicts",),
}

# Swap id -> party -> figures the other side reported for that party's `received`.
# Only rows whose notes plainly state a different count are listed (2026-02-05's is in
# swap_details.json, with the founding article's other figures). Reviewed and left out:
# 2022-09-21 (55 vs 56 to Russia: reports differ on counting Medvedchuk; no side claims
# another figure), 2023-07-06 (Reuters 47 vs Zelensky 45, both reports of Ukraine's figure),
# 2025-03-19 and 2025-08-24 (the UAE's 175+175 and 146+146 leave out people that both sides
# say were handed over separately), 2026-03-06 (one outlet's 200, not a party's claim).
ALTERNATIVE_FIGURES: dict[str, dict[str, tuple[dict[str, Any], ...]]] = {
    "2022-10-29": {
        "UA": (
            {
                "claimed_by": "RU",
                "received": 50,
                "note": "Yermak: 52 Ukrainians; Novaya Gazeta Europe later wrote that each "
                "side returned 50 (Russian MoD gave 50 for the Russian side).",
            },
        ),
    },
    "2024-01-31": {
        "UA": (
            {
                "claimed_by": "RU",
                "received": 195,
                "note": "Zelensky: 207 returned; Russian MoD: 195 for 195.",
            },
        ),
    },
    "2024-12-30": {
        "UA": (
            {
                "claimed_by": "RU",
                "received": 150,
                "note": "Ukraine: 189 returned; Russian MoD and the UAE: 150 for 150.",
            },
        ),
    },
}

# Swap id -> agreement id, only where the data says the swap carried out that agreement.
# Not linked: 2025-08-24 (which Istanbul round is not said) and 2025-10-02 (Ukraine: only
# partly under the Istanbul agreements).
SWAP_AGREEMENTS: dict[str, str] = {
    "2022-09-21": "sept-2022-swap-terms",
    "2025-03-19": "putin-trump-call-2025-03-18",
    "2025-05-23": "istanbul-2025-05-16",
    "2025-05-24": "istanbul-2025-05-16",
    "2025-05-25": "istanbul-2025-05-16",
    "2025-06-09": "istanbul-2025-06-02",
    "2025-06-10": "istanbul-2025-06-02",
    "2025-06-12": "istanbul-2025-06-02",
    "2025-06-14": "istanbul-2025-06-02",
    "2025-06-19": "istanbul-2025-06-02",
    "2025-06-20": "istanbul-2025-06-02",
    "2025-06-26": "istanbul-2025-06-02",
    "2025-07-04": "istanbul-2025-06-02",
    "2025-07-23": "istanbul-2025-06-02",
    "2026-02-05": "abu-dhabi-2026-02-05",
    "2026-03-05": "geneva-2026-03-05",
    "2026-03-06": "geneva-2026-03-05",
}
