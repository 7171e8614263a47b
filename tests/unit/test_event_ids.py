"""Event ids are UUIDv7: version 7, RFC 9562 variant, the creation time in their first 48 bits."""

import os
import time
import uuid

from service.domain.event_ids import new_event_ids


def test_an_event_id_is_a_version_7_uuid_in_canonical_text() -> None:
    for text in new_event_ids(50):
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122


def test_an_event_id_starts_with_the_milliseconds_it_was_made() -> None:
    before = time.time_ns() // 1_000_000
    made = [uuid.UUID(i) for i in new_event_ids(3)]
    after = time.time_ns() // 1_000_000
    assert all(before <= m.int >> 80 <= after for m in made)


def test_ids_of_later_milliseconds_sort_after_earlier_ones_as_text() -> None:
    [first] = new_event_ids(1)
    time.sleep(0.002)
    [second] = new_event_ids(1)
    assert first < second


def test_ids_made_together_or_in_the_same_millisecond_differ() -> None:
    together = new_event_ids(20_000)
    one_by_one = [new_event_ids(1)[0] for _ in range(20_000)]
    ids = together + one_by_one
    assert len(set(ids)) == len(ids)
    assert len({i[:13] for i in one_by_one}) < len(one_by_one)  # many shared a millisecond
    assert len({i[19:] for i in together}) == len(together)  # the random tails all differ


def test_no_ids_asked_none_made() -> None:
    assert new_event_ids(0) == []


def test_a_forked_child_never_makes_its_parents_next_ids() -> None:
    """The random bits are drawn a few hundred ids at a time; a child starts with none of the
    parent's left, so the ids both make next differ."""
    new_event_ids(1)  # the parent now holds bits for many more ids
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.write(write, "".join(new_event_ids(5)).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read) as pipe:
        childs = pipe.read()
    parents = new_event_ids(5)
    assert len(childs) == 5 * 36
    assert not {childs[i : i + 36][19:] for i in range(0, 180, 36)} & {p[19:] for p in parents}
