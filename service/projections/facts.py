"""The one place that resolves corrections and retractions.

Every projection starts from ``Fact``: one per fact event (everything but corrections and
retractions), holding the fact's *current* values. ``step`` is the pure transition: given a
way to look facts up and the next event, it returns the facts that changed (before, after).
A full rebuild, the incremental update on append and an ``as_of`` read all fold ``step``.

Rules:
- a correction changes the fact as ``domain.corrections`` says (the write rules use the same
  merge): top-level keys of ``data`` replaced in order, the date moved by its date fields;
  the correction's own sources join the fact's (a URL the fact already cites is not
  repeated), since its current values rest on them too;
- retracting a fact retracts it; retracting the fact that created a resource
  (proposal.made, agreement.reached, ...) also retracts everything in its stream (its
  refusals, acceptances and breaches no longer count); retracting one refusal retracts only it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from ..domain.corrections import merged
from ..domain.events import (
    EVENT_CORRECTED,
    EVENT_RETRACTED,
    EVENT_TYPES,
    META_TYPES,
    RecordedEvent,
    resource_id,
)
from ..domain.quick_init import quick_init


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """A fact event with corrections and retractions applied."""

    event_id: str
    position: int
    type: str
    stream: str
    occurred_on: date
    date_precision: str
    data: Mapping[str, Any]
    sources: tuple[Mapping[str, Any], ...] = ()
    corrected_by: tuple[str, ...] = ()
    retracted: bool = False
    resource_retracted: bool = False

    @property
    def live(self) -> bool:
        """Whether the fact counts: neither it nor the resource it belongs to is retracted."""
        return not self.retracted and not self.resource_retracted

    @property
    def resource_id(self) -> str:
        return resource_id(self.stream)

    @property
    def creates_resource(self) -> bool:
        return EVENT_TYPES[self.type].creates_stream


@quick_init
@dataclass(frozen=True, slots=True)
class FactChange:
    """One fact before and after an event (``before`` is None for a new fact)."""

    before: Fact | None
    after: Fact
    cause: str = field(default="")


class FactLookup(Protocol):
    def fact(self, event_id: str) -> Fact | None: ...

    def stream_facts(self, stream: str) -> Iterable[Fact]: ...


def new_fact(event: RecordedEvent) -> Fact:
    return Fact(
        event_id=event.id,
        position=event.position,
        type=event.type,
        stream=event.stream,
        occurred_on=event.occurred_on,
        date_precision=event.date_precision,
        data=event.data,  # shared, not copied: neither an event nor a fact is changed in place
        sources=tuple(event.sources),
    )


def corrected(
    fact: Fact,
    changes: Mapping[str, Any],
    correction_id: str,
    sources: Iterable[Mapping[str, Any]] = (),
) -> Fact:
    """The fact with one correction's changes applied and its sources added."""
    data = merged(fact.data, [changes])
    occurred = changes.get("occurred_on", fact.occurred_on)
    if not isinstance(occurred, date):
        occurred = date.fromisoformat(str(occurred))
    return replace(
        fact,
        data=data,
        occurred_on=occurred,
        date_precision=str(changes.get("date_precision", fact.date_precision)),
        sources=cited_sources(fact.sources, sources),
        corrected_by=(*fact.corrected_by, correction_id),
    )


def cited_sources(
    cited: Iterable[Mapping[str, Any]], added: Iterable[Mapping[str, Any]]
) -> tuple[Mapping[str, Any], ...]:
    """The sources already cited, then each added one whose URL is not among them yet."""
    result = list(cited)
    urls = {source.get("url") for source in result}
    for source in added:
        if source.get("url") not in urls:
            urls.add(source.get("url"))
            result.append(source)
    return tuple(result)


def step(lookup: FactLookup, event: RecordedEvent) -> list[FactChange]:
    """The facts an event creates or changes, with their values before and after."""
    if event.type not in META_TYPES:
        return [FactChange(None, new_fact(event), event.id)]
    target = lookup.fact(str(event.data["target_event_id"]))
    if target is None:  # the write rules forbid it; a projection must still not crash
        return []
    if event.type == EVENT_CORRECTED:
        after = corrected(target, event.data["changes"], event.id, event.sources)
        return [FactChange(target, after, event.id)]
    if event.type == EVENT_RETRACTED:
        changes = [FactChange(target, replace(target, retracted=True), event.id)]
        if target.creates_resource:
            for other in lookup.stream_facts(target.stream):
                if other.event_id != target.event_id and not other.resource_retracted:
                    changes.append(FactChange(other, replace(other, resource_retracted=True)))
        return changes
    return []


class MemoryFacts:
    """Facts held in memory: the lookup for unit tests, rebuild checks and small folds."""

    def __init__(self) -> None:
        self.by_id: dict[str, Fact] = {}
        self.by_stream: dict[str, list[str]] = {}

    def fact(self, event_id: str) -> Fact | None:
        return self.by_id.get(event_id)

    def stream_facts(self, stream: str) -> Iterable[Fact]:
        return [self.by_id[i] for i in self.by_stream.get(stream, [])]

    def put(self, fact: Fact) -> None:
        if fact.event_id not in self.by_id:
            self.by_stream.setdefault(fact.stream, []).append(fact.event_id)
        self.by_id[fact.event_id] = fact

    def live(self) -> list[Fact]:
        return [f for f in self.by_id.values() if f.live]
