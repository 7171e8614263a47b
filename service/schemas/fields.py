"""Field types shared by every schema: clean text, ISO parties, categories, counts, URLs."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, validate

from ..domain.vocab import PARTIES, SLUG_PATTERN, Category

PARTY_MESSAGE = "Not an ISO 3166-1 alpha-2 party code (two capital letters, e.g. UA, RU, AE)."
MAX_COUNT = 10_000_000
# The largest log position a cursor may name: a BIGINT's maximum. Larger is a 422, never an
# OverflowError when the value reaches the database driver.
MAX_POSITION_CURSOR = 2**63 - 1
# NUL cannot be stored by PostgreSQL; a lone surrogate cannot be encoded as UTF-8 (or hashed);
# the other C0 controls but tab, line feed and carriage return, and U+FFFE/U+FFFF, are not
# allowed in XML 1.0: one of them in a stored text would make the Atom feed ill-formed.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
URL_MESSAGE = "Must be an http:// or https:// URL."


class FullMatch(validate.Regexp):
    """Regexp that must match the whole value (``re.match`` lets ``$`` accept a final newline).

    The pattern is still documented as written (``^…$``), which is what OpenAPI clients expect.
    """

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str) or self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


def check_storable(text: str) -> None:
    """Reject characters that cannot be stored or rendered: NUL, other C0 controls (but tab,
    line feed, carriage return), unpaired UTF-16 surrogates, U+FFFE and U+FFFF."""
    bad = UNSTORABLE.search(text)
    if bad is None:
        return
    char = bad.group()
    if char == "\x00":
        raise ValidationError("Must not contain NUL characters.")
    if "\ud800" <= char <= "\udfff":
        raise ValidationError("Must be valid Unicode text (no unpaired surrogate code points).")
    raise ValidationError(
        f"Must not contain control characters (found U+{ord(char):04X}); of them only tab,"
        " line feed and carriage return are allowed."
    )


class Text(fields.String):
    """A string that is not blank and carries no NUL or other control characters."""

    def __init__(self, *, max_length: int = 4000, **kwargs: Any) -> None:
        validators = [validate.Length(min=1, max=max_length)]
        validators += list(kwargs.pop("validate", []) or [])
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        check_storable(text)
        if not text.strip():
            raise ValidationError("Must not be blank.")
        return text


def _known_party(value: str) -> None:
    if value not in PARTIES:
        raise ValidationError(f"Unknown party code {value!r}. " + PARTY_MESSAGE)


def party(**kwargs: Any) -> fields.String:
    """An ISO 3166-1 alpha-2 party code."""
    metadata = {"description": "ISO 3166-1 alpha-2 code", "example": "UA"}
    metadata.update(kwargs.pop("metadata", {}))
    return fields.String(
        validate=[FullMatch(r"^[A-Z]{2}$", error=PARTY_MESSAGE), _known_party],
        metadata=metadata,
        **kwargs,
    )


def parties(**kwargs: Any) -> fields.List:
    kwargs.setdefault("validate", validate.Length(max=20))
    return fields.List(party(), **kwargs)


def categories(**kwargs: Any) -> fields.List:
    """Categories from the one documented vocabulary; unknown values list the allowed ones."""
    return fields.List(
        fields.Enum(Category, by_value=True), validate=validate.Length(max=30), **kwargs
    )


def slug(**kwargs: Any) -> fields.String:
    return fields.String(
        validate=FullMatch(
            SLUG_PATTERN,
            error="Must be a slug: lower-case letters, digits and '-', 1 to 64 characters,"
            " starting with a letter or digit.",
        ),
        **kwargs,
    )


def count(**kwargs: Any) -> fields.Integer:
    """A non-negative head count; absent when no source gives it."""
    return fields.Integer(
        strict=True,
        validate=validate.Range(
            min=0, max=MAX_COUNT, error=f"Must be a whole number from 0 to {MAX_COUNT}."
        ),
        error_messages={"invalid": "Must be a whole number (a JSON integer, not text or 1.5)."},
        **kwargs,
    )


def share(**kwargs: Any) -> fields.Float:
    """A fraction of a group, 0 to 1."""
    return fields.Float(
        validate=validate.Range(min=0, max=1, error="Must be a fraction from 0 to 1."),
        allow_nan=False,
        error_messages={"invalid": "Must be a number from 0 to 1."},
        **kwargs,
    )


class HttpUrl(fields.Url):
    """An absolute http(s) URL that every backend can store."""

    default_error_messages = {"invalid": URL_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(schemes={"http", "https"}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            check_storable(value)
        return super()._deserialize(value, attr, data, **kwargs)
