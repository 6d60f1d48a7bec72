"""The fast paths give the answers of the plain algorithms they replace.

Each speed-up in the pipeline (trigger windows instead of whole-text scans, camps tested per
distinct value, quotations compared per wording) has a plain counterpart that is obviously
right and quadratic or slow. These tests run both on real articles (the seeds and the dev
corpora) and on generated claims, and require the same result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.align import align
from claimcheck.compare.camps import any_source_pair_disagrees, split_camps, split_camps_by
from claimcheck.compare.quotations import (
    MAX_VARIANTS,
    _differences,
    _label,
    _root,
    _Texts,
)
from claimcheck.extract import compile_rules
from claimcheck.extract import date as date_finder
from claimcheck.extract.measure import MeasureFinder
from claimcheck.extract.quantity import QuantityFinder
from claimcheck.extract.triggers import Window, finditer_figures, finditer_near
from claimcheck.models import (
    Claim,
    DateValue,
    Fact,
    Interval,
    Quotation,
    Report,
    Source,
    claim_order,
)
from claimcheck.normalize.dates import compatible as dates_compatible
from claimcheck.normalize.names import NameSpotter, plain_candidates
from claimcheck.normalize.numbers import overlaps
from claimcheck.pipeline import extract_all
from claimcheck.report import markdown
from claimcheck.report.json import valid_unicode
from claimcheck.rules import QuotationComparator, load_rules
from claimcheck.sources import load_sources
from claimcheck.text import Document

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
RULESET = load_rules()


def _folders() -> list[Path]:
    folders = [REPO / "seeds"]
    if CORPORA.is_dir():
        folders += sorted(p for p in CORPORA.iterdir() if p.is_dir())
    return folders


def _documents() -> list[Document]:
    sources = load_sources(_folders()).sources
    assert len(sources) >= 5
    return [Document(source) for source in sources]


DOCUMENTS = _documents()


def _spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


FIGURE_FINDERS = [
    f for f in compile_rules(RULESET).finders if isinstance(f, QuantityFinder | MeasureFinder)
]


def _figure_spans(finder: QuantityFinder | MeasureFinder, doc: Document, openers: bool) -> object:
    return _spans(
        finditer_figures(
            finder.pattern,
            doc,
            finder.triggers,
            finder.figure_words,
            finder.window,
            left_boundary=isinstance(finder, QuantityFinder),
            openers=finder.figure_openers if openers else (),
        )
    )


@pytest.mark.parametrize("openers", [False, True], ids=["every-position", "at-openers"])
def test_figure_windows_find_what_a_whole_text_scan_finds(openers: bool) -> None:
    assert {f.rule.id for f in FIGURE_FINDERS} >= {"troop_count", "count", "distance", "duration"}
    assert all(f.figure_openers for f in FIGURE_FINDERS)
    found = 0
    for doc in DOCUMENTS:
        for finder in FIGURE_FINDERS:
            fast = _figure_spans(finder, doc, openers)
            whole = _spans(finder.pattern.finditer(doc.text))
            assert fast == whole, (doc.source.id, finder.rule.id)
            found += len(fast)  # type: ignore[arg-type]
    assert found > 100  # the comparison is not vacuous


_figure_pieces = [
    "about",
    "some",
    "between",
    "from",
    "and",
    "to",
    "a",
    "A",
    "dozen",
    "two",
    "twenty",
    "Five",
    "-",
    "–",
    ",",
    ".",
    "_",
    "$",
    "1",
    "12",
    "3,000",
    "2014",
    "10 000",
    "½",
    "k",
    "troops",
    "soldiers",
    "km",
    "miles",
    "hours",
    "countries",
    "people",
    "other",
    "or so",
    "approx.",
    "up to",
    "tens of thousands",
    "dozens",
]


def test_figures_opening_with_every_hedge_range_and_number_word_match_a_whole_text_scan() -> None:
    from claimcheck.normalize import Tables

    hedges = Tables(RULESET).hedges
    openings = [
        *(f"{h} 3,000" for h in hedges.leading_hedges),
        *hedges.vague_phrases,
        *(f"{h} {v}" for h in hedges.leading_hedges[:3] for v in hedges.vague_phrases[:2]),
        "between 4 and 5", "from 6 to 7", "8 to 9", "a dozen", "two dozen", "A hundred",
        "half a million", "twenty-five", "Five", "one hundred and twenty thousand", "12,500",
        "10 000", "2½",
    ]  # fmt: skip
    for finder in FIGURE_FINDERS:
        words = finder.units if isinstance(finder, MeasureFinder) else finder.nouns
        ends = sorted(words)[:3]
        text = " ".join(f"Officials said {o} {e} were there." for o in openings for e in ends)
        doc = Document(Source(id="a.txt", path="a.txt", text=text))
        whole = _spans(finder.pattern.finditer(doc.text))
        assert _figure_spans(finder, doc, True) == whole, finder.rule.id
        assert len(whole) > len(openings), finder.rule.id


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from([*_figure_pieces, " ", " ", "  ", "\n"]), max_size=24))
def test_figures_tried_at_their_openers_match_a_whole_text_scan(pieces: list[str]) -> None:
    doc = Document(Source(id="a.txt", path="a.txt", text="".join(pieces)))
    for finder in FIGURE_FINDERS:
        whole = _spans(finder.pattern.finditer(doc.text))
        assert _figure_spans(finder, doc, True) == whole, (doc.text, finder.rule.id)


def test_lead_in_and_elliptical_windows_find_what_a_whole_text_scan_finds() -> None:
    finders = [f for f in compile_rules(RULESET).finders if isinstance(f, QuantityFinder)]
    checked = found = 0
    for finder in finders:
        for pattern, (words, window), openers in (
            *((lead.pattern, lead.near, lead.openers) for lead in finder.lead_ins),
            (finder.elliptical, finder.elliptical_near, finder.elliptical_openers),
        ):
            if pattern is None:
                continue
            checked += 1
            assert openers
            for doc in DOCUMENTS:
                whole = _spans(pattern.finditer(doc.text))
                for tried_at in ((), openers):
                    fast = _spans(finditer_near(pattern, doc, words, window, openers=tried_at))
                    assert fast == whole, (doc.source.id, finder.rule.id, tried_at)
                    found += len(fast)  # type: ignore[arg-type]
    assert checked >= 2
    assert found > 0


_DATE_PATTERNS = [
    (date_finder._ABSOLUTE, date_finder._NEAR_MONTH, date_finder._ABSOLUTE_OPENERS),
    (date_finder._MONTH_YEAR, date_finder._NEAR_LONG_MONTH, ()),
    (date_finder._WEEKDAY, date_finder._NEAR_WEEKDAY, date_finder._WEEKDAY_OPENERS),
    (date_finder._RELATIVE_DAY, date_finder._NEAR_RELATIVE_DAY, ()),
    (date_finder._CHAINED, date_finder._NEAR_DAY, date_finder._CHAINED_OPENERS),
]


@pytest.mark.parametrize(
    ("pattern", "near", "openers"),
    _DATE_PATTERNS,
    ids=["absolute", "month-year", "weekday", "relative", "chained"],
)
def test_date_windows_find_what_a_whole_text_scan_finds(
    pattern: re.Pattern[str], near: tuple[tuple[str, ...], Window], openers: tuple[str, ...]
) -> None:
    words, window = near
    found = 0
    for doc in DOCUMENTS:
        whole = _spans(pattern.finditer(doc.text))
        assert _spans(finditer_near(pattern, doc, words, window)) == whole, doc.source.id
        fast = _spans(finditer_near(pattern, doc, words, window, openers=openers))
        assert fast == whole, doc.source.id
        found += len(fast)  # type: ignore[arg-type]
    assert found > 0


def test_future_words_tried_at_their_words_match_a_search_of_the_sentence() -> None:
    future = 0
    for doc in DOCUMENTS:
        for start, end in doc.sentences:
            for offset in range(start, end, 7):
                found = list(date_finder._FUTURE.finditer(doc.text, start, offset))
                plain = bool(found) and not date_finder._PAST_TENSE.search(
                    doc.text, found[-1].end(), offset
                )
                assert date_finder._is_future(doc, start, offset) == plain, doc.source.id
                future += plain
    assert future > 100


_date_pieces = [
    *[
        "Monday",
        "monday",
        "on",
        "last",
        "the",
        "day",
        "days",
        "later",
        "before",
        "after",
        "following",
        "two",
        "a",
        "an",
        "10",
        "3rd",
        "31",
        "2022",
        "January",
        "Jan.",
        "jan",
        "May",
        "may",
        "of",
        ",",
        ".",
        "-",
        "_",
        "’s",
        "today",
        "Sept",
    ]
]


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from([*_date_pieces, " ", " ", "\n"]), max_size=20))
def test_dates_tried_at_their_openers_match_a_whole_text_scan(pieces: list[str]) -> None:
    doc = Document(Source(id="a.txt", path="a.txt", text="".join(pieces)))
    for pattern, (words, window), openers in _DATE_PATTERNS:
        fast = finditer_near(pattern, doc, words, window, openers=openers)
        assert _spans(fast) == _spans(pattern.finditer(doc.text)), doc.text


def test_a_text_whose_case_folding_moves_offsets_is_scanned_whole() -> None:
    finder = next(f for f in compile_rules(RULESET).finders if f.rule.id == "troop_count")
    assert isinstance(finder, QuantityFinder)
    from claimcheck.models import Source

    text = "İstanbul: some 3,000 troops. İzmir: about 2,000 soldiers arrived."
    doc = Document(Source(id="a.txt", path="a.txt", text=text))
    assert len(text.lower()) != len(text)
    fast = finditer_figures(
        finder.pattern, doc, finder.triggers, finder.figure_words, finder.window
    )
    assert [m.group() for m in fast] == ["some 3,000 troops", "about 2,000 soldiers"]


def test_word_hits_looked_up_in_the_vocabulary_match_searching_the_text() -> None:
    from claimcheck.extract.triggers import _scan_word, lowered, word_hits

    words = ("troops", "km", "minister", "president", "may", "000", "x-ray", "the", "a", "in")
    found = 0
    for doc in DOCUMENTS:
        low = lowered(doc)
        assert low is not None
        for left in (True, False):
            expected = sorted(at for w in words for at in _scan_word(low, w, left))
            assert word_hits(doc, words, left_boundary=left) == expected, doc.source.id
            found += len(expected)
    assert found > 100


@pytest.mark.parametrize(
    ("rule_id", "finder_type", "pattern", "openers", "sliced"),
    [
        ("date", "DateFinder", "triggers", "trigger_words", True),  # in the sentence's slice
        ("participant", "ParticipantFinder", "_role_re", "_role_openers", False),
        ("quote", "QuotationFinder", "_verb_re", "_verb_openers", False),
    ],
    ids=["event-triggers", "role-phrases", "speech-verbs"],
)
def test_patterns_tried_at_their_words_match_a_scan_of_each_sentence(
    rule_id: str, finder_type: str, pattern: str, openers: str, sliced: bool
) -> None:
    from claimcheck.extract.triggers import matches_at_words

    finder = next(f for f in compile_rules(RULESET).finders if f.rule.id == rule_id)
    assert type(finder).__name__ == finder_type
    regex: re.Pattern[str] = getattr(finder, pattern)
    words: tuple[str, ...] = getattr(finder, openers)
    assert words
    found = 0
    for doc in DOCUMENTS:
        for start, end in [*doc.sentences, (0, len(doc.text))]:
            fast = _spans(matches_at_words(regex, doc, words, start, end, sliced=sliced))
            if sliced:
                plain = _spans(regex.finditer(doc.text[start:end]))
            else:
                plain = _spans(regex.finditer(doc.text, start, end))
            assert fast == plain, doc.source.id
            found += len(fast)
    assert found > 100


def test_participants_found_in_sentences_with_a_role_word_match_looking_in_every_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from claimcheck.extract import participant

    finder = _participant_finder()
    fast = [c for doc in DOCUMENTS for c in finder.find(Document(doc.source))]
    monkeypatch.setattr(participant, "sentences_with", lambda doc, words: doc.sentences)
    plain = [c for doc in DOCUMENTS for c in finder.find(Document(doc.source))]
    assert fast == plain
    assert len(fast) > 50


def _participant_finder() -> object:
    return next(f for f in compile_rules(RULESET).finders if f.rule.id == "participant")


def _same_match(fast: re.Match[str] | None, plain: re.Match[str] | None) -> bool:
    if fast is None or plain is None:
        return fast is plain
    return fast.span() == plain.span() and fast.groupdict() == plain.groupdict()


def test_affiliations_ending_before_a_role_match_the_forward_search() -> None:
    finder = _participant_finder()
    found = 0
    for doc in DOCUMENTS:
        text = doc.text
        for pos in range(1, len(text) + 1):
            if not text[pos - 1].isspace():
                continue
            for reach in (max(0, pos - 64), max(0, pos - 9)):
                fast = finder._affiliation_ending(text, reach, pos)  # type: ignore[attr-defined]
                plain = finder._aff_end_re.search(text, reach, pos)  # type: ignore[attr-defined]
                assert _same_match(fast, plain), (doc.source.id, pos)
                found += plain is not None
    assert found > 100


@settings(max_examples=500, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from(
            [
                "U.S.",
                "Russian",
                "United",
                "States",
                "us",
                "’s",
                "'",
                "s",
                " ",
                "  ",
                "\n",
                "-",
                ".",
                "(",
                "NATO",
                "anti",
                "Kremlin",
                "x",
            ]
        ),
        max_size=12,
    ).map("".join),
    st.integers(0, 70),
)
def test_affiliations_ending_anywhere_match_the_forward_search(text: str, back: int) -> None:
    finder = _participant_finder()
    for pos in range(len(text) + 1):
        reach = max(0, pos - back)
        fast = finder._affiliation_ending(text, reach, pos)  # type: ignore[attr-defined]
        plain = finder._aff_end_re.search(text, reach, pos)  # type: ignore[attr-defined]
        assert _same_match(fast, plain), (text, reach, pos)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.text(alphabet="aAinI_9 -.\n\u0301é", max_size=40), st.sampled_from(["a", "in", "9", "é"]))
def test_short_words_found_by_regex_match_the_scan(text: str, word: str) -> None:
    from claimcheck.extract.triggers import _find_word, _scan_word

    low = text.lower()
    for left in (True, False):
        assert _find_word(low, word, left) == _scan_word(low, word, left)


quotation_texts = st.text(alphabet='ab “”"‘’.,\n', max_size=80)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(quotation_texts)
def test_quotation_positions_looked_up_by_bisection_match_a_scan(text: str) -> None:
    from claimcheck.extract.quotation import _Article, find_quotes
    from claimcheck.normalize.names import PeopleIndex

    doc = Document(Source(id="a.txt", path="a.txt", text=text))
    quotes = find_quotes(text)
    article = _Article(doc, PeopleIndex([]), quotes)
    for a in range(len(text) + 2):
        assert article.inside_quote(a) == any(q.start <= a < q.end for q in quotes)
        for b in range(a, len(text) + 2):
            lower = a
            for q in quotes:
                if lower < q.close <= b:
                    lower = q.close
            assert article.last_close(a, b) == lower
            upper = b
            for q in quotes:
                if a <= q.open < upper:
                    upper = q.open
            assert article.first_open(a, b) == upper
            assert article.opens_within(a, b) == any(a <= q.open < b for q in quotes)


_PLAIN_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n+")


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(st.text(alphabet="a .!?\n\"'”’)]\t", max_size=40))
def test_sentence_ends_found_from_one_character_class_match_the_two_endings(text: str) -> None:
    from claimcheck.text import _SENTENCE_END

    fast = [m.span() for m in _SENTENCE_END.finditer(text)]
    assert fast == [m.span() for m in _PLAIN_SENTENCE_END.finditer(text)]


def test_sentence_ends_in_the_articles_match_the_two_endings() -> None:
    from claimcheck.text import _SENTENCE_END

    found = 0
    for doc in DOCUMENTS:
        fast = [m.span() for m in _SENTENCE_END.finditer(doc.text)]
        assert fast == [m.span() for m in _PLAIN_SENTENCE_END.finditer(doc.text)]
        found += len(fast)
    assert found > 1000


# --------------------------------------------------------------------------- names


def _name_ranges(doc: Document, seed: int) -> list[tuple[int, int]]:
    """Sentences, lines, and ranges that start and end anywhere, inside words and runs too."""
    import random

    rng = random.Random(seed)
    text = doc.text
    lines, at = [], 0
    for line in text.split("\n"):
        lines.append((at, at + len(line)))
        at += len(line) + 1
    starts = [rng.randrange(len(text) + 1) for _ in range(40)]
    cuts = [(a, min(len(text), a + rng.randrange(1, 200))) for a in starts]
    return [*doc.sentences, *lines, *cuts, (0, len(text))]


def test_names_from_the_whole_text_runs_match_tokenising_each_range() -> None:
    found = 0
    for index, doc in enumerate(DOCUMENTS):
        spotter = NameSpotter(doc.text)
        for start, end in _name_ranges(doc, index):
            fast = spotter.candidates(start, end)
            assert fast == plain_candidates(doc.text, start, end), (doc.source.id, start, end)
            found += len(fast)
    assert found > 1000


def test_learning_a_document_once_per_line_matches_two_passes_of_find() -> None:
    from claimcheck.normalize import Tables
    from claimcheck.normalize.names import _lines, learn_document

    base = Tables(RULESET).people
    learned = 0
    for doc in DOCUMENTS:
        fast, plain = base.child(), base.child()
        learn_document(NameSpotter(doc.text), fast)
        spotter = NameSpotter(doc.text)  # the two passes as they were written first
        lines = list(_lines(doc.text))
        full = [m for a, b in lines for m in spotter.find(a, b, plain) if len(m.name.split()) > 1]
        for mention in full:
            plain.learn(mention.name)
        for a, b in lines:
            for mention in spotter.find(a, b, plain):
                if len(mention.name.split()) == 1:
                    plain.learn_short_form(mention.name)
        assert fast._learned == plain._learned, doc.source.id
        assert fast._short_forms == plain._short_forms, doc.source.id
        learned += len(fast._learned)
    assert learned > 50


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from(
            [
                "Wendy",
                "R.",
                "Sherman",
                "van",
                "der",
                "Berg",
                "Mr",
                "President",
                "Putin's",
                "the",
                "O'Brien",
                "de",
                "Sergei",
                "Ryabkov",
                ".",
                ",",
                "\n",
                "U.S.",
                "'s",
            ]
        ),
        max_size=25,
    ),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=8),
    st.sampled_from([" ", "  ", ". "]),
)
def test_names_of_any_range_of_name_shaped_text_match_the_plain_scan(
    words: list[str], ranges: list[tuple[int, int]], glue: str
) -> None:
    text = glue.join(words)
    spotter = NameSpotter(text)
    for a, b in ranges:
        start, end = sorted((min(a, len(text)), min(b, len(text))))
        assert spotter.candidates(start, end) == plain_candidates(text, start, end)


# --------------------------------------------------------------------------- camps


def _claim(source: str, start: int, value: Interval | DateValue | Quotation) -> Claim:
    return Claim(
        kind="k",
        rule="r",
        source=source,
        quote="q",
        start=start,
        end=start + 1,
        line=1,
        column=start + 1,
        subject="s",
        subject_label="s",
        value=value,
        display=str(start),
    )


def test_claim_order_is_the_sort_key() -> None:
    claims = extract_all(load_sources(_folders()).sources, RULESET)
    assert claims
    assert all(claim_order(c) == c.sort_key for c in claims)


def test_finding_claims_are_built_as_model_construct_builds_them() -> None:
    from claimcheck.compare import finding_claim
    from claimcheck.models import FindingClaim

    fields = FindingClaim.model_fields
    assert all(f.alias is None and f.validation_alias is None for f in fields.values())
    assert not FindingClaim.__private_attributes__ and not FindingClaim.__pydantic_post_init__
    claims = extract_all(load_sources(_folders()).sources, RULESET)
    for group, claim in enumerate(claims, start=1):
        fast = finding_claim(claim, group)
        plain = FindingClaim.model_construct(
            **{name: getattr(claim, name) for name in fields if name != "group"}, group=group
        )
        assert list(fast.__dict__.items()) == list(plain.__dict__.items())
        assert fast.model_fields_set == plain.model_fields_set
        assert fast.__pydantic_extra__ == plain.__pydantic_extra__
        assert fast.__pydantic_private__ == plain.__pydantic_private__
        assert fast == plain and fast.model_dump_json() == plain.model_dump_json()


def _same_model(fast: object, plain: object) -> None:
    import pickle

    assert type(fast) is type(plain)
    assert list(fast.__dict__.items()) == list(plain.__dict__.items())
    assert fast.model_fields_set == plain.model_fields_set  # type: ignore[attr-defined]
    assert fast.__pydantic_extra__ == plain.__pydantic_extra__  # type: ignore[attr-defined]
    assert fast.__pydantic_private__ == plain.__pydantic_private__  # type: ignore[attr-defined]
    assert fast == plain and hash(fast) == hash(plain)
    assert fast.model_dump_json() == plain.model_dump_json()  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(fast)) == plain


def test_claims_and_spans_built_trusted_are_the_models_validation_builds() -> None:
    """Every claim of the articles, and its span, as `Claim(...)` and `Span(...)` make them:
    the fields are valid, and the model is the same in every way the pipeline looks."""
    from claimcheck.models import Span

    for model in (Claim, Span):
        fields = model.model_fields
        assert all(f.alias is None and f.validation_alias is None for f in fields.values())
        assert not model.__private_attributes__ and not model.__pydantic_post_init__
    claims = extract_all(load_sources(_folders()).sources, RULESET)
    assert len(claims) > 200
    for claim in claims:
        _same_model(claim, Claim(**{name: getattr(claim, name) for name in Claim.model_fields}))
    for doc in DOCUMENTS:
        for start, end in doc.sentences[:20]:
            span = doc.span(start, end)
            _same_model(span, Span(**{name: getattr(span, name) for name in Span.model_fields}))


def test_models_share_the_set_of_their_given_fields_and_none_changes_it() -> None:
    """Claims and their values hold one set per distinct set of given fields (memory of big
    runs), built or unpickled: the set is right for each, and copying a model with an update
    gives the copy a set of its own."""
    import pickle

    from claimcheck.models import Interval

    claims = extract_all(load_sources(_folders()).sources, RULESET)
    arrived = pickle.loads(pickle.dumps(claims[:50])) + pickle.loads(pickle.dumps(claims[50:]))
    for built in (claims, arrived):
        assert len({id(c.model_fields_set) for c in built}) == 1
        assert built[0].model_fields_set == set(Claim.model_fields)
        assert all(
            c.value.model_fields_set
            == type(c.value).model_validate(c.value.model_dump(exclude_unset=True)).model_fields_set
            for c in built
        )
        assert len({id(c.value.model_fields_set) for c in built}) == len(
            {frozenset(c.value.model_fields_set) for c in built}
        )
    given = Interval(low=1.0, high=2.0, stated=1.0)
    shared = pickle.loads(pickle.dumps(given))
    changed = shared.model_copy(update={"hedge": "about"})
    assert changed.model_fields_set == {"low", "high", "stated", "hedge"}
    assert shared.model_fields_set == given.model_fields_set == {"low", "high", "stated"}


def test_fingerprints_dump_each_distinct_value_once_as_dumping_every_claim_would() -> None:
    import hashlib
    import typing

    from claimcheck.compare import compare_facts, fingerprint
    from claimcheck.models import Person

    # Told apart by their fields, these types print alike when their fields are equal: no
    # float (0.0 == -0.0) among them.
    for model in (DateValue, Person, Quotation):
        for field in model.model_fields.values():
            assert float not in typing.get_args(field.annotation) and field.annotation is not float
    findings = compare_facts(align(extract_all(load_sources(_folders()).sources, RULESET)), RULESET)
    assert findings
    for f in findings:
        said = sorted({f"{c.source}\x1e{c.value.model_dump_json()}" for c in f.claims})
        key = "\x1f".join([f.rule, f.subject, *said])
        plain = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        assert f.fingerprint == plain == fingerprint(f.rule, f.subject, f.claims)


def _interval(low: int, width: int, open_high: bool) -> Interval:
    return Interval(low=float(low), high=None if open_high else float(low + width), stated=low)


intervals = st.builds(_interval, st.integers(0, 20), st.integers(0, 6), st.booleans())
dates = st.builds(
    DateValue,
    year=st.sampled_from([None, 2022, 2023]),
    month=st.sampled_from([None, 1, 2]),
    day=st.sampled_from([None, 10, 11]),
    weekday=st.sampled_from([None, 0, 1]),
)


def _claims(values: Sequence[Interval | DateValue]) -> list[Claim]:
    return [_claim(f"{i % 5:03d}.txt", i * 10, v) for i, v in enumerate(values)]


def _plain_disagreement(claims: Sequence[Claim], compatible: Callable[..., bool]) -> bool:
    by_source: dict[str, list[Claim]] = {}
    for c in claims:
        by_source.setdefault(c.source, []).append(c)
    names = sorted(by_source)
    return any(
        not any(compatible(x.value, y.value) for x in by_source[a] for y in by_source[b])
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    )


def _assert_same_as_plain(
    values: Sequence[Interval | DateValue],
    compatible: Callable[..., bool],
    vagueness: Callable[[Claim], float] | None = None,
) -> None:
    """Camps and the conflict verdict, per distinct value and claim by claim, agree."""
    claims = _claims(values)

    def value(c: Claim) -> Interval | DateValue:
        assert isinstance(c.value, Interval | DateValue)
        return c.value

    def by_claim(a: Claim, b: Claim) -> bool:
        return compatible(value(a), value(b))

    def or_same_source(a: Claim, b: Claim) -> bool:
        return a.source == b.source or by_claim(a, b)

    fast = split_camps_by(claims, value, compatible, vagueness)
    assert fast == split_camps(claims, by_claim, vagueness)
    lenient = split_camps_by(claims, value, compatible, vagueness, same_source_agrees=True)
    assert lenient == split_camps(claims, or_same_source, vagueness)
    plain = _plain_disagreement(claims, compatible)
    assert any_source_pair_disagrees(claims, value, compatible) == plain


def _width(c: Claim) -> float:
    v = c.value
    assert isinstance(v, Interval)
    return float("inf") if v.high is None else v.high - v.low


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(intervals, min_size=1, max_size=30))
def test_interval_camps_and_conflicts_match_the_plain_algorithm(values: list[Interval]) -> None:
    _assert_same_as_plain(values, overlaps, _width)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(dates, min_size=1, max_size=30))
def test_date_camps_and_conflicts_match_the_plain_algorithm(values: list[DateValue]) -> None:
    _assert_same_as_plain(values, dates_compatible)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 39), intervals), min_size=1, max_size=80))
def test_camps_that_belong_to_one_source_each_match_the_plain_algorithm(
    said: list[tuple[int, Interval]],
) -> None:
    """Many sources, each stating values no other source's values fit: with
    `same_source_agrees` each source's claims make a camp of their own."""
    claims = [_claim(f"{s:03d}.txt", i * 10, v) for i, (s, v) in enumerate(said)]

    def value(c: Claim) -> Interval:
        assert isinstance(c.value, Interval)
        return c.value

    def or_same_source(a: Claim, b: Claim) -> bool:
        return a.source == b.source or overlaps(value(a), value(b))

    fast = split_camps_by(claims, value, overlaps, _width, same_source_agrees=True)
    assert fast == split_camps(claims, or_same_source, _width)


