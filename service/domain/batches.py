"""Rules of a batch of writes: its size, references to earlier items, errors named per item.

A batch item is one write as its own endpoint takes it. An item's path may name a resource
that an earlier item of the same batch creates: by its id when the client chose it
(``/v1/proposals/p1/refusals``), or by a reference segment when the server chooses it —
``{items.0.id}`` is the event id of item 0 (``/v1/events/{items.0.id}/corrections``),
``{items.0.resource_id}`` the id of the resource item 0 created or joined
(``/v1/proposals/{items.0.resource_id}/refusals``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .errors import (
    DomainError,
    IdempotencyMismatch,
    NotFound,
    PayloadInvalid,
    RuleViolation,
    StreamExists,
    VersionMismatch,
)
from .events import RecordedEvent, resource_id

MAX_ITEMS = 1000
_REFERENCE = re.compile(r"\{items\.(\d{1,4})\.(id|resource_id)\}")
# What a reference stands for while the path is matched to its endpoint (before the batch
# runs, the referenced event does not exist yet): a value of the right form for each kind.
STAND_INS = {"id": "00000000-0000-4000-8000-000000000000", "resource_id": "item-reference"}


@dataclass(frozen=True, slots=True)
class Reference:
    """A path segment naming what an earlier item of the batch wrote."""

    index: int
    part: str  # "id" (the event id) or "resource_id" (the id in its stream name)


def parse_path(path: str, index: int) -> tuple[str, Reference | None]:
    """The path with a reference segment replaced by its stand-in, and the reference.

    At most one segment may be a reference, and only to an earlier item; anything else is a
    RuleViolation naming ``items.<index>.path``.
    """
    found = list(_REFERENCE.finditer(path))
    if not found:
        if "{" in path or "}" in path:
            raise RuleViolation(
                f"items.{index}.path",
                "a reference to an earlier item is {items.N.id} or {items.N.resource_id}",
            )
        return path, None
    if len(found) > 1:
        raise RuleViolation(f"items.{index}.path", "name at most one earlier item")
    match = found[0]
    reference = Reference(int(match.group(1)), match.group(2))
    if reference.index >= index:
        raise RuleViolation(
            f"items.{index}.path", "a reference must name an earlier item of the batch"
        )
    return path[: match.start()] + STAND_INS[reference.part] + path[match.end() :], reference


def resolve(reference: Reference, written: Sequence[RecordedEvent]) -> str:
    """What the reference names, once the earlier items are written."""
    event = written[reference.index]
    return event.id if reference.part == "id" else resource_id(event.stream)


def item_error(index: int, body_fields: Collection[str], error: DomainError) -> DomainError:
    """The error an item's write raised, named for the batch: a field of the item's body is
    ``items.<i>.body.<field>``; anything the path names (a parent, a target) is
    ``items.<i>.path`` — a missing one too, so a batch never answers 404 for its items."""
    prefix = f"items.{index}"
    if isinstance(error, RuleViolation):
        head = error.field.split(".", 1)[0]
        where = f"{prefix}.body.{error.field}" if head in body_fields else f"{prefix}.path"
        return RuleViolation(where, error.field_message)
    if isinstance(error, PayloadInvalid):
        return PayloadInvalid({"items": {index: {"body": error.messages}}})
    if isinstance(error, NotFound):
        return RuleViolation(f"{prefix}.path", error.message)
    if isinstance(error, VersionMismatch):
        return VersionMismatch(f"{prefix}: {error.message}", source=error.source)
    for kind in (StreamExists, IdempotencyMismatch):
        if isinstance(error, kind):
            return type(error)(f"{prefix}: {error.message}")
    return error
