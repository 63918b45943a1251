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
import math
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    nodes,
    pass_context,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup

from reviewer_tui.errors import TemplateProblem

LINE_BREAK = "\ue000"  # a newline inside one interpolated value
TAB = "\ue001"  # a tab inside one interpolated value
TEMPLATE_PACKAGE = "reviewer_tui.report_templates"

# A template that runs longer is stopped (a shipped report of the sample takes ~5 ms), by the
# clock; longer for a review with more text to print (SECONDS_PER_MB, documents.render_markdown):
# the management review report of a very large review (10,000 entries, 20 MB of notes) takes a
# second or two of work, and with a flat 3 s a busy machine stopped it.
RENDER_SECONDS = 3.0
SECONDS_PER_MB = 2.0
MAX_SIZE = 10_000_000  # characters or items `*` may make; bits `**` may make
LOOP_GUARD = "_reviewer_tui_loop_guard"

# Before every ASCII punctuation character: the text split there and joined with backslashes
# escapes each one, at C speed (a regex substitution expands its template in Python once per
# mark, seconds for a review with 20 MB of notes).
_BEFORE_PUNCTUATION = re.compile(r"(?=[!-/:-@\[-`{-~])")
_ESCAPE_CHUNK = 65_536
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


class _Stopped(Exception):
    """Raised inside a template that has run past its deadline."""


class RenderCancelled(Exception):  # noqa: N818 - a request, not a fault
    """The caller no longer wants the result (the report screen was left): rendering stopped."""


class _GuardedCodeGenerator(CodeGenerator):
    """Every `{% for %}` iterates through LOOP_GUARD, which checks the deadline on each step: the
    sandbox's call and attribute hooks alone never see a loop that only prints."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):
            if not (isinstance(loop.iter, nodes.Filter) and loop.iter.name == LOOP_GUARD):
                loop.iter = nodes.Filter(
                    loop.iter, LOOP_GUARD, [], [], None, None, lineno=loop.iter.lineno
                )
        super().visit_Template(node, frame)


class ReportSandbox(SandboxedEnvironment):
    """The sandbox with a time limit: the deadline is checked on every loop step, call, attribute
    and item lookup, and `*` and `**` refuse results too large to hold."""

    code_generator_class = _GuardedCodeGenerator
    intercepted_binops = frozenset({"*", "**"})
    deadline = math.inf
    cancelled: Callable[[], bool] | None = None

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Stopped()
        if self.cancelled is not None and self.cancelled():
            raise RenderCancelled()

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.check_time()
        return super().call(context, obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.check_time()
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        self.check_time()
        whole = isinstance(left, int) and isinstance(right, int)
        if (
            operator == "**"
            and whole
            and right > 0
            and abs(left) > 1
            and (right * abs(left).bit_length() > MAX_SIZE)
        ):
            raise SecurityError(f"{left} ** {right} would be a number too large to work with")
        if operator == "*":
            sized, count = (left, right) if isinstance(right, int) else (right, left)
            if (
                isinstance(count, int)
                and isinstance(sized, str | list | tuple)
                and (len(sized) * count > MAX_SIZE)
            ):
                raise SecurityError(
                    f"repeating a value {count} times makes something too large "
                    f"(more than {MAX_SIZE:,} characters or items)"
                )
        return super().call_binop(context, operator, left, right)


@pass_context
def _loop_guard(context: Context, iterable: Any) -> Any:
    environment = context.environment
    assert isinstance(environment, ReportSandbox)  # the only environment that renders reports
    for item in iterable:
        environment.check_time()
        yield item


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
    if len(text) > _ESCAPE_CHUNK:  # in slices, so one long value never holds the GIL for long
        text = "".join(
            "\\".join(_BEFORE_PUNCTUATION.split(text[n : n + _ESCAPE_CHUNK]))
            for n in range(0, len(text), _ESCAPE_CHUNK)
        )
    else:
        text = "\\".join(_BEFORE_PUNCTUATION.split(text))
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


def make_environment(user_dir: Path | None = None) -> ReportSandbox:
    folder = user_template_dir() if user_dir is None else Path(user_dir)
    loaders: list[BaseLoader] = []
    if folder.is_dir():
        loaders.append(FileSystemLoader(str(folder)))
    loaders.append(shipped_loader())
    env = ReportSandbox(
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
    env.filters[LOOP_GUARD] = _loop_guard
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


def render(
    name: str,
    context: dict[str, Any],
    user_dir: Path | None = None,
    *,
    seconds: float = RENDER_SECONDS,
    cancelled: Callable[[], bool] | None = None,
) -> str:
    """Render one template to Markdown; any template fault becomes a TemplateProblem naming
    the template (and the user's file, if it was theirs) and the line. `seconds` is how long it
    may run; `cancelled`, asked on every loop step and call, stops it (RenderCancelled)."""
    return "".join(generate(name, context, user_dir, seconds=seconds, cancelled=cancelled))


def generate(
    name: str,
    context: dict[str, Any],
    user_dir: Path | None = None,
    *,
    seconds: float = RENDER_SECONDS,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[str]:
    """`render`, given out as the template produces it (Jinja's Template.generate): the same
    text in pieces, so a preview can show its beginning while the rest is worked out. The time
    limit runs from the first piece asked for; faults are raised as `render` raises them."""
    env = make_environment(user_dir)
    env.cancelled = cancelled
    try:
        template = env.get_template(name)
        env.deadline = time.monotonic() + seconds
        yield from template.generate(context)
    except RenderCancelled:
        raise
    except TemplateSyntaxError as exc:
        where = exc.filename or template_source_name(env, exc.name or name)
        raise TemplateProblem(
            f"The report template {exc.name or name} ({where}) has an error on line "
            f"{exc.lineno}: {exc.message}. Fix the template or remove it to use the shipped one."
        ) from None
    except TemplateNotFound as exc:
        raise TemplateProblem(f"There is no report template called {exc.name}.") from None
    except _Stopped as exc:
        line, failing = _failing_line(exc, name)
        raise TemplateProblem(
            f"The report template {failing} ({template_source_name(env, failing)}) ran for more "
            f"than {seconds:g} seconds and was stopped on line {line}: it does too much "
            "work (loops over too much, or nested too deep). Fix the template or remove it to use "
            "the shipped one."
        ) from None
    except Exception as exc:  # noqa: BLE001 - whatever a running template raises is its fault
        line, failing = _failing_line(exc, name)
        if isinstance(exc, RecursionError):
            reason = "a macro or loop calls itself too many times"
        else:
            reason = " ".join(str(exc).split()) or type(exc).__name__
        raise TemplateProblem(
            f"The report template {failing} ({template_source_name(env, failing)}) failed on line "
            f"{line}: {reason}. Fix the template or remove it to use the shipped one."
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
