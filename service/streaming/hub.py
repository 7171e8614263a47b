"""One thread per worker process serving every live follower it was handed.

A follower's connection is handed over by the worker (service/worker.py) once its response
head is sent, so it holds no request thread; the hub writes each new event, heartbeats
and the end of the stream to every follower without blocking on any of them. New events
are read once per distinct position followers are at (in steady state: one query for all
of them), each event is rendered as a frame once, and a waker per database (one LISTEN
connection on PostgreSQL, polling on SQLite; service/streaming/wakers.py) tells the hub
when the log may have grown. A follower that stops reading is dropped once its unsent
output passes ``MAX_PENDING`` bytes or makes no progress for the worker's stall timeout.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import logging
import selectors
import socket
import threading
import time
from collections import OrderedDict
from typing import Any

from sqlalchemy.engine import Engine

from ..domain.events import RecordedEvent
from ..store import event_reads
from ..store.engine import read_connection
from ..store.faults import unavailable
from .follow import BATCH, HEARTBEAT_FRAME, RETRY_FRAME, Follow
from .wakers import Wakers

# Stop reading ahead for a follower with this much unsent; drop it past MAX_PENDING.
LOW_WATER = 256 * 1024
MAX_PENDING = 8 * 1024 * 1024
FRAMES_KEPT = 4 * BATCH
TIMER_STEP = 0.25
log = logging.getLogger(__name__)


class Follower:
    """A handed-over connection and where its stream is."""

    def __init__(self, sock: socket.socket, follow: Follow, chunked: bool, stall: float) -> None:
        now = time.monotonic()
        self.sock = sock
        self.follow = follow
        self.chunked = chunked
        self.after = follow.after
        self.deadline = now + follow.timing.max_duration
        self.next_beat = now + follow.timing.heartbeat
        self.next_check = now + follow.timing.token_check
        self.stall = stall
        self.pending = bytearray()
        self.progress_at = now

    def queue(self, text: bytes) -> None:
        if self.chunked:
            self.pending += b"%x\r\n%s\r\n" % (len(text), text)
        else:
            self.pending += text


class Hub:
    """Every live follower of this process (see the module docstring)."""

    def __init__(self, stall_timeout: float) -> None:
        self.stall_timeout = stall_timeout
        self.selector = selectors.DefaultSelector()
        self.followers: dict[int, Follower] = {}
        self.arrivals: collections.deque[Follower] = collections.deque()
        self.frames: dict[Engine, OrderedDict[int, bytes]] = {}
        self.wakers = Wakers(self.wake)
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self.selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._dirty = False
        self._next_timers = 0.0
        self._lock = threading.Lock()  # the hub thread's state, against close_all at exit
        self._thread = threading.Thread(target=self._run, name="live-hub", daemon=True)
        self._thread.start()

    # Called from request threads and wakers.
    def adopt(self, sock: socket.socket, follow: Follow, chunked: bool) -> None:
        """Serve ``follow`` on ``sock`` (its response head already sent) from now on."""
        self.arrivals.append(Follower(sock, follow, chunked, self.stall_timeout))
        self.wake()

    def wake(self) -> None:
        """The log may have grown (or a follower arrived): look again soon."""
        with contextlib.suppress(OSError):  # full: a wake-up is already pending
            self._wake_w.send(b"\0")

    def count(self) -> int:
        return len(self.followers) + len(self.arrivals)

    # The hub thread.
    def _run(self) -> None:
        while True:
            try:
                with self._lock:
                    self._step()
            except Exception:  # one bad step must not end every stream for good
                log.exception("live hub step failed")
                time.sleep(0.1)

    def _step(self) -> None:
        now = time.monotonic()
        timeout = max(0.0, min(self._next_timers - now, 1.0))
        for key, mask in self.selector.select(0.0 if self._dirty else timeout):
            if key.data is None:
                self._drain_wakeups()
            elif mask & selectors.EVENT_READ:
                self._readable(key.data)
            if key.data is not None and mask & selectors.EVENT_WRITE:
                self._flush(key.data)
        while self.arrivals:
            self._welcome(self.arrivals.popleft())
        if self._dirty:
            self._dirty = False
            self._deliver()
        if time.monotonic() >= self._next_timers:
            self._timers(time.monotonic())
            self._next_timers = time.monotonic() + TIMER_STEP

    def _drain_wakeups(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass
        self._dirty = True

    def _welcome(self, follower: Follower) -> None:
        fd = follower.sock.fileno()
        socket.socket.setblocking(follower.sock, False)
        self.followers[fd] = follower
        self.selector.register(follower.sock, selectors.EVENT_READ, follower)
        self.wakers.need(follower.follow.engine, follower.follow.timing.poll)
        follower.queue(RETRY_FRAME.encode())
        self._flush(follower)
        self._dirty = True

    def _readable(self, follower: Follower) -> None:
        """A follower sends nothing after its request: data is ignored, EOF ends it."""
        try:
            if socket.socket.recv(follower.sock, 4096):
                return
        except BlockingIOError:
            return
        except OSError:
            pass
        self._end(follower, graceful=False)

    def _deliver(self) -> None:
        """New events to every follower with room for them, one read per position."""
        groups: dict[tuple[Engine, int], list[Follower]] = {}
        for follower in self.followers.values():
            if len(follower.pending) < LOW_WATER:
                key = (follower.follow.engine, follower.after)
                groups.setdefault(key, []).append(follower)
        for (engine, after), members in groups.items():
            try:
                with read_connection(engine) as conn:
                    page = event_reads.page_of_events(conn, after=after, limit=BATCH)
            except Exception as exc:
                if not unavailable(exc):
                    raise
                log.warning("live streams ended: the database cannot be reached (%s)", exc)
                for follower in members:
                    self._end(follower)
                continue
            if not page:
                continue
            data = b"".join(self._frame(engine, event, members[0].follow) for event in page)
            for follower in members:
                follower.queue(data)
                follower.after = page[-1].position
                self._flush(follower)
            if len(page) == BATCH:
                self._dirty = True

    def _frame(self, engine: Engine, event: RecordedEvent, follow: Follow) -> bytes:
        kept = self.frames.setdefault(engine, OrderedDict())
        frame = kept.get(event.position)
        if frame is None:
            frame = kept[event.position] = follow.frame(event).encode()
            while len(kept) > FRAMES_KEPT:
                kept.popitem(last=False)
        return frame

    def _flush(self, follower: Follower) -> None:
        if follower.pending:
            try:
                sent = socket.socket.send(follower.sock, follower.pending)
            except BlockingIOError:
                sent = 0
            except OSError:
                self._end(follower, graceful=False)
                return
            if sent:
                del follower.pending[:sent]
                follower.progress_at = time.monotonic()
                if len(follower.pending) < LOW_WATER:
                    self._dirty = True
        if follower.sock.fileno() not in self.followers:
            return
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if follower.pending else 0)
        if self.selector.get_key(follower.sock).events != events:
            self.selector.modify(follower.sock, events, follower)

    def _timers(self, now: float) -> None:
        """Heartbeats, maximum durations, token checks and stalled followers."""
        verdicts: dict[Any, bool] = {}
        for follower in list(self.followers.values()):
            timing = follower.follow.timing
            if now >= follower.deadline:
                self._end(follower)
            elif follower.pending and (
                len(follower.pending) > MAX_PENDING or now - follower.progress_at > follower.stall
            ):
                log.info("live follower dropped: it stopped reading")
                self._end(follower, graceful=False)
            elif now >= follower.next_check and not self._token_holds(follower, verdicts):
                self._end(follower)
            elif now >= follower.next_beat:
                follower.next_beat = now + timing.heartbeat
                follower.queue(HEARTBEAT_FRAME.encode())
                self._flush(follower)
        self.wakers.keep_only({f.follow.engine for f in self.followers.values()})

    def _token_holds(self, follower: Follower, verdicts: dict[Any, bool]) -> bool:
        check = follower.follow.token_valid
        follower.next_check = time.monotonic() + follower.follow.timing.token_check
        if check is None:
            return True
        key = getattr(check, "key", check)  # one lookup per token per sweep
        if key not in verdicts:
            try:
                verdicts[key] = check()
            except Exception as exc:
                if not unavailable(exc):
                    raise
                verdicts[key] = False
        return verdicts[key]

    def _end(self, follower: Follower, *, graceful: bool = True) -> None:
        """End the stream (the client reconnects with Last-Event-ID) and free its slot."""
        fd = follower.sock.fileno()
        if self.followers.pop(fd, None) is None:
            return
        self.selector.unregister(follower.sock)
        if graceful and follower.chunked:
            follower.pending += b"0\r\n\r\n"
        if graceful and follower.pending:
            # What fits now; a follower too slow for its last bytes reconnects anyway.
            with contextlib.suppress(OSError):
                socket.socket.send(follower.sock, follower.pending)
        try:
            follower.sock.close()
        finally:
            follower.follow.release()

    def close_all(self) -> None:
        """At exit: end every stream cleanly (followers reconnect elsewhere)."""
        with self._lock:
            for follower in list(self.followers.values()):
                self._end(follower)


_HUB: Hub | None = None
_HUB_LOCK = threading.Lock()


def hub(stall_timeout: float) -> Hub:
    """This process's hub, started on first use (after gunicorn forked the worker)."""
    global _HUB
    with _HUB_LOCK:
        if _HUB is None:
            _HUB = Hub(stall_timeout)
            atexit.register(_HUB.close_all)
        return _HUB
