"""OpenAPI links: which operation can follow a write, and with which value from it.

Clients and fuzzers (schemathesis' stateful tests) follow them: create a proposal, then
refuse or accept it; record any event, then read, correct or retract it. Resource ids are
the ``id`` the caller chose in the request body (when given); event ids come from the
stored envelope.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin

EVENT_ID = {"event_id": "$response.body#/id"}
EVENT_LINKS = {
    "getEvent": {"operationId": "getEvent", "parameters": EVENT_ID},
    "correctEvent": {"operationId": "correctEvent", "parameters": EVENT_ID},
    "retractEvent": {"operationId": "retractEvent", "parameters": EVENT_ID},
}
# A batch answers {"events": [...]}: its links follow the first item's event.
BATCH_EVENT_ID = {"event_id": "$response.body#/events/0/id"}
PROPOSAL_ID = {"proposal_id": "$request.body#/id"}
CHILD_LINKS: dict[str, dict[str, dict[str, Any]]] = {
    "createProposal": {
        "refuseProposal": {"operationId": "refuseProposal", "parameters": PROPOSAL_ID},
        "acceptProposal": {"operationId": "acceptProposal", "parameters": PROPOSAL_ID},
    },
    "createAgreement": {
        "reportBreach": {
            "operationId": "reportBreach",
            "parameters": {"agreement_id": "$request.body#/id"},
        }
    },
}


class LinksPlugin(BasePlugin):
    """Adds the links above to the 201 response of every write operation."""

    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **kwargs: Any
    ) -> None:
        for operation in (operations or {}).values():
            responses = operation.get("responses", {})
            created = responses.get("201", responses.get(201))
            if not isinstance(created, dict):
                continue
            operation_id = operation.get("operationId", "")
            links = {**CHILD_LINKS.get(operation_id, {}), **EVENT_LINKS}
            created["links"] = {
                name: {
                    "operationId": link["operationId"],
                    "parameters": (
                        dict(BATCH_EVENT_ID)
                        if operation_id == "createBatch" and name in EVENT_LINKS
                        else dict(link["parameters"])
                    ),
                }
                for name, link in sorted(links.items())
            }
