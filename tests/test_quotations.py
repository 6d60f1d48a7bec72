"""Quotations: finding them and their speakers, folding their text, pairing them across sources."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claimcheck.align import align
from claimcheck.compare import compare_facts
from claimcheck.compare.quotations import compare_texts, words
from claimcheck.extract import compile_rules, extract_source
from claimcheck.extract.quotation import find_quotes, quotation_finder
from claimcheck.models import Finding, RawClaim, Severity, Source, Status
from claimcheck.normalize import Tables, normalize_source
from claimcheck.normalize.quotations import normalize_quotation
from claimcheck.rules import load_rules
from claimcheck.text import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPORA = ROOT.parent / "shared" / "corpora"
RULES = load_rules()


def found(text: str) -> list[RawClaim]:
    finder = quotation_finder(RULES.rule("quote"), RULES)
    return list(finder.find(Document(Source(id="t.txt", path="t.txt", text=text))))


def speakers(text: str) -> list[tuple[str, str]]:
    return [(c.parts["speaker"], c.span.quote) for c in found(text)]


def findings(texts: dict[str, str]) -> list[Finding]:
    sources = [Source(id=name, path=name, text=text) for name, text in texts.items()]
    compiled, tables = compile_rules(RULES), Tables(RULES)
    claims = [c for s in sources for c in normalize_source(s, extract_source(s, compiled), tables)]
    return [f for f in compare_facts(align(claims), RULES) if f.kind == "quote"]


def story(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))}


# --------------------------------------------------------------------------- quotation marks


def test_marks_of_every_kind_and_broken_ones_do_not_crash() -> None:
    text = (
        'He said: “"e do not want the country to live on in corruption.” Then "plain '
        "straight quote here,” and ‘single curly quote words here’ and “never closed\n"
        "Next paragraph “opens” again."
    )
    inside = [text[q.start : q.end] for q in find_quotes(text)]
    assert '"e do not want the country to live on in corruption.' in inside
    assert "plain straight quote here," in inside
    assert "single curly quote words here" in inside
    assert "never closed" in inside  # cut off by the paragraph end
    assert "opens" in inside


def test_a_quotation_may_run_over_a_paragraph_break() -> None:
    text = 'Quote: "Thank you all.\n\nCourage saved Russia from tragic consequences."\n'
    (quote,) = find_quotes(text)
    assert text[quote.start : quote.end].endswith("tragic consequences.")


def test_straight_single_marks_open_after_a_space_and_close_after_a_word() -> None:
    """British style: 'We will rebuild,' Green said. Apostrophes inside ("It's", "Maui's")
    and a plural possessive ("the miners' families") do not close it; nor does the next line."""
    text = (
        "'It's going to be a long road, but the miners' families will rebuild,' Green said. "
        "Maui's 'aloha spirit' lives.\n'Never closed on this line\nnext line'"
    )
    inside = [text[q.start : q.end] for q in find_quotes(text)]
    assert inside[0] == "It's going to be a long road, but the miners' families will rebuild,"
    assert "aloha spirit" in inside
    assert not any("Never closed" in quote for quote in inside)
    described = "'We had no warning at all, none,' said Lahaina resident Tiare Kalama, 41."
    assert speakers(described) == [("Tiare Kalama", "We had no warning at all, none,")]


def test_a_label_other_than_quote_names_no_speaker() -> None:
    text = "Kim Jong Un arrived by train.\nRelated: 'Sometimes you have to walk away from it'"
    assert found(text) == []


# --------------------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    ("text", "speaker", "quote"),
    [
        (
            "“It is only Ukraine and 30 allies that can decide,” said Jens Stoltenberg, the chief.",
            "Jens Stoltenberg",
            "It is only Ukraine and 30 allies that can decide,",
        ),
        (
            "Maria Zakharova spoke. “They are trying different ways to break us,” Zakharova "
            "told TV.",
            "Maria Zakharova",
            "They are trying different ways to break us,",
        ),
        (
            "Reporters met Joe Biden. Biden told reporters: “I do not think there’s any attempt.",
            "Joe Biden",
            "I do not think there’s any attempt.",
        ),
        (
            "Sergei Ryabkov, Russia’s deputy foreign minister, said that it would be “a waste of "
            "everyone’s time and effort” for now.",
            "Sergei Ryabkov",
            "a waste of everyone’s time and effort",
        ),
        (
            "Yet Mr Ryabkov was keen. “For us, it’s absolutely mandatory to be clear,” he said.",
            "Ryabkov",  # the article gives no first name; the normaliser resolves it
            "For us, it’s absolutely mandatory to be clear,",
        ),
        (
            '"The debris is consistent with the loss of the chamber," Rear Adm John Mauger, '
            "commander of the First Coast Guard District, said at the time.",
            "John Mauger",
            "The debris is consistent with the loss of the chamber,",
        ),
        (
            "Rear Admiral John Mauger of the US Coast Guard told the news conference: "
            '"The debris is consistent with the loss of the chamber."',
            "John Mauger",
            "The debris is consistent with the loss of the chamber.",
        ),
        (
            '"Based on the length of time we have been searching," said Rear Adm. Shannon '
            "Gilreath, the commander.",
            "Shannon Gilreath",
            "Based on the length of time we have been searching,",
        ),
        (
            "Yevgeny Prigozhin: “Despite the fact that we did not demonstrate any aggression.”",
            "Yevgeny Prigozhin",
            "Despite the fact that we did not demonstrate any aggression.",
        ),
    ],
)
def test_speakers_next_to_speech_verbs(text: str, speaker: str, quote: str) -> None:
    assert speakers(text) == [(speaker, quote)]


def test_split_sentence_is_two_quotations_of_one_speaker() -> None:
    """One claim per pair of quotation marks (the gold guideline), both the first part's
    speaker's; the comparator pairs a fragment with the longer quotation it was cut from."""
    text = (
        "Mr Ryabkov poured cold water on it.\n“I do not see reasons to sit down in the coming "
        "days,” he told Russian TV, “to gather again and start the same discussions.”"
    )
    first, second = found(text)
    assert first.parts["text"] == "I do not see reasons to sit down in the coming days,"
    assert second.parts["text"] == "to gather again and start the same discussions."
    for claim in (first, second):
        assert claim.parts["speaker"] == "Ryabkov"
        assert claim.subject == "sergei-ryabkov"


