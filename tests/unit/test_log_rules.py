"""Write rules that need the log, on an in-memory log (no database, no app)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from service.domain import events as ev
from service.domain.errors import NotFound, PayloadInvalid, RuleViolation
from service.domain.events import NewEvent, RecordedEvent
from service.domain.log_rules import check_against_log, live_resources, reads_log

TODAY = date(2026, 2, 5)
SOURCE = ({"url": "https://example.org/a"},)
FUTURE = "must not be in the future (today is 2026-02-05)"
PRECISIONS = "must be one of: day, month, year"


class MemoryLog:
    """The ``LogLookup`` over a list of recorded events."""

    def __init__(self) -> None:
        self.events: list[RecordedEvent] = []

    def add(self, type_: str, stream: str, data: dict[str, Any]) -> RecordedEvent:
        version = sum(1 for e in self.events if e.stream == stream) + 1
        event = RecordedEvent(
            id=f"00000000-0000-4000-8000-{len(self.events) + 1:012d}",
            position=len(self.events) + 1,
            stream=stream,
            stream_version=version,
            type=type_,
            schema_version=1,
            occurred_on=date(2026, 1, 1),
            date_precision="day",
            recorded_at="2026-01-01T00:00:00.000000Z",
            recorded_by="test",
            data=data,
        )
        self.events.append(event)
        return event

    def creation_id(self, stream: str) -> str | None:
        return next(
            (e.id for e in self.events if e.stream == stream and e.stream_version == 1), None
        )

    def event_by_id(self, event_id: str) -> RecordedEvent | None:
        return next((e for e in self.events if e.id == event_id), None)

    def is_retracted(self, event_id: str) -> bool:
        return any(
            e.type == ev.EVENT_RETRACTED and e.data["target_event_id"] == event_id
            for e in self.events
        )

    def corrections_of(self, event_id: str) -> list[RecordedEvent]:
        return [
            e
            for e in self.events
            if e.type == ev.EVENT_CORRECTED and e.data["target_event_id"] == event_id
        ]


def load_as_is(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """A schema stand-in: every swap payload loads unchanged unless it names ``bad``."""
    if "bad" in data:
        raise PayloadInvalid({"changes": {"bad": ["Unknown field."]}})
    return dict(data)


def new(type_: str, stream: str | None, data: dict[str, Any]) -> NewEvent:
    return NewEvent(type=type_, stream=stream, data=data, occurred_on=TODAY, sources=SOURCE)


def check(log: MemoryLog, event: NewEvent, parent: str = "") -> NewEvent:
    return check_against_log(log, event, parent, load_as_is, TODAY)


def violation(log: MemoryLog, event: NewEvent, parent: str = "") -> tuple[str, str]:
    with pytest.raises(RuleViolation) as caught:
        check(log, event, parent)
    return caught.value.field, caught.value.field_message


@pytest.fixture
def log() -> MemoryLog:
    log = MemoryLog()
    log.add(ev.PROPOSAL_MADE, "proposal/p1", {"proposed_by": "UA"})
    log.add(ev.SWAP_COMPLETED, "swap/feb", {"sides": [{"party": "UA", "received": 5}]})
    return log


class TestReferences:
    def test_a_refusal_of_an_existing_proposal_passes_unchanged(self, log):
        refusal = new(ev.PROPOSAL_REFUSED, "proposal/p1", {"proposal_id": "p1"})
        assert check(log, refusal) is refusal

    def test_a_refusal_of_an_unknown_proposal_names_the_parent_field(self, log):
        refusal = new(ev.PROPOSAL_REFUSED, "proposal/nope", {"proposal_id": "nope"})
        assert violation(log, refusal) == ("proposal_id", "there is no proposal 'nope'")

    def test_a_refusal_of_a_retracted_proposal_is_refused(self, log):
        log.add(ev.EVENT_RETRACTED, "proposal/p1", {"target_event_id": log.events[0].id})
        refusal = new(ev.PROPOSAL_REFUSED, "proposal/p1", {"proposal_id": "p1"})
        assert violation(log, refusal) == ("proposal_id", "proposal 'p1' was retracted")

    def test_a_swap_naming_an_unknown_proposal_is_refused(self, log):
        swap = new(ev.SWAP_COMPLETED, None, {"proposal_id": "p9", "sides": []})
        assert violation(log, swap) == ("proposal_id", "there is no proposal 'p9'")

    def test_an_id_that_is_no_slug_is_never_looked_up(self, log):
        refusal = new(ev.PROPOSAL_REFUSED, "proposal/a\x00b", {"proposal_id": "a\x00b"})
        assert violation(log, refusal) == ("proposal_id", "there is no proposal 'a\\x00b'")

    def test_only_events_that_reference_something_read_the_log(self):
        assert reads_log(new(ev.SWAP_COMPLETED, None, {"sides": []})) is False
        assert reads_log(new(ev.SWAP_COMPLETED, None, {"agreement_id": "ist"})) is True
        assert reads_log(new(ev.PROPOSAL_REFUSED, "proposal/p1", {})) is True


class TestCorrections:
    def correction(self, changes: dict[str, Any], target: str) -> NewEvent:
        data = {"changes": changes, "reason": "r", "target_event_id": target}
        return new(ev.EVENT_CORRECTED, None, data)

    def test_a_correction_joins_its_target_stream_and_stores_the_changed_fields(self, log):
        swap = log.events[1]
        changes = {"notes": "n", "occurred_on": "2026-02-01"}
        checked = check(log, self.correction(changes, swap.id), swap.id)
        assert checked.stream == "swap/feb"
        assert checked.data["changes"] == {"notes": "n", "occurred_on": "2026-02-01"}

    def test_earlier_corrections_are_merged_before_the_rules_run(self, log):
        swap = log.events[1]
        log.add(
            ev.EVENT_CORRECTED,
            "swap/feb",
            {"target_event_id": swap.id, "changes": {"sides": [{"party": "UA", "received": 2}]}},
        )
        changes = {"sides": [{"party": "UA", "received": 2, "medical": 3}]}
        assert violation(log, self.correction(changes, swap.id), swap.id) == (
            "changes.sides.0.medical",
            "medical (3) exceeds received (2)",
        )

    def test_a_merged_payload_the_schema_refuses_is_payload_invalid(self, log):
        with pytest.raises(PayloadInvalid) as caught:
            check(log, self.correction({"bad": 1}, log.events[1].id), log.events[1].id)
        assert caught.value.messages == {"changes": {"bad": ["Unknown field."]}}

    def test_an_unknown_target_is_not_found(self, log):
        unknown = "00000000-0000-4000-8000-000000000099"
        with pytest.raises(NotFound):
            check(log, self.correction({"notes": "n"}, unknown), unknown)

    def test_a_retracted_target_cannot_be_corrected(self, log):
        swap = log.events[1]
        log.add(ev.EVENT_RETRACTED, "swap/feb", {"target_event_id": swap.id})
        assert violation(log, self.correction({"notes": "n"}, swap.id), swap.id) == (
            "target_event_id",
            f"event {swap.id} was retracted; it cannot be corrected",
        )

    def test_the_resource_a_child_belongs_to_is_fixed(self, log):
        refusal = log.add(ev.PROPOSAL_REFUSED, "proposal/p1", {"proposal_id": "p1"})
        correction = self.correction({"proposal_id": "p2"}, refusal.id)
        assert violation(log, correction, refusal.id) == (
            "changes.proposal_id",
            "the resource an event belongs to is fixed",
        )

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({}, "changes", "name at least one field to change"),
            ({"occurred_on": "2013-12-31"}, "changes.occurred_on", "must not be before 2014-01-01"),
            ({"occurred_on": "2026-02-06"}, "changes.occurred_on", FUTURE),
            ({"occurred_on": 20260101}, "changes.occurred_on", "must be a date as YYYY-MM-DD"),
            ({"date_precision": "week"}, "changes.date_precision", PRECISIONS),
        ],
    )  # fmt: skip
    def test_bad_changes_name_the_changed_field(self, log, changes, field, message):
        swap = log.events[1]
        assert violation(log, self.correction(changes, swap.id), swap.id) == (field, message)

    def test_a_correction_cannot_target_a_correction(self, log):
        swap = log.events[1]
        fix = log.add(ev.EVENT_CORRECTED, "swap/feb", {"target_event_id": swap.id, "changes": {}})
        correction = self.correction({"notes": "n"}, fix.id)
        assert violation(log, correction, fix.id) == (
            "target_event_id",
            "corrections and retractions cannot be corrected or retracted",
        )


class TestLiveResources:
    """What a batch asks about at once for its items (store/batch_log.py) is what the rules
    ask: a child's parent, else the resources a payload names; never a malformed id."""

    def test_a_child_needs_its_parent_only(self):
        refusal = new(ev.PROPOSAL_REFUSED, "proposal/p1", {"proposal_id": "p1"})
        assert live_resources(refusal) == ["proposal/p1"]

    def test_a_payload_needs_the_resources_it_names(self):
        swap = new(ev.SWAP_COMPLETED, None, {"proposal_id": "p1", "agreement_id": "ist"})
        assert live_resources(swap) == ["proposal/p1", "agreement/ist"]
        assert live_resources(new(ev.SWAP_COMPLETED, None, {"proposal_id": None})) == []

    def test_a_correction_or_retraction_names_only_its_target(self):
        retraction = new(ev.EVENT_RETRACTED, None, {"target_event_id": "x", "proposal_id": "p"})
        assert live_resources(retraction) == []

    @pytest.mark.parametrize("rid", ["a\x00b", "A", "x" * 65, ""])
    def test_an_id_no_resource_can_have_is_left_out(self, rid):
        assert live_resources(new(ev.PROPOSAL_REFUSED, f"proposal/{rid}", {})) == []
        assert live_resources(new(ev.SWAP_COMPLETED, None, {"agreement_id": rid})) == []

    def test_every_resource_named_is_one_the_rules_ask_about(self):
        log = MemoryLog()
        refusal = new(ev.PROPOSAL_REFUSED, "proposal/p1", {})
        swap = new(ev.SWAP_COMPLETED, None, {"proposal_id": "p1", "agreement_id": "ist"})
        for event in (refusal, swap):
            asked: list[str] = []
            log.creation_id = lambda stream, asked=asked: asked.append(stream)  # type: ignore[method-assign]
            with pytest.raises(RuleViolation):
                check(log, event)
            assert asked == live_resources(event)[:1]  # the first missing one stops the check
