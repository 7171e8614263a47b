"""Field types shared by every schema: text without NULs, ISO parties, categories."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

from ..domain.vocab import PARTIES, SLUG_PATTERN, Category

PARTY_MESSAGE = "Not an ISO 3166-1 alpha-2 party code (two capital letters, e.g. UA, RU, AE)."


class Text(fields.String):
    """A string that is not blank and carries no NUL characters."""

    def __init__(self, *, max_length: int = 4000, **kwargs: Any) -> None:
        validators = [validate.Length(min=1, max=max_length)]
        validators += list(kwargs.pop("validate", []) or [])
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("Must not contain NUL characters.")
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
        validate=[validate.Regexp(r"^[A-Z]{2}$", error=PARTY_MESSAGE), _known_party],
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
        validate=validate.Regexp(
            SLUG_PATTERN,
            error="Must be a slug: lower-case letters, digits and '-', 1 to 64 characters,"
            " starting with a letter or digit.",
        ),
        **kwargs,
    )


def count(**kwargs: Any) -> fields.Integer:
    """A non-negative head count; absent when no source gives it."""
    return fields.Integer(strict=True, validate=validate.Range(min=0, max=10_000_000), **kwargs)
