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
# A position written as text (as_of, the timeline cursor, Last-Event-ID): at most 18 digits,
# so any value it allows is below 2**63 and a valid cursor.
POSITION_DIGITS = 18
# Characters no stored text may hold. NUL cannot be stored by PostgreSQL; the other C0
# controls but tab, line feed and carriage return, and U+FFFE/U+FFFF, are not allowed in
# XML 1.0: one of them in a stored text would make the Atom feed ill-formed. (A lone surrogate
# cannot be encoded as UTF-8 or hashed either: UNSTORABLE adds them, but JSON text, so the
# document, cannot state that.)
CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
UNSTORABLE = re.compile(rf"[{CONTROLS}\ud800-\udfff]")
URL_MESSAGE = (
    "Must be an http:// or https:// URL with a domain name, in ASCII"
    " (percent-encode other characters)."
)
# What blank means: Python's whitespace (str.isspace), spelled out, because regex engines do not
# agree on \s (ECMA and Rust leave out \x1c-\x1f; Python and Rust count \x85).
WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
BLANK = re.compile(f"[{WHITESPACE}]*")
# The whitespace a stored text may hold: WHITESPACE less the CONTROLS (so WHITESPACE is all
# within STORABLE_WHITESPACE and CONTROLS).
STORABLE_WHITESPACE = r"\t\n\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# What the document states about free text, so generated text is text the server stores: not
# blank and none of the CONTROLS (unpaired surrogates are refused too, but JSON text cannot
# state that).
TEXT_PATTERN = rf"^[{STORABLE_WHITESPACE}]*[^{STORABLE_WHITESPACE}{CONTROLS}][^{CONTROLS}]*$"
# An absolute http(s) URL on a domain name, ASCII only: a strict subset of what marshmallow's
# URL validator accepts, stated in the document and enforced as written.
_PCHAR = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"  # RFC 3986 pchar
_QCHAR = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})"  # query and fragment
URL_PATTERN = (
    r"^[Hh][Tt][Tt][Pp][Ss]?://"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{1,62}"
    rf"(?::[0-9]{{1,5}})?(?:/{_PCHAR}*)*(?:\?{_QCHAR}+)?(?:#{_QCHAR}+)?$"
)
URL_RE = re.compile(URL_PATTERN)
# Month and day of a calendar date (30 days hath September…); only 29 February of a common
# year gets past it, and the date parser refuses that one.
MONTH_DAY = (
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-9])|(?:0[13-9]|1[0-2])-30|(?:0[13578]|1[02])-31)"
)
FULL_DATE = re.compile(rf"[0-9]{{4}}-{MONTH_DAY}")
# occurred_on: the years the rules accept (from 2014; a later year in the future is refused
# by the rules too, which is as far as a pattern can say "not in the future").
OCCURRED_ON_PATTERN = rf"^(?:201[4-9]|20[2-9][0-9])-{MONTH_DAY}$"
# Field metadata naming the schema component a field is documented as (api/openapi.py).
COMPONENT = "component"


class FullMatch(validate.Regexp):
    """Regexp that must match the whole value (``re.match`` lets ``$`` accept a final newline).

    The pattern is still documented as written (``^…$``), which is what OpenAPI clients expect.
    """

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str) or self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class IsoDate(fields.Date):
    """A date written as YYYY-MM-DD, the RFC 3339 full-date of ``format: date``.

    Python reads ``20260205`` and ``2026-W06-4`` as dates too; the document does not.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str) or FULL_DATE.fullmatch(value) is None:
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


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
        metadata = {"pattern": TEXT_PATTERN, **kwargs.pop("metadata", {})}
        super().__init__(validate=validators, metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        check_storable(text)
        if BLANK.fullmatch(text):
            raise ValidationError("Must not be blank.")
        return text


def _known_party(value: str) -> None:
    if value not in PARTIES:
        raise ValidationError(f"Unknown party code {value!r}. " + PARTY_MESSAGE)


def party(**kwargs: Any) -> fields.String:
    """An ISO 3166-1 alpha-2 party code (documented as the Party component: the known codes)."""
    metadata = {COMPONENT: "Party"}
    metadata.update(kwargs.pop("metadata", {}))
    return fields.String(
        validate=[FullMatch(r"^[A-Z]{2}$", error=PARTY_MESSAGE), _known_party],
        metadata=metadata,
        **kwargs,
    )


def parties(*, unique: bool = False, **kwargs: Any) -> fields.List:
    """A list of party codes; ``unique``: each at most once (documented as uniqueItems)."""
    validators = [kwargs.pop("validate", validate.Length(max=20))]
    if unique:
        validators.append(_each_once)
        kwargs["metadata"] = {"uniqueItems": True, **kwargs.get("metadata", {})}
    return fields.List(party(), validate=validators, **kwargs)


def _each_once(values: list[Any]) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("Name each party only once.")


def categories(**kwargs: Any) -> fields.List:
    """Categories from the one documented vocabulary; unknown values list the allowed ones."""
    return fields.List(category(), validate=validate.Length(max=30), **kwargs)


def category(**kwargs: Any) -> fields.Enum:
    """One category of the vocabulary (documented as the Category component)."""
    metadata = {COMPONENT: "Category", **kwargs.pop("metadata", {})}
    return fields.Enum(Category, by_value=True, metadata=metadata, **kwargs)


def slug(**kwargs: Any) -> fields.String:
    """A resource id: lower-case letters, digits and '-', 1 to 64 characters."""
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
    """An absolute http(s) URL on a domain name, in ASCII, that every backend can store."""

    default_error_messages = {"invalid": URL_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": URL_PATTERN, **kwargs.pop("metadata", {})}
        super().__init__(schemes={"http", "https"}, metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            check_storable(value)
            if URL_RE.fullmatch(value) is None:
                raise ValidationError(URL_MESSAGE)
        return super()._deserialize(value, attr, data, **kwargs)


def reference(kind: str) -> fields.String:
    """The id of a resource this one refers to; it must exist and not be retracted."""
    description = f"An existing {kind}, not retracted (422 otherwise)"
    return slug(metadata={"description": description})
