"""The committed Python SDK (clients/python) is what openapi-python-client makes of openapi.yaml,
installs with pip, and takes a newsroom through its day against gunicorn.

``make sdk`` regenerates it; the drift test here regenerates it in a temporary directory (with
the same configuration, clients/openapi-python-client.yaml, and the venv's ruff) and compares.
The journey imports the copy pip installed, never the source tree.
"""

from __future__ import annotations

import csv
import datetime
import filecmp
import importlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.store import tokens
from tests.builders import agreement_body, refusal_body
from tests.servers import running_gunicorn

ROOT = Path(__file__).resolve().parents[2]
SDK = ROOT / "clients" / "python"
CONFIG = ROOT / "clients" / "openapi-python-client.yaml"
PACKAGE = "pow_exchange_log_client"
BIN = Path(sys.executable).parent
# Left behind by the generator's ruff, pip and Python; never part of the SDK.
NOT_GENERATED = {"__pycache__", ".ruff_cache", "build", f"{PACKAGE}.egg-info"}
SOURCE = {"url": "https://news.example/2026/06/05/swap", "publisher": "Example News"}

pytestmark = pytest.mark.slow


def generate(output: Path) -> str:
    """Run the generator as ``make sdk`` does; its output (stdout and stderr)."""
    result = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(ROOT / "openapi.yaml"),
            "--config",
            str(CONFIG),
            "--meta",
            "setup",
            "--output-path",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    output_text = result.stdout + result.stderr
    assert result.returncode == 0, output_text
    return output_text


def _tree(root: Path) -> set[str]:
    return {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and not NOT_GENERATED & set(path.relative_to(root).parts)
    }


@pytest.fixture(scope="session")
def sdk(tmp_path_factory) -> Iterator[Any]:
    """``pip install ./clients/python`` (into a directory of its own), imported from there."""
    root = tmp_path_factory.mktemp("sdk")
    source, target = root / "source", root / "site"
    shutil.copytree(SDK, source, ignore=shutil.ignore_patterns(*NOT_GENERATED))
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    subprocess.run(
        [*pip, "--target", target, source],
        check=True,
        capture_output=True,
        timeout=300,
    )
    sys.path.insert(0, str(target))
    try:
        module = importlib.import_module(PACKAGE)
        assert Path(module.__file__).is_relative_to(target)
        yield module
    finally:
        sys.path.remove(str(target))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


class Newsroom:
    """The SDK as a newsroom uses it: typed writes and reads; each step asserts its status."""

    def __init__(self, sdk: Any, base_url: str, token: str) -> None:
        self.client = sdk.AuthenticatedClient(base_url=base_url, token=token)
        self.models = importlib.import_module(f"{PACKAGE}.models")
        self.api = lambda module: importlib.import_module(f"{PACKAGE}.api.{module}")

    def write(self, operation: str, model: str, body: dict, *path: str, **headers: str) -> Any:
        call = self.api(operation).sync_detailed
        payload = getattr(self.models, model).from_dict(body)
        response = call(*path, client=self.client, body=payload, **headers)
        assert response.status_code == 201, response.content
        assert isinstance(response.parsed, self.models.Envelope)
        return response.parsed

    def read(self, operation: str, model: str, **query: Any) -> Any:
        response = self.api(operation).sync_detailed(client=self.client, **query)
        assert response.status_code == 200, response.content
        assert isinstance(response.parsed, getattr(self.models, model))
        return response.parsed

    def live(self, after: int, count: int) -> list[tuple[Any, Any]]:
        """The first ``count`` events after ``after`` on the live feed, with their envelopes.

        openapi-python-client reads no event stream (its ``stream_events`` waits for the whole
        body and cannot parse it), so this streams with the client's own httpx client and
        reads each event with the SDK's models.
        """
        events: list[tuple[Any, Any]] = []
        http = self.client.get_httpx_client()
        with http.stream("GET", "/v1/events/live", params={"after": after}) as response:
            assert response.status_code == 200
            fields: dict[str, str] = {}
            for line in response.iter_lines():
                if line:
                    name, _, value = line.partition(": ")
                    fields[name] = value
                    continue
                if "data" in fields:
                    frame = self.models.StreamEventsResponse200.from_dict(fields)
                    events.append((frame, self.models.Envelope.from_dict(json.loads(frame.data))))
                    if len(events) == count:
                        return events
                fields = {}
        return events