def test_two_wordings_in_every_source_make_a_camp_per_source() -> None:
    claims = [
        _claim(f"{s:03d}.txt", i, _interval(20 * i, 1, False)) for s in range(50) for i in (0, 1)
    ]

    def value(c: Claim) -> Interval:
        assert isinstance(c.value, Interval)
        return c.value

    def or_same_source(a: Claim, b: Claim) -> bool:
        return a.source == b.source or overlaps(value(a), value(b))

    fast = split_camps_by(claims, value, overlaps, same_source_agrees=True)
    assert len(fast) == 50
    assert fast == split_camps(claims, or_same_source)


def _values_compatible(compatible: Callable[..., bool], a: Claim, b: Claim) -> bool:
    return compatible(a.value, b.value)


def test_value_verdicts_match_the_plain_algorithm_on_real_facts() -> None:
    """Camps and conflicts of every figure and date fact of the seeds and corpora, from
    numbered values, as claim-by-claim camps and source pairs find them."""
    from functools import partial

    from claimcheck.compare import compare_facts
    from claimcheck.compare import dates as date_rules
    from claimcheck.compare import intervals as interval_rules
    from claimcheck.rules import IntervalComparator

    compare_facts([], RULESET)  # registers the comparators
    checked = 0
    for fact in align(extract_all(load_sources(_folders()).sources, RULESET)):
        rule = RULESET.rule(fact.rule)
        config = rule.compare
        if isinstance(config, IntervalComparator):
            compatible: Callable[..., bool] = partial(overlaps, tolerance=config.tolerance)
            vagueness: Callable[[Claim], float] = interval_rules._vagueness
            verdict = interval_rules.compare_intervals(fact, rule)
        elif config.type == "date":
            compatible, vagueness = dates_compatible, date_rules._vagueness
            verdict = date_rules.compare_dates(fact, rule)
        else:
            continue

        by_claim = partial(_values_compatible, compatible)
        assert list(verdict.camps) == split_camps(fact.claims, by_claim, vagueness)
        if len(fact.sources) > 1:
            conflict = _plain_disagreement(fact.claims, compatible)
            assert (verdict.status.value == "conflict") == conflict, fact.subject
        checked += 1
    assert checked >= 20


# --------------------------------------------------------------------------- quotations


def _quotation_facts() -> tuple[QuotationComparator, list[Fact]]:
    """The quotation facts of the seeds and corpora that two or more sources speak of."""
    config = RULESET.rule("quote").compare
    assert isinstance(config, QuotationComparator)
    claims = extract_all(load_sources(_folders()).sources, RULESET)
    return config, [f for f in align(claims) if f.rule == "quote" and len(f.sources) >= 2]


def test_quotations_grouped_by_wording_match_claim_by_claim_pairing() -> None:
    config, facts = _quotation_facts()
    checked = 0
    for fact in facts:
        ordered = sorted(fact.claims, key=lambda c: c.sort_key)
        texts = _Texts(ordered, config)
        assert texts.utterances() == _plain_utterances(ordered, texts), fact.subject
        checked += 1
    assert checked >= 5


def test_quotation_comparisons_read_the_same_either_way_round() -> None:
    """What the wording-by-wording shortcuts rely on: (a, b) is (b, a) mirrored."""
    config, facts = _quotation_facts()
    checked = 0
    for fact in facts:
        texts = _Texts(fact.claims, config)
        for a in texts.by_text:
            for b in texts.by_text:
                one, other = texts.compare(a, b), texts.compare(b, a)
                assert one.paired == other.paired
                assert one.similarity == other.similarity
                assert one.starts == other.starts[::-1]
                assert [(d.left, d.right) for d in one.differences] == [
                    (d.right, d.left) for d in other.differences
                ]
                checked += one.paired
    assert checked >= 20


