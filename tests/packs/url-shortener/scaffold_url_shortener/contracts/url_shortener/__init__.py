"""The contract of the url-shortener kind (a layer pack's suite, run by scaffold verify)."""