@pytest.fixture
def server(database_url: str) -> Iterator[str]:
    with running_gunicorn(database_url, workers=2, env={"LIVE_MAX_SECONDS": "5"}) as server:
        yield server.base_url


def _sources(**more: Any) -> list[dict[str, Any]]:
    return [{**SOURCE, **more}]


class TestPythonSdk:
    def test_the_committed_sdk_is_what_the_generator_makes_of_the_document(self, tmp_path):
        output = generate(tmp_path / "python")
        assert "warning" not in output.lower(), output
        assert "error" not in output.lower(), output
        committed, fresh = _tree(SDK), _tree(tmp_path / "python")
        assert committed == fresh, "clients/python drifted from openapi.yaml: run `make sdk`"
        _, differing, errors = filecmp.cmpfiles(SDK, tmp_path / "python", sorted(fresh), False)
        assert (differing, errors) == ([], []), "clients/python drifted: run `make sdk`"

    def test_a_newsroom_records_corrects_reads_and_cites_its_figures(self, sdk, server, engine):
        newsroom = Newsroom(sdk, server, tokens.create_token(engine, "newsroom", "write"))
        editor = Newsroom(sdk, server, tokens.create_token(engine, "editor", "admin"))
        newsroom.write(
            "agreements.create_agreement", "AgreementWrite", agreement_body(id="istanbul")
        )
        newsroom.write(
            "swaps.create_swap",
            "SwapWrite",
            {
                "id": "2026-03-01",
                "occurred_on": "2026-03-01",
                "sides": [{"party": "UA", "received": 157}, {"party": "RU", "received": 157}],
                "sources": _sources(),
            },
        )
        # A refused proposal and a claimed breach inside the gap that follows.
        newsroom.write(
            "proposals.create_proposal",
            "ProposalWrite",
            {
                "id": "ua-all-for-all",
                "occurred_on": "2026-05-20",
                "proposed_by": "UA",
                "addressed_to": "RU",
                "format": "all_for_all",
                "categories": ["military", "civilians"],
                "summary": "Ukraine offers to exchange all prisoners for all.",
                "sources": _sources(),
            },
        )
        refusal = newsroom.write(
            "proposals.refuse_proposal",
            "RefusalWrite",
            refusal_body(occurred_on="2026-05-22", sources=_sources()),
            "ua-all-for-all",
        )
        assert refusal.stream == "proposal/ua-all-for-all"
        assert refusal.data["proposal_id"] == "ua-all-for-all"
        newsroom.write(
            "agreements.report_breach",
            "BreachWrite",
            {
                "occurred_on": "2026-05-25",
                "alleged_by": "UA",
                "breached_by": "RU",
                "description": "No severely wounded prisoners were on the lists.",
                "sources": _sources(),
            },
            "istanbul",
        )
        # A swap with a nationality breakdown, then the ministry's revised figure.
        swap = newsroom.write(
            "swaps.create_swap",
            "SwapWrite",
            {
                "id": "2026-06-05",
                "occurred_on": "2026-06-05",
                "mediators": ["AE"],
                "sides": [{"party": "UA", "received": 205}, {"party": "RU", "received": 205}],
                "breakdowns": [
                    {
                        "side": "RU",
                        "dimension": "nationality",
                        "values": [
                            {"label": "Russians", "share": 0.8},
                            {"label": "Chechens", "share": 0.13},
                            {"label": "other", "share": 0.07},
                        ],
                    }
                ],
                "sources": _sources(),
            },
        )
        correction = newsroom.write(
            "events.correct_event",
            "CorrectionWrite",
            {
                "occurred_on": "2026-06-06",
                "reason": "The ministry revised the number of Ukrainians returned.",
                "changes": {
                    "sides": [{"party": "UA", "received": 206}, {"party": "RU", "received": 205}]
                },
                "sources": _sources(),
            },
            str(swap.id),
            if_match='"1"',
        )
        assert correction.position == 7
        assert correction.data["target_event_id"] == str(swap.id)
        resource = newsroom.read("swaps.get_swap", "SwapView", swap_id="2026-06-05")
        assert [(s.party.value, s.received) for s in resource.data.sides] == [
            ("UA", 206),
            ("RU", 205),
        ]
        assert (resource.corrected, resource.stream_version) == (True, 2)

        # The gap between the two swaps, with what happened inside it; the summary.
        gaps = newsroom.read("metrics.get_gaps", "GapReport", from_=datetime.date(2026, 1, 1))
        assert [
            (str(g.from_swap), str(g.to_swap), g.days, g.proposals, g.refusals, g.breaches)
            for g in gaps.gaps
        ] == [("2026-03-01", "2026-06-05", 96, 1, 1, 1)]
        summary = newsroom.read("metrics.get_summary", "SummaryReport")
        assert {r.party: r.received.total for r in summary.received} == {"RU": 362, "UA": 363}
        (nationality,) = summary.breakdowns
        assert [(v.label, v.count, v.estimated) for v in nationality.values] == [
            ("Chechens", 27, True),
            ("Russians", 164, True),
            ("other", 14, True),
        ]

        # The timeline as CSV (the generated get_timeline parses JSON only: the client's httpx).
        answer = newsroom.client.get_httpx_client().get(
            "/v1/timeline", params={"format": "csv", "from": "2026-05-01"}
        )
        rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
        assert [row[2:4] for row in rows[1:]] == [
            ["proposal.made", "ua-all-for-all"],
            ["proposal.refused", "ua-all-for-all"],
            ["agreement.breached", "istanbul"],
            ["swap.completed", "2026-06-05"],
        ]
        assert "UA and RU swap 206 for 205" in rows[4][4]

        # Cut a release, let the log move on, and read the gaps exactly as published.
        created = editor.api("releases.create_release").sync_detailed(
            client=editor.client,
            body=editor.models.ReleaseCreate(name="june-story", description="June story"),
        )
        assert created.status_code == 201 and created.parsed.position == 7
        newsroom.write(
            "statements.create_statement",
            "StatementWrite",
            {
                "occurred_on": "2026-06-08",
                "speaker": "Ombudsman",
                "party": "UA",
                "summary": "More exchanges are being prepared.",
                "sources": _sources(),
            },
        )
        cited = newsroom.read("metrics.get_gaps", "GapReport", as_of="release:june-story")
        assert cited.as_of_position == 7 and cited.gaps == gaps.gaps
        before = newsroom.read("metrics.get_gaps", "GapReport", as_of="5")
        assert (before.summary.swaps, before.gaps) == (1, [])

        # Follow the live feed briefly: what was appended after the second swap.
        events = newsroom.live(after=6, count=2)
        assert [(f.id, f.event.value, e.type_.value) for f, e in events] == [
            ("7", "event.corrected", "event.corrected"),
            ("8", "statement.made", "statement.made"),
        ]

    def test_errors_come_back_as_problem_models(self, sdk, server, engine):
        newsroom = Newsroom(sdk, server, tokens.create_token(engine, "partner", "write"))
        body = newsroom.models.RefusalWrite.from_dict(refusal_body())
        response = newsroom.api("proposals.refuse_proposal").sync_detailed(
            "nope", client=newsroom.client, body=body
        )
        assert response.status_code == 422
        assert isinstance(response.parsed, newsroom.models.Problem)
        assert response.parsed.status == 422
        assert response.parsed.errors.additional_properties == {
            "proposal_id": ["there is no proposal 'nope'"]
        }
