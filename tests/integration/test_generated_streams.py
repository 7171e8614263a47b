"""Stream ids generated from the date: the first free suffix, also on a very busy date."""

from __future__ import annotations

from concurrent.futures import Future
from datetime import date

import pytest
import sqlalchemy as sa

from service.domain.errors import StreamExists
from service.domain.events import EVENT_CORRECTED, SWAP_COMPLETED, NewEvent
from service.readmodel.pg_writes import current_versions
from service.readmodel.tables import OPEN, fact_versions
from service.recording import WriteRequest, append_checked, new_event, record
from service.schemas.corrections import CorrectionWrite
from service.schemas.swaps import SwapWrite
from service.store import event_reads, lock_probe, pg_writes, stream_ids
from service.store.append import append, append_in
from service.store.engine import PROBED, append_transaction_on
from service.store.group_commit import GroupCommitter
from tests.builders import correction_body, new_swap, swap_body

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

    @pytest.mark.parametrize("existing", [7, 8, 9, 15, 16, 17, 31, 64, 100, 1000, 4104, 5000])
    def test_after_many_streams_on_one_date_the_next_suffix_follows(self, engine, existing):
        """Around the first query's window (8 names) and its reach (up to 4,104), and past it."""
        _taken(engine, range(1, existing + 1))
        assert _streams(engine, [GENERATED]) == [f"swap/2026-02-05-{existing + 1}"]

    def test_a_hint_left_by_a_rolled_back_append_is_not_trusted(self, engine):
        _taken(engine, [1, 2, 3])
        stream_ids.hints(engine)["swap/2026-02-05"] = 50  # as if 50 had been rolled back
        assert _streams(engine, [GENERATED]) == ["swap/2026-02-05-4"]
        assert _streams(engine, [GENERATED]) == ["swap/2026-02-05-5"]


