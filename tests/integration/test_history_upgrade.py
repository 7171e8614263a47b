"""A store that loaded the previous history is brought up to date, never rewritten.

tests/fixtures/history_v1 is the history as shipped before the founding article's record
(113 records). Loading it and then running the current import must append corrections for
the three records that changed and the six new records, and answer every projection as a
fresh load of the current history does.
"""

from __future__ import annotations

import io
import json
import shutil
from itertools import groupby
from pathlib import Path
from typing import Any

import pytest

from service.app import create_app
from service.config import Settings
from service.history.convert import DATA_DIR
from service.history.importer import HistoryRejected, import_history
from service.readmodel.check import differing_projections
from service.store import event_reads
from service.store.backup import export_to, import_from
from service.store.engine import append_transaction

from ..builders import correction_body, post, retraction_body

PREVIOUS = Path(__file__).resolve().parent.parent / "fixtures" / "history_v1"
PREVIOUS_RECORDS = 113
CURRENT_RECORDS = 119
CHANGED = {"swap/2026-02-05", "agreement/istanbul-2025-06-02"}  # the Kursk breach is in the latter
# Envelope values that legitimately differ between an upgraded and a fresh store.
ENVELOPE_ONLY = {"event_id", "position", "corrected", "corrections", "stream_version", "href"}


@pytest.fixture
def other_client(request, backend):
    """A second, empty store on the same backend, with its own app."""
    factory = request.getfixturevalue(f"{backend}_factory")
    url = factory.fresh()
    app = create_app(Settings(database_url=url))
    yield app.test_client(), app.extensions["engine"]
    app.extensions["engine"].dispose()
    factory.drop(url)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in ENVELOPE_ONLY}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _resources(client, kind: str) -> dict[str, Any]:
    items = client.get(f"/v1/{kind}?limit=1000").get_json()[kind]
    return {item["id"]: _plain(item) for item in items}


def _timeline(client) -> list[list[str]]:
    """The timeline day by day; within a day facts are ordered by position, which differs."""
    entries = client.get("/v1/timeline?limit=1000").get_json()["entries"]
    days = groupby(entries, key=lambda e: e["occurred_on"])
    return [sorted(json.dumps(_plain(e), sort_keys=True) for e in day) for _, day in days]


def _metrics(client) -> tuple[Any, Any]:
    gaps = client.get("/v1/metrics/gaps").get_json()
    summary = client.get("/v1/metrics/summary").get_json()
    for answer in (gaps, summary):
        answer.pop("as_of_position")
    return gaps, summary


def _rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return list(event_reads.raw_rows(conn))


