"""gunicorn's gthread worker, with slow clients held to bounded time (gunicorn.conf.py).

A gthread worker hands a connection to one of its threads as soon as the first byte of a
request arrives; the thread then reads the rest of the request, and later writes the
response, with blocking socket calls that never time out. A client that sends its body a
byte at a time, or never reads what it asked for, keeps that thread for as long as it
likes, and a handful of them leave the worker nothing to serve anyone else with.

Here a thread only ever takes what has already arrived, without waiting: until the request
is complete (its head, and a Content-Length or chunked body up to ``MAX_BUFFERED`` bytes)
the connection goes back to the worker's poller, holding no thread. A request not complete
``REQUEST_TIMEOUT`` seconds after its first byte is answered 408 and closed, and one whose
client pauses longer than gunicorn's ``keepalive`` is closed. What is still read in a thread
(a body sent after ``Expect: 100-continue``, or too large to hold) is bounded by the same
deadline, and every response write that makes no progress for ``STALL_TIMEOUT`` seconds
(a client that stopped reading) ends the connection.
"""

from __future__ import annotations

import json
import math
import os
import re
import socket
import time
from typing import Any

import gunicorn.util
from gunicorn.workers import gthread

from .streaming.handoff import handed_off, handoff_wsgi
from .streaming.hub import hub
from .streaming.slots import SLOTS
from .worker_balance import DEFER_PAUSE, Balancer

# Read by the worker from its environment (documented in README and gunicorn.conf.py).
REQUEST_TIMEOUT = float(os.environ.get("CLIENT_REQUEST_TIMEOUT") or 30)
STALL_TIMEOUT = float(os.environ.get("CLIENT_STALL_TIMEOUT") or 30)
# A larger body is handed on unbuffered: the app refuses it (413) without reading it.
MAX_BUFFERED = int(os.environ.get("MAX_CONTENT_LENGTH") or 1024 * 1024) + 65_536
# How long a connection refused with 408 is still read from before it is closed.
LINGER = 1.0
_HEAD_END = b"\r\n\r\n"
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)[ \t]*(?=\r\n)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[^\r\n]*chunked", re.IGNORECASE)
_EXPECT = re.compile(rb"\r\nexpect:[ \t]*100-continue", re.IGNORECASE)


class BoundedSocket(socket.socket):
    """A client socket whose blocking reads and writes give up instead of waiting forever.

    gunicorn makes a connection's socket blocking whenever a thread serves it; here that
    means "wait at most STALL_TIMEOUT per call" (and, for reads, never past the request's
    deadline). ``sendall`` is one bounded ``send`` after another, so a slow client that
    keeps reading is never cut off, only one that stopped.
    """

    read_deadline = math.inf

    @classmethod
    def adopt(cls, sock: socket.socket) -> BoundedSocket:
        adopted = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        adopted.setblocking(False)
        return adopted

    def setblocking(self, flag: bool) -> None:
        if flag:
            super().settimeout(STALL_TIMEOUT)
        else:
            super().setblocking(False)

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        self._bound_read()
        return super().recv(bufsize, flags)

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self._bound_read()
        return super().recv_into(buffer, nbytes, flags)

    def sendall(self, data: Any, flags: int = 0) -> None:
        view = memoryview(data).cast("B")
        if self.gettimeout() != 0.0:
            super().settimeout(STALL_TIMEOUT)
        while view:
            view = view[self.send(view, flags) :]

    def _bound_read(self) -> None:
        timeout = self.gettimeout()
        if timeout == 0.0:  # non-blocking: the caller handles "nothing yet"
            return
        remaining = self.read_deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request did not arrive in time")
        if timeout is None or timeout > remaining:
            super().settimeout(remaining)


class BoundedThreadWorker(gthread.ThreadWorker):
    """gthread, but a thread serves a request only once it has arrived (see module doc), a
    live stream's connection goes to the process's hub instead of holding a thread
    (service/streaming/handoff.py), and a worker holding more connections than another
    leaves a new one to it (service/worker_balance.py; ``loads`` and ``load_slot`` are set
    by gunicorn.conf.py's ``pre_fork``)."""

    def init_process(self) -> None:
        self.balancer = Balancer(getattr(self, "loads", None), getattr(self, "load_slot", None))
        self.accept_seen = False
        super().init_process()  # runs the worker's loop

    def held(self) -> int:
        """The connections this worker holds: its own, and its hub's live followers."""
        return self.nr_conns + SLOTS.taken

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled)
        if not enabled:
            self.balancer.away()

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        if self._accepting:
            self.balancer.publish(self.held())
        self.accept_seen = False
        super().wait_for_and_dispatch_events(timeout)
        if not self.accept_seen:  # no connection is waiting on the listening socket
            self.balancer.settled()

    def accept(self, listener: socket.socket) -> None:
        self.accept_seen = True
        if self.balancer.should_defer(self.held()):
            time.sleep(DEFER_PAUSE)  # the socket stays readable: the loop comes back here
            return
        self.balancer.settled()
        super().accept(listener)
        self.balancer.publish(self.held())

    def load_wsgi(self) -> None:
        super().load_wsgi()
        self.wsgi = handoff_wsgi(self.wsgi)

    def finish_request(self, conn: gthread.TConn, fs: Any) -> None:
        handed = None if fs.cancelled() or fs.exception() else handed_off(conn.sock)
        if handed is None:
            return super().finish_request(conn, fs)
        self.nr_conns -= 1  # the hub owns the connection now; it counts its own followers
        follow, chunked = handed
        hub(STALL_TIMEOUT).adopt(conn.sock, follow, chunked)

    def enqueue_req(self, conn: gthread.TConn) -> None:
        if not isinstance(conn.sock, BoundedSocket):
            conn.sock = BoundedSocket.adopt(conn.sock)
            conn.arrived, conn.started = bytearray(), None
        super().enqueue_req(conn)

    def handle(self, conn: gthread.TConn) -> Any:
        if conn.parser is not None and conn.parser.unreader.buf.getvalue():
            # The previous request's drain read ahead into this one: serve it as it is.
            conn.sock.read_deadline = time.monotonic() + REQUEST_TIMEOUT
            return super().handle(conn)
        eof = _take_arrived(conn)
        if conn.started is None:  # nothing arrived (yet, or ever)
            return False if eof else gthread._DEFER
        state = _request_state(conn.arrived)
        if state == "incomplete" and not eof:
            if time.monotonic() - conn.started < REQUEST_TIMEOUT:
                conn.data_ready = False
                return gthread._DEFER
            _answer_408(conn.sock)
            # Lingered in this thread already: the main loop's graceful close must not wait
            # on the client again (a read past the deadline gives up at once).
            conn.sock.read_deadline = time.monotonic()
            return False
        if state == "incomplete":
            return False  # the client closed mid-request
        conn.init()
        conn.parser.unreader.unread(bytes(conn.arrived))
        conn.sock.read_deadline = conn.started + REQUEST_TIMEOUT
        conn.arrived, conn.started, conn.data_ready = bytearray(), None, True
        return super().handle(conn)

    def handle_request(self, req: Any, conn: gthread.TConn) -> bool:
        try:
            return super().handle_request(req, conn)
        except TimeoutError:
            self.log.info("closed %s: it stopped reading its response", conn.client)
            return False