class TestProbedWithTheLock:
    """Through the write use case, the names a generated id needs are looked up in the append
    lock's round trip (PostgreSQL): no probe of its own, the same names as without it."""

    def _record(self, engine, **overrides):
        body = SwapWrite().load(swap_body(**overrides))
        event, _ = record(
            engine, WriteRequest(event_type=SWAP_COMPLETED, body=body, recorded_by="n")
        )
        return event.stream

    def _probes(self, monkeypatch) -> list[list[str]]:
        """The names each probe of its own (outside the lock's round trip) asks about."""
        probes: list[list[str]] = []
        real = pg_writes.existing_streams
        monkeypatch.setattr(
            pg_writes,
            "existing_streams",
            lambda conn, names: probes.append(names) or real(conn, names),
        )
        return probes

    def test_generated_ids_need_no_probe_of_their_own(self, engine, backend, monkeypatch):
        if backend != "postgresql":
            pytest.skip("the lock's round trip is PostgreSQL's")
        _taken(engine, [1, 2, 4])
        probes = self._probes(monkeypatch)
        streams = [self._record(engine) for _ in range(3)]
        assert streams == ["swap/2026-02-05-3", "swap/2026-02-05-5", "swap/2026-02-05-6"]
        assert probes == []

    def test_ids_given_are_asked_with_the_lock_not_one_by_one(
        self, engine, backend, monkeypatch, client, auth
    ):
        """A write that names the stream it creates has the name asked in the lock's round
        trip: a single write and each of a batch's 200 items, none looked up on its own as
        it is placed. A name taken in the log or earlier in the batch is still refused."""
        if backend != "postgresql":
            pytest.skip("the lock's round trip is PostgreSQL's")
        asked: list[str] = []
        real = event_reads.stream_version
        monkeypatch.setattr(
            event_reads, "stream_version", lambda conn, s: asked.append(s) or real(conn, s)
        )
        assert self._record(engine, id="given-1") == "swap/given-1"
        items = [
            {"method": "POST", "path": "/v1/swaps", "body": swap_body(id=f"given-{n}")}
            for n in range(2, 202)
        ]
        r = client.post("/v1/batches", json={"items": items}, headers=auth)
        assert r.status_code == 201, r.json
        assert [e["stream"] for e in r.json["events"]] == [f"swap/given-{n}" for n in range(2, 202)]
        with pytest.raises(StreamExists, match="swap/given-7 already exists"):
            self._record(engine, id="given-7")
        again = {"method": "POST", "path": "/v1/swaps", "body": swap_body(id="given-300")}
        r = client.post("/v1/batches", json={"items": [again, items[0], again]}, headers=auth)
        assert r.status_code == 409 and r.json["detail"].startswith("items.1: swap/given-2")
        r = client.post("/v1/batches", json={"items": [again, again]}, headers=auth)
        assert r.status_code == 409 and r.json["detail"].startswith("items.1: swap/given-300")
        assert asked == []

    @pytest.mark.parametrize("taken", [[], [1, 2, 4]])
    def test_a_batch_of_generated_ids_needs_no_probe_of_its_own(
        self, engine, backend, monkeypatch, client, auth, taken
    ):
        """150 swaps on one date, more than one window of names past the first, in a fresh
        date and in one whose hint this process holds: every name was asked with the lock."""
        if backend != "postgresql":
            pytest.skip("the lock's round trip is PostgreSQL's")
        _taken(engine, taken)
        self._record(engine, occurred_on="2026-02-05")  # sets this process's hint
        probes = self._probes(monkeypatch)
        swap = {"method": "POST", "path": "/v1/swaps", "body": swap_body()}
        other_day = {**swap, "body": swap_body(occurred_on="2026-02-03")}
        r = client.post(
            "/v1/batches", json={"items": [swap] * 150 + [other_day] * 70}, headers=auth
        )
        assert r.status_code == 201, r.json
        suffixes = range(5, 155) if taken else range(2, 152)  # after what _record took
        assert [e["stream"] for e in r.json["events"]] == [
            *(f"swap/2026-02-05-{n}" for n in suffixes),
            "swap/2026-02-03",
            *(f"swap/2026-02-03-{n}" for n in range(2, 71)),
        ]
        assert probes == []

    @pytest.mark.parametrize(("since", "most"), [(300, 0), (1500, 0), (2500, 5)])
    def test_a_batch_whose_names_another_writer_took_probes_at_most_a_few_times(
        self, engine, backend, monkeypatch, client, auth, since, most
    ):
        """Another process took ``since`` names of the date since this one's hint. The lock's
        search steps over up to SEARCH_PAST (2,048) of them, so 300 or 1,500 need no probe of
        its own (two 500-item batches of another process and their joiners); past
        that the batch asks on its own, a few times (each probe asks for twice as many names
        as the one before), not once per 8 items."""
        if backend != "postgresql":
            pytest.skip("the lock's round trip is PostgreSQL's")
        self._record(engine)  # this process's hint: swap/2026-02-05
        _taken(engine, range(2, since + 2))
        probes = self._probes(monkeypatch)
        swap = {"method": "POST", "path": "/v1/swaps", "body": swap_body()}
        r = client.post("/v1/batches", json={"items": [swap] * 150}, headers=auth)
        assert r.status_code == 201, r.json
        assert [e["stream"] for e in r.json["events"]] == [
            f"swap/2026-02-05-{n}" for n in range(since + 2, since + 152)
        ]
        assert len(probes) <= most, [len(p) for p in probes]

    def test_a_batch_queued_while_this_process_placed_names_searches_from_the_new_hint(
        self, engine, backend, monkeypatch
    ):
        """A batch made its probe; then this process placed 600 names of the date and another
        process 600 more. Its search starts from the hint as it is when the lock is asked
        for, so it steps over the other's 600 only (not 1,200, past SEARCH_PAST)."""
        if backend != "postgresql":
            pytest.skip("the lock's round trip is PostgreSQL's")
        news = [GENERATED] * 150
        probe = lock_probe.candidates(engine, news)
        _streams(engine, [GENERATED] * 600)  # this process: swap/2026-02-05 .. -600
        _taken(engine, range(601, 1201))  # another process
        probes = self._probes(monkeypatch)
        placed = GroupCommitter(engine).run(
            lambda conn: append_in(conn, news, recorded_by="n"), isolated=False, probe=probe
        )
        assert [e.stream for e in placed] == [f"swap/2026-02-05-{n}" for n in range(1201, 1351)]
        assert probes == []

    def test_a_name_taken_since_the_hint_by_another_writer_is_skipped(self, engine):
        assert self._record(engine) == "swap/2026-02-05"
        assert self._record(engine) == "swap/2026-02-05-2"
        _taken(engine, [3, 4])  # another process wrote these; this one's hint says 2
        assert self._record(engine) == "swap/2026-02-05-5"
        assert self._record(engine, occurred_on="2026-02-04") == "swap/2026-02-04"

    @pytest.mark.parametrize("since", [6, 7, 30, 5000])
    def test_many_names_taken_since_the_hint_are_skipped(self, engine, since):
        """More than the window past the hint (and past its reach) taken by another writer."""
        assert [self._record(engine) for _ in range(2)] == ["swap/2026-02-05", "swap/2026-02-05-2"]
        _taken(engine, range(3, since + 3))  # this process's hint still says 2
        assert self._record(engine) == f"swap/2026-02-05-{since + 3}"

    def test_a_write_asks_about_few_names_a_batch_searches(self, engine, backend):
        """A few names of a date (a single write) are asked as candidates, listed when the
        lock is asked for: 18, the next 8 from this process's last suffix for it and 10 far
        out, two more per further name. Many (a batch) are searched for, from the same
        place."""
        if backend != "postgresql":
            pytest.skip("the lock's round trip is PostgreSQL's")
        single = lock_probe.candidates(engine, [GENERATED])
        assert single == lock_probe.Probe(dates=(("swap/2026-02-05", 1),))
        assert len(lock_probe.for_lock(engine, [single]).names) == 18
        assert [self._record(engine) for _ in range(2)][-1] == "swap/2026-02-05-2"
        three = lock_probe.for_lock(engine, [lock_probe.candidates(engine, [GENERATED] * 3)])
        assert three.names[:3] == ("swap/2026-02-05-2", "swap/2026-02-05-3", "swap/2026-02-05-4")
        assert len(three.names) == 21  # 2..13, then 2 + 16, 32, ... 4096
        other_day = new_swap(None, occurred_on=date(2026, 2, 3))
        many = [GENERATED] * lock_probe.SEARCH_FROM + [other_day, new_swap("swap/named")]
        batch = lock_probe.for_lock(engine, [lock_probe.candidates(engine, many)])
        assert batch.searches == (("swap/2026-02-05", 2, lock_probe.SEARCH_FROM),)
        # The name given first, then the other date's 18 candidates.
        assert len(batch.names) == 19 and batch.names[:2] == ("swap/named", "swap/2026-02-03")

    def test_single_writes_run_together_find_their_names_with_the_lock(
        self, engine, backend, monkeypatch
    ):
        """Four writes made their probes, then this process placed 8 names of their date and
        another process took 8 more. Their committer lists their candidates from its hint as
        it is when it asks for the lock, for the four together (and for the two more it
        expects, its recent transactions having run six, which join once the lock is
        granted): no probe of their own with the lock held. Listed per write from the
        suffix each saw, their 8 names were all taken."""
        if backend != "postgresql":
            pytest.skip("the lock's round trip is PostgreSQL's")
        self._record(engine)  # this process's hint: swap/2026-02-05
        probe = lock_probe.candidates(engine, [GENERATED])

        def piece():
            work = lambda conn: append_in(conn, [GENERATED], recorded_by="n")[0].stream  # noqa: E731
            return (work, Future(), False, probe)

        first, joining = [piece() for _ in range(4)], [piece() for _ in range(2)]
        _streams(engine, [GENERATED] * 8)  # this process: -2 .. -9
        _taken(engine, range(10, 18))  # another process
        probes = self._probes(monkeypatch)
        committer = GroupCommitter(engine)
        committer._expected = 6
        for queued in joining:
            committer._queue.put(queued)  # they queue while the lock is awaited
        committer._commit(first)
        streams = [future.result() for _, future, *_ in first + joining]
        assert streams == [f"swap/2026-02-05-{n}" for n in range(18, 24)]
        assert probes == []

    def test_a_committer_expects_as_many_writes_as_it_ran_of_late(self, engine):
        """The most of its last transaction, less one per transaction since."""
        committer = GroupCommitter(engine)
        work = lambda conn: None  # noqa: E731
        sizes = []
        for size in (1, 5, 2, 1, 1, 3):
            committer._commit([(work, Future(), False, lock_probe.NONE) for _ in range(size)])
            sizes.append(committer._expected)
        assert sizes == [1, 5, 4, 3, 2, 3]

    def test_the_lock_knows_every_name_its_search_looked_at(self, engine, backend):
        """Taken names stepped over are known taken, the free ones found (a few more than
        wanted, for writes that join once the lock is granted) known free, and nothing past
        the last one found."""
        if backend != "postgresql":
            pytest.skip("the lock's round trip is PostgreSQL's")
        _taken(engine, [1, 2, 3, 5])
        probe = lock_probe.Probe(searches=(("swap/2026-02-05", 2, 2),))
        with engine.connect() as conn, append_transaction_on(conn, probe=probe):
            known = conn.info[PROBED]
        free = [4, *range(6, 7 + lock_probe.JOINERS)]  # the 2 wanted and the joiners' names
        assert known == {
            "swap/2026-02-05-2": True,
            "swap/2026-02-05-3": True,
            "swap/2026-02-05-5": True,
            **{f"swap/2026-02-05-{n}": False for n in free},
        }