def _plain_utterances(claims: Sequence[Claim], texts: _Texts) -> list[list[Claim]]:
    """Every cross-source pair of quotations compared; paired ones joined (union-find)."""
    parent = list(range(len(claims)))
    linked: set[int] = set()
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            if a.source != claims[j].source and texts.compare_claims(a, claims[j]).paired:
                parent[_root(parent, j)] = _root(parent, i)
                linked.update((i, j))
    groups: dict[int, list[Claim]] = {}
    for i in sorted(linked):
        groups.setdefault(_root(parent, i), []).append(claims[i])
    return sorted(groups.values(), key=lambda g: claim_order(g[0]))


def _plain_differences(
    left: Sequence[Claim], right: Sequence[Claim], texts: _Texts, *, major: bool
) -> str:
    """Every cross-source pair in another wording, in order, until enough is said."""
    phrases: dict[str, None] = {}
    more = False
    for a in left:
        for b in right:
            ta, tb = (_text(c) for c in (a, b))
            if ta == tb or a.source == b.source:
                continue
            swap = b.sort_key < a.sort_key
            found = texts.compare(tb, ta) if swap else texts.compare(ta, tb)
            if not found.paired:
                continue
            for d in found.major if major else found.differences:
                x, y = (d.right, d.left) if swap else (d.left, d.right)
                names = (_label(left), _label(right)) if major else (a.source[:3], b.source[:3])
                phrase = f"{names[0]}: '{x or '—'}' vs {names[1]}: '{y or '—'}'"
                if phrase in phrases:
                    continue
                if len(phrases) == MAX_VARIANTS:
                    more = True
                    break
                phrases[phrase] = None
            if (major and phrases) or more:
                break
        if (major and phrases) or more:
            break
    listed = "; ".join(phrases) + ("; and more" if more else "")
    return "" if not phrases else listed if major else "minor variants: " + listed


