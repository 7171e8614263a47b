"""The shipped history converts into API write bodies a user would accept as faithful."""

from __future__ import annotations

import ast
import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from service.history import convert
from service.history.convert import (
    DATA_DIR,
    HistoryRecord,
    history_records,
    negotiation_records,
    swap_records,
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
PARTY = re.compile(r"^[A-Z]{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

COMMON_FIELDS = {"occurred_on", "date_precision", "sources"}
CREATION_FIELDS = COMMON_FIELDS | {"id"}
SUB_RESOURCE_FIELDS = COMMON_FIELDS | {"expected_version"}
# Allow-list from notes/WRITE_API.md, per endpoint.
ALLOWED_FIELDS: dict[str, set[str]] = {
    "proposals": CREATION_FIELDS
    | {"proposed_by", "addressed_to", "format", "categories", "proposed_count", "summary", "actor"},
    "refusals": SUB_RESOURCE_FIELDS | {"refused_by", "reason", "demanded_categories", "actor"},
    "acceptances": SUB_RESOURCE_FIELDS | {"accepted_by", "actor"},
    "agreements": CREATION_FIELDS | {"name", "parties", "venue", "terms", "summary"},
    "breaches": SUB_RESOURCE_FIELDS | {"alleged_by", "breached_by", "attributed_to", "description"},
    "attempts": CREATION_FIELDS | {"blamed_party", "reason", "proposal_id", "agreement_id"},
    "statements": CREATION_FIELDS | {"speaker", "party", "summary", "quote"},
    "swaps": CREATION_FIELDS
    | {
        "mediators",
        "sides",
        "breakdowns",
        "categories",
        "proposal_id",
        "agreement_id",
        "notes",
    },
}
REQUIRED_FIELDS: dict[str, set[str]] = {
    "proposals": {"proposed_by", "addressed_to", "format", "summary"},
    "refusals": {"refused_by", "reason"},
    "agreements": {"name", "parties"},
    "breaches": {"alleged_by", "breached_by", "description"},
    "attempts": {"reason"},
    "statements": {"speaker", "party", "summary"},
    "swaps": {"sides"},
}
SOURCE_FIELDS = {"url", "publisher", "title", "published_on", "quote"}
SIDE_FIELDS = {
    "party",
    "received",
    "military",
    "civilians",
    "medical",
    "bodies",
    "alternative_figures",
}
ALTERNATIVE_FIELDS = {"claimed_by", "received", "note"}
TERM_FIELDS = {"category", "basis", "count", "open_ended"}
CATEGORIES = {
    "military",
    "civilians",
    "severely_wounded",
    "sick",
    "under_25",
    "convicts",
    "mobilised",
    "akhmat",
    "dpr_lnr_units",
    "foreigners",
    "long_held",
    "bodies",
    "women",
    "journalists",
    "clergy",
    "medics",
    "azovstal_defenders",
    "mariupol_defenders",
    "sailors",
    "border_guards",
    "national_guard",
    "conscripts",
    "officers",
    "political_prisoners",
    "children",
}
FORMATS = {"all_for_all", "istanbul_format", "numbers", "categories", "medical"}
BASES = {"all_for_all", "numbers"}

ALL = history_records(DATA_DIR)
SWAPS = {record.body["id"]: record.body for record in ALL if record.endpoint == "swaps"}


def csv_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def side(swap_id: str, party: str) -> dict[str, Any]:
    return next(s for s in SWAPS[swap_id]["sides"] if s["party"] == party)


def exchanges_csv(tmp_path: Path, *rows: dict[str, str]) -> Path:
    """Write a one-off exchanges.csv with the real header; unspecified cells are empty."""
    header = list(csv_rows("exchanges.csv")[0])
    path = tmp_path / "exchanges.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({"source_urls": "https://example.org/a", **row})
    return path


def parties_of(record: HistoryRecord) -> list[str]:
    body = record.body
    keys = ("proposed_by", "addressed_to", "refused_by", "accepted_by", "alleged_by")
    keys += ("breached_by", "blamed_party", "party")
    found = [body[key] for key in keys if key in body]
    found += body.get("parties", []) + body.get("mediators", [])
    for s in body.get("sides", []):
        found += [s["party"]] + [a["claimed_by"] for a in s.get("alternative_figures", [])]
    return found


def categories_of(body: dict[str, Any]) -> list[str]:
    found = list(body.get("categories", [])) + list(body.get("demanded_categories", []))
    return found + [term["category"] for term in body.get("terms", [])]


class TestSwapRecords:
    def test_there_is_one_swap_record_per_exchange_row_73_in_all(self) -> None:
        assert len(swap_records(DATA_DIR / "exchanges.csv")) == 73

    def test_swap_ids_are_the_dates_and_keys_prefix_them(self) -> None:
        records = swap_records(DATA_DIR / "exchanges.csv")
        assert [r.body["id"] for r in records] == [row["date"] for row in csv_rows("exchanges.csv")]
        assert {r.key for r in records} == {"swap-" + r.body["id"] for r in records}

    def test_5_feb_2026_has_157_received_by_ukraine_and_160_by_russia(self) -> None:
        assert side("2026-02-05", "UA") == {"party": "UA", "received": 157, "civilians": 7}
        ru = side("2026-02-05", "RU")
        assert {k: v for k, v in ru.items() if k != "alternative_figures"} == {
            "party": "RU",
            "received": 160,
            "military": 157,
            "civilians": 3,
            "medical": 5,
        }

    def test_the_csv_row_alone_holds_only_what_its_columns_can(self) -> None:
        row = next(
            r for r in swap_records(DATA_DIR / "exchanges.csv") if r.key == "swap-2026-02-05"
        )
        assert row.body["sides"][1] == {"party": "RU", "received": 160}
        assert "breakdowns" not in row.body

    def test_empty_returned_to_russia_leaves_no_received_key(self) -> None:
        assert side("2022-04-09", "RU") == {"party": "RU"}
        assert side("2022-04-09", "UA") == {"party": "UA", "received": 26, "civilians": 14}

    def test_a_stage_without_figures_has_no_counts_at_all_never_zero(self) -> None:
        assert SWAPS["2025-06-09"]["sides"] == [{"party": "UA"}, {"party": "RU"}]

    def test_bodies_handed_over_with_the_swap_are_counted_per_side(self) -> None:
        assert side("2024-10-18", "UA")["bodies"] == 501
        assert side("2024-10-18", "RU")["bodies"] == 89

    def test_31_jan_2024_carries_russias_figure_of_195_for_ukraine(self) -> None:
        figures = side("2024-01-31", "UA")["alternative_figures"]
        assert [(f["claimed_by"], f["received"]) for f in figures] == [("RU", 195)]
        assert side("2024-01-31", "UA")["received"] == 207

    def test_only_the_four_reviewed_conflicts_carry_alternative_figures(self) -> None:
        found = {
            (swap_id, s["party"], f["claimed_by"], f["received"])
            for swap_id, body in SWAPS.items()
            for s in body["sides"]
            for f in s.get("alternative_figures", [])
        }
        assert found == {
            ("2022-10-29", "UA", "RU", 50),
            ("2024-01-31", "UA", "RU", 195),
            ("2024-12-30", "UA", "RU", 150),
            ("2026-02-05", "RU", "UA", 157),
        }

    def test_mediators_become_iso_codes(self) -> None:
        assert SWAPS["2022-09-21"]["mediators"] == ["TR", "SA"]
        assert SWAPS["2025-05-23"]["mediators"] == ["TR"]
        assert SWAPS["2026-03-05"]["mediators"] == ["AE", "US"]
        assert SWAPS["2025-10-02"]["mediators"] == []

    def test_tags_map_to_the_vocabulary_and_the_rest_stay_in_notes(self) -> None:
        assert SWAPS["2025-06-10"]["categories"] == ["severely_wounded", "sick"]
        assert SWAPS["2025-08-14"]["categories"] == [
            "civilians",
            "long_held",
            "mariupol_defenders",
            "officers",
        ]
        assert SWAPS["2022-03-01"]["categories"] == []
        assert SWAPS["2022-03-01"]["notes"].endswith("Tags: local exchange; territorial defence.")

    def test_every_source_url_of_the_row_is_kept_in_order(self) -> None:
        for row in csv_rows("exchanges.csv"):
            urls = [u.strip() for u in row["source_urls"].split(";") if u.strip()]
            assert [s["url"] for s in SWAPS[row["date"]]["sources"]] == urls

    def test_swaps_carried_out_under_a_recorded_agreement_reference_it(self) -> None:
        assert SWAPS["2026-02-05"]["agreement_id"] == "abu-dhabi-2026-02-05"
        assert SWAPS["2025-07-23"]["agreement_id"] == "istanbul-2025-06-02"
        assert "agreement_id" not in SWAPS["2025-10-02"]

    def test_two_swaps_on_one_day_get_a_numbered_second_id(self, tmp_path: Path) -> None:
        path = exchanges_csv(tmp_path, {"date": "2025-05-23"}, {"date": "2025-05-23"})
        assert [r.body["id"] for r in swap_records(path)] == ["2025-05-23", "2025-05-23-2"]

    def test_more_civilians_than_received_drops_the_civilians_into_notes(
        self, tmp_path: Path
    ) -> None:
        path = exchanges_csv(
            tmp_path,
            {"date": "2024-01-01", "returned_to_ukraine": "5", "civilians_to_ukraine": "9"},
        )
        body = swap_records(path)[0].body
        assert body["sides"][0] == {"party": "UA", "received": 5}
        assert body["notes"] == (
            "Dropped figure: 9 civilians to Ukraine exceeds the 5 people received."
        )

    def test_notes_longer_than_4000_characters_are_truncated(self, tmp_path: Path) -> None:
        path = exchanges_csv(tmp_path, {"date": "2024-01-01", "notes": "x" * 5000})
        assert len(swap_records(path)[0].body["notes"]) == 4000

    def test_an_unreviewed_mediator_is_refused(self, tmp_path: Path) -> None:
        path = exchanges_csv(tmp_path, {"date": "2024-01-01", "mediator": "Atlantis"})
        with pytest.raises(ValueError, match="Atlantis"):
            swap_records(path)

    def test_civilians_never_exceed_received_in_the_shipped_data(self) -> None:
        for body in SWAPS.values():
            for s in body["sides"]:
                assert s.get("civilians", 0) <= s.get("received", s.get("civilians", 0))


class TestNegotiationRecords:
    RECORDS = negotiation_records(DATA_DIR / "negotiation_events.json")
    ITEMS = json.loads((DATA_DIR / "negotiation_events.json").read_text(encoding="utf-8"))

    def test_there_is_one_record_per_row_of_events_csv_40_in_all(self) -> None:
        assert len(self.RECORDS) == 40
        assert [item["row"] for item in self.ITEMS] == list(range(1, 41))

    def test_counts_per_endpoint_match_the_documented_retyping(self) -> None:
        # README: 8 proposals, 4 refusals, 6 breaches, 12 statements; rows 7, 26, 27 and 36
        # were re-typed as statements (see their review_note).
        assert Counter(r.endpoint for r in self.RECORDS) == {
            "proposals": 7,
            "refusals": 2,
            "agreements": 9,
            "breaches": 5,
            "attempts": 1,
            "statements": 16,
        }

    def test_every_retyped_row_explains_itself_in_a_review_note(self) -> None:
        csv_types = {"proposal": "proposals", "refusal": "refusals", "agreement": "agreements"}
        csv_types |= {"breach": "breaches", "failed_attempt": "attempts"}
        csv_types |= {"statement": "statements"}
        for row, item in zip(csv_rows("events.csv"), self.ITEMS, strict=True):
            if csv_types[row["type"]] != item["endpoint"]:
                assert "Re-typed" in item["review_note"], item["row"]

    def test_review_notes_stay_out_of_the_write_bodies(self) -> None:
        assert all("review_note" not in r.body for r in self.RECORDS)

    def test_the_file_is_ordered_by_date_then_csv_row(self) -> None:
        order = [(item["body"]["occurred_on"], item["row"]) for item in self.ITEMS]
        assert order == sorted(order)

    def test_dates_and_sources_are_those_of_the_csv_row(self) -> None:
        for row, item in zip(csv_rows("events.csv"), self.ITEMS, strict=True):
            urls = [u.strip() for u in row["source_urls"].split(";") if u.strip()]
            assert item["body"]["occurred_on"] == row["date"]
            assert [s["url"] for s in item["body"]["sources"]] == urls

    def test_refusals_and_breaches_name_a_parent_earlier_in_the_file(self) -> None:
        created: dict[str, str] = {}
        for item in self.ITEMS:
            if "parent" in item:
                expected = "proposals" if item["endpoint"] == "refusals" else "agreements"
                assert created.get(item["parent"]) == expected, item["key"]
            if "id" in item["body"]:
                created[item["body"]["id"]] = item["endpoint"]

    def test_medvedchuk_refusal_is_linked_to_zelenskys_offer(self) -> None:
        refusal = next(r for r in self.RECORDS if r.key == "refusal-medvedchuk-peskov-2022-05-23")
        assert refusal.parent == "medvedchuk-offer-2022-04-13"
        assert refusal.body["refused_by"] == "RU"

    def test_azov_commanders_breach_is_russias_claim_against_ukraine(self) -> None:
        breach = next(r for r in self.RECORDS if r.body["occurred_on"] == "2023-07-08")
        assert (breach.parent, breach.body["alleged_by"], breach.body["breached_by"]) == (
            "sept-2022-swap-terms",
            "RU",
            "UA",
        )

    def test_texts_fit_the_api_limits(self) -> None:
        for r in self.RECORDS:
            for field in ("summary", "reason", "description"):
                assert len(r.body.get(field, "")) <= 2000


class TestHistoryRecords:
    def test_all_119_records_are_in_date_order(self) -> None:
        assert len(ALL) == 119
        dates = [r.body["occurred_on"] for r in ALL]
        assert dates == sorted(dates)

    def test_keys_are_unique_slugs_and_ids_are_valid_slugs(self) -> None:
        keys = [r.key for r in ALL]
        assert len(keys) == len(set(keys))
        assert all(SLUG.match(k) for k in keys)
        assert all(SLUG.match(r.body["id"]) for r in ALL if "id" in r.body)

    def test_every_reference_points_at_a_resource_created_earlier(self) -> None:
        kinds = {"refusals": "proposals", "acceptances": "proposals", "breaches": "agreements"}
        created: set[tuple[str, str]] = set()
        for r in ALL:
            refs = [(kinds[r.endpoint], r.parent)] if r.parent is not None else []
            refs += [("proposals", r.body["proposal_id"])] if "proposal_id" in r.body else []
            refs += [("agreements", r.body["agreement_id"])] if "agreement_id" in r.body else []
            assert all(ref in created for ref in refs), r.key
            if "id" in r.body:
                created.add((r.endpoint, r.body["id"]))

    def test_every_body_uses_only_fields_the_write_api_allows(self) -> None:
        for r in ALL:
            assert set(r.body) <= ALLOWED_FIELDS[r.endpoint], r.key
            assert REQUIRED_FIELDS[r.endpoint] | COMMON_FIELDS <= set(r.body), r.key
            assert all(set(s) <= SOURCE_FIELDS for s in r.body["sources"]), r.key
            assert all(set(t) <= TERM_FIELDS for t in r.body.get("terms", [])), r.key
            for s in r.body.get("sides", []):
                assert set(s) <= SIDE_FIELDS, r.key
                assert all(set(a) <= ALTERNATIVE_FIELDS for a in s.get("alternative_figures", []))

    def test_every_body_has_a_dated_source_backed_occurrence(self) -> None:
        for r in ALL:
            assert DATE.match(r.body["occurred_on"])
            assert "2014-01-01" <= r.body["occurred_on"] <= "2026-11-26"
            assert r.body["date_precision"] in {"day", "month"}
            if r.body["date_precision"] == "month":
                assert r.body["occurred_on"].endswith("-01"), r.key
            assert r.body["sources"]
            assert all(s["url"].startswith(("http://", "https://")) for s in r.body["sources"])

    def test_every_party_is_a_two_letter_upper_case_code(self) -> None:
        for r in ALL:
            assert all(PARTY.match(p) for p in parties_of(r)), r.key

    def test_every_category_format_and_basis_is_in_the_vocabulary(self) -> None:
        for r in ALL:
            assert set(categories_of(r.body)) <= CATEGORIES, r.key
            assert r.body.get("format", "numbers") in FORMATS
            assert {t["basis"] for t in r.body.get("terms", [])} <= BASES

    def test_every_count_is_a_non_negative_integer(self) -> None:
        for r in ALL:
            counts = [r.body.get("proposed_count", 0)]
            counts += [t.get("count", 0) for t in r.body.get("terms", [])]
            for s in r.body.get("sides", []):
                counts += [v for k, v in s.items() if k not in {"party", "alternative_figures"}]
                counts += [a["received"] for a in s.get("alternative_figures", [])]
            assert all(isinstance(c, int) and c >= 0 for c in counts), r.key

    def test_an_agreement_comes_before_the_swap_of_the_same_day(self) -> None:
        keys = [r.key for r in ALL]
        assert keys.index("agreement-abu-dhabi-2026-02-05") < keys.index("swap-2026-02-05")
        assert keys.index("agreement-geneva-2026-03-05") < keys.index("swap-2026-03-05")

    def test_the_converter_imports_only_the_standard_library(self) -> None:
        for module in ("convert.py", "judgements.py", "details.py", "__init__.py"):
            tree = ast.parse((Path(convert.__file__).parent / module).read_text())
            names = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            roots = {name.split(".")[0] for name in names}
            assert not roots & {"flask", "sqlalchemy", "marshmallow", "flask_smorest"}

    def test_agreements_bind_two_parties_and_no_party_accuses_itself(self) -> None:
        for r in ALL:
            if r.endpoint == "agreements":
                assert len(set(r.body["parties"])) >= 2, r.key
            if r.endpoint == "breaches":
                assert r.body["alleged_by"] != r.body["breached_by"], r.key


class TestFoundingArticleRecords:
    """founding_article.json: what the article and the reporting around it add."""

    ITEMS = json.loads((DATA_DIR / "founding_article.json").read_text(encoding="utf-8"))
    RECORDS = {r.key: r for r in negotiation_records(DATA_DIR / "founding_article.json")}
    ARTICLE = "https://www.pravda.com.ua/eng/news/2026/02/05/8019588"

    def test_six_reviewed_records_in_date_order_each_explaining_itself(self) -> None:
        assert Counter(r.endpoint for r in self.RECORDS.values()) == {
            "breaches": 1,
            "attempts": 2,
            "proposals": 1,
            "statements": 2,
        }
        dates = [item["body"]["occurred_on"] for item in self.ITEMS]
        assert dates == sorted(dates)
        assert all(item["review_note"] for item in self.ITEMS)

    def test_the_breach_is_ukraines_claim_against_russia_citing_the_article(self) -> None:
        breach = self.RECORDS["breach-ua-medinsky-istanbul-2025-07-23"]
        assert breach.parent == "istanbul-2025-06-02"
        body = breach.body
        assert (body["alleged_by"], body["breached_by"], body["occurred_on"]) == (
            "UA",
            "RU",
            "2025-07-23",
        )
        assert body["attributed_to"] == "Vladimir Medinsky (aide to Putin)"
        assert [s["url"] for s in body["sources"]] == [self.ARTICLE]

    def test_failed_attempts_are_dated_no_more_precisely_than_their_sources(self) -> None:
        new_year = self.RECORDS["attempt-new-year-exchange-2025-12"].body
        assert (new_year["occurred_on"], new_year["date_precision"]) == ("2025-12-01", "month")
        of_500 = self.RECORDS["attempt-exchange-of-500-2026-01-16"].body
        assert (of_500["occurred_on"], of_500["date_precision"]) == ("2026-01-16", "day")
        assert "dated by that statement" in of_500["reason"]
        assert {new_year["blamed_party"], of_500["blamed_party"]} == {"RU"}

    def test_the_gap_before_5_february_2026_holds_them_and_no_swap(self) -> None:
        inside = [r for r in ALL if "2025-10-02" < r.body["occurred_on"] <= "2026-02-05"]
        assert [r.key for r in inside if r.endpoint in {"attempts", "proposals"}] == [
            "proposal-umerov-unblock-2025-11-11",
            "attempt-new-year-exchange-2025-12",
            "proposal-all-for-all-20-points-2025-12-24",
            "attempt-exchange-of-500-2026-01-16",
        ]
        assert [r.key for r in inside if r.endpoint == "swaps"] == ["swap-2026-02-05"]

    def test_the_kursk_breach_no_longer_says_no_such_source_was_found(self) -> None:
        kursk = next(r for r in ALL if r.key == "breach-kursk-civilians-medinsky-2025-07-23")
        assert "No source was found" not in kursk.body["description"]
        assert kursk.body["alleged_by"] == "RU"


class TestSubResourceIdentity:
    def test_each_sub_resource_record_is_told_apart_by_parent_date_and_first_source(self) -> None:
        # How an upgrade finds a loaded refusal or breach in a store that kept no keys.
        children = [r for r in ALL if r.parent is not None]
        identities = {
            (r.parent, r.body["occurred_on"], r.body["sources"][0]["url"]) for r in children
        }
        assert len(identities) == len(children)

    def test_no_record_cites_a_url_twice(self) -> None:
        for r in ALL:
            urls = [s["url"] for s in r.body["sources"]]
            assert len(urls) == len(set(urls)), r.key


class TestSwapDetails:
    def _data(self, tmp_path: Path, details: list[dict[str, Any]]) -> Path:
        (tmp_path / "negotiation_events.json").write_text("[]", encoding="utf-8")
        exchanges_csv(
            tmp_path,
            {"date": "2024-01-01", "returned_to_ukraine": "5", "returned_to_russia": "5"},
        )
        (tmp_path / "swap_details.json").write_text(json.dumps(details), encoding="utf-8")
        return tmp_path

    def test_details_add_figures_breakdowns_and_describe_cited_sources(
        self, tmp_path: Path
    ) -> None:
        breakdown = {
            "side": "RU",
            "dimension": "nationality",
            "values": [{"label": "a", "count": 2}],
        }
        data = self._data(
            tmp_path,
            [
                {
                    "swap_id": "2024-01-01",
                    "sides": [{"party": "RU", "received": 5, "medical": 1}],
                    "breakdowns": [breakdown],
                    "sources": [{"url": "https://example.org/a", "publisher": "Example"}],
                }
            ],
        )
        (swap,) = history_records(data)
        assert swap.body["sides"][1] == {"party": "RU", "received": 5, "medical": 1}
        assert swap.body["breakdowns"] == [breakdown]
        assert swap.body["sources"] == [{"url": "https://example.org/a", "publisher": "Example"}]

    @pytest.mark.parametrize(
        ("detail", "message"),
        [
            ({"swap_id": "2024-01-02"}, "no swap with id 2024-01-02"),
            (
                {"swap_id": "2024-01-01", "sides": [{"party": "RU", "received": 6}]},
                "received is 5 in exchanges.csv",
            ),
            (
                {"swap_id": "2024-01-01", "sources": [{"url": "https://example.org/b"}]},
                "https://example.org/b is not in the row's source_urls",
            ),
        ],
    )
    def test_a_detail_never_overrides_the_csv_or_cites_what_the_row_does_not(
        self, tmp_path: Path, detail: dict[str, Any], message: str
    ) -> None:
        with pytest.raises(ValueError, match=message):
            history_records(self._data(tmp_path, [detail]))