def test_a_split_part_below_the_minimum_is_no_claim() -> None:
    text = "Mr Ryabkov was blunt. “No,” he said, “we will not sit down with them again.”"
    (claim,) = found(text)
    assert claim.parts["text"] == "we will not sit down with them again."
    assert claim.parts["speaker"] == "Ryabkov"


def test_no_claim_without_a_named_speaker_or_with_few_words() -> None:
    assert found("“It first and foremost handed a win to him,” one EU diplomat said.") == []
    assert found("“The United States will discuss issues,” the State Department said.") == []
    assert found("Ms Sherman said the talks were “very professional” and “deep”.") == []
    assert (
        found("Ryabkov spoke on “Principles and Objectives for Future Arms Control” today.") == []
    )


def test_the_president_is_the_one_the_article_calls_president() -> None:
    text = (
        "Russian President Vladimir Putin spoke on Monday.\n"
        '"Time was needed to give those who had made a mistake a chance," the Russian president '
        "added."
    )
    assert speakers(text)[0][0] == "Vladimir Putin"


def test_the_pm_is_the_one_the_article_calls_prime_minister_or_pm() -> None:
    for title in ("PM Narendra Modi", "Prime Minister Narendra Modi"):
        text = (
            f"{title} visited the site.\n"
            '"Whoever is found guilty will be punished stringently," the PM told reporters.'
        )
        assert speakers(text)[0][0] == "Narendra Modi"


def test_unmarked_inverted_attribution() -> None:
    text = "The world has come to a crossroads and we must chart the right path, said Xi, later."
    (claim,) = found(text)
    assert claim.subject == "xi-jinping"
    assert claim.span.quote == "The world has come to a crossroads and we must chart the right path"


# --------------------------------------------------------------------------- text


def test_normalised_text_folds_marks_case_and_edges() -> None:
    assert normalize_quotation("  I’m committed — “really”,  ") == "i'm committed - \"really"
    assert normalize_quotation("I'm committed - \"really") == "i'm committed - \"really"
    assert words("I don’t see [for Russia] any, grounds…") == (
        "i",
        "do",
        "not",
        "see",
        "any",
        "grounds",
    )


