"""What the document states about a value is what the server accepts: every value its patterns
allow is read as the pattern says, so a valid-looking request is refused only by a rule the
document names in words (the fuzzer's negative cases prove the other direction).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from marshmallow import Schema

from service.history.convert import history_records
from service.schemas.fields import TEXT_PATTERN, URL_PATTERN, HttpUrl, Text
from service.schemas.projection_queries import AS_OF_PATTERN

SOME = settings(max_examples=200, suppress_health_check=list(HealthCheck), deadline=None)


class _Url(Schema):
    url = HttpUrl()


class _Text(Schema):
    text = Text()


class TestPatternsAgreeWithTheServer:
    @SOME
    @given(st.from_regex(URL_PATTERN, fullmatch=True))
    def test_every_url_the_pattern_allows_is_a_source_url(self, url):
        assert _Url().validate({"url": url}) == {}

    def test_every_source_url_of_the_shipped_history_matches_the_pattern(self):
        urls = {
            source["url"]
            for record in history_records()
            for source in record.body.get("sources", [])
        }
        assert len(urls) > 200
        assert [u for u in sorted(urls) if not re.fullmatch(URL_PATTERN, u)] == []

    @SOME
    @given(st.from_regex(TEXT_PATTERN, fullmatch=True).filter(lambda t: len(t) <= 4000))
    def test_every_text_the_pattern_allows_is_stored(self, text):
        assume(not re.search(r"[\ud800-\udfff]", text))  # JSON text cannot state this one
        assert _Text().validate({"text": text}) == {}

    @pytest.mark.parametrize(
        "text", ["", " ", "\t\n", "a\x00b", "\x0b", "a\x1fb", "\x1c", "a\x7f\x08", "a\ufffe"]
    )
    def test_blank_text_nul_and_controls_break_the_pattern_and_the_server_refuses_them(self, text):
        assert not re.fullmatch(TEXT_PATTERN, text)
        assert _Text().validate({"text": text}) != {}

    def test_pattern_and_server_agree_on_every_character_alone_and_after_a_letter(self):
        # The Basic Multilingual Plane but the surrogates (which JSON text cannot state):
        # whitespace, the controls refused since issue 10 (all C0 but tab, line feed and
        # carriage return; U+FFFE, U+FFFF) and everything else.
        schema = _Text()
        disagree = [
            text
            for code in range(0x10000)
            if not 0xD800 <= code <= 0xDFFF
            for text in (chr(code), "a" + chr(code))
            if bool(re.fullmatch(TEXT_PATTERN, text)) != (schema.validate({"text": text}) == {})
        ]
        assert disagree == []


class TestAsOf:
    @settings(max_examples=60, suppress_health_check=list(HealthCheck), deadline=None)
    @given(st.from_regex(AS_OF_PATTERN, fullmatch=True))
    def test_every_as_of_the_pattern_allows_is_read_as_a_position_time_or_release(
        self, client, as_of
    ):
        r = client.get("/v1/metrics/summary", query_string={"as_of": as_of})
        if as_of.startswith("release:"):
            assert (r.status_code, r.json["detail"]) == (404, f"there is no release {as_of[8:]!r}")
            return
        if as_of.isdigit():
            if int(as_of) > 0:  # "not beyond the head", in words
                assert r.status_code == 422
                assert "is beyond the head" in r.json["errors"]["as_of"][0]
                return
        else:
            try:
                moment = datetime.fromisoformat(as_of.replace(" ", "+").replace("z", "Z"))
            except ValueError:  # 29 February of a common year: "a real calendar date"
                assert (r.status_code, as_of[5:10]) == (422, "02-29")
                return
            assume(moment <= datetime.now(UTC))  # "not in the future", in words
        assert r.status_code == 200, r.json
        assert r.json["as_of_position"] == 0
