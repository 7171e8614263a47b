"""What the fuzzer found in code this branch does not own, pinned as tests until fixed.

Each is strict-xfail: when the fix lands the test passes, xfail turns into a failure, and
whoever fixed it removes the marker (and the matching workaround in test_fuzzing.py).
"""

from __future__ import annotations

import pytest

from tests.builders import SOURCE, swap_body

FUZZ_1 = (
    "FUZZ-1: a source with published_on is stored, then EnvelopeSchema dumps the stored ISO"
    " text through fields.Date -> TypeError -> 500 on the write and on every later read"
)


class TestFuzzFindings:
    @pytest.mark.xfail(strict=True, reason=FUZZ_1)
    def test_a_source_with_a_publication_date_is_stored_and_read_back(self, client, auth):
        source = {**SOURCE, "published_on": "2026-02-05"}
        r = client.post("/v1/swaps", json=swap_body(sources=[source]), headers=auth)
        assert r.status_code == 201
        assert r.json["sources"] == [source]
        listed = client.get("/v1/events")
        assert listed.status_code == 200
        assert listed.json["events"][0]["sources"] == [source]


class TestFixedFuzzFindings:
    @pytest.mark.parametrize("after", [2**63, 25361114938179468656640])
    def test_a_cursor_beyond_64_bits_is_a_422_not_a_500(self, client, after):
        # FUZZ-3: was an OverflowError (SQLite) / out-of-range error in the query: a 500.
        r = client.get(f"/v1/events?after={after}")
        assert r.status_code == 422
        assert list(r.json["errors"]) == ["after"]

    def test_the_largest_64_bit_cursor_is_an_empty_page(self, client):
        r = client.get(f"/v1/events?after={2**63 - 1}")
        assert r.status_code == 200
        assert r.json == {"events": [], "next_after": None}
