"""store.canonical writes exactly domain.hashing's canonical JSON, hostile values included."""

from __future__ import annotations

import random

import pytest

from service.domain.hashing import canonical_json
from service.domain.hashing import envelope_hash as standard_hash
from service.store.canonical import canonical_bytes, envelope_hash

HOSTILE = [
    'a\x00b\x1f\x7f\u2028\u2029é"\\/\n\r\t\b\f',
    "日本語 😀",
    "1e-5 and 0.00001 inside a string",
    0.8,
    0.13,
    1e-05,
    1e-06,
    -3.5e-07,
    1e-4,
    1e16,
    1.5e22,
    5e-324,
    1.7976931348623157e308,
    -0.0,
    2**63,
    2**64,
    -(2**70),
    True,
    None,
    {"é": 1, "z": 2, "😀": 3, "\uffff": 4, "A": 5, "a": {"y": [0.1, {"b": 1, "a": 2}]}},
]


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_the_same_bytes_as_the_standard_encoder(value):
    assert canonical_bytes(value) == canonical_json(value)
    assert canonical_bytes({"data": [value]}) == canonical_json({"data": [value]})


def test_random_floats_of_every_magnitude():
    rng = random.Random(12)
    for _ in range(20_000):
        value = rng.random() * 10.0 ** rng.randint(-30, 30)
        assert canonical_bytes([value, round(value, 3)]) == canonical_json([value, round(value, 3)])


def test_envelope_hashes_agree():
    envelope = {
        "id": "e1",
        "position": 1,
        "stream": "swap/x",
        "stream_version": 1,
        "type": "swap.completed",
        "schema_version": 1,
        "occurred_on": "2025-01-01",
        "date_precision": "day",
        "recorded_at": "2025-01-01T00:00:00.000000Z",
        "recorded_by": "t",
        "data": {"sides": [{"share": 1e-05, "label": "é"}]},
        "sources": [{"url": "https://example.org"}],
        "prev_hash": "0" * 64,
        "hash": "ignored",
    }
    assert envelope_hash(envelope) == standard_hash(envelope)
