"""YAML read with the safe loader, keeping the node tree so errors can name the line."""

from __future__ import annotations

from typing import Any

import yaml

from claimcheck.errors import UserError


def parse_yaml(text: str, shown: str, error: type[UserError]) -> tuple[yaml.Node | None, Any]:
    """The data and its node tree; malformed YAML and duplicate keys raise `error`, naming
    `shown` and the line."""
    try:
        node, data = safe_load_with_nodes(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{shown}{where}: malformed YAML: {problem}") from None
    duplicate = duplicate_key(node)
    if duplicate is not None:
        raise error(f"{shown}:{duplicate[1]}: field '{duplicate[0]}': key written twice")
    return node, data


def safe_load_with_nodes(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once with the safe loader; keep the node tree for line numbers in errors."""
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def yaml_path(node: yaml.Node | None, loc: tuple[Any, ...]) -> list[Any]:
    """The error location as the user wrote it: without pydantic's discriminator tags."""
    path: list[Any] = []
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None and isinstance(part, str) and path:
                continue
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        path.append(part)
    return path


def duplicate_key(node: yaml.Node | None) -> tuple[str, int] | None:
    """The first mapping key written twice (YAML would silently keep the last)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[Any] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        return key.value, key.start_mark.line + 1
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to the deepest line known."""
    line = node.start_mark.line + 1 if node is not None and node.start_mark else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    node = value
                    line = key.start_mark.line + 1
                    break
            else:
                continue  # a discriminator tag pydantic adds ("quantity"): not in the YAML
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
