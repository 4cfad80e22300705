"""Jinja set-up shared by labels, table cells and the manuscript: strict, and precise when it fails."""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import Any

import jinja2

from gigpaper.errors import TemplateError

# Characters that would make Pandoc read a data value as markup (emphasis, HTML, headings,
# math, citations, links, tables, code, strike-out, super- and subscript).
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#$@|~^])")


def escape_markdown(text: str) -> str:
    """Make a value from data render literally in Pandoc Markdown."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def environment(search_path: str | Path | None = None) -> jinja2.Environment:
    """Undefined names stop the build; comments are {## ##} so Pandoc's {#id} stays free."""
    loader = jinja2.FileSystemLoader(str(search_path)) if search_path else None
    return jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        comment_start_string="{##",
        comment_end_string="##}",
        keep_trailing_newline=True,
        autoescape=False,
    )


def _template_line(error: BaseException, name: str) -> int | None:
    """The line of `name` where Jinja failed: its tracebacks carry template lines as frames."""
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.endswith(name) or frame.filename == "<template>":
            line = frame.lineno
    return getattr(error, "lineno", None) or line


def render(
    template: jinja2.Template | str, context: dict[str, Any], name: str, env: jinja2.Environment | None = None
) -> str:
    """Render a template (or a template string named `name`), turning every failure into a TemplateError."""
    try:
        if isinstance(template, str):
            template = (env or environment()).from_string(template)
        return template.render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(name, error.lineno, f"template syntax: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise TemplateError(name, _template_line(error, name), f"undefined: {error.message}") from None
    except TemplateError:
        raise
    except Exception as error:  # an error inside a template call, e.g. a number with no such part
        raise TemplateError(name, _template_line(error, name), str(error)) from None
