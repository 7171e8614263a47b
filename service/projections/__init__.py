"""The read side, pure: facts with corrections resolved, counters, gaps, summary, headlines.

Nothing here imports flask, sqlalchemy or marshmallow: the same functions serve the full
rebuild, the incremental update done inside each append transaction, and ``as_of`` reads.
"""
