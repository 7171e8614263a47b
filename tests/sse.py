"""A small Server-Sent Events parser for tests."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

READ_TIMEOUT = 30.0


@dataclass
class Message:
    event: str = "message"
    id: str | None = None
    data: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    retry: int | None = None

    @property
    def envelope(self) -> dict:
        return json.loads("\n".join(self.data))


def parse_block(block: list[str]) -> Message:
    """One message from its lines (without the blank line that ends it)."""
    message = Message()
    for line in block:
        if line.startswith(":"):
            message.comments.append(line[1:].strip())
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "event":
            message.event = value
        elif name == "id":
            message.id = value
        elif name == "data":
            message.data.append(value)
        elif name == "retry":
            message.retry = int(value)
    return message


def parse(text: str) -> list[Message]:
    """Every complete message in a stream's text."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [parse_block(b.split("\n")) for b in blocks[:-1] if b]


class LiveStream:
    """An SSE stream read from a raw socket (HTTP/1.0: no chunking, ends when the server closes)."""

    def __init__(self, base: str, last_event_id: int | None = None) -> None:
        url = urlsplit(base)
        self.sock = socket.create_connection((url.hostname, url.port), timeout=READ_TIMEOUT)
        headers = [f"Host: {url.netloc}", "Accept: text/event-stream"]
        if last_event_id is not None:
            headers.append(f"Last-Event-ID: {last_event_id}")
        request = "GET /v1/events/live HTTP/1.0\r\n" + "\r\n".join(headers) + "\r\n\r\n"
        self.sock.sendall(request.encode())
        self.reader = self.sock.makefile("rb")
        self.status_line = self.reader.readline().decode().strip()
        self.headers = {}
        while (line := self.reader.readline().decode().strip()) != "":
            name, _, value = line.partition(":")
            self.headers[name.lower()] = value.strip()
        if not self.status_line.endswith(" 200 OK"):  # e.g. a 503 when every slot is taken
            self.close()
            raise AssertionError(f"the stream was not opened: {self.status_line}")
        assert self.next_message().retry == 2000  # the stream is open and listening

    def next_message(self) -> Message:
        block = []
        while True:
            raw = self.reader.readline()
            if not raw:
                raise EOFError("the server closed the stream")
            line = raw.decode().rstrip("\r\n")
            if line == "" and block:
                return parse_block(block)
            if line:
                block.append(line)

    def events(self, count: int) -> list[Message]:
        """The next ``count`` event messages, skipping heartbeats."""
        found = []
        while len(found) < count:
            message = self.next_message()
            if message.data:
                found.append(message)
        return found

    def close(self) -> None:
        self.reader.close()
        self.sock.close()
