"""The workshop dashboard (``make workshop``): the page, its views, its settings and its texts."""
