"""The SQLAlchemy tables and the schema the Alembic migrations build never disagree."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from service.readmodel.tables import metadata as readmodel_metadata
from service.store.migrate import alembic_config
from service.store.tables import metadata as log_metadata


def _schema() -> sa.MetaData:
    """The log's tables and the read model's in one MetaData, as the migrations build them."""
    combined = sa.MetaData()
    for metadata in (log_metadata, readmodel_metadata):
        for table in metadata.tables.values():
            table.to_metadata(combined)
    return combined


def _differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, _schema())


class TestSchemaDrift:
    def test_the_migrated_schema_matches_the_table_definitions(self, engine):
        assert _differences(engine) == []

    def test_the_migrations_end_at_the_newest_revision(self, engine):
        url = engine.url.render_as_string(hide_password=False)
        heads = ScriptDirectory.from_config(alembic_config(url)).get_heads()
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_heads() == tuple(heads)
        assert len(heads) == 1

    def test_a_column_missing_from_the_database_is_reported(self, engine):
        extended = _schema()
        extended.tables["tokens"].append_column(sa.Column("note", sa.Text, nullable=True))
        with engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), extended)
        assert [(d[0], d[2], d[3].name) for d in diffs] == [("add_column", "tokens", "note")]
