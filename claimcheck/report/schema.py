"""The JSON Schema of `claimcheck.json`, generated from the `Report` model so they cannot drift.

Regenerate the committed copy with:
    python -m claimcheck.report.schema > schemas/claimcheck-report.schema.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

from claimcheck.models import SCHEMA_VERSION, Report

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"https://claimcheck.example/schemas/{SCHEMA_VERSION}/claimcheck-report.schema.json"
TITLE = "claimcheck report"


def report_json_schema() -> dict[str, Any]:
    """The schema of what the JSON formatter writes (serialization mode, not input mode)."""
    generated = Report.model_json_schema(mode="serialization")
    generated.pop("title", None)
    return {"$schema": DRAFT, "$id": SCHEMA_ID, "title": TITLE, **generated}


def render_schema() -> str:
    """Stable text for the committed file: fixed key order, `\\n` endings, trailing newline."""
    return json.dumps(report_json_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    # Bytes, not text: the committed file must not depend on the platform's newline or locale.
    sys.stdout.buffer.write(render_schema().encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
