"""Pages for people: ``GET /`` (the current gap, the gaps chart and table, the timeline) and
``GET /embed/gaps`` (the chart alone, for an iframe in an article).

Not part of the JSON API (not in openapi.yaml). ``site.init_web`` registers them; ``pages``
has the views, ``reads`` what they read from the projections, ``present`` and ``chart`` are
pure (values as people read them, the SVG chart), ``forms`` parses the filters.
"""
