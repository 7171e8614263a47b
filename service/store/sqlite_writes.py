"""SQLite: many-row inserts and upserts on the driver (the log's events, the read model's
rows), without SQLAlchemy's per-row parameter processing (most of a rebuild's and an import's
time on SQLite went there), nor its statement building (an append's counter, day-count and
position upserts built anew each time were a quarter of a single write's CPU on SQLite).

Values are stored as SQLAlchemy stores them (dates as ISO text, booleans as 0/1, JSON as
text), so every read through the tables sees the same rows; JSON is written by orjson
(the standard encoder for what orjson refuses), which SQLite's JSON columns parse alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import json_text

Convert = Callable[[Any], Any]
# On a taken key: ("add", key) adds the other columns to the stored row's, ("put", key)
# replaces them.
Conflict = tuple[str, str]
# Built once each (an append's upserts run on every write):
# (table name, conflict) -> (INSERT statement, the row's values in column order, converters
# by index); (table name, key) -> (DELETE statement, the key's converter).
_STATEMENTS: dict[tuple[str, Conflict | None], tuple[str, Convert, list[tuple[int, Convert]]]] = {}
_DELETES: dict[tuple[str, str], tuple[str, Convert]] = {}


def _date(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _plain(value: Any) -> Any:
    return value


def _bool(value: Any) -> Any:
    return None if value is None else int(bool(value))


def _converter(column: sa.Column) -> Callable[[Any], Any]:
    if isinstance(column.type, sa.JSON):
        return json_text.text
    if isinstance(column.type, sa.Date):
        return _date
    if isinstance(column.type, sa.Boolean):
        return _bool
    return _plain


def insert_rows(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows (keyed by column name; a generated primary key left out)."""
    _write(conn, table, rows, None)


def add_rows(conn: Connection, table: sa.Table, key: str, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows; where ``key`` is taken, add each other column to the stored row's
    (counters, day counts)."""
    _write(conn, table, rows, ("add", key))


def put_rows(conn: Connection, table: sa.Table, key: str, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows; where ``key`` is taken, replace the stored row's other columns."""
    _write(conn, table, rows, ("put", key))


def delete_zero_rows(conn: Connection, table: sa.Table, key: str, keys: list[Any]) -> None:
    """DELETE the rows of these keys whose other columns are all 0."""
    if not keys:
        return
    built = _DELETES.get((table.name, key))
    if built is None:
        zero = " AND ".join(f"{c.name} = 0" for c in table.columns if c.name != key)
        built = _DELETES[table.name, key] = (
            f"DELETE FROM {table.name} WHERE {key} = ? AND {zero}",
            _converter(table.c[key]),
        )
    statement, convert = built
    conn.connection.driver_connection.executemany(statement, [(convert(k),) for k in keys])


def _on_conflict(table: sa.Table, conflict: Conflict | None) -> str:
    """The statement's ON CONFLICT clause: none, add the other columns, or replace them."""
    if conflict is None:
        return ""
    kind, key = conflict
    others = [c.name for c in table.columns if c.name != key]
    if kind == "add":
        sets = ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" for c in others)
    else:
        sets = ", ".join(f"{c} = excluded.{c}" for c in others)
    return f" ON CONFLICT ({key}) DO UPDATE SET {sets}"


def _write(
    conn: Connection, table: sa.Table, rows: list[dict[str, Any]], conflict: Conflict | None
) -> None:
    if not rows:
        return
    built = _STATEMENTS.get((table.name, conflict))
    if built is None:
        columns = [c for c in table.columns if c is not table.autoincrement_column]
        names = ", ".join(c.name for c in columns)
        marks = ", ".join("?" for _ in columns)
        converted = [(i, _converter(c)) for i, c in enumerate(columns)]
        suffix = _on_conflict(table, conflict)
        built = _STATEMENTS[table.name, conflict] = (
            f"INSERT INTO {table.name} ({names}) VALUES ({marks}){suffix}",
            itemgetter(*(c.name for c in columns)),
            [(i, convert) for i, convert in converted if convert is not _plain],
        )
    statement, values_of, converters = built
    values = []
    for row in rows:
        value = list(values_of(row))
        for i, convert in converters:
            value[i] = convert(value[i])
        values.append(value)
    conn.connection.driver_connection.executemany(statement, values)
