"""YAML with line numbers, so that every content error names its file and line.

Mappings load as `LineDict` and sequences as `LineList`; both carry `.line` (1-based) of where they start,
and `LineDict.key_lines` gives the line of each key. Duplicate keys are an error (a second node with the
same id would otherwise silently replace the first).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class DefinitionError(Exception):
    """A problem in a content file, named by file and line."""

    def __init__(self, source: str, line: int | None, message: str):
        self.source, self.line, self.message = source, line, message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


class LineDict(dict):
    line: int | None = None
    key_lines: dict[str, int]


class LineList(list):
    line: int | None = None


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise DefinitionError(loader.name, key_node.start_mark.line + 1, f"duplicate key {key!r}")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def yaml_load(text: str, source: str) -> Any:
    """Parse YAML text; syntax errors and duplicate keys raise DefinitionError with the line."""
    loader = _Loader(text)
    loader.name = source
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DefinitionError(source, mark.line + 1 if mark else None, f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()


def yaml_load_file(path: Path | str) -> Any:
    path = Path(path)
    return yaml_load(path.read_text(encoding="utf-8"), str(path))


def line_of(data: Any, key: str | None = None) -> int | None:
    """The line of `key` inside a LineDict, else of the mapping/list itself."""
    if isinstance(data, LineDict) and key is not None and key in data.key_lines:
        return data.key_lines[key]
    return getattr(data, "line", None)
