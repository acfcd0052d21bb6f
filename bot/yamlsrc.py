"""YAML loading that remembers line numbers, so content errors can say file:line.

Content is edited by people who don't read stack traces: every problem becomes a
``ContentError`` with the file, the line and a sentence that says how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class ContentError:
    """One problem in a content file."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        label = "varning" if self.severity == "warning" else "fel"
        return f"{self.path}:{self.line}: {label}: {self.message}"


class ContentInvalid(Exception):
    """Raised when content has errors; carries all of them, not just the first."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class LineDict(dict):
    """A mapping that knows where it and each of its keys started (1-based lines)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that knows its own line and each item's line."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "en nyckel måste vara text", key_node.start_mark
            )
        if isinstance(key, str) and key in result:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"nyckeln '{key}' står två gånger i samma block; ta bort eller byt namn på den ena",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    # Dates stay strings; the validators parse them and can then point at the line.
    return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def display_path(path: Path) -> str:
    """A path relative to the working directory when possible, for short messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file into LineDict/LineList; syntax errors become ContentInvalid."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentInvalid([ContentError(shown, 1, f"filen är inte UTF-8 ({exc.reason}); spara den som UTF-8")]) from None
    except OSError as exc:
        raise ContentInvalid([ContentError(shown, 1, f"kan inte läsa filen: {exc.strerror}")]) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or exc.context or "okänt fel"
        raise ContentInvalid(
            [ContentError(shown, line, f"YAML-syntaxfel: {problem}. Kontrollera indrag, kolon och citattecken på raden")]
        ) from None
    except yaml.YAMLError as exc:
        raise ContentInvalid([ContentError(shown, 1, f"YAML-fel: {exc}")]) from None
