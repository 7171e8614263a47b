"""The API's blueprint: flask-smorest's, with JSON bodies parsed by orjson first.

webargs parses a request's JSON body with the standard ``json`` module, which took more CPU
than validating a 500-item batch. ``JsonBodyParser`` tries orjson on the raw bytes
(``store.json_text.fast_loads``); anything orjson refuses or may read differently (``NaN``,
integers beyond 64 bits, bad UTF-8, any malformed body) goes to webargs' own parser, so what
is accepted, refused and reported is exactly as before.
"""

from __future__ import annotations

from typing import Any

import flask
import flask_smorest
from webargs.flaskparser import FlaskParser, is_json_request

from ..store.json_text import NOT_PARSED, fast_loads


class JsonBodyParser(FlaskParser):
    def _raw_load_json(self, req: flask.Request) -> Any:
        if is_json_request(req):
            parsed = fast_loads(req.get_data(cache=True))
            if parsed is not NOT_PARSED:
                return parsed
        return super()._raw_load_json(req)  # webargs decides, and names the error as always


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with ``JsonBodyParser`` for its ``arguments``."""

    ARGUMENTS_PARSER = JsonBodyParser()
