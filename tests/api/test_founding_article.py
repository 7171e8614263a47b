"""The founding article's record, read through the HTTP API after `exchange-log import-history`.

Ukrainska Pravda, 5 Feb 2026 (Valentyna Romanenko), "Russia takes Akhmat fighters and convicts
in POW exchange for Ukrainian defenders", citing Ukraine's I Want to Live project. Every
expected value below was read off that article, the other sources in service/data/history and
its README section "The founding article", by hand.
"""

from __future__ import annotations

import pytest

ARTICLE = {
    "url": "https://www.pravda.com.ua/eng/news/2026/02/05/8019588",
    "publisher": "Ukrainska Pravda",
    "title": "Russia takes Akhmat fighters and convicts in POW exchange for Ukrainian defenders",
    "published_on": "2026-02-05",
}


@pytest.fixture
def client(app, client):
    """The API after the shipped history was loaded with the command a newsroom runs."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["import-history"])
    assert result.stdout == "history: appended 119, corrected 0, already present 0\n"
    return client


def _get(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


class TestTheSwapOf5February2026:
    def test_it_cites_the_article_and_holds_russias_figures_from_it(self, client):
        swap = _get(client, "/v1/swaps/2026-02-05")
        assert ARTICLE in swap["sources"]
        assert swap["headline"] == "UA and RU swap 157 for 160, mediated by AE and US"
        ua, ru = swap["data"]["sides"]
        assert ua == {"party": "UA", "received": 157, "civilians": 7, "alternative_figures": []}
        assert ru == {
            "party": "RU",
            "received": 160,
            "military": 157,
            "civilians": 3,
            "medical": 5,
            "alternative_figures": [
                {
                    "claimed_by": "UA",
                    "received": 157,
                    "note": "'157 for 157': Ukraine's I Want to Live project (Ukrainska Pravda,"
                    " 5 Feb 2026) says Russia received 157; the Russian MoD's 160 adds three"
                    " Kursk-region civilians to its 157 servicemen.",
                }
            ],
        }
        # The Russian MoD's 157 servicemen + 3 Kursk civilians, and the headline 157 for 157.
        urls = [source["url"] for source in swap["sources"]]
        assert "https://news.ru/russia/rossiya-vernula-iz-plena-vsu-bolshe-sotni-soldat" in urls
        assert (
            "https://www.reuters.com/world/ukraine-russia-start-second-day-peace-talks-abu-dhabi-2026-02-05/"
            in urls
        )

    def test_its_breakdowns_are_the_articles_shares_for_russias_side(self, client):
        swap = _get(client, "/v1/swaps/2026-02-05")
        assert swap["data"]["breakdowns"] == [
            {
                "side": "RU",
                "dimension": "nationality",
                "values": [
                    {"label": "Russians", "share": 0.8},
                    {"label": "Chechens", "share": 0.13},
                    {"label": "other nationalities", "share": 0.07},
                ],
            },
            {
                "side": "RU",
                "dimension": "enlistment",
                "values": [{"label": "convicts who signed contracts from prison", "share": 0.75}],
            },
        ]
        assert {"akhmat", "convicts"} <= set(swap["data"]["categories"])
        # No share is given for time in captivity: it stays in words.
        assert (
            "most had spent less than a year in captivity (no share given)"
            in (swap["data"]["notes"])
        )
        assert "five of them under a medical exchange" in swap["data"]["notes"]


class TestUkrainesBreachClaimOf23July2025:
    def test_it_is_recorded_as_ukraines_claim_against_russia_citing_the_article(self, client):
        agreement = _get(client, "/v1/agreements/istanbul-2025-06-02")
        claims = {(b["data"]["alleged_by"], b["occurred_on"]): b for b in agreement["breaches"]}
        ukraine = claims[("UA", "2025-07-23")]
        assert ukraine["data"]["breached_by"] == "RU"
        assert ukraine["data"]["attributed_to"] == "Vladimir Medinsky (aide to Putin)"
        assert ukraine["data"]["description"].startswith(
            "Ukraine's I Want to Live (Khochu Zhyty) project, cited by Ukrainska Pravda on"
            " 5 Feb 2026, says Russia unilaterally violated the Istanbul arrangements on an"
            " open-ended exchange of severely wounded and sick POWs through Putin's aide"
            " Vladimir Medinsky on 23 July 2025"
        )
        assert ukraine["sources"] == [ARTICLE]
        # Russia's claim of the same day stays, as the separate claim it is.
        russia = claims[("RU", "2025-07-23")]
        assert russia["data"]["breached_by"] == "UA"
        assert "No source was found" not in russia["data"]["description"]

    def test_the_agreement_holds_the_open_ended_severely_wounded_and_sick_terms(self, client):
        agreement = _get(client, "/v1/agreements/istanbul-2025-06-02")
        open_ended = [t["category"] for t in agreement["data"]["terms"] if t["open_ended"]]
        assert open_ended == ["severely_wounded", "sick"]
        assert ARTICLE in agreement["sources"]


class TestTheGapBefore5February2026:
    def test_it_is_126_days_with_two_failed_attempts_and_two_proposals(self, client):
        report = _get(client, "/v1/metrics/gaps")
        gap = next(g for g in report["gaps"] if g["to_swap"] == "2026-02-05")
        assert gap == {
            "from_swap": "2025-10-02",
            "to_swap": "2026-02-05",
            "days": 126,
            "proposals": 2,
            "refusals": 0,
            "failed_attempts": 2,
            "breaches": 0,
        }
        summary = report["summary"]
        assert (summary["swaps"], summary["gaps"], summary["max_days"]) == (73, 72, 149)
        assert summary["longest"] == {"from_swap": "2023-08-07", "to_swap": "2024-01-03"}

    def test_its_failed_attempts_are_dated_as_precisely_as_their_sources(self, client):
        attempts = _get(client, "/v1/timeline?type=exchange.failed&from=2025-10-03")["entries"]
        assert [(a["resource_id"], a["occurred_on"], a["date_precision"]) for a in attempts] == [
            ("new-year-exchange-2025-12", "2025-12-01", "month"),
            ("exchange-of-500-2026-01-16", "2026-01-16", "day"),
        ]
        assert [a["data"]["blamed_party"] for a in attempts] == ["RU", "RU"]
        assert [s["url"] for s in attempts[0]["sources"]][:2] == [
            "https://news.liga.net/en/politics/news/zelenskyy-announces-a-large-prisoner-exchange"
            "-before-the-new-year-but-russia-slows-down-the-process",
            "https://news.online.ua/en/russia-is-delaying-prisoner-exchanges-zelenskyy-called-on"
            "-the-world-to-put-pressure-on-the-aggressor-country-900640/",
        ]

    def test_the_timeline_headlines_tell_the_gap(self, client):
        entries = _get(client, "/v1/timeline?from=2025-10-03&to=2026-02-05")["entries"]
        headlines = [(e["occurred_on"], e["headline"]) for e in entries]
        assert headlines[0] == (
            "2025-11-11",
            "UA proposes an exchange in the Istanbul format to RU",
        )
        assert (
            "2025-12-01",
            "Planned exchange fails (RU blamed): The exchange agreed for the New Year, of a"
            " thousand people, did not take place. Zelensky, 11 Dec 2025: after Umerov's meeti…",
        ) in headlines
        assert ("2025-12-24", "UA proposes an all-for-all exchange to RU") in headlines
        assert (
            "2026-01-16",
            "Planned exchange fails (RU blamed): An exchange of at least 500, put forward after"
            " the end-2025 exchange of a thousand was delayed, was delayed too; Zelensky b…",
        ) in headlines
        assert headlines[-1] == ("2026-02-05", "UA and RU swap 157 for 160, mediated by AE and US")
        day = "/v1/timeline?type=agreement.breached&from=2025-07-23&to=2025-07-23"
        assert [e["headline"] for e in _get(client, day)["entries"]] == [
            "RU accuses UA of breaching agreement istanbul-2025-06-02",
            "UA accuses RU of breaching agreement istanbul-2025-06-02",
        ]


class TestTheSummary:
    def test_failed_attempts_proposals_and_breaches_include_the_articles(self, client):
        summary = _get(client, "/v1/metrics/summary")
        assert summary["failed_attempts"] == {
            "total": 3,
            "by_blamed_party": [{"party": None, "count": 1}, {"party": "RU", "count": 2}],
        }
        assert summary["proposals"]["total"] == 8
        assert {"format": "all_for_all", "count": 4} in summary["proposals"]["by_format"]
        assert summary["breaches"]["total"] == 6
        assert summary["breaches"]["by_alleging_party"] == [
            {"party": "RU", "count": 4},
            {"party": "UA", "count": 2},
        ]
        ru = next(r for r in summary["received"] if r["party"] == "RU")
        assert (ru["medical"], ru["military"]) == (
            {"total": 5, "unknown": 72},
            {"total": 157, "unknown": 72},
        )
