"""The API's blueprint: flask-smorest's, with JSON bodies parsed by orjson first.

webargs parses a request's JSON body with the standard ``json`` module, which took more CPU
than validating a 500-item batch. ``JsonBodyParser`` tries orjson on the raw bytes; anything
orjson refuses (``NaN``, integers beyond 64 bits, bad UTF-8, any malformed body) goes to
webargs' own parser, so what is accepted, refused and reported is exactly as before, and
what orjson accepts parses to the same values.
"""

from __future__ import annotations

from typing import Any

import flask
import flask_smorest
import orjson
from webargs.flaskparser import FlaskParser, is_json_request


class JsonBodyParser(FlaskParser):
    def _raw_load_json(self, req: flask.Request) -> Any:
        if is_json_request(req):
            try:
                return orjson.loads(req.get_data(cache=True))
            except orjson.JSONDecodeError:
                pass  # webargs decides, and names the error as it always has
        return super()._raw_load_json(req)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with ``JsonBodyParser`` for its ``arguments``."""

    ARGUMENTS_PARSER = JsonBodyParser()
