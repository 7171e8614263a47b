"""API tokens: only a SHA-256 of the secret is stored; scopes are read < write < admin."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from ..domain.errors import DomainError, NotFound
from .engine import format_timestamp, read_connection, utc_now_text
from .tables import tokens

SCOPES = ("read", "write", "admin")
TOKEN_PREFIX = "pel_"
# last_used_at is refreshed at most this often, so reads do not each cost a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Token:
    name: str
    scope: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None

    def allows(self, needed: str) -> bool:
        """Whether this token's scope covers the needed one."""
        return self.revoked_at is None and SCOPES.index(self.scope) >= SCOPES.index(needed)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(engine: Engine, name: str, scope: str) -> str:
    """Create a token and return its secret; the secret itself is never stored."""
    if scope not in SCOPES:
        raise DomainError(f"scope must be one of {', '.join(SCOPES)}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        with engine.begin() as conn:
            conn.execute(
                tokens.insert().values(
                    name=name,
                    scope=scope,
                    token_hash=hash_secret(secret),
                    created_at=utc_now_text(),
                )
            )
    except IntegrityError as exc:
        raise DomainError(f"a token named {name!r} already exists") from exc
    return secret


def list_tokens(engine: Engine) -> list[Token]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(tokens).order_by(tokens.c.created_at, tokens.c.name))
        return [to_token(r) for r in rows]


def revoke_token(engine: Engine, name: str) -> None:
    with engine.begin() as conn:
        result = conn.execute(
            tokens.update()
            .where(tokens.c.name == name, tokens.c.revoked_at.is_(None))
            .values(revoked_at=utc_now_text())
        )
        if result.rowcount == 0:
            raise NotFound(f"no active token named {name!r}")


TOKEN_BY_HASH = sa.select(tokens).where(tokens.c.token_hash == sa.bindparam("token_hash"))


def authenticate(engine: Engine, secret: str) -> Token | None:
    """The token with this secret, or None; revoked tokens are returned with revoked_at set."""
    with read_connection(engine) as conn:  # once per request: keep it to one round trip
        row = conn.execute(TOKEN_BY_HASH, {"token_hash": hash_secret(secret)}).first()
    if row is None:
        return None
    token = to_token(row)
    if token.revoked_at is None:
        touch(engine, token)
    return token


def touch(engine: Engine, token: Token) -> None:
    stale = format_timestamp(datetime.now(UTC) - LAST_USED_RESOLUTION)
    if token.last_used_at is not None and token.last_used_at > stale:
        return
    with engine.begin() as conn:
        conn.execute(
            tokens.update().where(tokens.c.name == token.name).values(last_used_at=utc_now_text())
        )


def to_token(row: sa.Row) -> Token:
    return Token(
        name=row.name,
        scope=row.scope,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )
