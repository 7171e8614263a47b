"""One head lookup serves the requests that arrived before it started, never earlier ones."""

from __future__ import annotations

import threading

import pytest

from service.readmodel.shared_head import SharedLookup


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_value_from_a_lookup_that_started_before_the_request_arrived_is_not_used():
    clock = Clock()
    values = iter(["first", "second"])
    shared = SharedLookup(lambda: next(values), clock)
    assert shared.get(arrived=0.0) == "first"  # started at 0.0
    assert shared.get(arrived=0.0) == "first"  # arrived before it started: served
    clock.now = 1.0
    assert shared.get(arrived=0.5) == "second"  # arrived after it started: a new lookup


def test_requests_waiting_during_a_lookup_share_the_next_one():
    clock = Clock()
    running = threading.Event()
    release = threading.Event()
    calls: list[int] = []

    def lookup() -> int:
        calls.append(1)
        if len(calls) == 1:
            running.set()
            release.wait(5)
        return len(calls)

    shared = SharedLookup(lookup, clock)
    first = threading.Thread(target=shared.get, args=(0.0,))
    first.start()
    assert running.wait(5)
    clock.now = 1.0  # these arrive while the first lookup runs
    answers: list[int] = []
    waiters = [
        threading.Thread(target=lambda: answers.append(shared.get(arrived=0.5))) for _ in range(5)
    ]
    for waiter in waiters:
        waiter.start()
    release.set()
    for thread in [first, *waiters]:
        thread.join(5)
    assert answers == [2] * 5  # all from the second lookup, made once
    assert len(calls) == 2


def test_a_failed_lookup_fails_its_caller_and_the_next_request_tries_again():
    outcomes = iter([RuntimeError("database gone"), 7])

    def lookup() -> int:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    shared = SharedLookup(lookup, Clock())
    with pytest.raises(RuntimeError):
        shared.get(arrived=0.0)
    assert shared.get(arrived=0.0) == 7
