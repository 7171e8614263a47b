"""Read benchmark: projection latency at 1,000 events and at N events (default 1,000,000).

    .venv/bin/python bench/read.py [--events 1000000] [--batch 1000] [--requests 40]

Creates a throwaway PostgreSQL database (BENCH_POSTGRES_URL, default the test server), fills it
with realistic mixed events through the append path's bulk form
(``service.store.append.append``, 1,000 events per call, so the stored projections are
maintained exactly as in production), and measures through the Flask app (test client, in a
separate worker process so its peak RSS is the worker's own):
- p50/p99 of /v1/metrics/gaps, /v1/metrics/summary, the first /v1/timeline page, and
  /v1/metrics/gaps?as_of=<mid position>;
- the rebuild rate (events/s) of ``exchange-log rebuild``'s function.
Prints one JSON document; bench/README.md has the figures. Not a test: nothing asserts times.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.domain import events as ev
from service.domain.events import NewEvent

ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
FIRST_DAY, LAST_DAY = date(2014, 3, 1), date(2026, 11, 1)
SPAN = (LAST_DAY - FIRST_DAY).days
PARTIES = ("UA", "RU")
MEDIATORS = ("AE", "TR", "SA", "QA", "US", "VA")
SOURCE = ({"url": "https://example.org/bench", "publisher": "Bench"},)
READS = {
    "gaps": "/v1/metrics/gaps",
    "summary": "/v1/metrics/summary",
    "timeline_first_page": "/v1/timeline",
    "gaps_as_of_mid": "/v1/metrics/gaps?as_of={mid}",
}
# Out of every 100 events: the proportions of a busy newsroom's log. Swaps are drawn apart:
# real exchanges are rare (about 70 since 2022), so the first 1,000 events hold about 60
# swaps (like the shipped history) and later events are swaps with probability 1/10,000
# (about 160 swaps at 1,000,000 events). The gap list is one item per swap by definition, so
# a log of 100,000 swaps would measure JSON size, not the projection.
# Agreements likewise (breaches per agreement is one item per agreement).
EARLY_SWAP_RATE, LATE_SWAP_RATE, EARLY = 0.06, 0.0001, 1000
EARLY_AGREEMENT_RATE, LATE_AGREEMENT_RATE = 0.02, 0.00002
MIX = (
    ("proposal", 15),
    ("refusal", 15),
    ("acceptance", 3),
    ("breach", 10),
    ("attempt", 10),
    ("statement", 20),
    ("correct", 9),
    ("retract", 4),
)


class Pool:
    """Live resource ids: a random choice and a removal in O(1) (a list scan per retraction
    made the generator itself slow down as the log grew)."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> str:
        return self.items[i]

    def append(self, item: str) -> None:
        self.index[item] = len(self.items)
        self.items.append(item)

    def discard(self, item: str) -> None:
        i = self.index.pop(item, None)
        if i is None:
            return
        last = self.items.pop()
        if i < len(self.items):
            self.items[i] = last
            self.index[last] = i