def _text(claim: Claim) -> str:
    assert isinstance(claim.value, Quotation)
    return claim.value.normalized


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 5), st.booleans()), min_size=2, max_size=30
    ),
    st.booleans(),
)
def test_quotation_differences_match_every_pair_in_order(
    said: list[tuple[int, int, bool]], major: bool
) -> None:
    """Sources print variants of one remark (a word swapped, a noun pluralised, or the
    same words in other punctuation); the listed differences are those of the plain walk."""
    config = RULESET.rule("quote").compare
    assert isinstance(config, QuotationComparator)
    variants = [
        "we will defend the rights of our country",
        "we will defend the right of our country",
        "we will defend the rights of our nation",
        "we will, defend the rights of our country",
        "we shall defend the rights of our country",
        "we will defend our rights and our country",
    ]
    claims = sorted(
        (
            _claim(f"{s:03d}_x.txt", i * 10 + int(late), _quotation(variants[v]))
            for i, (s, v, late) in enumerate(said)
        ),
        key=lambda c: c.sort_key,
    )
    texts = _Texts(claims, config)
    half = len(claims) // 2
    for left, right in ((claims, claims), (claims[:half], claims[half:])):
        plain = _plain_differences(left, right, texts, major=major)
        assert _differences(left, right, texts, major=major) == plain


