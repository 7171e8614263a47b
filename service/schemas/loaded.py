"""Values a marshmallow schema loaded (dates, enums) as the plain JSON values the payload
rules read and the log stores: the one conversion of a write's body and of a restored line's
payload."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    convert = _BY_TYPE.get(kind)
    if convert is None:
        convert = _BY_TYPE[kind] = _converter(kind)
    return convert(value)


def _converter(kind: type) -> Callable[[Any], Any]:
    """How a value of this type becomes JSON, decided once per type: an enum member (each
    loaded ``Category`` or ``DatePrecision``) went through every ``isinstance`` below, the ABC
    check first, which was most of converting a swap's body."""
    if issubclass(kind, Mapping):
        return lambda value: {k: jsonable(v) for k, v in value.items()}
    if issubclass(kind, list | tuple):
        return lambda value: [jsonable(v) for v in value]
    if issubclass(kind, Enum):
        return lambda value: value.value
    if issubclass(kind, date):
        return lambda value: value.isoformat()
    return lambda value: value


_BY_TYPE: dict[type, Callable[[Any], Any]] = {}
