"""Paths of the API's own resources, as links in answers (relative to the service root)."""

from __future__ import annotations

# The events blueprint's url_prefix: an event's URL is EVENTS_PREFIX/<id>.
EVENTS_PREFIX = "/v1/events"
TIMELINE_PATH = "/v1/timeline"


def event_href(event_id: str) -> str:
    """The path of one event (``GET /v1/events/{id}``)."""
    return f"{EVENTS_PREFIX}/{event_id}"
