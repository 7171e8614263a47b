"""Renderings of projected data for HTTP: JSON entries, CSV, TimelineJS, Atom, URLs."""
