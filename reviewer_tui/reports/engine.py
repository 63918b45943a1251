"""Jinja -> Markdown (ENGINEERING.md "Reports").

User text is data, never template source (RELIABILITY.md rule 13): templates come only from the
shipped package or the user's own template folder, and every value a template prints passes
through `escape_markdown` in the environment's `finalize`, so nothing a reviewer typed can become
formatting. The sandbox stops a template from reaching Python internals.

Line breaks and tabs inside a value are carried as two private-use characters so that a value
with blank lines can sit in a paragraph, a list item or a table cell without ending it; the Word
writer turns them back into a line break and a tab.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

LINE_BREAK = "\ue000"  # a newline inside one interpolated value
TAB = "\ue001"  # a tab inside one interpolated value
TEMPLATE_PACKAGE = "reviewer_tui.report_templates"

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_NEWLINES = re.compile(r"\r\n|\r|\n")


class Markdown(Markup):
    """Markdown made by templates and our own code (macro output, the filters below), never
    from user text: printed without escaping. Jinja's autoescape machinery is what marks macro
    output as trusted; its HTML escaping never runs because `finalize` has already turned every
    other value into escaped Markdown."""

    @classmethod
    def escape(cls, s: Any) -> Markdown:  # used when a template joins our Markdown and a value
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(escape_markdown(s))


class TemplateProblem(Exception):
    """A template that cannot be used, with a message naming the template and the line."""


def escape_markdown(value: Any) -> str:
    """Any value as literal Markdown text: every ASCII punctuation mark backslash-escaped
    (CommonMark lets any of them be escaped), line breaks and tabs carried as placeholders."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        value = format_date(value)
    text = str(value)
    text = _PUNCTUATION.sub(r"\\\1", text)
    text = _NEWLINES.sub(LINE_BREAK, text)
    return text.replace("\t", TAB)


def format_date(value: Any) -> str:
    """2 Sep 2025 for dates; 'YYYY-MM-DDTHH:MM' local times keep their time as typed."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        return f"{value.day} {value:%B %Y, %H:%M}"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    text = str(value)
    try:
        if "T" in text:
            moment = dt.datetime.fromisoformat(text)
            return f"{moment.day} {moment:%B %Y, %H:%M}"
        day = dt.date.fromisoformat(text)
        return f"{day.day} {day:%B %Y}"
    except ValueError:
        return text


def user_template_dir() -> Path:
    """Where a user's own templates live; searched before the shipped ones."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("reviewer-tui", appauthor=False)) / "report_templates"


def shipped_loader() -> BaseLoader:
    return PackageLoader(TEMPLATE_PACKAGE, "")


def make_environment(user_dir: Path | None = None) -> SandboxedEnvironment:
    folder = user_template_dir() if user_dir is None else Path(user_dir)
    loaders: list[BaseLoader] = []
    if folder.is_dir():
        loaders.append(FileSystemLoader(str(folder)))
    loaders.append(shipped_loader())
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = lambda value: Markdown(escape_markdown(format_date(value)))
    env.filters["md"] = lambda value: Markdown(escape_markdown(value))
    env.filters["or_not_recorded"] = _or_not_recorded
    env.filters["safe"] = lambda value: value  # nothing a template prints bypasses escaping
    env.globals["NOT_RECORDED"] = Markdown("*Not yet recorded.*")
    return env


def _finalize(value: Any) -> Markup:
    if isinstance(value, Markup):
        return value
    return Markdown(escape_markdown(value))


def _or_not_recorded(value: Any) -> Any:
    if value in (None, "", [], {}):
        return Markdown("*Not yet recorded.*")
    return value


def template_source_name(env: SandboxedEnvironment, name: str) -> str:
    """Where a template was found: the user's file path or 'shipped template NAME'."""
    loader = env.loader
    assert isinstance(loader, ChoiceLoader)
    for sub in loader.loaders:
        try:
            _source, filename, _uptodate = sub.get_source(env, name)
        except TemplateNotFound:
            continue
        if isinstance(sub, FileSystemLoader):
            return filename or name
        return f"shipped template {name}"
    return name


def render(name: str, context: dict[str, Any], user_dir: Path | None = None) -> str:
    """Render one template to Markdown; any template fault becomes a TemplateProblem naming
    the template (and the user's file, if it was theirs) and the line."""
    env = make_environment(user_dir)
    try:
        template = env.get_template(name)
        return template.render(context)
    except TemplateSyntaxError as exc:
        where = exc.filename or template_source_name(env, exc.name or name)
        raise TemplateProblem(
            f"The report template {exc.name or name} ({where}) has an error on line "
            f"{exc.lineno}: {exc.message}. Fix the template or remove it to use the shipped one."
        ) from None
    except TemplateNotFound as exc:
        raise TemplateProblem(f"There is no report template called {exc.name}.") from None
    except (UndefinedError, TemplateError, TypeError, ValueError, AttributeError) as exc:
        line, failing = _failing_line(exc, name)
        where = template_source_name(env, failing)
        raise TemplateProblem(
            f"The report template {failing} ({where}) failed on line {line}: {exc}. "
            "Fix the template or remove it to use the shipped one."
        ) from None


def _failing_line(exc: BaseException, default_name: str) -> tuple[str, str]:
    """The template line a runtime error came from: Jinja rewrites the traceback so the frames
    of template code carry the template's file name and line; the innermost one is kept."""
    tb = exc.__traceback__
    found: tuple[str, str] = ("unknown", default_name)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".md", ".j2")):
            found = (str(tb.tb_lineno), Path(filename).name)
        tb = tb.tb_next
    return found
