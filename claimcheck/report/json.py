"""The JSON report: the `Report` model as data, valid JSON and valid UTF-8 for any input."""

from __future__ import annotations

import json
import math
import re
from typing import Any

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


def render_bytes(report: Report) -> bytes:
    """`render` encoded as UTF-8, straight from pydantic's serialiser: a big report's JSON is
    the largest file written, and this skips decoding it to a string and encoding it back."""
    try:
        return type(report).__pydantic_serializer__.to_json(report, indent=2) + b"\n"
    except PydanticSerializationError:
        return render(report).encode("utf-8")


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
