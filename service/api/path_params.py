"""Path parameters documented by hand: the resource ids in the URLs of the API."""

from __future__ import annotations

from typing import Any

from ..domain.vocab import SLUG_PATTERN


def slug_path(name: str, description: str) -> list[dict[str, Any]]:
    """A path parameter holding a resource id (a slug), for ``blp.route(parameters=…)``.

    Any other value finds no resource (404, or 422 naming the field on a write to it).
    """
    schema = {"type": "string", "pattern": SLUG_PATTERN}
    return [{"in": "path", "name": name, "schema": schema, "description": description}]
