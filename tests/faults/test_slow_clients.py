"""Slow clients over gunicorn: a body sent a byte at a time, a response never read. Each is
cut off after a bounded time, holding no thread meanwhile, and everyone else is served."""

from __future__ import annotations

import dataclasses
import select
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from service.store.append import append
from service.wiring import open_log
from tests.builders import new_swap, swap_body
from tests.faults.load import store_of, write_token
from tests.servers import GunicornServer, running_gunicorn

pytestmark = [pytest.mark.faults, pytest.mark.slow, pytest.mark.timeout(120)]

THREADS = 2  # one worker with two threads: a few slow clients would take all of them
SLOW = {
    "WEB_CONCURRENCY": "1",
    "GUNICORN_THREADS": str(THREADS),
    "CLIENT_REQUEST_TIMEOUT": "8",  # long enough for the other clients, even on a busy machine
    "CLIENT_STALL_TIMEOUT": "1",
    "KEEPALIVE_SECONDS": "2",
    "RATE_LIMIT_ENABLED": "false",
}
STOPPED_READING = "it stopped reading its response"


@pytest.fixture
def server(database_url) -> Iterator[GunicornServer]:
    with running_gunicorn(database_url, workers=1, env=SLOW) as server:
        yield server


def _connect(server: GunicornServer, receive_buffer: int | None = None) -> socket.socket:
    sock = socket.socket()
    if receive_buffer:  # a small window: the server's writes fill it soon
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.connect(("127.0.0.1", server.port))
    sock.settimeout(60)
    return sock


def _readable(sock: socket.socket) -> bool:
    """Whether the server wrote anything or closed the connection."""
    return bool(select.select([sock], [], [], 0)[0])


def _read_all(sock: socket.socket) -> bytes:
    received = bytearray()
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return bytes(received)


class Dribbler(threading.Thread):
    """Sends a write's head at once, then its body one byte every 0.25 s, never finishing;
    stops sending and reads once the server answers (or closes)."""

    def __init__(self, server: GunicornServer, token: str) -> None:
        super().__init__(daemon=True)
        self.sock = _connect(server)
        body = b'{"occurred_on": "2026-02-05", "sources": []}' + b" " * 500
        self.sock.sendall(
            b"POST /v1/swaps HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        )
        self.body, self.sent = body, 0
        self.answer: bytes | None = None

    def run(self) -> None:
        try:
            for byte in self.body[:-1]:
                if select.select([self.sock], [], [], 0.25)[0]:  # answered
                    break
                self.sock.send(bytes([byte]))
                self.sent += 1
        except OSError:
            pass
        self.answer = _read_all(self.sock)


class TestBodySentByteByByte:
    def test_other_clients_are_served_meanwhile_and_each_gets_a_408_in_bounded_time(
        self, database_url, server, report
    ):
        token = write_token(database_url)
        dribblers = [Dribbler(server, token) for _ in range(2 * THREADS)]
        for dribbler in dribblers:
            dribbler.start()
        while min(d.sent for d in dribblers) < 2:
            time.sleep(0.05)
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(timeout=30) as client:
            written = client.post(server.url("/v1/swaps"), json=swap_body(), headers=auth)
            assert written.status_code == 201
            assert client.get(server.url("/v1/log/head")).json()["position"] == 1
        # ... while every slow client was still sending (none answered yet).
        assert not any(d.answer is not None or _readable(d.sock) for d in dribblers)
        for dribbler in dribblers:
            dribbler.join()  # the server ends each one
        answers = [d.answer for d in dribblers]
        assert all(a.startswith(b"HTTP/1.1 408 Request Timeout\r\n") for a in answers), answers
        assert all(b'"status": 408' in a for a in answers)
        with httpx.Client(timeout=30) as client:  # nothing of theirs was written
            assert client.get(server.url("/v1/log/head")).json()["position"] == 1
        report(
            f"slow senders ({store_of(database_url)}): {len(dribblers)} clients on {THREADS}"
            f" threads, each cut off with a 408 after sending {min(d.sent for d in dribblers)}-"
            f"{max(d.sent for d in dribblers)} of {len(dribblers[0].body)} body bytes;"
            " a write and a read were served meanwhile"
        )


class TestResponseNeverRead:
    def test_each_non_reader_is_cut_off_and_the_threads_serve_again(
        self, database_url, server, report
    ):
        # ~7 MB of NDJSON: more than the socket buffers between server and client hold.
        quote = "x" * 4000
        sources = tuple({"url": f"https://example.org/{i}", "quote": quote} for i in range(3))
        swaps = [
            dataclasses.replace(new_swap(None, occurred_on=date(2025, 1, 1)), sources=sources)
            for _ in range(600)
        ]
        engine = open_log(database_url)
        try:
            append(engine, swaps, recorded_by="newsroom")
        finally:
            engine.dispose()

        readers = [_connect(server, receive_buffer=4096) for _ in range(THREADS + 1)]
        for sock in readers:
            sock.sendall(
                b"GET /v1/events HTTP/1.1\r\nHost: test\r\nAccept: application/x-ndjson\r\n\r\n"
            )
        while server.output().count(STOPPED_READING) < len(readers):  # test timeout bounds it
            time.sleep(0.1)
        with httpx.Client(timeout=30) as client:  # every thread is free again
            heads = [client.get(server.url("/v1/log/head")) for _ in range(2 * THREADS)]
            assert [h.json()["position"] for h in heads] == [600] * (2 * THREADS)
            ndjson = {"Accept": "application/x-ndjson"}
            whole = len(client.get(server.url("/v1/events"), headers=ndjson).content)
        received = [len(_read_all(sock)) for sock in readers]
        assert all(n < whole for n in received), (received, whole)  # cut off, not completed
        report(
            f"non-readers ({store_of(database_url)}): {len(readers)} clients on {THREADS}"
            f" threads never reading a {whole // 1_000_000} MB NDJSON answer; each cut off after"
            f" {min(received) // 1000}-{max(received) // 1000} kB; threads free again"
        )
