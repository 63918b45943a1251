"""The code stays typed and its widgets keep to themselves: few `type: ignore`s, each with its
reason; no widget reaching into its screen or app through getattr; no attribute set on a widget
after it is made (a subclass declares it)."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODE = ("reviewer_tui", "screens", "tests", "benchmarks", "tools")
IGNORE = re.compile(r"#\s*type:\s*ignore(\[[^\]]*\])?(.*)")


def _python_files() -> list[Path]:
    return sorted(
        p for folder in CODE for p in (REPO / folder).rglob("*.py") if "__pycache__" not in p.parts
    )


def _ignores() -> list[tuple[str, str]]:
    """(file:line, the text after the ignore) for every `type: ignore` comment."""
    found = []
    for path in _python_files():
        source = path.read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT and (match := IGNORE.search(token.string)):
                found.append((f"{path.relative_to(REPO)}:{token.start[0]}", match.group(2)))
    return found


def test_fewer_than_20_type_ignores_each_with_its_reason() -> None:
    ignores = _ignores()
    assert len(ignores) < 20, "\n".join(place for place, _ in ignores)
    unexplained = [place for place, reason in ignores if not reason.strip(" #")]
    comment_above = {place for place in unexplained if _line(place, -1).lstrip().startswith("#")}
    assert [p for p in unexplained if p not in comment_above] == []


def _line(place: str, offset: int) -> str:
    name, number = place.rsplit(":", 1)
    return (REPO / name).read_text(encoding="utf-8").splitlines()[int(number) - 1 + offset]


def _screen_trees() -> list[tuple[Path, ast.Module]]:
    return [
        (p, ast.parse(p.read_text(encoding="utf-8")))
        for p in sorted((REPO / "screens").glob("*.py"))
    ]


def test_no_widget_reaches_into_its_screen_or_app_through_getattr() -> None:
    """Widgets post messages (base.Stored) and use the typed app; getattr on self.screen or
    self.app hides a call the type checker cannot see."""
    found = []
    for path, tree in _screen_trees():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "hasattr", "setattr")
                and node.args
                and ast.unparse(node.args[0])
                in ("self.screen", "self.app", "widget.app", "self.parent", "widget.screen")
            ):
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def _textual_widgets() -> dict[str, set[str]]:
    """Textual's widget classes by name, each with the attributes it has (display, value,
    border_title...): setting those is using the widget, not adding to it."""
    import textual.containers
    import textual.widgets
    from textual.widget import Widget

    found: dict[str, set[str]] = {"Widget": set(dir(Widget))}
    for module in (textual.widgets, textual.containers):
        for name in getattr(module, "__all__", dir(module)):
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, Widget):
                found[name] = set(dir(value))
    return found


def test_no_attribute_is_set_on_a_widget_from_outside() -> None:
    """`box = Vertical(...); box.row_id = ...`, or `self.screen.cache = ...`: invisible to the
    type checker and to anyone reading the class. A subclass (forms.RecordBox) declares what it
    carries; a screen's state is set by the screen."""
    from textual.screen import Screen

    widgets = _textual_widgets()
    screen_attributes = set(dir(Screen))
    found = []
    for path, tree in _screen_trees():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            made: dict[str, str] = {}  # local name -> the Textual class it was made from
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Call)
                    and isinstance(node.value.func, ast.Name)
                    and node.value.func.id in widgets
                ):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            made[target.id] = node.value.func.id
            for node in ast.walk(function):
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else ([node.target] if isinstance(node, ast.AnnAssign | ast.AugAssign) else [])
                )
                for target in targets:
                    if not isinstance(target, ast.Attribute):
                        continue
                    owner = ast.unparse(target.value)
                    if (owner in made and target.attr not in widgets[made[owner]]) or (
                        owner in ("self.screen", "self.app")
                        and target.attr not in screen_attributes
                    ):
                        found.append(f"{path.name}:{node.lineno}: {ast.unparse(target)}")
    assert found == []
