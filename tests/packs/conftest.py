"""The layer packs here are fixtures, not the toolkit's tests: their template layers and
contract suites run inside generated projects and against their servers."""

collect_ignore = ["url-shortener"]
