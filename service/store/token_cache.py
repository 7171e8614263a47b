"""Valid write tokens remembered per process, confirmed inside the append transaction.

Looking a token up costs a database round trip on every request. A write does not need it
before its append: the append transaction can confirm the token itself, for free, because
revocations only ever grow (a token is never un-revoked, renamed or deleted). The lock's
round trip reads how many tokens are revoked (``REVOKED_COUNT``, installed by
``service.wiring`` as an after-lock read); while that count is the
one seen when the token was last found valid in the database, nothing was revoked since and
the token still holds. Otherwise it is looked up again, inside the transaction. So a revoked
token never appends: a write either meets the revocation in its transaction (401), or
committed before the revocation did.

Only tokens found valid are remembered (an unknown or revoked secret is always looked up),
and the API re-checks a remembered token before answering any other error, so a revoked
token is told 401 before anything about its request.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .engine import AFTER_LOCK, read_connection
from .tables import tokens
from .tokens import LAST_USED_RESOLUTION, TOKEN_BY_HASH, Token, to_token, touch

REVOCATIONS_READ = "revoked_tokens"
REVOKED_COUNT = sa.select(sa.func.count()).where(tokens.c.revoked_at.is_not(None))
REVOKED_AT = sa.select(tokens.c.revoked_at).where(tokens.c.token_hash == sa.bindparam("h"))
LOOKUP = TOKEN_BY_HASH.add_columns(REVOKED_COUNT.scalar_subquery().label("revoked_count"))


@dataclass
class _Known:
    token: Token
    revoked_count: int  # tokens revoked when this one was last found valid in the database
    touched: float  # time.monotonic() of the last last_used_at refresh


_MEMORY: weakref.WeakKeyDictionary[Engine, dict[str, _Known]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _memory(engine: Engine) -> dict[str, _Known]:
    with _LOCK:
        return _MEMORY.setdefault(engine, {})


def remembered(engine: Engine, token_hash: str) -> tuple[Token | None, bool]:
    """The token with this hash and whether it came from memory (then it must still be
    confirmed: ``confirm`` in the append transaction, or ``forget_unless_valid``)."""
    memory = _memory(engine)
    known = memory.get(token_hash)
    if known is not None:
        if time.monotonic() - known.touched > LAST_USED_RESOLUTION.total_seconds():
            known.touched = time.monotonic()
            touch(engine, known.token)
        return known.token, True
    with read_connection(engine) as conn:
        row = conn.execute(LOOKUP, {"token_hash": token_hash}).first()
    if row is None:
        return None, False
    token = to_token(row)
    if token.revoked_at is None:
        touch(engine, token)
        memory[token_hash] = _Known(token, row.revoked_count, time.monotonic())
    return token, False


def confirm(conn: Connection, token_hash: str) -> bool:
    """Inside the append transaction: whether the token is still valid (see module doc)."""
    after_lock = conn.info.get(AFTER_LOCK) or {}
    if REVOCATIONS_READ in after_lock:
        revoked_count = after_lock[REVOCATIONS_READ]
    else:
        revoked_count = conn.execute(REVOKED_COUNT).scalar_one()
    memory = _memory(conn.engine)
    known = memory.get(token_hash)
    if known is not None and known.revoked_count == revoked_count:
        return True
    row = conn.execute(REVOKED_AT, {"h": token_hash}).first()
    valid = row is not None and row.revoked_at is None
    if known is not None:
        if valid:
            known.revoked_count = revoked_count
        else:
            memory.pop(token_hash, None)
    return valid


def forget_unless_valid(engine: Engine, token_hash: str) -> bool:
    """Look the token up again now; forget it unless it is still valid."""
    with read_connection(engine) as conn:
        row = conn.execute(REVOKED_AT, {"h": token_hash}).first()
    if row is not None and row.revoked_at is None:
        return True
    _memory(engine).pop(token_hash, None)
    return False
