"""Canonical JSON of an envelope and the SHA-256 hash chain over the log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "id",
    "position",
    "stream",
    "stream_version",
    "type",
    "schema_version",
    "occurred_on",
    "date_precision",
    "recorded_at",
    "recorded_by",
    "data",
    "sources",
    "prev_hash",
)


# Built once: json.dumps with any non-default option builds a new encoder on every call.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_text(value: Any) -> str:
    """Sorted keys, no insignificant whitespace, non-ASCII as itself: one text per value."""
    return _CANONICAL.encode(value)


def canonical_json(value: Any) -> bytes:
    """The canonical text in UTF-8: the bytes that are hashed."""
    return _CANONICAL.encode(value).encode("utf-8")


def envelope_hash(
    envelope: Mapping[str, Any], encode: Callable[[Any], bytes] = canonical_json
) -> str:
    """SHA-256 over the canonical JSON of the envelope's hashed fields (prev_hash included).
    ``encode``: another producer of exactly ``canonical_json``'s bytes (store.canonical)."""
    return hashlib.sha256(encode({k: envelope[k] for k in HASHED_FIELDS})).hexdigest()


def chain_break(
    envelope: Mapping[str, Any],
    *,
    position: int,
    prev: str,
    encode: Callable[[Any], bytes] = canonical_json,
) -> str | None:
    """Why ``envelope`` does not continue a chain that expects ``position`` after ``prev``
    (None when it does): the one link check of ``verify`` and of a restore."""
    if envelope["position"] != position:
        return f"position {envelope['position']}, expected {position}"
    if envelope["prev_hash"] != prev:
        return "prev_hash does not match the previous event's hash"
    if envelope_hash(envelope, encode) != envelope["hash"]:
        return "hash does not match the envelope (altered content)"
    return None


def first_bad_position(envelopes: Iterable[Mapping[str, Any]]) -> int | None:
    """Walk the chain in position order; return the first position that breaks it, else None."""
    prev, expected = GENESIS_HASH, 1
    for env in envelopes:
        if chain_break(env, position=expected, prev=prev) is not None:
            return expected
        prev, expected = env["hash"], expected + 1
    return None
