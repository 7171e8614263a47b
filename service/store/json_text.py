"""JSON for the rows the store writes and reads: orjson, the standard library for what
orjson refuses.

orjson writes dates as ISO text natively and costs ~1/8 of the standard encoder's CPU (which
was a quarter of a bulk append's time); integers beyond 64 bits go to the standard encoder.
The databases parse either text into the same value. (The hashed form is another matter:
``store.canonical``.) Reading, orjson parses a JSON column ~3x faster than the standard
parser. orjson reads an integer beyond 64 bits as a float, though, and refuses NaN: text with
a run of 19 or more digits (a C-level ``translate`` and substring test, ~0.4 µs for a
payload), and text orjson refuses, go to the standard parser, so every value reads back
exactly as stored.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import orjson

# What ``fast_loads`` returns where the standard parser must decide.
NOT_PARSED = object()
# 19 digits in a row (anywhere: a false alarm only costs the slower parser) may be an
# integer beyond 64 bits, which orjson would read as a float.
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_NUMBER = b"0" * 19


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


def fast_loads(text: str | bytes) -> Any:
    """``text`` parsed by orjson, or NOT_PARSED: then the standard parser must decide."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if _LONG_NUMBER in raw.translate(_DIGITS_AS_ZERO):
        return NOT_PARSED
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return NOT_PARSED


def loads(text: str | bytes) -> Any:
    """A JSON column's value, exactly (the engines' ``json_deserializer``, every JSON read)."""
    parsed = fast_loads(text)
    return json.loads(text) if parsed is NOT_PARSED else parsed