class TestLockProbe:
    def test_a_search_that_finds_too_few_knows_every_name_up_to_its_bound(self):
        past, joiners = lock_probe.SEARCH_PAST, lock_probe.JOINERS
        probe = lock_probe.Probe(names=("swap/e",), searches=(("swap/d", 10, 1),))
        known = lock_probe.found(probe, ["swap/e"], [(1, 12)])
        assert known.pop("swap/e") is True
        assert len(known) == 1 + joiners + past
        assert [n for n, taken in known.items() if not taken] == ["swap/d-12"]
        assert f"swap/d-{10 + past + joiners}" in known

    def test_probes_of_writes_run_together_are_merged(self):
        merged = lock_probe.merged(
            [
                lock_probe.Probe(names=("a-2", "a-3"), searches=(("a", 5, 40),)),
                lock_probe.Probe(names=("a-3", "b"), searches=(("b", 1, 33), ("a", 3, 50))),
                lock_probe.NONE,
            ]
        )
        assert merged == lock_probe.Probe(("a-2", "a-3", "b"), (("a", 3, 90), ("b", 1, 33)))
        assert not lock_probe.NONE and merged

    def test_a_search_starts_from_the_hint_as_it_is_when_the_lock_is_asked_for(self, engine):
        """A batch made its probe, then this process placed 300 names of the date: its search
        starts past them (it would walk over them again, and stop short of its names)."""
        hints = stream_ids.hints(engine)
        hints["swap/a"] = 20
        made = lock_probe.Probe(names=("swap/b",), searches=(("swap/a", 20, 40), ("swap/c", 1, 33)))
        hints["swap/a"] = 320
        assert lock_probe.for_lock(engine, [made]) == lock_probe.Probe(
            ("swap/b",), (("swap/a", 320, 40), ("swap/c", 1, 33))
        )

    def test_a_joining_batch_asks_past_what_the_lock_settled_and_single_writes_ask_nothing(
        self,
    ):
        known = {"a": True, **{f"a-{n}": n % 3 == 0 for n in range(2, 12)}, "b": False}
        joining = lock_probe.Probe(names=("b", "b-2"), searches=(("a", 1, 40),))
        names = lock_probe.after_lock(joining, known)
        window = stream_ids.window(12, 40)
        assert names == ["b-2", *(f"a-{n}" for n in window)]
        assert window[: 40 + stream_ids.WINDOW - 1] == list(range(12, 59))
        assert lock_probe.after_lock(lock_probe.Probe(names=("b-2",)), known) == []


