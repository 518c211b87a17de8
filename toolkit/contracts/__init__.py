"""Black-box HTTP contract suites, one per kind, run against a base URL.

``scaffold contract KIND URL`` or :func:`toolkit.run_contract` runs one; the
suites are pytest modules that talk to the service only over HTTP.
"""
