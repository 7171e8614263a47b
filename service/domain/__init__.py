"""The domain: pure Python, knows nothing of HTTP or SQL."""
