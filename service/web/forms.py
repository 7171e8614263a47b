"""The page's filters as a plain GET form reads them: empty fields mean "not set"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate
from werkzeug.datastructures import MultiDict

from ..domain.events import FACT_TYPES
from ..schemas.fields import party
from ..schemas.projection_queries import AS_OF_HELP, TIMELINE_CURSOR

MULTI = ("type", "party")


class PageArgsInvalid(Exception):
    """Filters that do not parse; ``messages`` per field, as marshmallow gives them."""

    def __init__(self, messages: Mapping[str, Any]) -> None:
        super().__init__("invalid filters")
        self.messages = messages


class EmbedArgsSchema(Schema):
    class Meta:
        # A reader's link may carry tracking parameters: ignore them rather than refuse the page.
        unknown = EXCLUDE

    as_of = fields.String(validate=validate.Length(max=100), metadata={"description": AS_OF_HELP})
    since = fields.Date(data_key="from")
    until = fields.Date(data_key="to")

    @pre_load
    def drop_empty(self, data: Mapping[str, Any], **_kwargs: Any) -> dict[str, Any]:
        """An empty form field is an absent filter, not an invalid one."""
        cleaned: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, list):
                value = [v.strip() for v in value if v.strip()]
            elif isinstance(value, str):
                value = value.strip()
            if value:
                cleaned[key] = value
        return cleaned


class PageArgsSchema(EmbedArgsSchema):
    type = fields.List(fields.String(validate=validate.OneOf(sorted(FACT_TYPES))))
    party = fields.List(party())
    after = fields.String(
        validate=validate.Regexp(TIMELINE_CURSOR, error="Not a cursor from this page.")
    )


@dataclass(frozen=True, slots=True)
class PageArgs:
    as_of: str | None = None
    since: date | None = None
    until: date | None = None
    types: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    after: str | None = None

    def cursor(self) -> tuple[date, int] | None:
        if not self.after:
            return None
        day, _, position = self.after.partition(".")
        return date.fromisoformat(day), int(position)

    def pairs(self, *, drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        """The filters as query pairs (a link keeps what the reader chose)."""
        pairs: list[tuple[str, str]] = []
        if self.since and "from" not in drop:
            pairs.append(("from", self.since.isoformat()))
        if self.until and "to" not in drop:
            pairs.append(("to", self.until.isoformat()))
        if "type" not in drop:
            pairs += [("type", t) for t in self.types]
        if "party" not in drop:
            pairs += [("party", p) for p in self.parties]
        if self.as_of and "as_of" not in drop:
            pairs.append(("as_of", self.as_of))
        return pairs

    def query(self, *extra: tuple[str, str], drop: tuple[str, ...] = ()) -> str:
        """``?from=…&type=…`` (empty string for no filter)."""
        pairs = [*self.pairs(drop=drop), *extra]
        return "?" + urlencode(pairs) if pairs else ""

    @property
    def filtered(self) -> bool:
        return bool(self.since or self.until or self.types or self.parties)


def parse_args(args: MultiDict[str, str], *, embed: bool = False) -> PageArgs:
    """The filters of a page request; ``PageArgsInvalid`` names what is wrong."""
    raw = {k: args.getlist(k) if k in MULTI else args.get(k) for k in args}
    schema = EmbedArgsSchema() if embed else PageArgsSchema()
    try:
        loaded = schema.load(raw)
    except ValidationError as exc:
        raise PageArgsInvalid(exc.normalized_messages()) from None
    parsed = PageArgs(
        as_of=loaded.get("as_of"),
        since=loaded.get("since"),
        until=loaded.get("until"),
        types=tuple(dict.fromkeys(loaded.get("type") or ())),
        parties=tuple(dict.fromkeys(loaded.get("party") or ())),
        after=loaded.get("after"),
    )
    try:
        parsed.cursor()  # the pattern admits 2025-13-45: the date itself must exist
    except ValueError:
        raise PageArgsInvalid({"after": ["Not a cursor from this page."]}) from None
    return parsed
