"""A small Server-Sent Events parser for tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


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
