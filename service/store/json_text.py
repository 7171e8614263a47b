"""JSON for the rows the store writes: orjson, the standard encoder for what orjson refuses.

orjson writes dates as ISO text natively and costs ~1/8 of the standard encoder's CPU (which
was a quarter of a bulk append's time); integers beyond 64 bits go to the standard encoder.
The databases parse either text into the same value. (The hashed form is another matter:
``store.canonical``.)
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import orjson


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> bytes | str:
    """The JSON of ``value``: bytes from orjson, text from the standard encoder."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, default=_iso, separators=(",", ":"))


def text(value: Any) -> str:
    """The JSON of ``value`` as text (a COPY cell, a SQLite column)."""
    out = dumps(value)
    return out.decode("utf-8") if isinstance(out, bytes) else out
