"""Domain errors; the HTTP layer maps each class to one status code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    """Base class: a request the domain refuses, with a human message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RuleViolation(DomainError):
    """A write-time invariant failed; names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.field_message = message


class NotFound(DomainError):
    """The named resource, event or release does not exist."""


class StreamExists(DomainError):
    """A creation named a resource id that is already taken."""


class VersionMismatch(DomainError):
    """The expected stream version does not match; ``source`` is 'header' or 'body'."""

    def __init__(self, message: str, *, source: str) -> None:
        super().__init__(message)
        self.source = source


class IdempotencyMismatch(DomainError):
    """An Idempotency-Key was reused with a different request body."""


class Unauthorized(DomainError):
    """No valid bearer token."""


class Forbidden(DomainError):
    """The token lacks the scope the action needs."""


class PayloadInvalid(DomainError):
    """A payload fails its schema (a correction's merge); ``messages`` are per field."""

    def __init__(self, messages: Mapping[str, Any]) -> None:
        super().__init__("invalid payload")
        self.messages = messages
