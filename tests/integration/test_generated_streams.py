"""Stream ids generated from the date: the first free suffix, also on a very busy date."""

from __future__ import annotations

from datetime import date

import pytest

from service.domain.events import SWAP_COMPLETED, NewEvent
from service.store.append import append

DAY = date(2026, 2, 5)


def _swap(stream: str | None = None) -> NewEvent:
    return NewEvent(
        type=SWAP_COMPLETED,
        stream=stream,
        data={"mediators": ["AE"]},
        occurred_on=DAY,
        sources=({"url": "https://example.org/swap"},),
    )


def _streams(engine, events: list[NewEvent]) -> list[str]:
    return [e.stream for e in append(engine, events, recorded_by="newsroom")]


def _taken(engine, suffixes) -> None:
    names = [f"swap/2026-02-05-{n}" if n > 1 else "swap/2026-02-05" for n in suffixes]
    _streams(engine, [_swap(n) for n in names])


class TestGeneratedStreamIds:
    def test_the_first_is_the_date_then_suffixes_count_up(self, engine):
        assert _streams(engine, [_swap()]) == ["swap/2026-02-05"]
        assert _streams(engine, [_swap(), _swap()]) == ["swap/2026-02-05-2", "swap/2026-02-05-3"]

    def test_a_free_suffix_between_taken_ones_is_used_first(self, engine):
        _taken(engine, [1, 3, 4])
        assert _streams(engine, [_swap(), _swap()]) == ["swap/2026-02-05-2", "swap/2026-02-05-5"]

    @pytest.mark.parametrize("existing", [31, 32, 33, 64, 65, 100, 1000])
    def test_after_many_streams_on_one_date_the_next_suffix_follows(self, engine, existing):
        _taken(engine, range(1, existing + 1))
        assert _streams(engine, [_swap()]) == [f"swap/2026-02-05-{existing + 1}"]