def _take_arrived(conn: gthread.TConn) -> bool:
    """Add what has arrived on the connection to ``conn.arrived``; True at end of stream."""
    conn.sock.setblocking(False)
    while len(conn.arrived) <= MAX_BUFFERED:
        try:
            chunk = conn.sock.recv(65_536)
        except BlockingIOError:
            return False
        except OSError:
            return True
        if not chunk:
            return True
        if conn.started is None:
            conn.started = time.monotonic()
        conn.arrived += chunk
    return False


def _request_state(data: bytearray) -> str:
    """Whether the request is complete, incomplete, or to be handed on unbuffered (the parser
    or the app refuses it, it is larger than we hold, or its client waits for 100 Continue)."""
    state = _arrival(data)
    if state == "incomplete" and len(data) > MAX_BUFFERED:
        return "unbuffered"
    return state


def _arrival(data: bytearray) -> str:
    """The state of a request from what arrived so far, before the size cap."""
    head_end = data.find(_HEAD_END)
    if head_end < 0:
        return "incomplete"
    head = bytes(data[: head_end + 2])
    if _EXPECT.search(head):
        return "unbuffered"
    if _CHUNKED.search(head):
        return _chunked_state(data, head_end + len(_HEAD_END))
    length = _CONTENT_LENGTH.search(head)
    if length is None:
        return "complete"
    wanted = int(length.group(1))
    if wanted > MAX_BUFFERED:
        return "unbuffered"
    body = len(data) - head_end - len(_HEAD_END)
    return "complete" if body >= wanted else "incomplete"


def _chunked_state(data: bytearray, at: int) -> str:
    """Walk the chunk sizes: complete once the last (zero) chunk and its CRLF are in."""
    while True:
        line_end = data.find(b"\r\n", at)
        if line_end < 0:
            return "incomplete"
        size_text = bytes(data[at:line_end]).split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return "unbuffered"  # malformed: the parser answers it
        if size == 0:
            return "complete" if data.find(_HEAD_END, line_end) >= 0 else "incomplete"
        at = line_end + 2 + size + 2
        if at > len(data):
            return "incomplete"


# What gunicorn answers itself, before the app, as problem documents too (type base as in
# service/api/problems.py); the statuses it has no reason phrase slug for are named here.
PROBLEM_TYPE_BASE = "https://pow-exchange-log.example/problems/"
SERVER_PROBLEMS = {414: "uri-too-long", 431: "request-header-fields-too-large"}


def problem_answer(status: int, reason: str, detail: str) -> bytes:
    """A whole HTTP/1.1 answer carrying an RFC 9457 problem document; the connection closes."""
    slug = SERVER_PROBLEMS.get(status) or reason.lower().replace(" ", "-")
    body = json.dumps(
        {"type": PROBLEM_TYPE_BASE + slug, "title": reason, "status": status, "detail": detail}
    ).encode("utf-8")
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/problem+json\r\n"
        f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def write_problem(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """``gunicorn.util.write_error`` (a request line or headers too large, a malformed
    request: what never reaches the app), answering application/problem+json, not HTML."""
    gunicorn.util.write_nonblock(sock, problem_answer(status_int, reason, mesg or reason))


def _answer_408(sock: BoundedSocket) -> None:
    """Answer 408 and half-close; then take in what the client still sends for up to
    ``LINGER`` seconds, so that closing with its bytes unread (which makes the kernel send
    a reset, and the client lose the answer) is unlikely."""
    answer = problem_answer(
        408, "Request Timeout", f"The request did not arrive within {REQUEST_TIMEOUT:g} seconds."
    )
    deadline = time.monotonic() + LINGER
    try:
        sock.send(answer)  # never waiting for room: the client is slow already
        sock.shutdown(socket.SHUT_WR)
        while (remaining := deadline - time.monotonic()) > 0:
            socket.socket.settimeout(sock, remaining)
            if not socket.socket.recv(sock, 4096):
                break
    except OSError:
        pass
