"""Offices: which two offices one person can hold, as sources write their owners."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.compare.people import DIFFERENT, SAME, UNRELATED, office_fits, owners_relation
from claimcheck.models import Office

GENERIC = frozenset({"leader", "spokesperson"})
ANY = frozenset({"delegation_head"})


def office(role: str, owner: str, written: str | None = None) -> Office:
    return Office(person="p", name="P", role=role, owner=owner, owner_written=written)


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        (("miami_dade_county", "Miami-Dade County"), ("county", "county"), SAME),
        (("miami_dade_fire_rescue", "Miami-Dade Fire Rescue"), ("fire", "Fire"), SAME),
        (("bolivian", "Bolivian"), ("bolivia", "Bolivia"), SAME),
        (("miami", "Miami"), ("miami_dade_county", "Miami-Dade County"), DIFFERENT),
        (("rail_world_inc", "Rail World Inc"), ("mma", "MMA"), UNRELATED),
        (("russia", None), ("kherson", "Kherson"), UNRELATED),
        (("russia", None), ("us", None), DIFFERENT),
        (("russia", None), ("russia", None), SAME),
    ],
)
def test_owners_relation(
    a: tuple[str, str | None], b: tuple[str, str | None], relation: str
) -> None:
    first, second = office("mayor", *a), office("mayor", *b)
    assert owners_relation(first, second) == relation
    assert owners_relation(second, first) == relation


def test_a_different_role_of_one_owner_does_not_fit() -> None:
    mayor = office("mayor", "kherson", "Kherson")
    governor = office("governor", "kherson", "Kherson")
    assert not office_fits(GENERIC, ANY, mayor, governor)


def test_a_generic_role_fits_any_role_of_its_owner() -> None:
    president = office("president", "russia")
    assert office_fits(GENERIC, ANY, office("leader", "russia"), president)
    assert not office_fits(GENERIC, ANY, office("leader", "us"), president)


def test_a_role_in_the_event_fits_any_office() -> None:
    minister = office("deputy_foreign_minister", "russia")
    assert office_fits(GENERIC, ANY, office("delegation_head", "us"), minister)


def test_the_same_role_of_two_owners_of_a_kind_does_not_fit() -> None:
    town = office("mayor", "miami", "Miami")
    county = office("mayor", "miami_dade_county", "Miami-Dade County")
    assert not office_fits(GENERIC, ANY, town, county)
    # different roles of two countries may both be held ('a Russian minister, a Belarusian envoy')
    assert office_fits(GENERIC, ANY, office("minister", "russia"), office("envoy", "belarus"))


def test_switching_off_the_rule_offices_read_from_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from claimcheck.cli import main

    article = tmp_path / "a.txt"
    article.write_text("Miami-Dade County Mayor Daniella Levine Cava said the search would go on.")
    out = tmp_path / "out"
    assert main([str(tmp_path), "--disable", "participant", "--out", str(out), "-q"]) == 2
    error = capsys.readouterr().err
    assert "office.yaml" in error and "'participant'" in error
    assert len(error.strip().splitlines()) == 1
    assert not out.exists()
    both = ["--disable", "participant", "--disable", "office"]
    assert main([str(tmp_path), *both, "--out", str(out), "-q"]) == 0
