"""The table of connections per worker, and when a worker leaves a new connection to another."""

from __future__ import annotations

from service.worker_balance import MAX_DEFER, Balancer, Loads


class TestLoads:
    def test_slots_are_given_out_once_and_taken_back(self):
        loads = Loads(slots=2)
        first, second = loads.claim(), loads.claim()
        assert (first, second, loads.claim()) == (0, 1, None)
        loads.release(first)
        assert loads.claim() == 0

    def test_the_least_loaded_other_worker_counts_live_slots_only(self):
        loads = Loads(slots=4)
        mine, other, third = loads.claim(), loads.claim(), loads.claim()
        assert loads.least_other(mine) is None  # the others are still starting
        loads.publish(mine, 0)
        loads.publish(other, 5)
        loads.publish(third, 3)
        assert loads.least_other(mine) == 3
        assert loads.least_other(third) == 0
        assert loads.least_other(other) == 0
        loads.release(mine)
        loads.release(third)
        assert loads.least_other(other) is None


def _pair(mine: int, other: int) -> Balancer:
    loads = Loads(slots=2)
    slot, other_slot = loads.claim(), loads.claim()
    loads.publish(other_slot, other)
    balancer = Balancer(loads, slot)
    balancer.publish(mine)
    return balancer


class TestBalancer:
    def test_a_worker_holding_more_than_another_defers_for_a_while_only(self):
        balancer = _pair(mine=3, other=2)
        assert balancer.should_defer(3, now=100.0)
        assert balancer.should_defer(3, now=100.0 + MAX_DEFER / 2)
        assert not balancer.should_defer(3, now=100.0 + MAX_DEFER * 1.01)

    def test_the_wait_starts_again_once_settled(self):
        balancer = _pair(mine=3, other=2)
        assert balancer.should_defer(3, now=100.0)
        balancer.settled()
        assert balancer.should_defer(3, now=100.0 + MAX_DEFER * 1.01)

    def test_balanced_or_lighter_workers_never_defer(self):
        assert not _pair(mine=2, other=2).should_defer(2, now=0.0)
        assert not _pair(mine=0, other=4).should_defer(0, now=0.0)

    def test_a_worker_that_stopped_accepting_is_left_nothing(self):
        loads = Loads(slots=2)
        slot, other_slot = loads.claim(), loads.claim()
        other = Balancer(loads, other_slot)
        other.publish(0)
        assert Balancer(loads, slot).should_defer(1, now=0.0)
        other.away()
        assert not Balancer(loads, slot).should_defer(1, now=0.0)

    def test_a_lone_worker_or_one_without_a_slot_never_defers(self):
        loads = Loads(slots=1)
        assert not Balancer(loads, loads.claim()).should_defer(9, now=0.0)
        assert not Balancer(None, None).should_defer(9, now=0.0)
        Balancer(None, None).publish(9)  # nothing to publish into: no error
