"""The JSON report: the `Report` model as data, valid JSON and valid UTF-8 for any input."""

from __future__ import annotations

import json
import math
import re
from typing import Any, BinaryIO

from pydantic_core import PydanticSerializationError

from claimcheck.models import Report

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """Text that encodes as UTF-8: surrogate pairs are joined, lone surrogates become U+FFFD.

    Article text decoded with `surrogateescape` (or sliced mid-pair) can carry lone
    surrogates; written as-is they make the whole file undecodable.
    """
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _clean(data: Any) -> Any:
    """Make dumped data JSON-safe: valid strings everywhere, and NaN/±inf as null.

    Null for non-finite floats is what pydantic's own `model_dump_json` does; `json.dumps`
    would otherwise write `NaN`/`Infinity`, which no strict JSON parser accepts.
    """
    if isinstance(data, str):
        return valid_unicode(data)
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {valid_unicode(str(key)): _clean(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_clean(item) for item in data]
    return data


_EMPTY_FINDINGS = b'\n  "findings": []'


def write(report: Report, handle: BinaryIO) -> None:
    """`render(report)` as UTF-8, written to `handle` one finding at a time, so the largest file
    of a big run is never held whole in memory.

    The report without its findings is serialised as usual, and the findings are set in its
    empty list as the serialiser would nest them: each indented four spaces deeper (a
    newline can only stand between JSON tokens, never inside a string). A value the
    serialiser refuses (a lone surrogate) sends the whole report down `render`'s path.
    """
    serializer = type(report).__pydantic_serializer__
    try:
        skeleton = serializer.to_json(report.model_copy(update={"findings": ()}), indent=2)
        if not report.findings:
            handle.write(skeleton + b"\n")
            return
        head, tail = _around_findings(skeleton)
        handle.write(head + b"[\n")
        for index, finding in enumerate(report.findings):
            piece = type(finding).__pydantic_serializer__.to_json(finding, indent=2)
            handle.write((b",\n    " if index else b"    ") + piece.replace(b"\n", b"\n    "))
        handle.write(b"\n  ]" + tail + b"\n")
    except PydanticSerializationError:
        handle.seek(0)
        handle.truncate()
        handle.write(render(report).encode("utf-8"))


def _around_findings(skeleton: bytes) -> tuple[bytes, bytes]:
    """The serialised report before and after its (empty) findings list."""
    at = skeleton.index(_EMPTY_FINDINGS) + len(_EMPTY_FINDINGS) - 2
    return skeleton[:at], skeleton[at + 2 :]


def render(report: Report) -> str:
    """Field order follows the model, so `schema_version` comes first and diffs stay stable.

    pydantic's own serialiser writes the same bytes as `json.dumps(indent=2)` four times
    faster; it refuses lone surrogates, and only then is the data cleaned in Python.
    """
    try:
        return report.model_dump_json(indent=2) + "\n"
    except PydanticSerializationError:
        pass
    data = _clean(report.model_dump(mode="json"))
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, allow_nan=False) + "\n"
