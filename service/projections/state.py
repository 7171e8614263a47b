"""An in-memory projection state: ``apply(state, event) -> state``.

The reference fold: unit tests and the property test compare the stored projections with it,
and ``verify`` uses it to check stored state against a fresh rebuild. The store keeps the
same values in tables and updates them with the same ``step`` and ``delta``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..domain.events import RecordedEvent
from .counters import apply_delta, delta
from .facts import FactChange, MemoryFacts, step


@dataclass
class State:
    position: int = 0
    facts: MemoryFacts = field(default_factory=MemoryFacts)
    counters: dict[str, int] = field(default_factory=dict)


def apply(state: State, event: RecordedEvent) -> list[FactChange]:
    """Advance the state by one event (in place, for speed); returns the fact changes."""
    changes = step(state.facts, event)
    for change in changes:
        state.facts.put(change.after)
    state.counters = apply_delta(state.counters, delta(changes))
    state.position = event.position
    return changes


def fold(events: Iterable[RecordedEvent], state: State | None = None) -> State:
    state = state or State()
    for event in events:
        apply(state, event)
    return state
