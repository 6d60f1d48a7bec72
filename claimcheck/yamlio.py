"""YAML read with the safe loader, keeping the node tree so errors can name the line."""

from __future__ import annotations

from typing import Any

import yaml

from claimcheck.errors import UserError


def parse_yaml(text: str, shown: str, error: type[UserError]) -> tuple[yaml.Node | None, Any]:
    """The data and its node tree; malformed YAML and duplicate keys raise `error`, naming
    `shown` and the line."""
    try:
        node = compose(text)
    except RecursionError:
        raise error(f"{shown}: malformed YAML: nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{shown}{where}: malformed YAML: {problem}") from None
    too_deep = deeper_than(node, MAX_NESTING)
    if too_deep is not None:
        raise error(f"{shown}:{too_deep}: malformed YAML: nested more than {MAX_NESTING} deep")
    try:
        expanded = expanded_size(node)
    except RecursionError:  # aliases nesting values deeper than the check above saw
        raise error(f"{shown}: malformed YAML: nested too deeply (aliases?)") from None
    if expanded is None:
        raise error(f"{shown}: malformed YAML: an alias refers to itself")
    if expanded > MAX_EXPANDED_NODES:
        raise error(f"{shown}: YAML expands to more than {MAX_EXPANDED_NODES} values (aliases?)")
    try:
        data = construct(node)
    except RecursionError:
        raise error(f"{shown}: malformed YAML: nested too deeply (aliases?)") from None
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise error(f"{shown}{where}: malformed YAML value: {reason}") from None
    duplicate = duplicate_key(node)
    if duplicate is not None:
        raise error(f"{shown}:{duplicate[1]}: field '{duplicate[0]}': key written twice")
    return node, data


MAX_EXPANDED_NODES = 100_000  # a rule or config file is small; an alias bomb is not
MAX_NESTING = 50  # a rule is six levels deep; the checks below recurse, Python's limit is 1000
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str) -> yaml.Node | None:
    """The node tree, with the safe loader: for line numbers, and checked before building."""
    loader = _LOADER(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


class _MarkingLoader(yaml.SafeLoader):
    """The safe loader, noting which value failed to build (`2022-02-30`, `!!int x`) so the
    error can name its line: PyYAML's constructors raise plain ValueErrors without one."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
            if getattr(exc, "problem_mark", None) is None:
                setattr(exc, "problem_mark", node.start_mark)  # noqa: B010 - the innermost value
            raise


def construct(node: yaml.Node | None) -> Any:
    """Python values from a checked node tree, with the safe loader's constructors only."""
    if node is None:
        return None
    loader = _MarkingLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def safe_load_with_nodes(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once with the safe loader; keep the node tree for line numbers in errors."""
    node = compose(text)
    return node, construct(node)


def deeper_than(node: yaml.Node | None, limit: int) -> int | None:
    """The line of the first value nested more than `limit` deep, else None (iterative, so
    it is safe on any depth; aliases are followed once)."""
    stack: list[tuple[yaml.Node, int]] = [(node, 0)] if node is not None else []
    visited: set[int] = set()
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            return int(current.start_mark.line) + 1
        if id(current) in visited:
            continue
        visited.add(id(current))
        if isinstance(current, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in current.value for part in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
    return None


def expanded_size(node: yaml.Node | None) -> int | None:
    """How many values the document holds once aliases are expanded; None if one contains
    itself. Memoised per node, so a billion-laughs file costs its size, not its expansion."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(current: yaml.Node) -> int | None:
        key = id(current)
        if key in sizes:
            return sizes[key]
        if key in active:
            return None
        active.add(key)
        children: list[yaml.Node] = []
        if isinstance(current, yaml.MappingNode):
            children = [part for pair in current.value for part in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        total = 1
        for child in children:
            child_size = size(child)
            if child_size is None:
                return None
            total = min(total + child_size, MAX_EXPANDED_NODES + 1)
        active.discard(key)
        sizes[key] = total
        return total

    return 0 if node is None else size(node)


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
    visited: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in visited:
            continue  # an alias: already checked where it was defined
        visited.add(id(current))
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
