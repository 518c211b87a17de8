"""Syntax highlighting of a project's files on the server, with Pygments."""

from __future__ import annotations

import html
from functools import cache
from pathlib import PurePosixPath

from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.util import ClassNotFound

#: The CSS class around highlighted code; the style sheet is scoped to it.
CSS_CLASS = "hl"
#: Pygments' "default" style: its colours keep a 4.5:1 contrast on white (WCAG AA).
STYLE = "default"
#: Larger files are shown as plain text: highlighting is the slow part of a preview.
MAX_HIGHLIGHTED = 128 * 1024
#: Files Pygments does not know by name, by the lexer that suits them.
_BY_NAME = {
    ".env": "bash",
    ".env.example": "bash",
    ".gitignore": "text",
    ".dockerignore": "text",
    ".editorconfig": "ini",
    ".nvmrc": "text",
}


def _lexer(path: str, text: str) -> Lexer:
    name = PurePosixPath(path).name
    try:
        if name in _BY_NAME:
            return get_lexer_by_name(_BY_NAME[name])
        return get_lexer_for_filename(name, text)
    except ClassNotFound:
        return get_lexer_by_name("text")


@cache
def _formatter() -> HtmlFormatter[str]:
    return HtmlFormatter(cssclass=CSS_CLASS, style=STYLE)


def highlight(path: str, text: str) -> str:
    """Return the file's text as HTML: escaped, and highlighted unless it is very large."""
    if len(text) > MAX_HIGHLIGHTED:
        return f'<div class="{CSS_CLASS}"><pre>{html.escape(text)}</pre></div>'
    return pygments_highlight(text, _lexer(path, text), _formatter())


@cache
def style_sheet() -> str:
    """The CSS of the highlighting, scoped to :data:`CSS_CLASS`."""
    # types-pygments leaves get_style_defs untyped; it returns the CSS text.
    return str(_formatter().get_style_defs(f".{CSS_CLASS}"))  # type: ignore[no-untyped-call]
