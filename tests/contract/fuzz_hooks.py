"""Schemathesis hooks and checks of the contract suite (and of a command-line run).

The document states every constraint OpenAPI can state. What it cannot state is which ids
exist (a random slug or UUID finds nothing: a 404 every time), the stream version a write's
``If-Match`` must name, and that ``occurred_on`` lies between 2014-01-01 and today (its pattern
allows up to 2099). So, just before it is sent (``before_call``, every phase), a *positive*
case gets:

- in the examples, coverage and fuzzing phases, path ids drawn from the service's real data
  (the shipped history it holds), each operation from its own share so that one phase
  retracting events does not starve the next (in the stateful phase the links supply ids);
- an ``If-Match`` (when it sends one) naming the version its stream is at, as a client that
  read the resource first would send;
- body references (``proposal_id``, ``agreement_id``) to resources that exist, an
  ``occurred_on`` moved into the years the rules accept (same month and day), and a swap's
  breakdowns set on its own sides;
- an ``Idempotency-Key`` (when it sends one) unique to its request.

The coverage phase tries each value of every enum in every field that uses it, and Party has
249: that alone is thousands of writes of the same kind. Its valid cases are kept when the
parties they name are among a sample (the first and last codes, which the phase uses as
defaults and boundaries, and the parties of the history); ``FUZZ_EVERY_PARTY=1`` keeps them all.

Negative cases are sent exactly as generated: they must stay invalid. The ids and stream
versions are read from the service before the first case (``use``, or, when the command line
loads this module with ``SCHEMATHESIS_HOOKS=tests.contract.fuzz_hooks``, from the server it
tests) and kept current from the answers to writes (``after_call``).

Two checks join schemathesis' own: every 4xx/5xx is a problem document, and every event of the
live stream carries a stored envelope.
"""

from __future__ import annotations

import datetime
import json
import os
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import jsonschema
import schemathesis
from schemathesis.generation.meta import TestPhase

from service.domain import events as ev
from service.domain.vocab import PARTIES

Get = Callable[[str], Any]
PARTY_SAMPLE = {min(PARTIES), max(PARTIES), "UA", "RU", "AE", "TR", "US", "SA", "QA", "VA"}
PROBLEM_FIELDS = {"type", "title", "status", "detail"}
RETRACTABLE = {
    ev.PROPOSAL_REFUSED,
    ev.PROPOSAL_ACCEPTED,
    ev.AGREEMENT_BREACHED,
    ev.EXCHANGE_FAILED,
    ev.STATEMENT_MADE,
}


@dataclass
class RealData:
    """Ids the service holds, split by what the fuzzer may do with them, and stream versions."""

    events: list[str] = field(default_factory=list)  # read (any event)
    corrections: list[str] = field(default_factory=list)  # swaps: corrected, never retracted
    retractions: list[str] = field(default_factory=list)  # children, attempts, other swaps
    swaps: list[str] = field(default_factory=list)  # the swaps of `corrections`
    proposals: list[str] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)
    releases: list[str] = field(default_factory=list)
    streams: dict[str, str] = field(default_factory=dict)  # event id → stream
    versions: dict[str, int] = field(default_factory=dict)  # stream → current version

    def for_path(self, operation_id: str, name: str) -> list[str]:
        """The ids a valid case of this operation may name in this path parameter."""
        if name == "event_id":
            return {"correctEvent": self.corrections, "retractEvent": self.retractions}.get(
                operation_id, self.events
            )
        return {
            "swap_id": self.swaps,
            "proposal_id": self.proposals,
            "agreement_id": self.agreements,
            "name": self.releases,
        }.get(name, [])

    def saw(self, envelope: dict[str, Any]) -> None:
        """Remember a stored envelope's stream and version."""
        stream, version = envelope["stream"], envelope["stream_version"]
        self.streams[envelope["id"]] = stream
        self.versions[stream] = max(version, self.versions.get(stream, 0))


def read_real_data(get: Get) -> RealData:
    """Read the pool from the service: its events, resources and releases."""
    data = RealData()
    after: int | None = 0
    swap_events = []
    while after is not None:
        page = get(f"/v1/events?after={after}&limit=1000")
        for event in page["events"]:
            data.saw(event)
            data.events.append(event["id"])
            if event["type"] == ev.SWAP_COMPLETED:
                swap_events.append(event)
            elif event["type"] in RETRACTABLE:
                data.retractions.append(event["id"])
        after = page["next_after"]
    # Every other swap is a correction target (and may be read); the rest may be retracted.
    for index, event in enumerate(swap_events):
        if index % 2 == 0:
            data.corrections.append(event["id"])
            data.swaps.append(event["stream"].split("/", 1)[1])
        else:
            data.retractions.append(event["id"])
    data.proposals = [p["id"] for p in get("/v1/proposals?limit=1000")["proposals"]]
    data.agreements = [a["id"] for a in get("/v1/agreements?limit=1000")["agreements"]]
    data.releases = [r["name"] for r in get("/v1/releases")["releases"]]
    return data


_DATA: RealData | None = None


def use(data: RealData | None) -> None:
    """Install the pool the hooks draw from (None: read it from the server under test)."""
    global _DATA
    _DATA = data


def _data(case: Any) -> RealData:
    global _DATA
    if _DATA is None:
        base_url = case.operation.schema.config.base_url.rstrip("/")
        _DATA = read_real_data(lambda path: httpx.get(base_url + path, timeout=30).json())
    return _DATA


