"""When a request has fully arrived, so that a gunicorn thread may serve it (service/worker)."""

from __future__ import annotations

import pytest

from service.worker import MAX_BUFFERED, _request_state

HEAD = b"POST /v1/swaps HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
CHUNKED = b"Transfer-Encoding: chunked\r\n"


def request(headers: bytes = b"", body: bytes = b"") -> bytearray:
    return bytearray(HEAD + headers + b"\r\n" + body)


class TestRequestState:
    @pytest.mark.parametrize(
        "data, state",
        [
            (bytearray(b"GET /v1/log/head HTTP/1.1\r\nHost: test\r\n"), "incomplete"),
            (bytearray(b"GET /v1/log/head HTTP/1.1\r\nHost: test\r\n\r\n"), "complete"),
            (request(b"Content-Length: 10\r\n", b'{"a": '), "incomplete"),
            (request(b"content-length: 10\r\n", b'{"a": 1234}'[:10]), "complete"),
            (request(b"Content-Length: 2\r\n", b"{}GET / HTTP/1.1\r\n"), "complete"),  # pipelined
            (request(CHUNKED, b"2\r\n{}\r\n"), "incomplete"),
            (request(CHUNKED, b"2\r\n{}\r\n0\r\n"), "incomplete"),
            (request(CHUNKED, b"2\r\n{}\r\n0\r\n\r\n"), "complete"),
            (request(CHUNKED, b"1;x=y\r\n{\r\n1\r\n}\r\n0\r\n\r\n"), "complete"),
            (request(CHUNKED, b"0\r\nTrailer: 1\r\n\r\n"), "complete"),
            (request(CHUNKED, b"zz\r\n{}\r\n"), "unbuffered"),
            (request(b"Expect: 100-continue\r\nContent-Length: 2\r\n"), "unbuffered"),
            (request(f"Content-Length: {MAX_BUFFERED + 1}\r\n".encode()), "unbuffered"),
            (bytearray(b"GET /" + b"a" * MAX_BUFFERED), "unbuffered"),  # the parser refuses it
        ],
    )
    def test_a_thread_takes_a_request_only_once_it_is_complete(self, data, state):
        assert _request_state(data) == state