def test_pairing_and_differences() -> None:
    an = normalize_quotation("I do not think there’s an imminent attempt on the part of China")
    anyq = normalize_quotation("I do not think there's any imminent attempt on the part of China.")
    found_ = compare_texts(an, anyq, 50)
    assert found_.paired
    assert [(d.left, d.right, d.minor) for d in found_.differences] == [("an", "any", False)]
    fragment = compare_texts(
        normalize_quotation("the world has come to a crossroads."),
        normalize_quotation("The world has come to a crossroads [and] we must chart the path"),
        50,
    )
    assert fragment.paired and not fragment.differences
    other = compare_texts(
        normalize_quotation("We are going to listen to Russia's concerns"),
        normalize_quotation("One is through diplomacy and dialogue, the other deterrence"),
        50,
    )
    assert not other.paired


# --------------------------------------------------------------------------- comparing


def test_same_words_agree_and_one_word_is_a_warning() -> None:
    agree = findings(
        {
            "02_a.txt": '"I\'m committed to keeping the lines of communications open," Biden said.',
            "09_b.txt": "“I’m committed to keeping the lines of communications open,” Biden said.",
        }
    )
    assert [(f.status, f.severity) for f in agree] == [(Status.AGREE, Severity.INFO)]
    conflict = findings(
        {
            "03_a.txt": "“I do not think there’s an imminent attempt on the part of China to "
            "invade Taiwan,” Mr. Biden said.",
            "04_b.txt": "Biden told reporters: “I do not think there’s any imminent attempt on the "
            "part of China to invade Taiwan.",
        }
    )
    assert [(f.status, f.severity) for f in conflict] == [(Status.CONFLICT, Severity.WARNING)]
    assert conflict[0].detail in ("03: 'an' vs 04: 'any'", "04: 'any' vs 03: 'an'")


def test_different_utterances_of_one_speaker_are_not_compared() -> None:
    result = findings(
        {
            "a.txt": "“We are going to listen to Russia’s concerns,” Antony Blinken said.",
            "b.txt": "“One is through diplomacy and dialogue, the other through deterrence,” "
            "Antony Blinken said.",
        }
    )
    assert [f.status for f in result] == [Status.SINGLE_SOURCE]


def test_seed_ryabkov_translations_pair_as_a_warning() -> None:
    """001 and 003 translate one remark differently ('reasons'/'grounds', 'coming'/'next few'):
    the same utterance by its shape, so a misquotation warning, never an error."""
    result = findings(story(SEEDS))
    ryabkov = [
        f
        for f in result
        if f.subject.startswith("sergei-ryabkov/") and f.status is not Status.SINGLE_SOURCE
    ]
    assert [(f.status, f.severity) for f in ryabkov] == [(Status.CONFLICT, Severity.WARNING)]
    assert "001: 'reasons' vs 003: 'any grounds'" in (ryabkov[0].detail or "") or (
        "003: 'any grounds' vs 001: 'reasons'" in (ryabkov[0].detail or "")
    )
    assert not [f for f in result if f.severity is Severity.ERROR]


def _groups(finding: Finding, folder: Path, quotes: dict[str, str]) -> dict[str, set[int]]:
    groups: dict[str, set[int]] = {}
    for name, quote in quotes.items():
        start = (folder / name).read_text("utf-8").find(quote)
        for claim in finding.claims:
            if claim.source == name and claim.start < start + len(quote) and claim.end > start:
                groups.setdefault(name, set()).add(claim.group)
    return groups


@pytest.mark.skipif(not CORPORA.is_dir(), reason="shared corpora not checked out")
@pytest.mark.parametrize(
    "name", ["wagner-mutiny-2023", "biden-xi-bali-2022", "ankara-prisoner-swap-2024"]
)
def test_corpora_expected_quote_conflicts_and_agreements(name: str) -> None:
    folder = CORPORA / name
    expected = yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))
    result = findings(story(folder))
    assert all(f.severity is not Severity.ERROR for f in result)
    for item in expected["conflicts"]:
        if item["kind"] != "quote":
            continue
        hits = [
            f
            for f in result
            if f.status is Status.CONFLICT
            and len({frozenset(g) for g in _groups(f, folder, item["quotes"]).values()}) > 1
        ]
        assert hits, item["subject"]
        assert hits[0].severity is Severity.WARNING
    for item in expected["agreements"]:
        if item["kind"] != "quote":
            continue
        for f in result:
            groups = _groups(f, folder, item["quotes"]).values()
            assert len({frozenset(g) for g in groups}) <= 1, (item["subject"], f.message)