def _quotation(text: str) -> Quotation:
    return Quotation(speaker="x", speaker_name="X", text=text, normalized=text)


def test_an_agreement_in_many_minor_variants_lists_a_dozen_and_says_there_are_more() -> None:
    from claimcheck.compare import compare_facts

    nouns = ["right", "position", "interest", "demand", "proposal", "border"]
    claims = []
    for i in range(2 ** len(nouns)):  # every wording pluralises another set of nouns
        said = [n + "s" if i >> k & 1 else n for k, n in enumerate(nouns)]
        text = "we will defend the " + " and the ".join(said) + " of our country"
        value = Quotation(speaker="x", speaker_name="X", text=text, normalized=text)
        quote = _claim(f"{i:03d}.txt", 0, value)
        claims.append(quote.model_copy(update={"kind": "quote", "rule": "quote"}))
    findings = compare_facts(align(claims), RULESET)
    assert [f.status.value for f in findings] == ["agree"]
    detail = findings[0].detail or ""
    assert detail.startswith("minor variants: ")
    assert detail.count(" vs ") == MAX_VARIANTS
    assert detail.endswith("; and more")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from("abcde"), max_size=25),
    st.lists(st.sampled_from("abcde"), max_size=25),
)
def test_the_longest_matching_block_is_the_longest_shared_run(a: list[str], b: list[str]) -> None:
    """compare_texts reads the longest shared run off the matching blocks."""
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, a, b, autojunk=False)
    longest = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    assert max(m.size for m in matcher.get_matching_blocks()) == longest.size


