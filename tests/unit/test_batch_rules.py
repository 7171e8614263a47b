"""The rules of a batch: references to earlier items, errors renamed for their item."""

from __future__ import annotations

from datetime import date

import pytest

from service.domain.batches import STAND_INS, Reference, item_error, parse_path, resolve
from service.domain.errors import (
    IdempotencyMismatch,
    NotFound,
    PayloadInvalid,
    RuleViolation,
    StreamExists,
    Unauthorized,
    VersionMismatch,
)
from service.domain.events import RecordedEvent

BODY_FIELDS = frozenset({"occurred_on", "sources", "changes", "proposal_id"})


def recorded(event_id: str, stream: str) -> RecordedEvent:
    return RecordedEvent(
        id=event_id,
        position=1,
        stream=stream,
        stream_version=1,
        type="swap.completed",
        schema_version=1,
        occurred_on=date(2026, 2, 5),
        date_precision="day",
        recorded_at="2026-02-05T00:00:00.000000Z",
        recorded_by="newsroom",
        data={},
    )


class TestPaths:
    def test_a_plain_path_is_left_as_it_is(self):
        assert parse_path("/v1/proposals/p1/refusals", 3) == ("/v1/proposals/p1/refusals", None)

    def test_an_event_reference_stands_in_as_a_uuid_while_the_route_is_matched(self):
        path, reference = parse_path("/v1/events/{items.12.id}/corrections", 13)
        assert path == f"/v1/events/{STAND_INS['id']}/corrections"
        assert reference == Reference(12, "id")

    def test_a_resource_reference_stands_in_as_a_slug(self):
        path, reference = parse_path("/v1/proposals/{items.0.resource_id}/refusals", 1)
        assert path == "/v1/proposals/item-reference/refusals"
        assert reference == Reference(0, "resource_id")

    @pytest.mark.parametrize(
        ("path", "message"),
        [
            ("/v1/events/{items.2.id}/corrections", "a reference must name an earlier item"),
            ("/v1/events/{items.5.id}/corrections", "a reference must name an earlier item"),
            ("/v1/events/{items.0.id}/{items.1.id}", "name at most one earlier item"),
            ("/v1/events/{items.0.hash}/corrections", "a reference to an earlier item is"),
            ("/v1/events/{0}/corrections", "a reference to an earlier item is"),
        ],
    )
    def test_a_reference_that_cannot_resolve_names_the_items_path(self, path, message):
        with pytest.raises(RuleViolation) as caught:
            parse_path(path, 2)
        assert caught.value.field == "items.2.path"
        assert caught.value.field_message.startswith(message)


class TestResolve:
    def test_an_id_reference_is_the_event_id_and_a_resource_reference_its_stream_id(self):
        written = [recorded("e-0", "swap/2026-02-05-2"), recorded("e-1", "proposal/p1")]
        assert resolve(Reference(0, "id"), written) == "e-0"
        assert resolve(Reference(0, "resource_id"), written) == "2026-02-05-2"
        assert resolve(Reference(1, "resource_id"), written) == "p1"


class TestItemErrors:
    def test_a_body_field_is_named_under_the_items_body(self):
        error = item_error(4, BODY_FIELDS, RuleViolation("changes.sides.0.medical", "too many"))
        assert (error.field, error.field_message) == (
            "items.4.body.changes.sides.0.medical",
            "too many",
        )

    def test_a_field_the_path_names_is_the_items_path(self):
        error = item_error(4, BODY_FIELDS - {"proposal_id"}, RuleViolation("proposal_id", "gone"))
        assert (error.field, error.field_message) == ("items.4.path", "gone")

    def test_a_missing_target_is_a_rule_violation_on_the_path_not_a_404(self):
        error = item_error(0, BODY_FIELDS, NotFound("there is no event x"))
        assert type(error) is RuleViolation
        assert (error.field, error.field_message) == ("items.0.path", "there is no event x")

    def test_schema_messages_are_nested_under_the_items_body(self):
        error = item_error(2, BODY_FIELDS, PayloadInvalid({"changes": {"sides": ["bad"]}}))
        assert isinstance(error, PayloadInvalid)
        assert error.messages == {"items": {2: {"body": {"changes": {"sides": ["bad"]}}}}}

    def test_conflicts_keep_their_kind_and_name_the_item(self):
        taken = item_error(1, BODY_FIELDS, StreamExists("swap/feb already exists"))
        assert (type(taken), taken.message) == (StreamExists, "items.1: swap/feb already exists")
        stale = item_error(1, BODY_FIELDS, VersionMismatch("at 2, not 1", source="body"))
        assert (type(stale), stale.message, stale.source) == (
            VersionMismatch,
            "items.1: at 2, not 1",
            "body",
        )
        reused = item_error(0, BODY_FIELDS, IdempotencyMismatch("used"))
        assert (type(reused), reused.message) == (IdempotencyMismatch, "items.0: used")

    def test_a_revoked_token_is_not_an_items_error(self):
        revoked = Unauthorized("the bearer token was revoked")
        assert item_error(3, BODY_FIELDS, revoked) is revoked
