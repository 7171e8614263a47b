"""Storage: SQLAlchemy Core tables, the engine, the one append path, tokens."""