def _pick(options: Sequence[str], *salt: Any) -> str:
    # A function of the case itself, so a replayed case picks the same id.
    key = json.dumps(salt, sort_keys=True, default=str).encode()
    return options[zlib.crc32(key) % len(options)]


def plausible_date(value: str, today: datetime.date) -> str:
    """The same month and day in a year from 2014 to last year (29 Feb: 2024)."""
    if "2014-01-01" <= value <= today.isoformat():
        return value
    if value[5:] == "02-29":
        return "2024-02-29"
    years = today.year - 2014  # the whole years before this one: all their dates are past
    return f"{2014 + int(value[:4]) % years}-{value[5:]}"


def _plausible_body(body: dict[str, Any], data: RealData, today: datetime.date) -> None:
    occurred_on = body.get("occurred_on")
    if isinstance(occurred_on, str) and len(occurred_on) == 10:
        body["occurred_on"] = plausible_date(occurred_on, today)
    for name, options in (("proposal_id", data.proposals), ("agreement_id", data.agreements)):
        if isinstance(body.get(name), str) and options:
            body[name] = _pick(options, name, body[name])
    # A swap's breakdown describes one of its sides (a rule across fields).
    sides = [s.get("party") for s in body.get("sides") or [] if isinstance(s, dict)]
    for index, breakdown in enumerate(body.get("breakdowns") or []):
        if sides and isinstance(breakdown, dict) and breakdown.get("side") not in sides:
            breakdown["side"] = sides[index % len(sides)]


def _stream_of(case: Any, data: RealData) -> str | None:
    """The stream a child write, correction or retraction appends to."""
    parameters = case.path_parameters or {}
    if "proposal_id" in parameters:
        return f"proposal/{parameters['proposal_id']}"
    if "agreement_id" in parameters:
        return f"agreement/{parameters['agreement_id']}"
    return data.streams.get(parameters.get("event_id", ""))


def _unique_key(key: str, case: Any) -> str:
    """The generated key, made unique to this request (the same request keeps the same key)."""
    request = [case.path, case.path_parameters, case.body]
    digest = zlib.crc32(json.dumps(request, sort_keys=True, default=str).encode())
    return f"{key[:240]}-{digest:08x}"


def _parties_named(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*map(_parties_named, value.values()))
    if isinstance(value, list):
        return set().union(*map(_parties_named, value))
    return {value} if isinstance(value, str) and value in PARTIES else set()


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    """Keep a valid coverage case only if the parties it names are in the sample (see above)."""
    meta = case.meta
    if (
        meta is None
        or meta.phase.name != TestPhase.COVERAGE
        or not meta.generation.mode.is_positive
        or os.environ.get("FUZZ_EVERY_PARTY") == "1"
    ):
        return True
    named = _parties_named([case.body, case.query, case.path_parameters])
    return named <= PARTY_SAMPLE


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Real ids, versions, dates and idempotency keys for positive cases (see above)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    data = _data(case)
    if isinstance(case.body, dict):
        _plausible_body(case.body, data, datetime.datetime.now(datetime.UTC).date())
    if meta.phase.name != TestPhase.STATEFUL:
        operation_id = case.operation.definition.raw.get("operationId", "")
        for name, value in list((case.path_parameters or {}).items()):
            options = data.for_path(operation_id, name)
            if options:
                case.path_parameters[name] = _pick(options, operation_id, name, value, case.body)
    headers = case.headers or {}
    stream = _stream_of(case, data)
    if "If-Match" in headers and stream in data.versions:
        headers["If-Match"] = f'"{data.versions[stream]}"'
    # Cases reuse the few keys generated for the header, and a key already used with another
    # request is a 422 by design; a real client sends one key per distinct request.
    if isinstance(headers.get("Idempotency-Key"), str):
        headers["Idempotency-Key"] = _unique_key(headers["Idempotency-Key"], case)


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Keep the stream versions current: every 201 of a write answers a stored envelope."""
    if response.status_code != 201 or _DATA is None:
        return
    body = json.loads(response.content)
    if isinstance(body, dict) and {"id", "stream", "stream_version"} <= set(body):
        _DATA.saw(body)


@schemathesis.check
def problem_documents(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx and 5xx is an RFC 9457 problem document with its own status."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/problem+json"), (
        f"{response.status_code} answered as {content_type!r}"
    )
    body = json.loads(response.content)
    assert set(body) >= PROBLEM_FIELDS, f"problem lacks {PROBLEM_FIELDS - set(body)}"
    assert body["status"] == response.status_code
    return None


@schemathesis.check
def live_events_carry_envelopes(ctx: Any, response: Any, case: Any) -> bool | None:
    """Each event of the live stream carries the stored envelope of its id and type as data
    (OpenAPI 3.0 documents ``data`` as a string; this reads it as the Envelope it is)."""
    if not response.headers.get("content-type", [""])[0].startswith("text/event-stream"):
        return None
    envelope = _envelope_schema(case.operation.schema.raw_schema)
    events = [block for block in response.content.decode().split("\n\n") if "data:" in block]
    for block in events:
        fields_ = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        data = json.loads(fields_["data"])
        jsonschema.validate(data, envelope)
        assert (str(data["position"]), data["type"]) == (fields_["id"], fields_["event"])
    return None


def _envelope_schema(document: dict[str, Any]) -> dict[str, Any]:
    """The Envelope component as a self-contained JSON Schema (nullable read as OpenAPI 3.0)."""
    return {
        "$ref": "#/components/schemas/Envelope",
        "components": {"schemas": document["components"]["schemas"]},
    }
