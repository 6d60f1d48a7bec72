"""The JSON Schema of rule files, generated from the pydantic models so they cannot drift.

A rule file is either a `RuleFile` (`rules:` and shared tables) or a single `Rule` (top-level
`id`), test cases included. Editors complete and check rule files with it, e.g. with the YAML
language server: `# yaml-language-server: $schema=<url or path of this schema>`.

Regenerate the committed copy with:
    python -m claimcheck.rules_schema > schemas/claimcheck-rules.schema.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import TypeAdapter

from claimcheck.rules import Rule, RuleFile

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://claimcheck.example/schemas/claimcheck-rules.schema.json"
TITLE = "claimcheck rule file"
DESCRIPTION = (
    "A YAML rule file: rules and shared tables (hedges, vague numbers, people), or a single "
    "rule with a top-level id. Test cases go under a rule's `tests`."
)


def rules_json_schema() -> dict[str, Any]:
    """What `load_rule_file` accepts: a rule file, or one rule on its own."""
    generated = TypeAdapter(RuleFile | Rule).json_schema(mode="validation")
    return {"$schema": DRAFT, "$id": SCHEMA_ID, "title": TITLE, "description": DESCRIPTION,
            **generated}  # fmt: skip


def render_schema() -> str:
    """Stable text for the committed file: fixed key order, `\\n` endings, trailing newline."""
    return json.dumps(rules_json_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    # Bytes, not text: the committed file must not depend on the platform's newline or locale.
    sys.stdout.buffer.write(render_schema().encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
