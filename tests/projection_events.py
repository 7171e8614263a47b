"""Hand-written recorded events for the pure projection tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from service.domain import events as ev
from service.domain.events import RecordedEvent


class Log:
    """Builds RecordedEvents with positions 1, 2, 3... as a hand-written log."""

    def __init__(self) -> None:
        self.events: list[RecordedEvent] = []
        self.versions: dict[str, int] = {}

    def add(
        self, type_: str, stream: str, on: str, data: dict[str, Any], precision: str = "day"
    ) -> RecordedEvent:
        position = len(self.events) + 1
        self.versions[stream] = self.versions.get(stream, 0) + 1
        event = RecordedEvent(
            id=f"00000000-0000-0000-0000-{position:012d}",
            position=position,
            stream=stream,
            stream_version=self.versions[stream],
            type=type_,
            schema_version=1,
            occurred_on=date.fromisoformat(on),
            date_precision=precision,
            recorded_at=f"2026-03-01T00:00:{position % 60:02d}.000000Z",
            recorded_by="test",
            data=data,
        )
        self.events.append(event)
        return event

    def swap(self, on: str, ua: int | None = 10, ru: int | None = 10, **kw: Any) -> RecordedEvent:
        sides = [{"party": "UA", "received": ua}, {"party": "RU", "received": ru}]
        sides = [{k: v for k, v in s.items() if v is not None} for s in sides]
        data = {"mediators": ["AE"], "sides": sides, "breakdowns": [], "categories": [], **kw}
        return self.add(ev.SWAP_COMPLETED, f"swap/{on}-{len(self.events)}", on, data)

    def proposal(self, on: str, pid: str = "p1", by: str = "UA", **kw: Any) -> RecordedEvent:
        data = {"proposed_by": by, "addressed_to": "RU", "format": "all_for_all"}
        return self.add(ev.PROPOSAL_MADE, f"proposal/{pid}", on, {**data, "summary": "s", **kw})

    def refusal(self, on: str, pid: str = "p1", by: str = "RU") -> RecordedEvent:
        data = {"refused_by": by, "reason": "no", "demanded_categories": [], "proposal_id": pid}
        return self.add(ev.PROPOSAL_REFUSED, f"proposal/{pid}", on, data)

    def attempt(self, on: str, blamed: str | None = "RU") -> RecordedEvent:
        data = {"reason": "cancelled", **({"blamed_party": blamed} if blamed else {})}
        return self.add(ev.EXCHANGE_FAILED, f"attempt/a{len(self.events)}", on, data)

    def agreement(self, on: str, aid: str = "ist") -> RecordedEvent:
        data = {"name": "Istanbul arrangements", "parties": ["UA", "RU"], "terms": []}
        return self.add(ev.AGREEMENT_REACHED, f"agreement/{aid}", on, data)

    def breach(self, on: str, aid: str = "ist") -> RecordedEvent:
        data = {"alleged_by": "UA", "breached_by": "RU", "description": "d", "agreement_id": aid}
        return self.add(ev.AGREEMENT_BREACHED, f"agreement/{aid}", on, data)

    def correct(self, target: RecordedEvent, on: str = "2026-02-01", **changes: Any):
        data = {"changes": changes, "reason": "r", "target_event_id": target.id}
        return self.add(ev.EVENT_CORRECTED, target.stream, on, data)

    def retract(self, target: RecordedEvent, on: str = "2026-02-01") -> RecordedEvent:
        data = {"reason": "r", "target_event_id": target.id}
        return self.add(ev.EVENT_RETRACTED, target.stream, on, data)
