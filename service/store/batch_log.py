"""What a batch's items ask of the log, looked up once for the whole batch (the append lock
held).

Each item of a batch is checked against the log as its own endpoint's write would be
(``domain.log_rules``): a child resource's parent, and every resource a payload names
(``proposal_id``, ``agreement_id``), must exist and not be retracted. Asked one item at a
time, that was two queries per item, each a round trip with the lock held, after the
batch's earlier items were written for them to see: a 500-item batch of refusals took
~1 s in-process, against ~0.13 s for 500 swaps.

``BatchLog`` asks about every resource the items name in one statement before the first
item is placed, keeps track of what the batch's own items change (the resources they
create, the events they retract), and asks the log only about what it does not know (a
correction's or retraction's target), as ``LogReader`` does: after writing the batch's
staged items, so that the log it asks holds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..domain.events import EVENT_RETRACTED, NewEvent, RecordedEvent
from ..domain.log_rules import live_resources
from . import pg_writes
from .append import flush_staged
from .event_reads import LogReader
from .tables import events

# Per stream: its creating event's id (NULL: no such stream), whether a retraction targets
# that event (NULL: none) and its current version (NULL: none). Scalar subqueries, one index
# probe each, whatever the planner's statistics say (see pg_writes.STREAM_VERSIONS); never
# prepared.
_RESOURCES = (
    "SELECT s.stream, s.id, (SELECT true FROM events r"
    " WHERE r.target_id = s.id AND r.type = %s LIMIT 1),"
    " (SELECT max(v.stream_version) FROM events v WHERE v.stream = s.stream)"
    " FROM (SELECT n.stream, (SELECT e.id FROM events e"
    " WHERE e.stream = n.stream AND e.stream_version = 1) AS id"
    " FROM unnest(%s::text[]) AS n(stream)) AS s"
)
_CHUNK = 500  # SQLite: names per IN list


def named_resources(news: Iterable[NewEvent]) -> list[str]:
    """The streams of the resources these events must find live (``log_rules
    .live_resources``), once each, in order."""
    return list(dict.fromkeys(stream for new in news for stream in live_resources(new)))


class BatchLog(LogReader):
    """The ``domain.log_rules.LogLookup`` for the items of one batch, in its append
    transaction: the resources ``streams`` looked up at once, the rest asked as it comes."""

    def __init__(self, conn: Connection, streams: Sequence[str]) -> None:
        super().__init__(conn)
        flush_staged(conn)  # what earlier writes of the transaction staged is asked too
        # stream -> its creating event's id (None: none), when the lookup or the batch said
        self._creations: dict[str, str | None] = {}
        # event id -> whether it is retracted, for the creations looked up
        self._retracted: dict[str, bool] = {}
        # stream -> its version as looked up (PostgreSQL, in the same statement), for the
        # append's cursor (``append.know_versions`` asks SQLite itself)
        self.versions: dict[str, int] = {}
        if streams:
            self._look_up(list(streams))

    def placed(self, event: RecordedEvent) -> None:
        """An item of the batch was placed: what it changes is known from now on."""
        if event.stream_version == 1:
            self._creations[event.stream] = event.id
            self._retracted[event.id] = False
        if event.type == EVENT_RETRACTED:
            self._retracted[str(event.data["target_event_id"])] = True

    def creation_id(self, stream: str) -> str | None:
        if stream in self._creations:
            return self._creations[stream]
        return super().creation_id(stream)

    def is_retracted(self, event_id: str) -> bool:
        if event_id in self._retracted:
            return self._retracted[event_id]
        return super().is_retracted(event_id)

    def _ask(self) -> None:
        flush_staged(self.conn)

    def _look_up(self, streams: list[str]) -> None:
        conn = self.conn
        if conn.dialect.name == "postgresql":
            pg_writes.flush(conn)  # a read on the driver does not pass the hook that flushes
            rows = pg_writes.unprepared(
                conn.connection.driver_connection, _RESOURCES, (EVENT_RETRACTED, streams)
            ).fetchall()
            self.versions = {stream: version or 0 for stream, _, _, version in rows}
        else:
            rows = [(*row, None) for row in self._sqlite_rows(streams)]
        for stream, creation, retracted, _ in rows:
            self._creations[stream] = creation
            if creation is not None:
                self._retracted[creation] = bool(retracted)

    def _sqlite_rows(self, streams: list[str]) -> list[tuple[str, str | None, bool]]:
        created: dict[str, str] = {}
        for i in range(0, len(streams), _CHUNK):
            query = sa.select(events.c.stream, events.c.id).where(
                events.c.stream.in_(streams[i : i + _CHUNK]), events.c.stream_version == 1
            )
            created.update(dict(self.conn.execute(query).all()))
        ids = list(created.values())
        retracted: set[str] = set()
        for i in range(0, len(ids), _CHUNK):
            query = sa.select(events.c.target_id).where(
                events.c.target_id.in_(ids[i : i + _CHUNK]), events.c.type == EVENT_RETRACTED
            )
            retracted.update(self.conn.execute(query).scalars())
        return [(s, created.get(s), created.get(s) in retracted) for s in streams]