# --------------------------------------------------------------------------- markdown

_PIECES = [
    *"ab1 .):/-+=*_`|#~$&<>[]\\\t\r\n\x0b\x85\u2028\u202e\u2066\ud800\udc00\x7f\u00e9\u3000",
    "www.",
    "WwW.",
    "://",
    "12.",
    "3)",
    "1234567890.",
]
_markdown_values = st.one_of(
    st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), st.text(max_size=20)
)


def _plain_line(value: str) -> str:
    value = valid_unicode(value)
    value = markdown._LINE_BREAK.sub(" ", value)
    return markdown._INVISIBLE.sub(" ", value)


def _plain_text(value: str) -> str:
    value = re.sub(r"([\\`*_\[\]|#~$])", r"\\\1", _plain_line(value))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = markdown._AUTOLINK_WWW.sub(r"\1\\.", value).replace("://", "\\://")
    value = markdown._LEADING_BLOCK.sub(r"\1\\\2", value)
    return markdown._LEADING_ORDERED.sub(r"\1\\\2", value)


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(_markdown_values)
def test_markdown_text_left_alone_only_when_no_step_would_change_it(value: str) -> None:
    assert markdown._plain(value) == _plain_line(value)
    assert markdown.text(value) == _plain_text(value)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(_markdown_values, st.integers(1, 10**6), st.booleans())
def test_markdown_where_wraps_a_plain_path_as_code_would(
    path: str, line: int, in_table: bool
) -> None:
    from claimcheck.models import FindingClaim, ReportSource, Summary

    summary = Summary(
        sources=1, claims=1, findings=0, conflicts=0, agreements=0, single_source=0, by_severity={}
    )
    source = ReportSource(id="a.txt", path=path, published=None, published_from=None)
    report = Report(version="0", sources=(source,), summary=summary, findings=())
    renderer = markdown._Renderer(report)
    value = DateValue(year=2022)
    for name in ("a.txt", path):  # a known source, and an id the report does not list
        claim = FindingClaim(
            source=name,
            quote="q",
            start=0,
            end=1,
            line=line,
            column=1,
            value=value,
            display="d",
            group=1,
        )
        shown = renderer.where(claim, in_table=in_table)
        assert shown == markdown.code(f"{renderer.paths.get(name, name)}:{line}", in_table=in_table)