class Generator:
    """Valid events only: children of live resources, corrections of live facts."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.kinds = [k for k, w in MIX for _ in range(w)]
        self.proposals = Pool()
        self.agreements = Pool()
        self.facts: list[tuple[str, str, str]] = []  # (event id, type, resource id or "")
        self.streams: dict[str, str] = {}  # event id -> stream
        self.n = 0

    def day(self) -> date:
        return FIRST_DAY + timedelta(days=self.rng.randrange(SPAN))

    def _new(self, type_, stream, data, **kw) -> NewEvent:
        return NewEvent(
            type=type_, stream=stream, data=data, occurred_on=self.day(), sources=SOURCE, **kw
        )

    def batch(self, size: int) -> list[NewEvent]:
        out: list[NewEvent] = []
        while len(out) < size:
            early = self.n < EARLY
            draw = self.rng.random()
            swap_rate = EARLY_SWAP_RATE if early else LATE_SWAP_RATE
            agreement_rate = EARLY_AGREEMENT_RATE if early else LATE_AGREEMENT_RATE
            if draw < swap_rate:
                kind = "swap"
            elif draw < swap_rate + agreement_rate:
                kind = "agreement"
            else:
                kind = self.rng.choice(self.kinds)
            event = self.one(kind)
            if event is not None:
                out.append(event)
        return out

    def one(self, kind: str) -> NewEvent | None:
        rng = self.rng
        self.n += 1
        rid = f"b{self.n}"
        if kind == "swap":
            received = rng.randrange(20, 400)
            sides = [{"party": p, "received": received} for p in PARTIES]
            if rng.random() < 0.2:
                del sides[1]["received"]
            breakdowns = []
            if rng.random() < 0.3:
                breakdowns = [
                    {
                        "side": "RU",
                        "dimension": "nationality",
                        "values": [
                            {"label": "Russian", "share": 0.8},
                            {"label": "Chechen", "share": 0.13},
                        ],
                    }
                ]
            data = {
                "mediators": [rng.choice(MEDIATORS)],
                "sides": sides,
                "breakdowns": breakdowns,
                "categories": ["military"],
            }
            return self._new(ev.SWAP_COMPLETED, f"swap/{rid}", data)
        if kind == "proposal":
            data = {
                "proposed_by": rng.choice(PARTIES),
                "addressed_to": "RU",
                "format": rng.choice(["all_for_all", "numbers", "medical"]),
                "categories": [],
                "summary": "A proposal.",
            }
            return self._new(ev.PROPOSAL_MADE, f"proposal/{rid}", data)
        if kind == "agreement":
            data = {"name": "An arrangement", "parties": ["UA", "RU"], "terms": []}
            return self._new(ev.AGREEMENT_REACHED, f"agreement/{rid}", data)
        if kind == "attempt":
            return self._new(
                ev.EXCHANGE_FAILED,
                f"attempt/{rid}",
                {"reason": "Cancelled.", "blamed_party": rng.choice(PARTIES)},
            )
        if kind == "statement":
            data = {"speaker": "Ombudsman", "party": rng.choice(PARTIES), "summary": "A statement."}
            return self._new(ev.STATEMENT_MADE, f"statement/{rid}", data)
        if kind in ("refusal", "acceptance") and self.proposals:
            pid = rng.choice(self.proposals)
            if kind == "refusal":
                data = {
                    "refused_by": "RU",
                    "reason": "No.",
                    "demanded_categories": [],
                    "proposal_id": pid,
                }
                return self._new(ev.PROPOSAL_REFUSED, f"proposal/{pid}", data)
            return self._new(
                ev.PROPOSAL_ACCEPTED, f"proposal/{pid}", {"accepted_by": "RU", "proposal_id": pid}
            )
        if kind == "breach" and self.agreements:
            aid = rng.choice(self.agreements)
            data = {
                "alleged_by": "UA",
                "breached_by": "RU",
                "description": "Breach.",
                "agreement_id": aid,
            }
            return self._new(ev.AGREEMENT_BREACHED, f"agreement/{aid}", data)
        if kind in ("correct", "retract") and self.facts:
            i = rng.randrange(len(self.facts))
            target, _type, resource = self.facts[i]
            stream = self.streams[target]  # corrections join the target's stream
            if kind == "correct":
                changes = {"occurred_on": self.day().isoformat()}
                return self._new(
                    ev.EVENT_CORRECTED,
                    stream,
                    {"changes": changes, "reason": "Fix.", "target_event_id": target},
                )
            self.facts[i] = self.facts[-1]
            self.facts.pop()
            for pool in (self.proposals, self.agreements):
                pool.discard(resource)
            return self._new(
                ev.EVENT_RETRACTED, stream, {"reason": "Error.", "target_event_id": target}
            )
        return None

    def remember(self, stored) -> None:
        for e in stored:
            if e.type in ev.META_TYPES:
                continue
            resource = ""
            if e.type == ev.PROPOSAL_MADE:
                resource = e.stream.split("/", 1)[1]
                self.proposals.append(resource)
            elif e.type == ev.AGREEMENT_REACHED:
                resource = e.stream.split("/", 1)[1]
                self.agreements.append(resource)
            self.facts.append((e.id, e.type, resource))
            self.streams[e.id] = e.stream
        if len(self.facts) > 60_000:  # correct and retract recent facts mostly
            # in chunks: dropping one from the front per event moved 50,000 entries each time
            for gone in self.facts[:10_000]:
                self.streams.pop(gone[0], None)
            del self.facts[:10_000]


def fill(engine, gen: Generator, upto: int, batch: int, current: int) -> float:
    from service.store.append import append

    started = time.perf_counter()
    while current < upto:
        stored = append(engine, gen.batch(min(batch, upto - current)), recorded_by="bench")
        gen.remember(stored)
        current = stored[-1].position
        if current % 50_000 < batch:
            rate = current / (time.perf_counter() - started + 1e-9)
            print(f"  filled {current} events ({rate:.0f}/s overall)", file=sys.stderr, flush=True)
    return time.perf_counter() - started


def peak_rss_mb() -> float:
    """This process's own peak RSS: VmHWM of its memory map. (ru_maxrss would include the
    parent's RSS at fork, which Linux carries across exec.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _timed(client, path: str, requests: int, before=None) -> dict:
    times = []
    for _ in range(requests):
        if before:
            before()
        t = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
    }


