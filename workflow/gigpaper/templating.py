"""Jinja set-up shared by labels, table cells and the manuscript: strict, and precise when it fails."""

from __future__ import annotations

import marshal
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from gigpaper import memo
from gigpaper.errors import BuildError, TemplateError
from gigpaper.grammar import CITATION_AT, JINJA_REFERENCE, mistyped_braces

# Characters that would make Pandoc read a data value as markup (emphasis, HTML, headings,
# math, citations, links, tables, code, strike-out, super- and subscript).
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#$@|~^])")


def escape_markdown(text: str) -> str:
    """Make a value from data render literally in Pandoc Markdown."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


# An '@' that starts a word: Pandoc reads a citation there ('@home', '[@home]'), never within one (an address).
CITATION_START = re.compile(CITATION_AT + r"(?=[\w{])")


def metadata_markdown(meta: dict[str, Any]) -> dict[str, Any]:
    """The metadata (manuscript/metadata.yaml) as an edition's Markdown takes it: its strings are Markdown (a title
    may hold emphasis) that cites no work (an '@' starting a word was a citation, which stopped the PDF late), and
    its keywords print as typed."""

    def uncited(tree: Any) -> Any:
        if isinstance(tree, dict):
            return {key: uncited(value) for key, value in tree.items()}
        if isinstance(tree, list):
            return [uncited(value) for value in tree]
        return CITATION_START.sub(r"\\@", tree) if isinstance(tree, str) else tree

    keywords = {lang: list(map(escape_markdown, words)) for lang, words in meta["keywords"].items()}
    return {**uncited(meta), "keywords": keywords}


def escape_attribute(text: str) -> str:
    """Make a value render literally as a quoted Pandoc attribute's ("..."): a '"' would end it, and what follows
    be an attribute of its own (onmouseover=...) in the HTML."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#")
# What a value from data (a table cell) may hold, as a refusal of one says it.
DATA_TEXT = "text, with numbers only as registry references such as {{ n.women_share_platform_workers }}"


def fill_references(text: str, numbers: Any, where: str) -> str:
    """Replace the registry references of a value from data, and nothing else: data is never run as a template."""
    stripped = JINJA_REFERENCE.sub("", text)
    if TEMPLATE_SYNTAX.search(stripped):
        raise BuildError(
            f"{where}: found {text!r}; expected {DATA_TEXT} (a value from data is never run as a template)."
        )
    if mistyped := mistyped_braces(stripped):
        raise BuildError(f"{where}: found {mistyped[1]}.")

    def number(match: re.Match[str]) -> str:
        quantity = getattr(numbers, match.group(1), None)
        if quantity is None:
            raise BuildError(f"{where}: found {{{{ n.{match.group(1)} }}}}; expected an id of the number registry.")
        try:
            return str(getattr(quantity, match.group(2)) if match.group(2) else quantity)
        except BuildError as error:  # a part the number does not have: .low of a point, say
            raise BuildError(f"{where}: {error}") from None

    return JINJA_REFERENCE.sub(number, text)


def environment(search_path: str | Path | None = None) -> jinja2.Environment:
    """Undefined names stop the build; comments are {## ##} so Pandoc's {#id} stays free.

    The sandbox keeps a template from reaching Python internals (`n.__init__.__globals__`).
    """
    loader = jinja2.FileSystemLoader(str(search_path)) if search_path else None
    return jinja2.sandbox.ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        comment_start_string="{##",
        comment_end_string="##}",
        keep_trailing_newline=True,
        autoescape=False,
    )


def _settings(env: jinja2.Environment) -> str:
    """What of an environment shapes the code Jinja makes of a template (the rest is gigpaper's code, in every key)."""
    return repr((
        type(env).__module__, type(env).__qualname__, env.autoescape, env.undefined.__name__, env.optimized,
        env.is_async, getattr(env.finalize, "__qualname__", env.finalize),
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, sorted(env.extensions),
    ))  # fmt: skip


def compiled(env: jinja2.Environment, source: str, name: str) -> jinja2.Template:
    """`env.from_string(source)`, with the Python code Jinja makes of the template remembered on disk
    (gigpaper.memo: keyed on the template's text, the environment's settings, gigpaper's code and the versions of
    Python and Jinja), so a build step spares Jinja's parse and code generation (0.1 s for the review page) when
    only the data changed. A template with a syntax error is a TemplateError naming its line."""

    def code() -> bytes:
        return marshal.dumps(env.compile(source))

    try:
        blob = memo.remembered("jinja code", (name, source, _settings(env)), code, on_disk=True)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(name, error.lineno, f"template syntax: {error.message}") from None
    return env.template_class.from_code(env, marshal.loads(blob), env.make_globals(None), None)


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
    except jinja2.sandbox.SecurityError as error:
        raise TemplateError(name, _template_line(error, name), f"not allowed in a template: {error}") from None
    except jinja2.UndefinedError as error:
        raise TemplateError(name, _template_line(error, name), f"undefined: {error.message}") from None
    except TemplateError:
        raise
    except Exception as error:  # an error inside a template call, e.g. a number with no such part
        raise TemplateError(name, _template_line(error, name), str(error)) from None
