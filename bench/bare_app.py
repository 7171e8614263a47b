"""The baseline: a bare Flask endpoint doing one INSERT … RETURNING per request via psycopg.

Served by gunicorn with the service's own settings (``-c gunicorn.conf.py``), so the only
difference the benchmark measures is what the service does per append. Each gunicorn thread
keeps one autocommit connection (the service pools its connections too).
"""

from __future__ import annotations

import os
import threading

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

app = Flask(__name__)
_local = threading.local()


def _connection() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = _local.conn = psycopg.connect(os.environ["BARE_DSN"], autocommit=True)
    return conn


@app.post("/v1/swaps")
def append():
    """Store the JSON body as it came; answer 201 with the row's id."""
    row = _connection().execute(INSERT, (Jsonb(request.get_json()),)).fetchone()
    return jsonify({"id": row[0], "recorded_at": row[1].isoformat()}), 201


@app.get("/readyz")
def readyz():
    _connection().execute("SELECT 1")
    return {"status": "ok"}


@app.get("/hello")
def hello():
    """The cheapest read Flask can answer: the ceiling projection reads are compared to."""
    return jsonify({"hello": "world"})
