"""Old payload versions are upgraded on read; stored rows are never rewritten."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .events import EVENT_TYPES

Payload = Mapping[str, Any]

# (type, from_version) -> function returning the payload at from_version + 1.
UPCASTERS: dict[tuple[str, int], Callable[[Payload], Payload]] = {}


def upcast(event_type: str, schema_version: int, data: Payload) -> tuple[int, Payload]:
    """Upgrade a stored payload step by step to the type's current schema version."""
    current = EVENT_TYPES[event_type].schema_version
    while schema_version < current:
        data = UPCASTERS[(event_type, schema_version)](data)
        schema_version += 1
    return schema_version, data
