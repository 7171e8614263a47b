"""Valid write tokens remembered per process, confirmed inside the append transaction.

Looking a token up costs a database round trip on every request. A write does not need it
before its append: the append transaction can confirm the token itself, for free. Tokens
are never deleted, renamed or un-revoked: in one database the tokens table only gains rows
and revocations. So the lock's round trip reads the table's state (``TOKENS_STATE``: how
many tokens, how many revoked, the latest creation time; installed by ``service.wiring`` as
an after-lock read), and while it is the state seen when the token was last found valid in
the database, nothing was revoked since and the token still holds. Otherwise it is looked
up again, inside the transaction. So a revoked token never appends: a write either meets
the revocation in its transaction (401), or committed before the revocation did. A database
replaced under the running service (dropped and created again, or restored from a backup)
has another state unless its tokens table is the same, so a token it does not hold is
looked up there, and refused, too.

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

TOKENS_READ = "tokens_state"
# "<tokens>:<revoked>:<latest created_at>", one text value on both stores.
TOKENS_STATE = sa.select(
    sa.cast(sa.func.count(), sa.String)
    + ":"
    + sa.cast(sa.func.count(tokens.c.revoked_at), sa.String)
    + ":"
    + sa.func.coalesce(sa.func.max(tokens.c.created_at), "")
).select_from(tokens)
REVOKED_AT = sa.select(tokens.c.revoked_at).where(tokens.c.token_hash == sa.bindparam("h"))
LOOKUP = TOKEN_BY_HASH.add_columns(TOKENS_STATE.scalar_subquery().label("tokens_state"))
NOT_VALID = "the bearer token is not valid"
REVOKED = "the bearer token was revoked"


@dataclass
class _Known:
    token: Token
    state: str  # TOKENS_STATE when this one was last found valid in the database
    touched: float  # time.monotonic() of the last last_used_at refresh


_MEMORY: weakref.WeakKeyDictionary[Engine, dict[str, _Known]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _memory(engine: Engine) -> dict[str, _Known]:
    with _LOCK:
        return _MEMORY.setdefault(engine, {})


def remembered(engine: Engine, token_hash: str) -> tuple[Token | None, bool]:
    """The token with this hash and whether it came from memory (then it must still be
    confirmed: ``refusal`` in the append transaction, or ``refusal_now``)."""
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
        memory[token_hash] = _Known(token, row.tokens_state, time.monotonic())
    return token, False


def refusal(conn: Connection, token_hash: str) -> str | None:
    """Inside the append transaction: None while the token is valid (see module doc), else
    why it is refused (``NOT_VALID``: not in this database; ``REVOKED``)."""
    after_lock = conn.info.get(AFTER_LOCK) or {}
    if TOKENS_READ in after_lock:
        state = after_lock[TOKENS_READ]
    else:
        state = conn.execute(TOKENS_STATE).scalar_one()
    memory = _memory(conn.engine)
    known = memory.get(token_hash)
    if known is not None and known.state == state:
        return None
    refused = _refusal(conn.execute(REVOKED_AT, {"h": token_hash}).first())
    if known is not None:
        if refused is None:
            known.state = state
        else:
            memory.pop(token_hash, None)
    return refused


def refusal_now(engine: Engine, token_hash: str) -> str | None:
    """Look the token up again now: None while it is valid, else why it is refused (then
    it is forgotten)."""
    with read_connection(engine) as conn:
        refused = _refusal(conn.execute(REVOKED_AT, {"h": token_hash}).first())
    if refused is not None:
        _memory(engine).pop(token_hash, None)
    return refused


def _refusal(row: sa.Row | None) -> str | None:
    """Why a token whose REVOKED_AT row is ``row`` (None: no such token) is refused."""
    if row is None:
        return NOT_VALID
    return REVOKED if row.revoked_at is not None else None