class TestNeverPrepared:
    """psycopg prepares a statement on its fifth run, and PostgreSQL then keeps a generic plan
    that was no dearer than the custom ones so far: made while the log was small, the probe's
    was a sequential scan, kept on that connection as the log grew (bench/write.py's batches
    ran at 3-7 a second instead of ~15). The many-key probes and writes are planned afresh
    every time; so is the append lock's read of a write's names on a small log (it is prepared
    from ``pg_lock.PREPARE_FROM`` events on, where its generic plan takes the indexes:
    test_lock_round_trip)."""

    def _prepared(self, conn) -> list[str]:
        driver = conn.connection.driver_connection
        return [r[0] for r in driver.execute("SELECT statement FROM pg_prepared_statements")]

    def test_the_name_probes_are_never_prepared(self, engine, backend):
        if backend != "postgresql":
            pytest.skip("psycopg's prepared statements are PostgreSQL's")
        _taken(engine, [1, 2])
        with engine.connect() as conn:
            for _ in range(8):
                assert pg_writes.existing_streams(conn, ["swap/2026-02-05"]) == {"swap/2026-02-05"}
                assert pg_writes.stream_versions(conn, ["swap/2026-02-05-2"]) == {
                    "swap/2026-02-05-2": 1
                }
                probe = lock_probe.Probe(("swap/2026-02-05-3",), (("swap/2026-02-05", 2, 1),))
                with append_transaction_on(conn, probe=probe):
                    pass
                found = current_versions(conn, "stream", ["swap/2026-02-05"])
                assert [row["stream"] for row in found] == ["swap/2026-02-05"]
            prepared = self._prepared(conn)
        probes = [s for s in prepared if "= ANY(" in s or "unnest(" in s]
        assert probes == [], prepared

    def test_the_many_key_writes_of_a_projection_step_are_never_prepared(self, engine, backend):
        """Closing the versions a step read (by row id) and dropping counters that reached
        zero: eight corrections on one connection, each moving a mediator's counter to zero."""
        if backend != "postgresql":
            pytest.skip("psycopg's prepared statements are PostgreSQL's")
        (swap,) = append(engine, [new_swap("swap/a")], recorded_by="t")
        with engine.connect() as conn:
            for n in range(8):
                changes = {"mediators": ["US"] if n % 2 == 0 else ["AE"]}
                body = CorrectionWrite().load(correction_body(changes))
                request = WriteRequest(
                    event_type=EVENT_CORRECTED, body=body, recorded_by="t", parent_id=swap.id
                )
                with append_transaction_on(conn):
                    append_checked(conn, new_event(request), swap.id, "t")
            prepared = self._prepared(conn)
            versions = conn.execute(
                sa.select(fact_versions.c.valid_from, fact_versions.c.valid_to)
                .where(fact_versions.c.event_id == swap.id)
                .order_by(fact_versions.c.valid_from)
            ).all()
        assert [tuple(v) for v in versions] == [(p, p + 1) for p in range(1, 9)] + [(9, OPEN)]
        writes = [s for s in prepared if "= ANY(" in s or "unnest(" in s]
        assert writes == [], prepared