class TestUpgradingAStoreLoadedWithThePreviousHistory:
    def test_it_appends_corrections_and_new_records_and_a_second_run_appends_nothing(self, engine):
        first = import_history(engine, PREVIOUS)
        before = _rows(engine)
        upgrade = import_history(engine)
        again = import_history(engine)
        assert (first.appended, first.corrected, first.present) == (PREVIOUS_RECORDS, 0, 0)
        assert (upgrade.appended, upgrade.corrected, upgrade.present) == (6, 3, 110)
        assert (again.appended, again.corrected, again.present) == (0, 0, CURRENT_RECORDS)
        after = _rows(engine)
        assert after[: len(before)] == before  # nothing loaded earlier was rewritten
        assert len(after) == PREVIOUS_RECORDS + 6 + 3
        corrections = [e for e in after[len(before) :] if e["type"] == "event.corrected"]
        assert sorted(e["stream"] for e in corrections) == sorted(
            ["agreement/istanbul-2025-06-02", "agreement/istanbul-2025-06-02", "swap/2026-02-05"]
        )
        assert {e["recorded_by"] for e in after} == {"history-import"}
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []

    def test_the_upgraded_store_answers_every_projection_as_a_fresh_load_does(
        self, engine, client, other_client
    ):
        fresh_client, fresh_engine = other_client
        import_history(engine, PREVIOUS)
        import_history(engine)
        import_history(fresh_engine)
        for kind in ("swaps", "agreements", "proposals"):
            assert _resources(client, kind) == _resources(fresh_client, kind), kind
        assert _metrics(client) == _metrics(fresh_client)
        assert _timeline(client) == _timeline(fresh_client)
        upgraded = client.get("/v1/swaps/2026-02-05").get_json()
        assert upgraded["corrected"] is True
        # The article reaches the swap through the correction that cites it.
        assert "https://www.pravda.com.ua/eng/news/2026/02/05/8019588" in [
            source["url"] for source in upgraded["sources"]
        ]
        assert upgraded["data"]["sides"][1]["medical"] == 5
        assert fresh_client.get("/v1/swaps/2026-02-05").get_json()["corrected"] is False

    def test_the_corrections_say_what_changed_and_cite_the_article(self, engine, client):
        import_history(engine, PREVIOUS)
        import_history(engine)
        corrections = client.get("/v1/corrections").get_json()["corrections"]
        swap = next(c for c in corrections if c["target_stream"] == "swap/2026-02-05")
        assert sorted(swap["changes"]) == ["breakdowns", "categories", "notes", "sides"]
        assert swap["reason"].startswith(
            "Shipped history updated: breakdowns, categories, notes, sides changed; sources"
            " added: https://www.pravda.com.ua/eng/news/2026/02/05/8019588, "
        )
        assert swap["occurred_on"] == "2026-02-05"
        assert swap["before"]["data"]["sides"][1] == {
            "party": "RU",
            "received": 160,
            "alternative_figures": [],
        }
        event = client.get(swap["href"]).get_json()
        assert [s["url"] for s in event["sources"]] == [
            "https://www.pravda.com.ua/eng/news/2026/02/05/8019588",
            "https://mail.odessa-journal.com/as-part-of-the-exchange-russia-took-back-chechen-"
            "kadyrov-fighters-and-former-prisoners",
            "https://news.ru/russia/rossiya-vernula-iz-plena-vsu-bolshe-sotni-soldat",
        ]
        breach = next(c for c in corrections if "description" in (c["changes"] or {}))
        assert breach["target_type"] == "agreement.breached"
        assert "No source was found" in breach["before"]["data"]["description"]
        assert "recorded as a separate breach" in breach["after"]["data"]["description"]

    def test_a_restored_store_without_idempotency_keys_is_upgraded_the_same_way(
        self, engine, other_client
    ):
        _, restored = other_client
        import_history(engine, PREVIOUS)
        out = io.StringIO()
        export_to(engine, out)
        import_from(restored, io.StringIO(out.getvalue()))
        upgrade = import_history(restored)
        assert (upgrade.appended, upgrade.corrected, upgrade.present) == (6, 3, 110)
        assert import_history(restored).appended == 0


class TestWhatAnUpgradeLeavesAlone:
    def test_a_newsroom_correction_of_another_field_stays(self, engine, client, auth):
        import_history(engine, PREVIOUS)
        swap = client.get("/v1/swaps/2026-02-05").get_json()
        body = correction_body({"mediators": ["AE"]}, reason="Only the UAE mediated.")
        post(client, auth, f"/v1/events/{swap['event_id']}/corrections", body)
        assert import_history(engine).corrected == 3
        view = client.get("/v1/swaps/2026-02-05").get_json()
        assert view["data"]["mediators"] == ["AE"]
        assert view["data"]["sides"][1]["medical"] == 5

    def test_a_retracted_record_is_not_corrected(self, engine, client, auth):
        import_history(engine, PREVIOUS)
        swap = client.get("/v1/swaps/2026-02-05").get_json()
        post(client, auth, f"/v1/events/{swap['event_id']}/retractions", retraction_body())
        summary = import_history(engine)
        assert (summary.appended, summary.corrected, summary.present) == (6, 2, 111)
        assert client.get("/v1/swaps/2026-02-05").status_code == 404

    def test_a_change_no_correction_can_express_stops_the_import_naming_the_record(
        self, engine, tmp_path
    ):
        import_history(engine, PREVIOUS)
        data = tmp_path / "history"
        shutil.copytree(DATA_DIR, data)
        path = data / "negotiation_events.json"
        items = json.loads(path.read_text(encoding="utf-8"))
        zakharova = next(i for i in items if i["key"] == "statement-zakharova-2025-11-20")
        zakharova["body"]["sources"].pop(0)
        path.write_text(json.dumps(items), encoding="utf-8")
        with pytest.raises(HistoryRejected) as caught:
            import_history(engine, data)
        assert caught.value.key == "statement-zakharova-2025-11-20"
        assert caught.value.problem.endswith(
            "sources changed; sources already cited stay as they are, new ones go after them"
        )
