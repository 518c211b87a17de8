"""DRF's JSON parser and renderer, hardened against hostile input.

- A body nested thousands of levels deep makes ``json.loads`` raise RecursionError,
  which is no ValueError: DRF's parser would let it through as a 500. Here it is
  invalid JSON, like any other (422).
- DRF renders with ``ensure_ascii=False`` and encodes to UTF-8, which fails on a lone
  surrogate (``"\\ud800"`` is valid JSON) that an error message quotes back (an
  invalid choice). Such a body is rendered again with ASCII escapes.
"""

from collections.abc import Mapping
from typing import Any

from rest_framework import parsers, renderers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested too deeply is invalid JSON, not a crash."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON nested too deeply") from None


class _AsciiJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer; text that UTF-8 cannot encode is escaped instead."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return _AsciiJSONRenderer().render(data, accepted_media_type, renderer_context)
