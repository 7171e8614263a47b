"""Settings from the environment, typed; tests build their own."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_MAX_CONTENT_LENGTH = 1024 * 1024
# Generous per-caller defaults (limits syntax); memory storage counts per gunicorn worker.
DEFAULT_RATE_LIMITS = {
    "anonymous": "300/minute",
    "read": "1200/minute",
    "write": "600/minute",
    "admin": "1200/minute",
}


def default_database_url() -> str:
    """A SQLite file under ./instance, created on first use."""
    instance = Path.cwd() / "instance"
    instance.mkdir(exist_ok=True)
    return f"sqlite:///{instance / 'exchange-log.db'}"


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _hops(value: str | None) -> int:
    """TRUSTED_PROXIES: how many reverse proxies in front of the service add X-Forwarded-For."""
    try:
        hops = int(value or 0)
    except ValueError:
        raise ValueError(
            f"TRUSTED_PROXIES must be a whole number of proxies, not {value!r}"
        ) from None
    if not 0 <= hops <= 10:
        raise ValueError(f"TRUSTED_PROXIES must be from 0 to 10, not {hops}")
    return hops


def public_base_url(value: str | None) -> str:
    """PUBLIC_BASE_URL without its trailing slash; empty when unset. Refuses a bad value."""
    text = (value or "").strip().rstrip("/")
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(
            f"PUBLIC_BASE_URL must be an http(s) URL without query or fragment, not {value!r}"
        )
    return text


def _list(value: str | None) -> tuple[str, ...]:
    """A comma- or space-separated list; empty means none."""
    return tuple(item for item in (value or "").replace(",", " ").split() if item)


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Everything the app reads from its environment."""

    database_url: str = field(default_factory=default_database_url)
    max_content_length: int = DEFAULT_MAX_CONTENT_LENGTH
    reads_private: bool = False
    auto_migrate: bool = False
    load_history: bool = False
    log_level: str = "INFO"
    # Live feed (GET /v1/events/live): comment heartbeat, longest stream, SQLite poll interval.
    live_heartbeat_seconds: float = 15.0
    live_max_seconds: float = 3600.0
    live_poll_seconds: float = 0.5
    # How often an open stream (live SSE, NDJSON) re-checks the token it was opened with.
    stream_token_check_seconds: float = 15.0
    rate_limit_enabled: bool = True
    rate_limits: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_RATE_LIMITS))
    ratelimit_storage_uri: str = "memory://"
    cors_origins: tuple[str, ...] = ()
    # Origins whose pages may frame /embed/gaps (CSP frame-ancestors); empty: none may.
    embed_origins: tuple[str, ...] = ()
    # Reverse proxies in front of gunicorn whose X-Forwarded-For/-Proto are trusted (0: none).
    trusted_proxies: int = 0
    # Where clients reach the service, for absolute links; empty: links are relative paths.
    public_base_url: str = ""
    # /metrics: this bearer token when set; else any API token under READS_PRIVATE; else public.
    metrics_token: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("DATABASE_URL") or default_database_url(),
            max_content_length=int(env.get("MAX_CONTENT_LENGTH") or DEFAULT_MAX_CONTENT_LENGTH),
            reads_private=_bool(env.get("READS_PRIVATE")),
            auto_migrate=_bool(env.get("AUTO_MIGRATE")),
            load_history=_bool(env.get("LOAD_HISTORY")),
            log_level=env.get("LOG_LEVEL") or "INFO",
            live_heartbeat_seconds=float(env.get("LIVE_HEARTBEAT_SECONDS") or 15.0),
            live_max_seconds=float(env.get("LIVE_MAX_SECONDS") or 3600.0),
            live_poll_seconds=float(env.get("LIVE_POLL_SECONDS") or 0.5),
            stream_token_check_seconds=float(env.get("STREAM_TOKEN_CHECK_SECONDS") or 15.0),
            rate_limit_enabled=_bool(env.get("RATE_LIMIT_ENABLED"), default=True),
            rate_limits={
                scope: env.get(f"RATE_LIMIT_{scope.upper()}") or default
                for scope, default in DEFAULT_RATE_LIMITS.items()
            },
            ratelimit_storage_uri=env.get("RATELIMIT_STORAGE_URI") or "memory://",
            cors_origins=_list(env.get("CORS_ORIGINS")),
            embed_origins=_list(env.get("EMBED_ORIGINS")),
            trusted_proxies=_hops(env.get("TRUSTED_PROXIES")),
            public_base_url=public_base_url(env.get("PUBLIC_BASE_URL")),
            metrics_token=(env.get("METRICS_TOKEN") or "").strip(),
        )
