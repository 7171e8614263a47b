"""A compiled fast path for loading write bodies, with marshmallow as the only judge.

Marshmallow's generic load walks every field through several layers of calls; a write body
spends more CPU there than anywhere else in its request. ``with_fast_load`` compiles a schema
instance once into plain closures for the field types the write schemas use, and gives the
instance a ``load`` that tries them first. The fast path only *accepts*: the moment anything
is not plainly valid (a missing or unknown field, a value of another type, a failing
validator, a field type it does not know) it gives up, and marshmallow's own ``load`` runs on
the same data — so every error, and every decision on a doubtful value, is marshmallow's.
What the fast path returns is what marshmallow returns (tests/unit/test_fast_load.py compares
both over every write schema and a large set of valid and invalid bodies). A schema with
anything it does not compile exactly (hooks, data keys, other field types) is left as it is.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields
from marshmallow.utils import missing

from .common import StoredDate
from .fields import FULL_DATE, UNSTORABLE, HttpUrl, IsoDate, Text

Loader = Callable[[Any], Any]


class Fallback(Exception):
    """The fast path is not sure: marshmallow decides."""


class NotCompiled(Exception):
    """A schema or field the fast path does not reproduce exactly."""


def with_fast_load(schema: Schema) -> Schema:
    """The same schema instance, its ``load`` first trying the compiled path (when the schema
    compiles; otherwise untouched)."""
    try:
        fast = compile_schema(schema)
    except NotCompiled:
        return schema
    marshmallow_load = schema.load

    def load(data: Any, *, many: Any = None, partial: Any = None, unknown: Any = None) -> Any:
        if many is None and partial is None and unknown is None:
            try:
                return fast(data)
            except Fallback:
                pass
        return marshmallow_load(data, many=many, partial=partial, unknown=unknown)

    schema.load = load  # type: ignore[method-assign]
    return schema


def compile_schema(schema: Schema) -> Loader:
    """Plain closures loading exactly as ``schema.load`` does for valid data (NotCompiled
    when the schema uses anything they do not reproduce)."""
    if schema.many or schema.partial or schema.only or schema.exclude:
        raise NotCompiled("schema options")
    if schema.unknown != RAISE or any(schema._hooks.values()):
        raise NotCompiled("unknown fields allowed, or hooks")
    plan = []
    for name, field in schema.load_fields.items():
        if field.data_key not in (None, name) or field.attribute not in (None, name):
            raise NotCompiled(f"{name}: renamed")
        default = field.load_default
        plan.append((name, _field_loader(field), field.required, default))
    names = frozenset(name for name, *_ in plan)

    def load(data: Any) -> dict[str, Any]:
        if type(data) is not dict or not names.issuperset(data):
            raise Fallback
        out: dict[str, Any] = {}
        for name, loader, required, default in plan:
            if name in data:
                out[name] = loader(data[name])
            elif required:
                raise Fallback
            elif default is not missing:
                out[name] = default() if callable(default) else default
        return out

    return load


def _field_loader(field: fields.Field) -> Loader:
    if field.pre_load or field.post_load:
        raise NotCompiled("field hooks")
    convert = _converter(field)
    validators = tuple(field.validators)
    allow_none = field.allow_none

    def load(value: Any) -> Any:
        if value is None:
            if allow_none:
                return None
            raise Fallback
        out = convert(value)
        for validator in validators:
            try:
                validator(out)
            except ValidationError:
                raise Fallback from None
        return out

    return _remembered(load) if type(field) is HttpUrl else load


ACCEPTED_URLS_KEPT = 10_000


def _remembered(load: Loader) -> Loader:
    """A URL field's loader that skips the URLs it already accepted: a log cites the same
    articles again and again, and checking one took ~6 us (its validators are the field's
    own, so the memory is this field's). Bounded."""
    accepted: set[str] = set()

    def remembered(value: Any) -> Any:
        if type(value) is str and value in accepted:
            return value
        out = load(value)
        if type(value) is str and out == value:
            if len(accepted) >= ACCEPTED_URLS_KEPT:
                accepted.clear()
            accepted.add(value)
        return out

    return remembered


def _converter(field: fields.Field) -> Loader:
    kind = type(field)
    if kind is fields.String:
        return _string
    if kind is Text:
        return _text
    if kind is fields.Integer and field.strict:
        return _integer
    if kind is fields.Float and not field.allow_nan:
        return _float
    if kind is fields.Boolean:
        return _boolean
    if kind in (fields.Date, IsoDate, StoredDate) and field.format in (None, "iso"):
        return _date
    if kind is fields.Enum and field.by_value is True:
        members = {m.value: m for m in field.enum}
        return lambda value: _member(members, value)
    if kind is fields.List:
        inner = _field_loader(field.inner)
        return lambda value: _list(inner, value)
    if kind is fields.Nested and not (field.many or field.only or field.exclude or field.unknown):
        nested = compile_schema(field.schema)
        return nested
    if kind in (HttpUrl, fields.Dict):
        # Rare or intricate: the field's own deserialization, without the schema around it.
        return _own(field)
    raise NotCompiled(f"field type {kind.__name__}")


def _string(value: Any) -> str:
    if type(value) is not str:
        raise Fallback
    return value


def _text(value: Any) -> str:
    if type(value) is not str or UNSTORABLE.search(value) or not value.strip():
        raise Fallback
    return value


def _integer(value: Any) -> int:
    if type(value) is not int:
        raise Fallback
    return value


def _float(value: Any) -> float:
    if type(value) is not float and type(value) is not int:
        raise Fallback
    try:
        number = float(value)
    except OverflowError:
        raise Fallback from None
    if math.isnan(number) or math.isinf(number):
        raise Fallback
    return number


def _boolean(value: Any) -> bool:
    if value is not True and value is not False:
        raise Fallback
    return value


def _date(value: Any) -> date:
    if type(value) is not str or not FULL_DATE.fullmatch(value):
        raise Fallback
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Fallback from None


def _member(members: dict[Any, Any], value: Any) -> Any:
    if type(value) is not str or value not in members:
        raise Fallback
    return members[value]


def _list(inner: Loader, value: Any) -> list[Any]:
    if type(value) is not list:
        raise Fallback
    return [inner(item) for item in value]


def _own(field: fields.Field) -> Loader:
    deserialize = field._deserialize

    def load(value: Any) -> Any:
        try:
            return deserialize(value, None, None)
        except ValidationError:
            raise Fallback from None

    return load
