"""Assertions shared by the write tests: the stored envelope and the problem document."""

from __future__ import annotations

import re
import uuid
from typing import Any

from service.domain.hashing import GENESIS_HASH, envelope_hash

RECORDED_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
SERVER_CHOSEN = ("id", "recorded_at", "hash")
PROBLEM = "application/problem+json"
FIRST = GENESIS_HASH


def stored(client, response, **expected: Any) -> dict[str, Any]:
    """Check a 201 write against every envelope field; returns the envelope.

    ``expected`` names every field except the server-chosen id, recorded_at and hash, which
    are checked by form (UUIDv7, canonical UTC text, the recomputed chain hash).
    """
    assert response.status_code == 201, response.json
    envelope = response.json
    assert response.headers["Location"] == f"/v1/events/{envelope['id']}"
    assert uuid.UUID(envelope["id"]).version == 7
    assert RECORDED_AT.fullmatch(envelope["recorded_at"]), envelope["recorded_at"]
    assert envelope["hash"] == envelope_hash(envelope)
    assert {k: v for k, v in envelope.items() if k not in SERVER_CHOSEN} == {
        "schema_version": 1,
        "date_precision": "day",
        "recorded_by": "newsroom",
        **expected,
    }
    assert client.get(response.headers["Location"]).json == envelope
    return envelope


def problem(response, status: int, detail: str | None = None) -> dict[str, Any]:
    """Check an RFC 9457 problem document; returns its body."""
    assert response.status_code == status, response.json
    assert response.content_type == PROBLEM
    body = response.json
    assert body["status"] == status
    assert body["type"].startswith("https://pow-exchange-log.example/problems/")
    assert body["title"] and body["detail"]
    if detail is not None:
        assert body["detail"] == detail
    return body


def invalid(response, field: str, message: str) -> dict[str, Any]:
    """A 422 naming exactly one field, in ``errors`` and in the one-line ``detail``."""
    detail = f"The request is invalid. {field}: {message.rstrip('.')}."
    body = problem(response, 422, detail)
    assert body["errors"] == {field: [message]}
    assert body["type"].endswith("/validation-error")
    return body


def head(client) -> dict[str, Any]:
    return client.get("/v1/log/head").json
