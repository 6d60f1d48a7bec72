"""What each person is said to be: the role phrases of a participant rule, read by person.

The participant rule's fact is a role and whose it is ('the Miami-Dade County mayor'), with
the person as its value. Sources that give one person different offices ('Miami Mayor
Daniella Levine Cava', 'Miami-Dade County Mayor Daniella Levine Cava') state different
facts there and never meet; here the person is the fact and the office the value. The
phrases are found once per document, for both rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from claimcheck.errors import RuleError
from claimcheck.extract import Finder, register
from claimcheck.extract.participant import ParticipantFinder, participant_finder
from claimcheck.models import RawClaim
from claimcheck.rules import OfficeExtractor, ParticipantExtractor, Rule, RuleSet
from claimcheck.text import Document


@dataclass(frozen=True)
class OfficeFinder:
    rule: Rule
    holders: ParticipantFinder

    def find(self, doc: Document) -> Iterator[RawClaim]:
        for raw in self.holders.holders(doc):
            yield raw.model_copy(
                update={
                    "kind": self.rule.kind,
                    "rule": self.rule.id,
                    "subject": raw.parts["person_key"],
                    "subject_label": raw.parts["name"],
                }
            )


@register("office")
def office_finder(rule: Rule, ruleset: RuleSet) -> Finder:
    config = rule.extract
    assert isinstance(config, OfficeExtractor)
    source = next((r for r in ruleset.rules if r.id == config.roles_from), None)
    if source is None or not isinstance(source.extract, ParticipantExtractor):
        from claimcheck.pipeline import display_path  # (the pipeline imports the finders)

        file = ruleset.rule_files.get(rule.id)
        where = display_path(Path(file)) if file else rule.id
        if source is None:
            raise RuleError(
                f"{where}: extract.roles_from: rule '{rule.id}' reads the roles of rule "
                f"'{config.roles_from}', which is not loaded (switch both off, or neither)"
            )
        raise RuleError(
            f"{where}: extract.roles_from: rule '{config.roles_from}' is not a participant rule"
        )
    holders = participant_finder(source, ruleset)
    assert isinstance(holders, ParticipantFinder)
    return OfficeFinder(rule, holders)
