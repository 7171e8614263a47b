"""Canonical JSON and the hash chain."""

from __future__ import annotations

import pytest

from service.domain.hashing import (
    GENESIS_HASH,
    canonical_json,
    envelope_hash,
    first_bad_position,
)


def _chain(n: int) -> list[dict]:
    """A hand-made, intact chain of n envelopes."""
    chain, prev = [], GENESIS_HASH
    for position in range(1, n + 1):
        envelope = {
            "id": f"00000000-0000-4000-8000-{position:012d}",
            "position": position,
            "stream": f"swap/2026-02-0{position}",
            "stream_version": 1,
            "type": "swap.completed",
            "schema_version": 1,
            "occurred_on": f"2026-02-0{position}",
            "date_precision": "day",
            "recorded_at": f"2026-02-0{position}T12:00:00.000000Z",
            "recorded_by": "newsroom",
            "data": {"sides": [{"party": "UA", "received": 100 + position}]},
            "sources": [{"url": "https://example.org/"}],
            "prev_hash": prev,
        }
        envelope["hash"] = prev = envelope_hash(envelope)
        chain.append(envelope)
    return chain


class TestCanonicalJson:
    def test_key_order_does_not_change_the_bytes(self):
        a = {"b": 1, "a": {"y": [1, 2], "x": "é"}}
        b = {"a": {"x": "é", "y": [1, 2]}, "b": 1}
        assert canonical_json(a) == canonical_json(b) == '{"a":{"x":"é","y":[1,2]},"b":1}'.encode()

    def test_non_finite_numbers_are_refused(self):
        with pytest.raises(ValueError):
            canonical_json({"share": float("nan")})

    def test_the_hash_covers_prev_hash_but_not_itself(self):
        envelope = _chain(1)[0]
        assert envelope_hash({**envelope, "hash": "anything"}) == envelope["hash"]
        assert envelope_hash({**envelope, "prev_hash": "f" * 64}) != envelope["hash"]
        assert len(envelope["hash"]) == 64 and GENESIS_HASH == "0" * 64


class TestFirstBadPosition:
    def test_an_intact_chain_and_an_empty_log_have_none(self):
        assert first_bad_position(_chain(4)) is None
        assert first_bad_position([]) is None

    def test_an_edited_payload_is_named_by_its_position(self):
        chain = _chain(4)
        chain[2] = {**chain[2], "data": {"sides": [{"party": "UA", "received": 1}]}}
        assert first_bad_position(chain) == 3

    def test_a_rehashed_edit_breaks_the_link_of_the_next_position(self):
        chain = _chain(4)
        edited = {**chain[1], "recorded_by": "someone-else"}
        edited["hash"] = envelope_hash(edited)
        chain[1] = edited
        assert first_bad_position(chain) == 3

    def test_a_missing_position_is_named(self):
        chain = _chain(4)
        del chain[1]
        assert first_bad_position(chain) == 2

    def test_an_edited_first_event_is_position_1(self):
        chain = _chain(2)
        chain[0] = {**chain[0], "prev_hash": "1" * 64}
        assert first_bad_position(chain) == 1
