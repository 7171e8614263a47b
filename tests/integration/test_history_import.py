"""The shipped history loaded through the write path, checked against figures from the data."""

from __future__ import annotations

import shutil
from datetime import date
from itertools import pairwise

import pytest

from service.history.importer import HistoryRejected, import_history
from service.store import event_reads
from tests.builders import swap_body

# Independent expectations, read off exchanges.csv and its README by hand.
SWAPS_IN_FILE = 73
# 73 swaps, 40 negotiation records, 6 records of the founding article.
RECORDS_IN_FILES = 73 + 40 + 6


def _all_swaps(client) -> list[dict]:
    swaps, after = [], 0
    while True:
        page = client.get(f"/v1/events?type=swap.completed&limit=20&after={after}").json
        swaps += page["events"]
        if page["next_after"] is None:
            return swaps
        after = page["next_after"]


def _gaps(swaps: list[dict]) -> list[tuple[int, str, str]]:
    days = sorted({s["occurred_on"] for s in swaps})
    return [((date.fromisoformat(b) - date.fromisoformat(a)).days, a, b) for a, b in pairwise(days)]


class TestHistoryImport:
    def test_the_first_import_appends_every_record_and_a_second_appends_nothing(self, engine):
        first = import_history(engine)
        with engine.connect() as conn:
            head_after_first = event_reads.head(conn)
        second = import_history(engine)
        with engine.connect() as conn:
            assert event_reads.head(conn) == head_after_first
        assert (first.appended, first.present) == (RECORDS_IN_FILES, 0)
        assert (second.appended, second.present) == (0, RECORDS_IN_FILES)
        assert str(second) == "history: appended 0, corrected 0, already present 119"
        assert head_after_first[0] == RECORDS_IN_FILES

    def test_the_total_is_told_once_before_the_first_record_then_progress_counts_up(self, engine):
        told: list[tuple[str, int]] = []
        import_history(
            engine,
            progress=lambda done: told.append(("done", done)),
            total=lambda total: told.append(("total", total)),
        )
        assert told[0] == ("total", RECORDS_IN_FILES)
        assert told[1:] == [("done", n) for n in range(1, RECORDS_IN_FILES + 1)]

    def test_imported_swaps_agree_with_the_figures_in_the_file(self, engine, client):
        import_history(engine)
        swaps = _all_swaps(client)
        assert len(swaps) == SWAPS_IN_FILE
        assert {s["recorded_by"] for s in swaps} == {"history-import"}
        by_stream = {s["stream"]: s for s in swaps}
        ua, ru = by_stream["swap/2026-02-05"]["data"]["sides"]
        assert ua == {"party": "UA", "received": 157, "civilians": 7, "alternative_figures": []}
        assert {k: v for k, v in ru.items() if k != "alternative_figures"} == {
            "party": "RU",
            "received": 160,
            "military": 157,
            "civilians": 3,
            "medical": 5,
        }
        assert [(f["claimed_by"], f["received"]) for f in ru["alternative_figures"]] == [
            ("UA", 157)
        ]
        # Neither side disclosed per-stage numbers in June 2025: unknown, so absent, not 0.
        assert by_stream["swap/2025-06-09"]["data"]["sides"] == [
            {"party": "UA", "alternative_figures": []},
            {"party": "RU", "alternative_figures": []},
        ]

    def test_the_longest_gap_is_149_days_and_the_gap_before_5_february_2026_is_126(
        self, engine, client
    ):
        import_history(engine)
        gaps = _gaps(_all_swaps(client))
        assert max(gaps) == (149, "2023-08-07", "2024-01-03")
        assert (126, "2025-10-02", "2026-02-05") in gaps

    def test_a_resource_created_before_the_import_is_left_as_it_was(self, engine, client, auth):
        mine = client.post(
            "/v1/swaps", json=swap_body(id="2026-02-05", occurred_on="2026-02-05"), headers=auth
        ).json
        summary = import_history(engine)
        assert (summary.appended, summary.present) == (RECORDS_IN_FILES - 1, 1)
        events = client.get("/v1/events?stream=swap/2026-02-05").json["events"]
        assert [e["id"] for e in events] == [mine["id"]]


class TestGapsOnTheRealHistory:
    """GET /v1/metrics/gaps on the imported history; every figure read off exchanges.csv."""

    def test_the_gaps_endpoint_answers_about_the_real_exchanges(self, engine, client):
        import_history(engine)
        answer = client.get("/v1/metrics/gaps")
        assert answer.status_code == 200
        body = answer.json
        assert body["as_of_position"] == RECORDS_IN_FILES
        summary = body["summary"]
        assert (summary["swaps"], summary["gaps"]) == (73, 72)
        assert summary["max_days"] == 149
        assert summary["longest"] == {"from_swap": "2023-08-07", "to_swap": "2024-01-03"}
        assert summary["current_gap_since"] == "2026-04-24"  # the last row of exchanges.csv
        assert len(body["gaps"]) == 72
        by_pair = {(g["from_swap"], g["to_swap"]): g for g in body["gaps"]}
        assert by_pair[("2025-10-02", "2026-02-05")]["days"] == 126
        assert by_pair[("2023-08-07", "2024-01-03")]["days"] == 149
        assert body["gaps"][0]["from_swap"] == "2022-03-01"
        assert body["gaps"][-1]["to_swap"] == "2026-04-24"


class TestRejectedHistory:
    @pytest.fixture
    def broken_data(self, tmp_path):
        from service.history.convert import DATA_DIR

        data = tmp_path / "history"
        shutil.copytree(DATA_DIR, data)
        csv_path = data / "exchanges.csv"
        text = csv_path.read_text(encoding="utf-8")
        csv_path.write_text(text.replace("\n2022-03-01,5,1,", "\n2022-03-01,-5,1,", 1))
        return data

    def test_a_record_the_rules_refuse_stops_the_import_naming_its_key(self, engine, broken_data):
        with pytest.raises(HistoryRejected) as caught:
            import_history(engine, broken_data)
        assert caught.value.key == "swap-2022-03-01"
        assert caught.value.problem == (
            "/v1/swaps: sides.0.received: Must be a whole number from 0 to 10000000."
        )

    def test_the_command_exits_1_naming_the_record(self, app, broken_data):
        with app.app_context():
            result = app.test_cli_runner().invoke(
                args=["import-history", "--data-dir", str(broken_data)]
            )
        assert result.exit_code == 1
        assert "history record 'swap-2022-03-01' rejected: /v1/swaps:" in result.output

    def test_the_command_prints_a_one_line_summary(self, app):
        runner = app.test_cli_runner()
        with app.app_context():
            outputs = [runner.invoke(args=["import-history"]).stdout for _ in range(2)]
        assert outputs == [
            "history: appended 119, corrected 0, already present 0\n",
            "history: appended 0, corrected 0, already present 119\n",
        ]
