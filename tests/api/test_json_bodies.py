"""Bodies are parsed and answers written by orjson, with the standard parsers as the judges.

What orjson refuses is decided by webargs' and Flask's own parsers (tests/api/test_bad_input.py
holds those cases); here: what orjson accepts parses to the same values, and the answers are
the same JSON as before (keys sorted, compact), non-ASCII text written as UTF-8.
"""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from service.api.json_provider import OrjsonProvider
from tests.builders import proposal_body, statement_body

UKRAINIAN = "Обмін полоненими: 157 на 157 — «всіх на всіх»"


def test_non_ascii_text_round_trips_and_is_written_as_utf8(client, auth):
    r = client.post("/v1/statements", json=statement_body(summary=UKRAINIAN), headers=auth)
    assert r.status_code == 201, r.get_json()
    assert UKRAINIAN.encode("utf-8") in r.data  # not \\u escapes
    assert r.get_json()["data"]["summary"] == UKRAINIAN
    stored = client.get(f"/v1/events/{r.get_json()['id']}").get_json()
    assert stored["data"]["summary"] == UKRAINIAN


def test_answers_are_compact_with_sorted_keys_and_one_newline(client, auth):
    r = client.post("/v1/proposals", json=proposal_body(), headers=auth)
    assert r.status_code == 201
    assert r.data.endswith(b"}\n") and b": " not in r.data and b", " not in r.data
    body = r.get_json()
    assert list(body) == sorted(body)
    assert json.loads(r.data) == body


def test_a_body_orjson_takes_loads_to_what_the_standard_parser_loads(client, auth):
    """A body with escapes, floats and nesting: the stored event equals the one written
    from the same body parsed by the standard module."""
    body = statement_body(summary='quote "x" \\ tab\t and \u2028 and \U0001f600')
    text = json.dumps(body, ensure_ascii=True)
    r = client.post(
        "/v1/statements", data=text, headers={**auth, "Content-Type": "application/json"}
    )
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["data"]["summary"] == json.loads(text)["summary"]


@pytest.mark.parametrize(
    "value",
    [
        {"b": 1, "a": [1.5, None, True, "Ї"]},
        [1, 2**63 - 1, -(2**63), 1e-7, 123456789.125],
        {"big": 2**70},  # beyond orjson: the standard encoder writes it
    ],
)
def test_the_provider_writes_what_flasks_provider_writes_once_parsed(value):
    app = Flask(__name__)
    ours, flasks = OrjsonProvider(app), DefaultJSONProvider(app)
    with app.app_context():
        mine, theirs = ours.response(value).get_data(), flasks.response(value).get_data()
    assert mine.endswith(b"\n") and theirs.endswith(b"\n")
    assert repr(json.loads(mine)) == repr(json.loads(theirs))


def test_a_non_finite_float_is_written_as_null_not_as_invalid_json():
    app = Flask(__name__)
    with app.app_context():
        assert OrjsonProvider(app).response({"x": float("nan")}).get_data() == b'{"x":null}\n'


def test_the_provider_parses_what_flasks_provider_parses():
    app = Flask(__name__)
    ours, flasks = OrjsonProvider(app), DefaultJSONProvider(app)
    texts = ['{"a": 1}', b'{"a": [1, 2.5, -0.0, 5e-324]}', "NaN", "1e400", '"\\ud800"']
    texts += [f"{2**64}", f"[{-(2**63) - 1}]", b'{"id": "12345678901234567890"}', "1" + "0" * 30]
    for text in texts:
        assert repr(ours.loads(text)) == repr(flasks.loads(text))
    for text in ["{", "[1,]", ""]:
        with pytest.raises(json.JSONDecodeError):
            ours.loads(text)
