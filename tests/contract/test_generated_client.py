"""A Python client generated from the committed openapi.yaml drives a real gunicorn server.

openapi-python-client runs in a temporary directory and must not warn; the generated code is
imported as it is (no hand edits) and used the way a partner would. ``Journey`` holds the
steps, including the reads of the gaps, the summary and the Atom feed (getGaps, getSummary,
getFeed), called in ``test_a_partner_records_and_reads_the_history_through_the_generated_client``.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from service.store import tokens
from tests.builders import (
    agreement_body,
    breach_body,
    correction_body,
    proposal_body,
    refusal_body,
    swap_body,
)
from tests.servers import running_gunicorn

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"
PACKAGE = "pow_exchange_log_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def sdk(tmp_path_factory):
    """Generate the client package once per session and import it."""
    root = tmp_path_factory.mktemp("sdk")
    config = root / "config.yaml"
    config.write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n", encoding="utf-8")
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(SPEC),
            "--meta",
            "none",
            "--output-path",
            str(root / PACKAGE),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    assert "error" not in output.lower(), output
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


class Journey:
    """One partner session through the generated client; each step asserts its status."""

    def __init__(self, sdk: Any, base_url: str, token: str) -> None:
        self.sdk = sdk
        self.client = sdk.AuthenticatedClient(base_url=base_url, token=token)
        self.api = lambda module: importlib.import_module(f"{sdk.__name__}.api.{module}")
        self.models = importlib.import_module(f"{sdk.__name__}.models")

    def write(self, module: str, operation: str, model: str, body: dict, *path: str) -> Any:
        call = self.api(f"{module}.{operation}").sync_detailed
        payload = getattr(self.models, model).from_dict(body)
        response = call(*path, client=self.client, body=payload)
        assert response.status_code == 201, response.content
        assert isinstance(response.parsed, self.models.Envelope)
        return response.parsed

    def read(self, module: str, operation: str, model: str | None, **query: Any) -> Any:
        response = self.api(f"{module}.{operation}").sync_detailed(client=self.client, **query)
        assert response.status_code == 200, response.content
        if model is not None:
            assert isinstance(response.parsed, getattr(self.models, model))
        return response.parsed

    def gaps(self, **query: Any) -> Any:
        return self.read("metrics", "get_gaps", "GapReport", **query)

    def summary(self, **query: Any) -> Any:
        return self.read("metrics", "get_summary", "SummaryReport", **query)

    def feed(self) -> str:
        return self.read("feed", "get_feed", None)

    def page_through_events(self, limit: int) -> list[Any]:
        events, after = [], 0
        while True:
            response = self.api("events.list_events").sync_detailed(
                client=self.client, after=after, limit=limit
            )
            assert response.status_code == 200, response.content
            page = response.parsed
            assert isinstance(page, self.models.EventPage)
            events.extend(page.events)
            if page.next_after is None:
                return events
            after = page.next_after


@pytest.fixture
def server(database_url):
    with running_gunicorn(database_url, workers=2) as server:
        base_url = server.base_url
        yield base_url


class TestGeneratedClient:
    def test_a_partner_records_and_reads_the_history_through_the_generated_client(
        self, sdk, server, engine
    ):
        journey = Journey(sdk, server, tokens.create_token(engine, "partner", "write"))
        agreement = journey.write(
            "agreements", "create_agreement", "AgreementWrite", agreement_body(id="istanbul")
        )
        breach = journey.write(
            "agreements", "report_breach", "BreachWrite", breach_body(), "istanbul"
        )
        journey.write("proposals", "create_proposal", "ProposalWrite", proposal_body(id="p1"))
        refusal = journey.write(
            "proposals", "refuse_proposal", "RefusalWrite", refusal_body(), "p1"
        )
        swap = journey.write("swaps", "create_swap", "SwapWrite", swap_body())
        journey.write("swaps", "create_swap", "SwapWrite", swap_body(occurred_on="2026-03-01"))
        changes = {"sides": [{"party": "UA", "received": 160}, {"party": "RU", "received": 157}]}
        correction = journey.write(
            "events", "correct_event", "CorrectionWrite", correction_body(changes), str(swap.id)
        )

        assert agreement.stream == "agreement/istanbul"
        assert breach.stream == "agreement/istanbul" and breach.stream_version == 2
        assert refusal.data["proposal_id"] == "p1"
        assert correction.data["target_event_id"] == str(swap.id)
        assert correction.recorded_by == "partner"

        events = journey.page_through_events(limit=3)
        assert [e.position for e in events] == [1, 2, 3, 4, 5, 6, 7]
        assert [e.type_.value for e in events] == [
            "agreement.reached",
            "agreement.breached",
            "proposal.made",
            "proposal.refused",
            "swap.completed",
            "swap.completed",
            "event.corrected",
        ]
        assert events[6].prev_hash == events[5].hash_

        # 5 Feb 2026 (corrected: UA 160, RU 157, no civilians figure) and 1 Mar 2026
        # (UA 157 with 7 civilians, RU 157): one gap of 24 days, nothing inside it.
        gaps = journey.gaps()
        assert gaps.as_of_position == 7
        assert [(str(g.from_swap), str(g.to_swap), g.days) for g in gaps.gaps] == [
            ("2026-02-05", "2026-03-01", 24)
        ]
        gap = gaps.gaps[0]
        assert (gap.proposals, gap.refusals, gap.failed_attempts, gap.breaches) == (0, 0, 0, 0)
        assert (gaps.summary.swaps, gaps.summary.gaps, gaps.summary.max_days) == (2, 1, 24)
        assert str(gaps.summary.current_gap_since) == "2026-03-01"
        before = journey.gaps(as_of="5")  # before the second swap
        assert (before.summary.swaps, before.summary.gaps, before.gaps) == (1, 0, [])

        summary = journey.summary()
        assert summary.swaps.total == 2
        received = {r.party: r for r in summary.received}
        assert sorted(received) == ["RU", "UA"]
        assert (received["UA"].received.total, received["UA"].received.unknown) == (317, 0)
        assert (received["RU"].received.total, received["RU"].received.unknown) == (314, 0)
        assert (received["UA"].civilians.total, received["UA"].civilians.unknown) == (7, 1)
        assert (summary.proposals.total, summary.refusals.total) == (1, 1)
        assert summary.breaches.total == 1
        assert [(b.agreement_id, b.count) for b in summary.breaches.by_agreement] == [
            ("istanbul", 1)
        ]

        feed = journey.feed()  # the Atom feed is text for the generated client
        assert feed.startswith("<?xml")
        assert feed.index("UA and RU swap 160 for 157") < feed.index("RU refuses proposal p1")

    def test_errors_come_back_as_problem_models(self, sdk, server, engine):
        journey = Journey(sdk, server, tokens.create_token(engine, "partner", "write"))
        body = journey.models.RefusalWrite.from_dict(refusal_body())
        response = journey.api("proposals.refuse_proposal").sync_detailed(
            "nope", client=journey.client, body=body
        )
        assert response.status_code == 422
        assert isinstance(response.parsed, journey.models.Problem)
        assert response.parsed.status == 422
        assert response.parsed.errors.additional_properties == {
            "proposal_id": ["there is no proposal 'nope'"]
        }
