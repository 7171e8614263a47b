"""The baseline: a bare Flask endpoint doing one INSERT … RETURNING per request, by the bare
driver: psycopg on PostgreSQL (``BARE_DSN``), or sqlite3 on a SQLite file (``BARE_SQLITE``, a
path; WAL and ``synchronous = FULL``, as the service runs SQLite: each INSERT is on disk
before its answer leaves).

Served by gunicorn with the service's own settings (``-c gunicorn.conf.py``), so the only
difference the benchmark measures is what the service does per append. Each gunicorn thread
keeps one autocommit connection (the service pools its connections too).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import UTC, datetime
from typing import Any

import psycopg
from flask import Flask, jsonify, request
from psycopg.types.json import Jsonb

TABLE_DDL = """
CREATE TABLE IF NOT EXISTS bare_events (
    id bigserial PRIMARY KEY,
    data jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
)
"""
INSERT = "INSERT INTO bare_events (data) VALUES (%s) RETURNING id, created_at"
SQLITE_TABLE_DDL = """
CREATE TABLE IF NOT EXISTS bare_events (
    id INTEGER PRIMARY KEY,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
)
"""
SQLITE_INSERT = "INSERT INTO bare_events (data, created_at) VALUES (?, ?) RETURNING id, created_at"

app = Flask(__name__)
_local = threading.local()


def _connection() -> Any:
    conn = getattr(_local, "conn", None)
    if conn is None or getattr(conn, "closed", False):  # psycopg's, after a lost server
        path = os.environ.get("BARE_SQLITE")
        if path:
            conn = _local.conn = sqlite_connection(path)
        else:
            conn = _local.conn = psycopg.connect(os.environ["BARE_DSN"], autocommit=True)
    return conn


def sqlite_connection(path: str) -> sqlite3.Connection:
    """An autocommit connection set up as the service sets up its SQLite ones."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


@app.post("/v1/swaps")
def append():
    """Store the JSON body as it came; answer 201 with the row's id."""
    conn = _connection()
    if isinstance(conn, sqlite3.Connection):
        now = datetime.now(UTC).isoformat()
        row = conn.execute(SQLITE_INSERT, (json.dumps(request.get_json()), now)).fetchone()
        return jsonify({"id": row[0], "recorded_at": row[1]}), 201
    row = conn.execute(INSERT, (Jsonb(request.get_json()),)).fetchone()
    return jsonify({"id": row[0], "recorded_at": row[1].isoformat()}), 201


@app.get("/readyz")
def readyz():
    _connection().execute("SELECT 1")
    return {"status": "ok"}


@app.get("/hello")
def hello():
    """The cheapest read Flask can answer: the ceiling projection reads are compared to."""
    return jsonify({"hello": "world"})
