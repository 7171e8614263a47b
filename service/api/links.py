"""OpenAPI links: which operation can follow an answer, and with which value from it.

Clients and fuzzers (schemathesis' stateful tests) follow them with real ids: create a
resource, then read it, refuse, accept or breach it; record any event, then read, correct or
retract it; read a resource, then write to it or to its events; cut a release, then read it.

A resource id is not a field of the stored envelope a write answers with: the server may have
generated it, and it is the part of ``stream`` after ``<kind>/``. Those links take it with a
regular expression, in the syntax schemathesis reads (``$response.body#/stream#regex:…``);
each such link says so in its description. Every other value is a plain JSON pointer.
"""

from __future__ import annotations

import copy
from typing import Any

from apispec import BasePlugin

Link = dict[str, Any]


def link(operation_id: str, description: str | None = None, **parameters: str) -> Link:
    """A link to ``operation_id`` filling its parameters from runtime expressions."""
    result: Link = {"operationId": operation_id, "parameters": dict(sorted(parameters.items()))}
    if description:
        result["description"] = description
    return result


def resource_id(kind: str) -> str:
    """The resource id in the ``stream`` of a stored envelope (``swap/2026-02-05``)."""
    return f"$response.body#/stream#regex:^{kind}/(.+)$"


def _from_stream(kind: str) -> str:
    return f"The {kind} id: `stream` after `{kind}/` (a schemathesis regex extractor)"


ENVELOPE_ID = "$response.body#/id"
VIEW_EVENT_ID = "$response.body#/event_id"
EVENT_LINKS = {
    "getEvent": link("getEvent", event_id=ENVELOPE_ID),
    "correctEvent": link("correctEvent", event_id=ENVELOPE_ID),
    "retractEvent": link("retractEvent", event_id=ENVELOPE_ID),
}
# A batch answers {"events": [...]}: its links follow the first item's event.
BATCH_EVENT_LINKS = {
    name: link(name, "The batch's first event", event_id="$response.body#/events/0/id")
    for name in ("getEvent", "correctEvent", "retractEvent")
}
# From a stored envelope in a proposal's, agreement's or swap's stream.
PROPOSAL_LINKS = {
    name: link(name, _from_stream("proposal"), proposal_id=resource_id("proposal"))
    for name in ("getProposal", "refuseProposal", "acceptProposal")
}
AGREEMENT_LINKS = {
    name: link(name, _from_stream("agreement"), agreement_id=resource_id("agreement"))
    for name in ("getAgreement", "reportBreach")
}
SWAP_LINKS = {"getSwap": link("getSwap", _from_stream("swap"), swap_id=resource_id("swap"))}
# From a resource view: its creating event, and writes to the resource.
VIEW_EVENT_LINKS = {
    name: link(name, "The event that created it", event_id=VIEW_EVENT_ID)
    for name in ("getEvent", "correctEvent", "retractEvent")
}

# operationId → status → links of that answer.
LINKS: dict[str, dict[str, dict[str, Link]]] = {
    "createProposal": {"201": {**EVENT_LINKS, **PROPOSAL_LINKS}},
    "refuseProposal": {"201": {**EVENT_LINKS, **PROPOSAL_LINKS}},
    "acceptProposal": {"201": {**EVENT_LINKS, **PROPOSAL_LINKS}},
    "createAgreement": {"201": {**EVENT_LINKS, **AGREEMENT_LINKS}},
    "reportBreach": {"201": {**EVENT_LINKS, **AGREEMENT_LINKS}},
    "createSwap": {"201": {**EVENT_LINKS, **SWAP_LINKS}},
    "createAttempt": {"201": EVENT_LINKS},
    "createBatch": {"201": BATCH_EVENT_LINKS},
    "createStatement": {"201": EVENT_LINKS},
    "correctEvent": {"201": EVENT_LINKS},
    "retractEvent": {"201": EVENT_LINKS},
    "getEvent": {
        "200": {k: v for k, v in EVENT_LINKS.items() if k != "getEvent"},
    },
    "getProposal": {
        "200": {
            **VIEW_EVENT_LINKS,
            "refuseProposal": link("refuseProposal", proposal_id="$response.body#/id"),
            "acceptProposal": link("acceptProposal", proposal_id="$response.body#/id"),
        }
    },
    "getAgreement": {
        "200": {
            **VIEW_EVENT_LINKS,
            "reportBreach": link("reportBreach", agreement_id="$response.body#/id"),
        }
    },
    "getSwap": {"200": VIEW_EVENT_LINKS},
    "createRelease": {"201": {"getRelease": link("getRelease", name="$response.body#/name")}},
}


class LinksPlugin(BasePlugin):
    """Adds the links above to the documented answers of each operation."""

    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **kwargs: Any
    ) -> None:
        for operation in (operations or {}).values():
            by_status = LINKS.get(operation.get("operationId", ""), {})
            responses = operation.get("responses", {})
            for status, links in by_status.items():
                response = responses.get(status, responses.get(int(status)))
                if not isinstance(response, dict):
                    raise ValueError(f"{operation['operationId']} documents no {status} to link")
                response["links"] = {name: copy.deepcopy(links[name]) for name in sorted(links)}
