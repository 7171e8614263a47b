"""What the append lock's round trip looks up for a write's new streams (PostgreSQL): its
generated names, and the names it gives, so that placing them usually needs no probe of its
own under the lock. (A 500-item batch of swaps with ids of their own asked for each one's
version as it was placed, 500 round trips with the lock held: ~400 ms in-process against
~135 ms for the same batch with generated ids.)

A write computes its ``Probe`` before it queues for the lock (``candidates``); the group
committer merges the probes of the writes it runs together (``merged``), and the engine
sends them with the lock, the head read and the projection position, in one round trip
(``pg_lock.lock_and_head``), then hands ``stream_ids.generated_stream`` what they found as
name -> taken (``found``). Two forms, by how many names of one kind and date a write needs:

- a few (a single write): candidate names, asked with one ``= ANY(array)``. The cheapest
  statement for PostgreSQL to parse and plan (a search costs ~0.1 ms more per write). A
  write counts its names per date (``dates``); the committer adds up the counts of the
  writes it runs together and lists the names from this process's last suffix for the date
  as it is then (``for_lock``): the next 8 (or from the date itself), two more per further
  event (another process appending at once takes about as many between two of this one's
  transactions), and 10 far beyond them for a busy date (``stream_ids.window``). Listed
  per write, from the suffix it saw when it queued, the names of 4 writes run together
  were 8 from a suffix their committer's transaction before had already moved past: at
  16 connections, 2 transactions in 3 probed again on their own, with the lock held.
- many (a batch): a search, which walks the suffixes up from that hint, one index probe
  each, stepping over those another process took since (at most ``SEARCH_PAST``), to as
  many free ones as wanted and a few more for the writes that join once the lock is
  granted. Two processes posting 500-item batches of one date take each other's names
  between their batches: with candidates, each batch found them taken and probed on its
  own 2.75 times on average, each a round trip with the lock held; with the search, 0.5
  times (bench/README.md).

Writes that join the transaction once the lock is granted (``group_commit``) were not in
that round trip. A few single writes of a date a search covered find their names among the
``JOINERS`` extra it found; of a date listed as candidates, among those listed for as many
writes as the committer's recent transactions ran (``for_lock``'s ``expected``); a joining
batch has its names asked in one round trip of its own, from past what the lock's round
trip settled (``after_lock``), instead of walking up in probes of 64, 128, 256… names while
it places its events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from ..domain.events import EVENT_TYPES, NewEvent
from . import stream_ids

# A date's first name, the suffix its search starts at, how many free names it wants.
Search = tuple[str, int, int]
# From this many events of one kind and date in one write, a search instead of names.
SEARCH_FROM = 32
# Past the free names it wants, a search steps over at most this many taken names.
SEARCH_PAST = 2048
# Free names a search finds beyond those wanted, for the writes of the date that join the
# transaction once the lock is granted (``group_commit``): they then need no probe either.
JOINERS = stream_ids.WINDOW - 1


@dataclass(frozen=True, slots=True)
class Probe:
    """Names to ask about, searches (one per date with many names to place), and the dates
    with a few generated names to place (a date's first name, how many), whose candidate
    names ``for_lock`` lists."""

    names: tuple[str, ...] = ()
    searches: tuple[Search, ...] = ()
    dates: tuple[tuple[str, int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.names or self.searches or self.dates)


NONE = Probe()


def candidates(engine: Engine, news: Sequence[NewEvent]) -> Probe:
    """The probe for these events' new streams: the generated names' dates or searches,
    and the names given (a write that names the stream it creates must find it
    free; asked here, that costs no round trip of its own under the lock). None on SQLite,
    which has no such round trip."""
    if engine.dialect.name != "postgresql":
        return NONE
    wanted: dict[str, int] = {}  # the date's first name -> events to place
    given: dict[str, None] = {}  # names given, once each, in order
    for new in news:
        event_type = EVENT_TYPES[new.type]
        if not event_type.creates_stream:
            continue
        if new.stream is not None:
            given[new.stream] = None
            continue
        kind = new.stream_kind or event_type.stream_kind
        first = stream_ids.numbered(kind, new.occurred_on.isoformat(), 1)
        wanted[first] = wanted.get(first, 0) + 1
    if not wanted and not given:
        return NONE
    hints = stream_ids.hints(engine)
    searches = tuple(
        (first, _search_start(hints, first), count)
        for first, count in wanted.items()
        if count >= SEARCH_FROM
    )
    dates = tuple((first, count) for first, count in wanted.items() if count < SEARCH_FROM)
    return Probe(tuple(given), searches, dates)


def merged(probes: Iterable[Probe]) -> Probe:
    """Several writes' probes as one: their names once each, one search per date (from the
    lowest start, for all of them), one count per date of few names (their sum)."""
    names: dict[str, None] = {}
    by_date: dict[str, tuple[int, int]] = {}
    counts: dict[str, int] = {}
    for probe in probes:
        names.update(dict.fromkeys(probe.names))
        for first, start, want in probe.searches:
            low, total = by_date.get(first, (start, 0))
            by_date[first] = (min(low, start), total + want)
        for first, count in probe.dates:
            counts[first] = counts.get(first, 0) + count
    searches = tuple((first, start, want) for first, (start, want) in by_date.items())
    return Probe(tuple(names), searches, tuple(counts.items()))


def for_lock(engine: Engine, probes: Iterable[Probe], expected: int = 0) -> Probe:
    """The probes of writes run together, merged, from this process's hint for each date as
    it is now: each search starts there, and each date of few names has its candidate names
    listed from there (``dates`` resolved into ``names``, ``_candidate_suffixes``). A write made
    its probe before it queued; what this process placed of the date meanwhile moved the
    hint past its names, which the lock would otherwise look at again, on top of those
    another process took since (past ``SEARCH_PAST`` of them in all, a batch probes on its
    own, several times; past the window, a single write does).

    ``expected``: how many writes the transaction is expected to run in all (as many as
    the committer's recent ones ran): single writes that join it once the lock is
    granted find their names among as many more candidates per date, instead of probing
    on their own with the lock held."""
    probe = merged(probes)
    if not probe.searches and not probe.dates:
        return probe
    hints = stream_ids.hints(engine)
    searches = tuple(
        (first, _search_start(hints, first), want) for first, _, want in probe.searches
    )
    names = dict.fromkeys(probe.names)
    joining = max(0, expected - sum(count for _, count in probe.dates))
    for first, count in probe.dates:
        suffixes = _candidate_suffixes(_search_start(hints, first), count + joining)
        names.update((stream_ids.suffixed(first, n), None) for n in suffixes)
    return Probe(tuple(names), searches)


def _candidate_suffixes(start: int, count: int) -> list[int]:
    """The suffixes asked about for ``count`` names of a date from ``start``: the window
    (``stream_ids.window``), with two names more per further name instead of one: room
    for about as many taken by another process appending at once since."""
    return stream_ids.window(start, 2 * count - 1)


def _search_start(hints: dict[str, int], first: str) -> int:
    """Where a date's names are looked for: this process's last suffix for it, or 1."""
    return max(hints.get(first, 0), 1)


def search_params(searches: Sequence[Search]) -> tuple[list[str], list[int], list[int], int]:
    """``pg_writes.FREE_SUFFIXES``'s parameters for these searches."""
    firsts, starts, wants = (list(column) for column in zip(*searches, strict=True))
    return firsts, starts, [want + JOINERS for want in wants], SEARCH_PAST


def after_lock(probe: Probe, known: Mapping[str, bool]) -> list[str]:
    """The names to ask about, in one look-up, for the batches that joined the transaction
    once the lock was granted (``probe``: theirs, merged), ``known`` being what the lock's
    round trip found (name -> taken). Each search's names start past the names the lock
    settled for its date, which the transaction's first writes are placing; none when no
    joiner searches (single writes rely on ``JOINERS``)."""
    if not probe.searches:
        return []
    names = [name for name in probe.names if name not in known]
    for first, start, want in probe.searches:
        n = start
        while stream_ids.suffixed(first, n) in known:
            n += 1
        names.extend(stream_ids.suffixed(first, m) for m in stream_ids.window(n, want))
    return names


def found(probe: Probe, taken: Iterable[str], free: Iterable[tuple[int, int]]) -> dict[str, bool]:
    """What the lock's round trip found, as name -> taken, for every name it looked at.
    ``taken``: the probe's names that exist; ``free``: (1-based search, free suffix) rows. A
    search that found fewer than it wanted looked at every suffix up to its bound."""
    existing = set(taken)
    known = {name: name in existing for name in probe.names}
    by_search: dict[int, set[int]] = {}
    for index, suffix in free:
        by_search.setdefault(index, set()).add(suffix)
    for index, (first, start, want) in enumerate(probe.searches, start=1):
        got, wanted = by_search.get(index, set()), want + JOINERS
        last = max(got) if len(got) >= wanted else start + wanted + SEARCH_PAST - 1
        for n in range(start, last + 1):
            known[stream_ids.suffixed(first, n)] = n not in got
    return known
