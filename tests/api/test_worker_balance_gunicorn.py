"""Kept-alive connections spread evenly over gunicorn's workers (service/worker_balance.py).

Each connection is opened, served one request and kept open before the next is opened; the
worker holding each one is read from /proc (the socket's inode in /proc/net/tcp, then in the
workers' descriptors). With the balancing, the workers' counts never differ by more than one;
the kernel's hash over SO_REUSEPORT sockets (the earlier setting) or the first worker to
wake on a shared socket would stray from that within a few connections.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.servers import running_gunicorn, worker_pids
from tests.sse import LiveStream

pytestmark = pytest.mark.slow

CONNECTIONS = 12


def _inode(server_port: int, client_port: int) -> str:
    """The inode of the server's end of the connection from ``client_port``."""
    wanted = (f"0100007F:{server_port:04X}", f"0100007F:{client_port:04X}")
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if (fields[1], fields[2]) == wanted:
            return fields[9]
    raise AssertionError(f"no server socket for the client port {client_port}")


def _holder(pids: list[int], inode: str) -> int:
    target = f"socket:[{inode}]"
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == target:
                    return pid
            except OSError:
                continue
    raise AssertionError(f"no worker holds socket {inode}")


def _served(sock: socket.socket) -> bytes:
    sock.sendall(b"GET /readyz HTTP/1.1\r\nHost: test\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(4096)
    return answer


def _until_both_serve(port: int, pids: list[int]) -> None:
    """Return once each worker has answered (the server is ready when one of them is); the
    connections are closed again and the workers have seen them go."""
    answered: set[int] = set()
    deadline = time.monotonic() + 30
    while answered != set(pids):
        assert time.monotonic() < deadline, f"only {answered} of {pids} answered"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            _served(sock)
            answered.add(_holder(pids, _inode(port, sock.getsockname()[1])))
        time.sleep(0.05)
    time.sleep(0.5)


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
class TestWorkerBalance:
    def test_kept_alive_connections_alternate_between_the_workers(self, database_url):
        def kept_alive(port: int) -> socket.socket:
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            assert _served(sock).startswith(b"HTTP/1.1 200")
            return sock

        _alternate(database_url, kept_alive)

    def test_live_followers_count_too_once_their_hub_holds_them(self, database_url):
        """A follower's connection leaves the worker's own count for its hub's: the hub's
        followers are published with it, so followers alternate as well."""

        def follower(port: int) -> socket.socket:
            stream = LiveStream(f"http://127.0.0.1:{port}")
            assert stream.status_line.endswith("200 OK")
            return stream.sock

        _alternate(database_url, follower)


def _alternate(database_url: str, connect: Callable[[int], socket.socket]) -> None:
    """Open CONNECTIONS with ``connect``, one after the other, all held open: after each, the
    two workers' counts differ by one at most."""
    with running_gunicorn(database_url, workers=2, env={"ACCESS_LOG": ""}) as server:
        assert server.process is not None
        pids = worker_pids(server.process.pid)
        assert len(pids) == 2
        _until_both_serve(server.port, pids)
        held: dict[int, int] = dict.fromkeys(pids, 0)
        opened: list[socket.socket] = []
        try:
            for _ in range(CONNECTIONS):
                sock = connect(server.port)
                opened.append(sock)
                inode = _inode(server.port, sock.getsockname()[1])
                held[_holder(pids, inode)] += 1
                assert max(held.values()) - min(held.values()) <= 1, held
            assert sorted(held.values()) == [CONNECTIONS // 2] * 2
        finally:
            for sock in opened:
                sock.close()
