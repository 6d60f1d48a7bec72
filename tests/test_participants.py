"""Who holds a role: finding people named with a role, resolving their names, comparing them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claimcheck.align import align
from claimcheck.compare import compare_facts
from claimcheck.extract import compile_rules, extract_source
from claimcheck.extract.participant import participant_finder
from claimcheck.models import Finding, Person, RawClaim, Source, Status
from claimcheck.normalize import Tables, normalize_source
from claimcheck.normalize.names import PeopleIndex, same_person, skeleton
from claimcheck.rules import PersonAlias, load_rules
from claimcheck.text import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPORA = ROOT.parent / "shared" / "corpora"
RULES = load_rules()


def found(text: str) -> list[RawClaim]:
    finder = participant_finder(RULES.rule("participant"), RULES)
    return list(finder.find(Document(Source(id="t.txt", path="t.txt", text=text))))


def subjects(text: str) -> dict[str, str]:
    return {c.subject: c.parts["name"] for c in found(text)}


def findings(texts: dict[str, str]) -> list[Finding]:
    sources = [Source(id=name, path=name, text=text) for name, text in texts.items()]
    compiled, tables = compile_rules(RULES), Tables(RULES)
    claims = [c for s in sources for c in normalize_source(s, extract_source(s, compiled), tables)]
    return [f for f in compare_facts(align(claims), RULES) if f.kind == "participant"]


# --------------------------------------------------------------------------- finding


@pytest.mark.parametrize(
    ("text", "subject", "name"),
    [
        (
            "On Monday Wendy Sherman, America’s deputy secretary of state, met him.",
            "deputy_secretary_of_state:us",
            "Wendy Sherman",
        ),
        (
            "Talks with Wendy Sherman, deputy US secretary of state, went on.",
            "deputy_secretary_of_state:us",
            "Wendy Sherman",
        ),
        ("Then Kremlin spokesman Dmitry Peskov said so.", "presidential_spokesperson:russia", ""),
        (
            "Earlier, the press secretary of the President of the Russian Federation, Dmitry "
            "Peskov, said so.",
            "presidential_spokesperson:russia",
            "Dmitry Peskov",
        ),
        ("It was brokered by Belarusian President Alexander Lukashenko.", "president:belarus", ""),
        ("He met Russia’s Foreign Minister Sergey Lavrov today.", "foreign_minister:russia", ""),
        ("They saw president Xi Jinping of China in Bali.", "president:china", "Xi Jinping"),
        ("Talks with Joe Biden, the United States president, ended.", "president:us", ""),
    ],
)
def test_role_and_affiliation_make_the_subject(text: str, subject: str, name: str) -> None:
    got = subjects(text)
    assert subject in got, got
    if name:
        assert got[subject] == name


def test_a_role_several_people_hold_puts_the_person_in_the_subject() -> None:
    claims = found("We met Russian Deputy Foreign Minister Sergei Ryabkov in Geneva.")
    assert [c.subject for c in claims] == ["deputy_foreign_minister:russia/sergei-ryabkov"]
    assert claims[0].parts == {
        "name": "Sergei Ryabkov",
        "mention": "Sergei Ryabkov",
        "role": "deputy_foreign_minister",
        "role_label": "deputy foreign minister",
        "affiliation": "russia",
        "affiliation_text": "Russian",
        "person_key": "sergei-ryabkov",
    }
    assert claims[0].span.quote == "Russian Deputy Foreign Minister Sergei Ryabkov"


def test_delegation_heads_from_lead_words() -> None:
    got = subjects(
        "In Geneva, the U.S. delegation will be led by Deputy Secretary of State Wendy "
        "Sherman, a seasoned diplomat. The Russian delegation, led by Deputy Foreign Minister "
        "Sergei Ryabkov, arrived on Sunday. Michael Carpenter headed the US delegation."
    )
    assert got["delegation_head:us/sherman"] == "Wendy Sherman"
    assert got["delegation_head:us/carpenter"] == "Michael Carpenter"
    assert got["delegation_head:russia/sergei-ryabkov"] == "Sergei Ryabkov"
    # The title after "led by" takes the delegation's country.
    assert got["deputy_secretary_of_state:us"] == "Wendy Sherman"


def test_an_initialism_before_the_delegation_is_whose_delegation_not_what_is_headed() -> None:
    # 'head of the U.S. delegation' heads the delegation, not the United States.
    got = subjects("The talks were led by John Smith, head of the U.S. delegation, on Monday.")
    assert got == {"delegation_head:us/smith": "John Smith"}


@pytest.mark.parametrize(
    "text",
    [
        "President Biden said the talks were useful.",  # whose president?
        "He served under former U.S. President Barack Obama for years.",
        "They want to oust Russian military chief Valery Gerasimov now.",
        "Alexander Grushko, the head of the country’s delegation to Brussels, spoke.",
        "Wendy Sherman, the chief negotiator of the deal, spoke.",
        "The self-proclaimed president of Belarus was absent.",
    ],
)
def test_no_claim_when_the_role_is_not_plainly_held_now(text: str) -> None:
    assert found(text) == []


def test_a_bare_surname_takes_the_full_name_from_the_article() -> None:
    got = subjects("Yevgeny Prigozhin spoke. Later Wagner leader Prigozhin left.")
    assert got["leader:wagner/prigojin"] == "Yevgeny Prigozhin"


# --------------------------------------------------------------------------- names


def test_people_index_resolves_aliases_surnames_and_close_spellings() -> None:
    index = PeopleIndex(
        [
            PersonAlias(id="sergei-ryabkov", name="Sergei Ryabkov", aliases=["Sergey Ryabkov"]),
            PersonAlias(id="alexander-lukashenko", name="Alexander Lukashenko"),
        ]
    )
    assert index.resolve("Sergey Ryabkov") == ("sergei-ryabkov", "Sergei Ryabkov")
    assert index.resolve("Mr Ryabkov") == ("sergei-ryabkov", "Sergei Ryabkov")
    assert index.resolve("Alyaksandar Lukashenka")[0] == "alexander-lukashenko"
    assert index.resolve("Oleksandr Lukashenko")[0] == "alexander-lukashenko"
    assert index.resolve("Wendy Sherman") == ("wendy-sherman", "Wendy Sherman")


def test_unknown_names_get_ids_from_the_name_alone() -> None:
    index = PeopleIndex()
    assert index.resolve("Sergey Ryabkov")[0] == "sergei-ryabkov"
    assert index.resolve("Sergei Ryabkov")[0] == "sergei-ryabkov"
    # Fact keys ignore transliteration: every source computes them alone.
    assert index.key("Mr Ryabkov") == index.key("Sergey Ryabkov") == skeleton("Ryabkov")
    assert index.key("Alyaksandar Lukashenka") == index.key("Alexander Lukashenko")
    assert index.key("Alsu Kurmashev") == index.key("Alsu Kurmasheva")
    assert same_person("Alyaksandar Lukashenka", "Alexander Lukashenko")
    assert same_person("Dmitri Peskov", "Dmitry Peskov")
    assert not same_person("Joe Biden", "Hunter Biden")
    assert same_person("Kishida Fumio", "Fumio Kishida")
    assert not same_person("Kishida Fumio", "Fumio Tanaka")
    assert not same_person("Sergei Lavrov", "Sergei Ryabkov")
    # a first name's short forms: its start ('Ed'), or its end of four letters or more
    assert same_person("Ed Burkhardt", "Edward Burkhardt")
    assert same_person("Gene Kranz", "Eugene F. Kranz")
    assert not same_person("Jim Lovell", "John Lovell")


def test_learned_names_resolve_the_same_whatever_the_order() -> None:
    names = ["Sergey Ryabkov", "Sergei Ryabkov", "Wendy Sherman"]
    results = []
    for order in (names, names[::-1]):
        index = PeopleIndex()
        for name in order:
            index.learn(name)
        results.append((index.resolve("Ryabkov"), index.resolve("Sergey Ryabkov")))
    assert results[0] == results[1]
    assert results[0][0][0] == "sergei-ryabkov"


def test_a_generational_suffix_is_not_the_family_name() -> None:
    index = PeopleIndex()
    index.learn("Ferdinand Marcos Jr")
    assert index.key("Marcos") == index.key("Ferdinand Marcos Jr.") == skeleton("Marcos")
    assert index.resolve("Marcos") == ("ferdinand-marcos", "Ferdinand Marcos")
    assert same_person("Joseph R. Biden Jr.", "Joe Biden")


def test_a_family_name_first_is_learned_from_the_short_form() -> None:
    index = PeopleIndex()
    index.learn("Xi Jinping")
    index.learn_short_form("Xi")
    assert index.key("Xi Jinping") == index.key("Xi") == skeleton("Xi")


# --------------------------------------------------------------------------- normalise, compare


def test_normalised_person_and_display() -> None:
    source = Source(
        id="a.txt", path="a.txt", text="Sergey Ryabkov, Russian’s deputy foreign minister, said."
    )
    compiled, tables = compile_rules(RULES), Tables(RULES)
    claims = [c for c in normalize_source(source, extract_source(source, compiled), tables)]
    people = [c for c in claims if c.kind == "participant"]
    assert len(people) == 1
    assert people[0].value == Person(
        person="sergei-ryabkov",
        name="Sergei Ryabkov",
        role="deputy_foreign_minister",
        affiliation="russia",
    )
    assert people[0].display == "Sergei Ryabkov (Russian deputy foreign minister)"


def test_different_people_in_one_role_conflict() -> None:
    result = findings(
        {
            "001_a.txt": "Russia’s Foreign Minister Sergey Lavrov spoke.",
            "004_b.txt": "Russia’s Foreign Minister Sergei Ryabkov spoke.",
        }
    )
    assert [f.status for f in result] == [Status.CONFLICT]
    assert result[0].severity.value == "error"
    assert "004 names Sergei Ryabkov" in result[0].message
    assert "001 names Sergei Lavrov" in result[0].message
    assert {c.group for c in result[0].claims} == {1, 2}


def test_spellings_of_one_person_agree() -> None:
    result = findings(
        {
            "01.txt": "It ended in a deal brokered by Belarusian President Alexander Lukashenko.",
            "02.txt": "Alyaksandar Lukashenka, the Belarusian president, said he had talked.",
        }
    )
    assert [f.status for f in result] == [Status.AGREE]


def test_one_source_naming_two_holders_is_no_conflict() -> None:
    result = findings(
        {
            "01.txt": "Chinese leader Xi Jinping met him. Chinese leader Hu Jintao did too.",
            "02.txt": "Chinese leader Xi Jinping spoke.",
            "03.txt": "Chinese leader Hu Jintao spoke.",
        }
    )
    assert [f.status for f in result] == [Status.AGREE]


# --------------------------------------------------------------------------- real articles


def test_seed_geneva_delegations_and_roles() -> None:
    text = next(SEEDS.glob("002_*.txt")).read_text("utf-8")
    got = subjects(text)
    assert got["delegation_head:us/sherman"] == "Wendy Sherman"
    assert got["delegation_head:russia/sergei-ryabkov"] == "Sergei Ryabkov"
    assert got["deputy_secretary_of_state:us"] == "Wendy Sherman"
    assert got["deputy_foreign_minister:russia/sergei-ryabkov"] == "Sergei Ryabkov"


def test_seeds_raise_no_participant_conflict() -> None:
    texts = {p.name: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    result = findings(texts)
    assert not [f for f in result if f.status is Status.CONFLICT]
    ryabkov = [f for f in result if f.subject == "deputy_foreign_minister:russia/sergei-ryabkov"]
    assert ryabkov and ryabkov[0].status is Status.AGREE
    assert len(ryabkov[0].sources) == 5


@pytest.mark.skipif(not CORPORA.is_dir(), reason="shared corpora not checked out")
@pytest.mark.parametrize(
    "story", ["wagner-mutiny-2023", "biden-xi-bali-2022", "ankara-prisoner-swap-2024"]
)
def test_corpora_participant_agreements_are_not_conflicts(story: str) -> None:
    folder = CORPORA / story
    texts = {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))}
    result = findings(texts)
    assert not [f for f in result if f.status is Status.CONFLICT]
    expected = yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))
    if story == "wagner-mutiny-2023":
        agreed = {f.subject: f for f in result if f.status is Status.AGREE}
        assert len(agreed["presidential_spokesperson:russia"].sources) == 4  # 03, 06, 08, 09
        assert len(agreed["president:belarus"].sources) >= 4
    assert [a for a in expected["agreements"] if a["kind"] == "participant"]
