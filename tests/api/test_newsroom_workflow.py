"""examples/newsroom.sh against a live gunicorn server, and the README showing exactly it."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from pathlib import Path

import httpx
import pytest

from service.history.importer import import_history
from service.store import tokens
from service.wiring import open_log
from tests.servers import running_gunicorn

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "newsroom.sh"
RELEASE = "june-story"


SOURCE = '"sources": [{"url": "https://news.example/a"}]'
CATEGORIES = "military, civilians, severely_wounded, sick, under_25, convicts, mobilised, akhmat"
# What a curl user types by mistake, and how the one line the terminal shows back begins.
MISTAKES = {
    '{"occurred_on": "2026-06-05", ' + SOURCE + "}": (
        "The request is invalid. sides: Missing data for required field."
    ),
    '{"occurred_on": "2026-06-05", "categories": ["militray"], "sides": [{"party": "UA"}], '
    + SOURCE
    + "}": f"The request is invalid. categories.0: Must be one of: {CATEGORIES}, ",
}


def _curl(base_url: str, token: str, body: str) -> tuple[int, str]:
    """Exit status of curl and the problem's one-line detail."""
    command = ["curl", "--fail-with-body", "-sS", "-X", "POST", f"{base_url}/v1/swaps"]
    command += ["-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json"]
    done = subprocess.run(
        [*command, "-d", body],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.returncode, json.loads(done.stdout)["detail"]


def _prepare(database_url: str, with_history: bool) -> tuple[str, str]:
    engine = open_log(database_url)
    try:
        if with_history:
            import_history(engine)
        return (
            tokens.create_token(engine, "newsroom", "write"),
            tokens.create_token(engine, "editor", "admin"),
        )
    finally:
        engine.dispose()


def _run_script(base_url: str, token: str, admin: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "BASE": base_url,
        "TOKEN": token,
        "ADMIN_TOKEN": admin,
        "RELEASE": RELEASE,
    }
    return subprocess.run(
        ["bash", str(SCRIPT)], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
class TestTheNewsroomScript:
    @pytest.mark.parametrize("with_history", [True, False], ids=["history", "empty"])
    def test_the_script_records_the_day_and_the_figures_come_out_right(
        self, database_url, tmp_path, with_history
    ):
        token, admin = _prepare(database_url, with_history)
        with running_gunicorn(database_url, workers=2) as server:
            done = _run_script(server.base_url, token, admin, tmp_path)
            assert done.returncode == 0, done.stdout + done.stderr + server.output()
            mistakes = [_curl(server.base_url, token, body) for body in MISTAKES]
            with httpx.Client(base_url=server.base_url, timeout=10.0) as http:
                swap = http.get("/v1/swaps/2026-06-05").json()
                gaps = http.get("/v1/metrics/gaps?from=2026-01-01").json()
                release = http.get(f"/v1/releases/{RELEASE}")
                cited = http.get(f"/v1/metrics/gaps?from=2026-01-01&as_of=release:{RELEASE}")
                breaches = http.get("/v1/agreements/istanbul-2025-06-02").json()["breaches"]
                head = http.get("/v1/log/head").json()

        for (status, detail), expected in zip(mistakes, MISTAKES.values(), strict=True):
            assert status == 22  # curl --fail-with-body on a 4xx
            assert "\n" not in detail and detail.endswith(".")
            assert detail.startswith(expected)  # the whole vocabulary follows
        assert swap["data"]["sides"] == [
            {"party": "UA", "received": 206, "alternative_figures": []},
            {"party": "RU", "received": 205, "alternative_figures": []},
        ]
        assert swap["corrected"] is True
        assert swap["data"]["breakdowns"][0]["values"][1] == {"label": "Chechens", "share": 0.13}
        assert [b["data"]["alleged_by"] for b in breaches][-1] == "UA"
        summary = gaps["summary"]
        if with_history:
            # 2026 in exchanges.csv: 5 swaps (5 Feb, 5 Mar, 6 Mar, 11 Apr, 24 Apr) + the new one
            assert (summary["swaps"], summary["gaps"]) == (6, 5)
            assert {k: gaps["gaps"][-1][k] for k in ("from_swap", "to_swap", "days")} == {
                "from_swap": "2026-04-24",
                "to_swap": "2026-06-05",
                "days": 42,
            }
            assert (gaps["gaps"][-1]["proposals"], gaps["gaps"][-1]["refusals"]) == (1, 1)
            assert gaps["gaps"][-1]["breaches"] == 1
        else:
            assert (summary["swaps"], summary["gaps"]) == (1, 0)
        assert summary["current_gap_since"] == "2026-06-05"
        assert release.status_code == 200
        assert release.json()["position"] == head["position"]
        assert cited.status_code == 200
        assert cited.json()["summary"] == summary
        csv_text = (tmp_path / "timeline.csv").read_bytes().decode("utf-8-sig")
        assert [row["type"] for row in csv.DictReader(io.StringIO(csv_text))] == [
            "proposal.made",
            "proposal.refused",
            "agreement.breached",
            "swap.completed",
        ]


class TestTheReadmeShowsTheScript:
    def test_the_newsroom_section_holds_the_script_verbatim(self):
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        shown = re.search(
            r"<!-- begin examples/newsroom\.sh -->\n```sh\n(.*?)```\n"
            r"<!-- end examples/newsroom\.sh -->",
            readme,
            re.S,
        )
        assert shown, "README.md has no block between the examples/newsroom.sh markers"
        assert shown.group(1) == SCRIPT.read_text(encoding="utf-8")
