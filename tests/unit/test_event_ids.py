"""Event ids are UUIDv7: version 7, RFC 9562 variant, the creation time in their first 48 bits."""

import time
import uuid

from service.domain.event_ids import new_event_id


def test_an_event_id_is_a_version_7_uuid_in_canonical_text() -> None:
    text = new_event_id()
    parsed = uuid.UUID(text)
    assert str(parsed) == text
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122


def test_an_event_id_starts_with_the_milliseconds_it_was_made() -> None:
    before = time.time_ns() // 1_000_000
    made = uuid.UUID(new_event_id())
    after = time.time_ns() // 1_000_000
    assert before <= made.int >> 80 <= after


def test_ids_of_later_milliseconds_sort_after_earlier_ones_as_text() -> None:
    first = new_event_id()
    time.sleep(0.002)
    second = new_event_id()
    assert first < second


def test_ids_made_in_the_same_millisecond_differ() -> None:
    ids = [new_event_id() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    assert len({i[:13] for i in ids}) < len(ids)  # many shared a millisecond, and still differ
