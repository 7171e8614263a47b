"""Stream ids generated from the date: the first free suffix, also on a very busy date."""

from __future__ import annotations

import pytest

from service.domain.events import NewEvent
from service.store.append import append
from tests.builders import new_swap

GENERATED = new_swap(None)  # no id given: the store names the stream from the date


def _streams(engine, events: list[NewEvent]) -> list[str]:
    return [e.stream for e in append(engine, events, recorded_by="newsroom")]


def _taken(engine, suffixes) -> None:
    names = [f"swap/2026-02-05-{n}" if n > 1 else "swap/2026-02-05" for n in suffixes]
    _streams(engine, [new_swap(n) for n in names])


class TestGeneratedStreamIds:
    def test_the_first_is_the_date_then_suffixes_count_up(self, engine):
        assert _streams(engine, [GENERATED]) == ["swap/2026-02-05"]
        assert _streams(engine, [GENERATED, GENERATED]) == [
            "swap/2026-02-05-2",
            "swap/2026-02-05-3",
        ]

    def test_a_free_suffix_between_taken_ones_is_used_first(self, engine):
        _taken(engine, [1, 3, 4])
        assert _streams(engine, [GENERATED, GENERATED]) == [
            "swap/2026-02-05-2",
            "swap/2026-02-05-5",
        ]

    @pytest.mark.parametrize("existing", [31, 32, 33, 64, 65, 100, 1000])
    def test_after_many_streams_on_one_date_the_next_suffix_follows(self, engine, existing):
        _taken(engine, range(1, existing + 1))
        assert _streams(engine, [GENERATED]) == [f"swap/2026-02-05-{existing + 1}"]
