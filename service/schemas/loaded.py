"""Values a marshmallow schema loaded (dates, enums) as the plain JSON values the payload
rules read and the log stores: the one conversion of a write's body and of a restored line's
payload."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """Loaded schema values (dates, enums) as plain JSON values."""
    # Exact types first: a schema loads dicts, lists and plain values, and an ABC check
    # (Mapping) per value is what this walk would spend most of its time on.
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {k: jsonable(v) for k, v in value.items()}
    if kind is list:
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value