def measure(url: str, requests: int) -> dict:
    """In a fresh worker process: p50/p99 per read, warm (the per-position cache holds the
    answer: repeated reads of an unchanged log) and cold (cache emptied before every request:
    the first read after a write, or an as_of nobody asked for yet); then peak RSS."""
    from service.app import create_app
    from service.config import Settings
    from service.readmodel.cache import clear_cache

    app = create_app(Settings(database_url=url, rate_limit_enabled=False))
    client = app.test_client()
    head = client.get("/v1/log/head").get_json()["position"]
    out = {"position": head}
    for name, path in READS.items():
        path = path.format(mid=max(head // 2, 1))
        for _ in range(3):
            assert client.get(path).status_code == 200
        out[name] = {
            "warm": _timed(client, path, requests),
            "cold": _timed(client, path, requests, before=clear_cache),
        }
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def rebuild_rate(url: str) -> dict:
    from service.readmodel.update import rebuild
    from service.store.engine import append_transaction
    from service.wiring import open_log

    engine = open_log(url)
    started = time.perf_counter()
    with append_transaction(engine) as conn:
        position = rebuild(conn)
    seconds = time.perf_counter() - started
    return {
        "events": position,
        "seconds": round(seconds, 1),
        "events_per_s": round(position / seconds),
        "peak_rss_mb": peak_rss_mb(),
    }


def _child(mode: str, url: str, requests: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, f"--{mode}", url, "--requests", str(requests)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--measure", metavar="URL")
    parser.add_argument("--rebuild", metavar="URL")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.requests)))
        return
    if args.rebuild:
        print(json.dumps(rebuild_rate(args.rebuild)))
        return

    from service.store.migrate import upgrade
    from service.wiring import open_log

    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"bench_read_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        engine = open_log(url)

        gen = Generator()
        result: dict = {"events": args.events, "batch": args.batch, "requests": args.requests}
        fill(engine, gen, 1000, args.batch, 0)
        result["at_1k"] = _child("measure", url, args.requests)
        seconds = fill(engine, gen, args.events, args.batch, 1000)
        result["fill_rate_events_per_s"] = round((args.events - 1000) / seconds)
        result[f"at_{args.events}"] = _child("measure", url, args.requests)
        result["rebuild"] = _child("rebuild", url, args.requests)
        big, small = result[f"at_{args.events}"], result["at_1k"]
        result["ratios_vs_1k_p50"] = {
            f"{k} {mode}": round(big[k][mode]["p50_ms"] / small[k][mode]["p50_ms"], 2)
            for k in READS
            for mode in ("warm", "cold")
        }
        engine.dispose()
        print(json.dumps(result, indent=2))
    finally:
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
