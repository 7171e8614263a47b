"""Today's date, as every rule and read counts it (UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today() -> date:
    """The current UTC date."""
    return datetime.now(UTC).date()
