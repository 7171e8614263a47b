"""``quick_init``: the same constructor as the dataclass's own, only faster; still frozen."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date

import pytest

from service.domain.events import RecordedEvent
from service.domain.quick_init import quick_init
from service.projections.facts import Fact, FactChange


def _twins():
    """The same fields twice: one class with the dataclass's own __init__, one with
    quick_init's: positional and keyword-only fields, a default and a default factory."""

    def fields(cls):
        cls.__annotations__ = {"a": "int", "b": "str", "c": "list", "d": "int", "e": "tuple"}
        cls.b = "b"
        cls.c = dataclasses.field(default_factory=list)
        cls.d = dataclasses.field(kw_only=True)
        cls.e = dataclasses.field(default=(), kw_only=True)
        return cls

    plain = dataclasses.dataclass(frozen=True, slots=True)(fields(type("Plain", (), {})))
    quick = quick_init(dataclasses.dataclass(frozen=True, slots=True)(fields(type("Q", (), {}))))
    return plain, quick


CALLS = [
    ((1,), {"d": 4}),
    ((1, "x"), {"d": 4}),
    ((1, "x", [3]), {"d": 4, "e": (5,)}),
    ((), {"a": 1, "b": "y", "c": [], "d": 0}),
]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_it_builds_what_the_dataclass_would(args, kwargs):
    plain, quick = _twins()
    assert dataclasses.astuple(quick(*args, **kwargs)) == dataclasses.astuple(
        plain(*args, **kwargs)
    )


BAD_CALLS = [
    ((), {"d": 4}),  # a required positional field missing
    ((1,), {}),  # a required keyword-only field missing
    ((1, "x", [], 4), {}),  # a keyword-only field given by position
    ((1,), {"d": 4, "f": 0}),  # no such field
    ((1,), {"a": 2, "d": 4}),  # a field given twice
]


@pytest.mark.parametrize(("args", "kwargs"), BAD_CALLS)
def test_it_refuses_the_calls_the_dataclass_refuses(args, kwargs):
    plain, quick = _twins()
    with pytest.raises(TypeError):
        plain(*args, **kwargs)
    with pytest.raises(TypeError):
        quick(*args, **kwargs)


def test_each_instance_gets_its_own_default_from_the_factory():
    _, quick = _twins()
    first, second = quick(1, d=0), quick(1, d=0)
    assert first.c == [] and first.c is not second.c


def test_the_instances_stay_frozen_comparable_and_picklable():
    fact = Fact(
        event_id="e1",
        position=1,
        type="swap.completed",
        stream="swap-1",
        occurred_on=date(2024, 1, 1),
        date_precision="day",
        data={"sides": []},
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        fact.position = 2  # type: ignore[misc]
    assert (fact.sources, fact.corrected_by, fact.retracted) == ((), (), False)
    assert dataclasses.replace(fact, retracted=True).retracted is True
    assert pickle.loads(pickle.dumps(fact)) == fact
    change = FactChange(None, fact)
    assert (change.before, change.after, change.cause) == (None, fact, "")
    with pytest.raises(TypeError):
        Fact("e1", 1)  # type: ignore[misc]  # keyword-only, as declared


def test_a_recorded_event_takes_its_defaults():
    event = RecordedEvent(
        id="e1",
        position=1,
        stream="swap-1",
        stream_version=1,
        type="swap.completed",
        schema_version=1,
        occurred_on=date(2024, 1, 1),
        date_precision="day",
        recorded_at="2024-01-02T00:00:00Z",
        recorded_by="test",
        data={},
    )
    assert (event.sources, event.prev_hash, event.hash) == ((), "", "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.hash = "x"  # type: ignore[misc]


def test_only_frozen_slotted_dataclasses_are_taken():
    @dataclasses.dataclass(slots=True)
    class Mutable:
        a: int

    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class PostInit:
        a: int

        def __post_init__(self) -> None:
            pass

    @dataclasses.dataclass(frozen=True, slots=True)
    class Derived:
        a: int
        b: int = dataclasses.field(init=False, default=0)

    for cls in (Mutable, NoSlots, PostInit, Derived, int):
        with pytest.raises(TypeError):
            quick_init(cls)
