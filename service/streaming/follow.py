"""What one live follower asked for, handed from the view to whatever serves the stream."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from ..domain.events import RecordedEvent
from .slots import SLOTS

# Tells EventSource clients how long to wait before reconnecting (milliseconds).
RETRY_MS = 2000
RETRY_FRAME = f"retry: {RETRY_MS}\n\n"
HEARTBEAT_FRAME = ": heartbeat\n\n"
# Events read per query while a follower catches up.
BATCH = 500


@dataclass(frozen=True, slots=True)
class LiveTiming:
    heartbeat: float
    max_duration: float
    poll: float
    token_check: float = math.inf


@dataclass(eq=False)
class Follow:
    """A live stream: its log, where it starts, its timing, how an event is written as a
    frame, and (when it was opened with a token) how to ask whether the token still holds.

    It holds one of the process's follower slots from the moment the view accepted it;
    ``release`` gives the slot back, once, whoever ends the stream.
    """

    engine: Engine
    after: int
    timing: LiveTiming
    frame: Callable[[RecordedEvent], str]
    token_valid: Callable[[], bool] | None = None
    _released: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def release(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
        SLOTS.give_back()
