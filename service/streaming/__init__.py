"""Live followers of the log: a cap per process, and a hub that serves them all from one
thread instead of a thread (and a LISTEN connection) each."""
