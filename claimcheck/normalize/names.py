"""Person names: spotting them in text, folding their spellings, resolving them to one id each.

Normalisation runs per source, possibly in separate processes, so every id and key here is a
pure function of the name as written plus the YAML alias list. Spellings that no rule of
folding can join (Alyaksandar Lukashenka, Alexander Lukashenko) are joined later, pairwise,
by `same_person`, which the comparators call with every claim of a fact in hand.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz

from claimcheck.models import Office, Person, RawClaim
from claimcheck.normalize import Normalized, SourceContext, register
from claimcheck.rules import OfficeExtractor, ParticipantExtractor, PersonAlias, Rule
from claimcheck.text import Document

SURNAME_RATIO = 85  # fuzz.ratio of folded surnames: Lukashenka ~ Lukashenko is 90
FIRST_NAME_RATIO = 70  # of folded first names: Sergei ~ Sergey, Aliaksandar ~ Aleksander
MAX_NAME_TOKENS = 3


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one string, the way a word list reads best."""
    return frozenset(words.split())


# Generic English, not story data: words that stand before a name but are not part of it.
HONORIFICS = word_set("mr mrs ms miss mx dr sir dame lord lady prof")
TITLES = word_set(
    """president vice prime minister ministers secretary deputy general secretary-general
    chancellor premier king queen prince princess pope senator sen rep representative
    congressman congresswoman governor gov mayor ambassador envoy spokesman spokeswoman
    spokesperson chairman chairwoman chair chief leader director commander colonel col
    captain capt lieutenant lt sergeant sgt admiral major maj marshal judge justice speaker
    foreign defence defense state interior finance press councilor councillor head officer
    advisor adviser emir sheikh sultan crown chairperson premier coach agent pm
    rear adm gen cmdr cdr commodore brig brigadier cpl corporal pte pvt private"""
)
# Capitalised words that are never part of a person's name in running text.
NON_NAME_WORDS = word_set(
    """the a an and or but yet so if when while after before as at in on of for from to
    with without by under over since although though despite during meanwhile however
    earlier later last next this that these those here there what who why how where it
    he she they we i you his her their our my your its some many most few other another
    both each every all any no not only even also still then now today tonight yesterday
    tomorrow according asked speaking noting calling source quote photo video read watch
    live update updates breaking exclusive analysis opinion editorial watch listen more
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday department ministry council house office agency service
    committee commission union organization organisation group party forces force army
    navy news times post journal press television tv radio channel base square street
    strait sea ocean river region province oblast district federation republic kingdom
    states nations command staff bank fund institute university foundation endowment
    corporation consulting summit conference airport hotel palace embassy parliament
    congress senate assembly court police guard intelligence security telegram airlines
    company club centre center road avenue island islands lake mount valley city county
    war north south east west eastern western northern southern central new united
    national international global world europe european africa asia america americas
    middle pacific atlantic arctic gulf street capitol hall tower peninsula coast border
    treaty accord agreement act plan program programme operation project initiative
    dialogue talks meeting forum ministry's day week year years month spring summer
    autumn winter christmas easter god"""
)
PARTICLES = word_set("de da del della di du van von der den ter bin ibn al el la le dos das")
PRONOUNS = frozenset(["he", "she"])
GENERATIONAL_SUFFIXES = word_set("jr sr ii iii iv")  # 'Joseph R. Biden Jr.' is a Biden

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*(?:[’']s?)?")
_NOT_LETTER = re.compile(r"[^a-z]")
_DOUBLED = re.compile(r"(.)\1+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NEWLINE = re.compile(r"\n")
_POSSESSIVE = re.compile(r"[’']s?$")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case, no diacritics, curly apostrophes straightened."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("’", "'").replace("‘", "'").lower()


_SKELETON_RULES = (
    ("kh", "h"),
    ("zh", "j"),
    ("ph", "f"),
    ("ck", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("y", "i"),
)


@lru_cache(maxsize=1 << 16)
def skeleton(token: str) -> str:
    """A spelling-insensitive key for one name token: Sergey/Sergei, Zelensky/Zelenskyy,
    Lukashenka/Lukashenko and Kurmasheva/Kurmashev fold to the same string."""
    s = _NOT_LETTER.sub("", fold(token))
    for old, new in _SKELETON_RULES:
        s = s.replace(old, new)
    s = _DOUBLED.sub(r"\1", s)
    stripped = s.rstrip("aeiou")
    return stripped if len(stripped) >= 4 else s


@lru_cache(maxsize=1 << 16)
def _light(token: str) -> str:
    """Readable slug part: 'Sergey' -> 'sergei', 'Zelenskyy' -> 'zelensky'."""
    s = _NOT_ALNUM.sub("", fold(token))
    s = re.sub(r"yy$", "y", re.sub(r"iy$", "i", re.sub(r"ey$", "ei", s)))
    return s


def is_name_token(token: str) -> bool:
    """Capitalised with some lower case: 'Ryabkov', 'Kara-Murza', not 'FSB' or 'the'."""
    bare = _POSSESSIVE.sub("", token)
    return (
        bool(bare)
        and bare[0].isupper()
        and any(c.islower() for c in bare)
        and fold(bare) not in NON_NAME_WORDS
    )


def name_tokens(name: str) -> list[str]:
    """The tokens of a name without honorifics, titles, 'Jr.', possessive endings or
    particles' case."""
    return list(_name_tokens(name))


@lru_cache(maxsize=1 << 16)
def _name_tokens(name: str) -> tuple[str, ...]:
    tokens = [_POSSESSIVE.sub("", t) for t in _WORD.findall(name)]
    tokens = [t for t in tokens if t]
    while tokens and (fold(tokens[0]) in HONORIFICS or fold(tokens[0]) in TITLES):
        tokens.pop(0)
    while len(tokens) > 1 and fold(tokens[-1]) in GENERATIONAL_SUFFIXES:
        tokens.pop()
    return tuple(tokens)


def clean_name(name: str) -> str:
    return " ".join(name_tokens(name))


@lru_cache(maxsize=1 << 16)
def slug(name: str) -> str:
    """'Sergey Ryabkov' -> 'sergei-ryabkov': first and last token, lightly folded."""
    tokens = [t for t in name_tokens(name) if fold(t) not in PARTICLES] or name_tokens(name)
    if not tokens:
        return _NOT_ALNUM.sub("-", fold(name)).strip("-") or "unknown"
    parts = [tokens[0], tokens[-1]] if len(tokens) > 1 else tokens
    return "-".join(_light(t) for t in parts)


def _first_last(name: str) -> tuple[str | None, str]:
    tokens = [t for t in name_tokens(name) if fold(t) not in PARTICLES] or name_tokens(name)
    if not tokens:
        return None, fold(name)
    return (tokens[0] if len(tokens) > 1 else None), tokens[-1]


def first_names_compatible(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    sa, sb = skeleton(a), skeleton(b)
    if len(a.rstrip(".")) == 1 or len(b.rstrip(".")) == 1:
        return sa[:1] == sb[:1]
    return sa == sb or fuzz.ratio(sa, sb) >= FIRST_NAME_RATIO or _short_form(a, b)


def _short_form(a: str, b: str) -> bool:
    """A first name and its short form: 'Ed' of 'Edward', 'Alex' of 'Alexander' (the start),
    'Gene' of 'Eugene' (the end, of four letters or more)."""
    short, long = sorted((fold(a), fold(b)), key=len)
    if len(short) < 2 or short == long:
        return False
    return long.startswith(short) or (len(short) >= 4 and long.endswith(short))


@lru_cache(maxsize=1 << 14)
def _letters(name: str) -> str:
    return _NOT_ALNUM.sub("", fold(name))


def _family_name_first(a: str, b: str) -> bool:
    tokens_a, tokens_b = name_tokens(a), name_tokens(b)
    return (
        len(tokens_a) == len(tokens_b) == 2
        and tokens_a != tokens_b
        and [skeleton(t) for t in tokens_a] == [skeleton(t) for t in reversed(tokens_b)]
    )


def same_person(a: str, b: str) -> bool:
    """Two spellings of one person: surnames within SURNAME_RATIO, first names compatible.

    Symmetric and order-free, so comparators can use it on any pair of claims. Names that
    differ only in spaces and hyphens are one ('Kim Jong Un', 'Kim Jong-un'), and so are
    two names whose two tokens swap places ('Fumio Kishida', 'Kishida Fumio').
    """
    if _letters(a) == _letters(b) or _family_name_first(a, b):
        return True
    first_a, last_a = _first_last(a)
    first_b, last_b = _first_last(b)
    sa, sb = skeleton(last_a), skeleton(last_b)
    if sa != sb and fuzz.ratio(sa, sb) < SURNAME_RATIO:
        return False
    return first_names_compatible(first_a, first_b)


# --------------------------------------------------------------------------- the index


@dataclass(frozen=True)
class _Entry:
    id: str
    name: str
    variants: tuple[str, ...]


@dataclass
class PeopleIndex:
    """Known people from the rule files, plus people learned from one document.

    `resolve` gives the id and canonical name; `key` gives the fact key that every source,
    normalised alone, computes the same way for the same person.
    """

    people: Iterable[PersonAlias] = ()
    _entries: list[_Entry] = field(default_factory=list, init=False)
    _by_alias: dict[str, _Entry] = field(default_factory=dict, init=False)
    _by_surname: dict[str, set[str]] = field(default_factory=dict, init=False)
    _learned: set[str] = field(default_factory=set, init=False)
    _learned_by_key: dict[str, set[str]] = field(default_factory=dict, init=False)
    _short_forms: set[str] = field(default_factory=set, init=False)
    _is_person: dict[str, bool] = field(default_factory=dict, init=False)  # forgot on learning
    # `known_entry` looks only at the YAML people, so its answers hold for every child too.
    _known: dict[str, _Entry | None] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for person in self.people:
            entry = _Entry(person.id, person.name, (person.name, *person.aliases))
            self._entries.append(entry)
            for variant in entry.variants:
                self._by_alias.setdefault(" ".join(fold(t) for t in name_tokens(variant)), entry)
                tokens = name_tokens(variant)
                if tokens:
                    self._by_surname.setdefault(skeleton(tokens[-1]), set()).add(entry.id)
        self._entries.sort(key=lambda e: e.id)

    def child(self) -> PeopleIndex:
        """A copy that can learn one document's names without touching the shared index."""
        copy = PeopleIndex()
        copy._entries = self._entries
        copy._by_alias = self._by_alias
        copy._by_surname = self._by_surname
        copy._known = self._known
        copy._learned = set(self._learned)
        copy._learned_by_key = {k: set(v) for k, v in self._learned_by_key.items()}
        copy._short_forms = set(self._short_forms)
        return copy

    # ------------------------------------------------------------------ learning

    def learn(self, name: str) -> None:
        """Remember a full name seen at run time, so a bare surname can resolve to it."""
        tokens = name_tokens(name)
        if len(tokens) >= 2:
            full = " ".join(tokens)
            self._is_person.clear()
            self._learned.add(full)
            for token in (tokens[0], tokens[-1]):
                self._learned_by_key.setdefault(skeleton(token), set()).add(full)

    def learn_short_form(self, token: str) -> None:
        """The document calls someone by this one token ('Xi' for Xi Jinping)."""
        self._short_forms.add(skeleton(token))

    def known_entry(self, name: str) -> _Entry | None:
        """The YAML person this name means, by alias, unique surname, or close spelling."""
        try:
            return self._known[name]
        except KeyError:
            entry = self._known[name] = self._find_entry(name)
            return entry

    def _find_entry(self, name: str) -> _Entry | None:
        tokens = name_tokens(name)
        if not tokens:
            return None
        exact = self._by_alias.get(" ".join(fold(t) for t in tokens))
        if exact is not None:
            return exact
        if len(tokens) == 1:
            ids = self._by_surname.get(skeleton(tokens[0]), set())
            if len(ids) == 1:
                (only,) = ids
                return next(e for e in self._entries if e.id == only)
            return None
        for entry in self._entries:  # sorted by id: the first close match wins, deterministically
            if any(len(name_tokens(v)) > 1 and same_person(name, v) for v in entry.variants):
                return entry
        return None

    def expand(self, name: str) -> str:
        """A bare surname (or family name) as the one full name learned for it, else itself."""
        tokens = name_tokens(name)
        if len(tokens) != 1:
            return clean_name(name)
        key = skeleton(tokens[0])
        matches = sorted(self._learned_by_key.get(key, ()))
        distinct: list[str] = []
        for full in matches:
            if not any(same_person(full, d) for d in distinct):
                distinct.append(full)
        return distinct[0] if len(distinct) == 1 else tokens[0]

    def is_person(self, name: str) -> bool:
        """Whether a name is a person we can name: two or more tokens, or a known surname."""
        known = self._is_person.get(name)
        if known is None:
            known = self._is_person[name] = self._works_out_is_person(name)
        return known

    def _works_out_is_person(self, name: str) -> bool:
        tokens = name_tokens(name)
        if len(tokens) >= 2:
            return True
        if not tokens:
            return False
        return self.known_entry(name) is not None or len(name_tokens(self.expand(name))) >= 2

    # ------------------------------------------------------------------ resolving

    def resolve(self, name: str) -> tuple[str, str]:
        """(person id, canonical name): YAML alias or close spelling first, then a slug."""
        full = self.expand(name)
        entry = self.known_entry(full)
        if entry is not None:
            return entry.id, entry.name
        canonical = self._canonical_learned(full)
        return slug(canonical), canonical

    def _canonical_learned(self, name: str) -> str:
        """Among learned spellings of this person, the smallest: the same whatever the order."""
        cleaned = clean_name(name)
        if len(cleaned.split()) < 2:
            return cleaned
        same = [n for n in self._learned if same_person(n, cleaned)] + [cleaned]
        return min(same, key=lambda n: (slug(n), n))

    def key(self, name: str) -> str:
        """The key a fact about this person goes under, equal across sources and spellings.

        A YAML person's id; otherwise the folded family name ('ryabkov', 'lukashenk'), since
        many sources give only 'Mr Ryabkov' and a first name cannot be guessed from that.
        """
        full = self.expand(name)
        entry = self.known_entry(full)
        if entry is not None:
            return entry.id
        tokens = [t for t in name_tokens(full) if fold(t) not in PARTICLES] or name_tokens(full)
        if not tokens:
            return slug(name)
        family = tokens[-1]
        first_is_short = len(tokens) > 1 and skeleton(tokens[0]) in self._short_forms
        if first_is_short and skeleton(tokens[-1]) not in self._short_forms:
            family = tokens[0]  # family name first, as the document itself shows
        return skeleton(family)


# --------------------------------------------------------------------------- spotting


class NameMention(NamedTuple):
    """A person's name in the text: where it stands and how it reads without titles."""

    start: int
    end: int
    name: str


# The tokens that can take part in a name: capitalised ones and particles. Every other token
# would break a run anyway (the gap around it is more than one space), so skipping it changes
# nothing, and most words of running text are skipped without a match object. A token starts
# where `_WORD` would start one: not inside a word, nor after a hyphen or apostrophe in one.
_UPPER = "".join(re.escape(chr(c)) for c in range(0x10000) if chr(c).isupper())
_PARTICLE_INITIALS = "".join(sorted({p[0] for p in PARTICLES}))
_RUN_TOKEN = re.compile(
    rf"(?=[{_UPPER}{_PARTICLE_INITIALS}])"  # the cheap test first: most letters fail it
    r"(?<![^\W\d_])(?<![^\W\d_][-'’])"
    rf"(?=[{_UPPER}]|(?:{'|'.join(sorted(PARTICLES))})(?![^\W\d_]|[-'’][^\W\d_]|[’']))"
    + _WORD.pattern
)


def _tokens(text: str, start: int, end: int) -> list[re.Match[str]]:
    return list(_RUN_TOKEN.finditer(text, start, end))


# The same tokens in two faster scans, for a whole text: a pattern that opens with a class of
# capitals skips the other characters at C speed (the look-behinds then test the character
# before the capital), and particles are looked for only after a space, the one place a
# particle can join a run (`_runs`): one that does not join changes no run.
_LETTER_CAPITALS = "".join(
    re.escape(chr(c)) for c in range(0x10000) if chr(c).isupper() and re.match(r"[^\W\d_]", chr(c))
)
_CAPITAL_TOKEN = re.compile(
    rf"[{_LETTER_CAPITALS}](?<![^\W\d_].)(?<![^\W\d_][-'’].)"
    r"[^\W\d_]*(?:[-'’][^\W\d_]+)*(?:[’']s?)?"
)
_SPACED_PARTICLE = re.compile(rf" (?:{'|'.join(sorted(PARTICLES))})(?![^\W\d_])")


def _run_tokens(text: str) -> list[re.Match[str]]:
    """The tokens of a whole text that runs are made of (see above)."""
    tokens = list(_CAPITAL_TOKEN.finditer(text))
    particles = [
        token
        for spaced in _SPACED_PARTICLE.finditer(text)
        if (token := _RUN_TOKEN.match(text, spaced.start() + 1)) is not None
    ]
    if particles:
        tokens.extend(particles)
        tokens.sort(key=lambda t: t.start())
    return tokens


@dataclass(frozen=True)
class _TokenKind:
    """What `_runs` and `_segments` ask of a token, worked out once per distinct token."""

    word: str  # folded, without a possessive ending
    bare: str  # as written, without a possessive ending
    possessive: bool
    capital: bool
    particle: bool  # a lower-case particle ('van', 'de'), which may stand inside a run
    particle_word: bool  # a particle in any case ('Van' too): never ends a name
    title: bool  # a title or honorific, which ends a segment and introduces the next
    name: bool  # could be part of a person's name (`is_name_token`)
    initial: bool  # a single capital letter ('R' in 'Wendy R. Sherman')
    alone: bool  # a run of this token alone is a candidate (see `_RunIndex`)


@lru_cache(maxsize=1 << 16)
def _token_kind(token: str) -> _TokenKind:
    bare = _POSSESSIVE.sub("", token)
    word = fold(bare)
    capital = token[0].isupper()
    particle_word = fold(token) in PARTICLES
    title = word in TITLES or word in HONORIFICS
    name = is_name_token(token)
    return _TokenKind(
        word=word,
        bare=bare,
        possessive=_POSSESSIVE.search(token) is not None,
        capital=capital,
        particle=particle_word and not capital,
        particle_word=particle_word,
        title=title,
        name=name,
        initial=len(token) == 1 and token.isupper(),
        alone=name and not title and not particle_word and fold(bare) not in PARTICLES,
    )


def _runs(text: str, tokens: Iterable[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Maximal runs of capitalised tokens separated by one space (particles allowed inside).

    A run never crosses a line (the gap would hold the newline), and whether a token joins
    the run depends only on the token before it: so the runs of a stretch of tokens are the
    runs of the whole text, except where the stretch cuts one."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    last: _TokenKind | None = None
    for match in tokens:
        kind = _token_kind(match.group())
        if last is not None and not last.possessive and (kind.capital or kind.particle):
            gap = text[current[-1].end() : match.start()]
            if gap == " " or (last.initial and gap == ". "):  # "Wendy R. Sherman"
                current.append(match)
                last = kind
                continue
        if current:
            runs.append(current)
        current, last = ([match], kind) if kind.capital else ([], None)
    if current:
        runs.append(current)
    return runs


def _segments(run: list[re.Match[str]]) -> Iterable[tuple[list[re.Match[str]], bool]]:
    """Split a run at titles and at words that are never names; say whether a title led in.

    'Russian President Vladimir Putin' gives ('Russian', untitled) and ('Vladimir Putin',
    titled); 'In May Putin' gives 'May Putin' only if both could be names.
    """
    segment: list[re.Match[str]] = []
    titled = False
    for match in run:
        kind = _token_kind(match.group())
        if kind.title:
            if segment:
                yield segment, titled
            segment, titled = [], True
        elif kind.name or (segment and (kind.word in PARTICLES or kind.initial)):
            segment.append(match)
            if kind.possessive:
                yield segment, titled
                segment, titled = [], False
        else:
            if segment:
                yield segment, titled
            segment, titled = [], False
    if segment:
        yield segment, titled


class NameSpotter:
    """The name candidates of one text, worked out once however often they are asked for:
    the participant and quotation finders, and both passes of `learn_document`, look at the
    same lines and sentences with different indexes, and only the last step (is a lone word
    a person?) depends on the index.

    The text is tokenised and split into runs once; a range is answered from the runs that
    lie inside it, and only a run the range cuts is worked out again (see `_runs`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._candidates: dict[tuple[int, int], tuple[Candidate, ...]] = {}
        self._headlines: dict[tuple[int, int], bool] = {}
        self._index: _RunIndex | None = None

    def find(
        self, start: int, end: int, index: PeopleIndex, *, headline_ok: bool = False
    ) -> list[NameMention]:
        """Every person named between start and end: full names, and bare surnames the index
        knows.

        A single token counts only after an honorific or title ('Mr Ryabkov', 'President
        Biden') or when the index can expand it to a full name: 'Putin' alone is a person only
        if the document or the rule files name Vladimir Putin.
        """
        if not headline_ok and self._is_headline(start, end):
            return []
        candidates = self._candidates.get((start, end))
        if candidates is None:
            candidates = self._candidates[(start, end)] = self.candidates(start, end)
        return [m for m, lone in candidates if not lone or index.is_person(m.name)]

    def candidates(self, start: int, end: int) -> tuple[Candidate, ...]:
        """The same as `plain_candidates(text, start, end)`, from the whole text's runs."""
        if self._index is None:
            self._index = _RunIndex(self.text)
        return self._index.candidates(start, end)

    def _is_headline(self, start: int, end: int) -> bool:
        headline = self._headlines.get((start, end))
        if headline is None:
            headline = self._headlines[(start, end)] = _looks_like_headline(self.text[start:end])
        return headline


Candidate = tuple[NameMention, bool]  # the mention, and whether only the index can confirm it


def plain_candidates(text: str, start: int, end: int) -> tuple[Candidate, ...]:
    """The candidates between start and end, tokenised afresh."""
    return tuple(_candidates(text, _runs(text, _tokens(text, start, end))))


def _run_bounds(
    text: str, tokens: list[re.Match[str]], starts: list[int], ends: list[int]
) -> list[tuple[int, int]]:
    """`_runs` as (first token, one past the last) pairs, without looking at most tokens: a
    token more than two characters after the one before cannot join it, and whether it
    opens a run is whether it is capitalised."""
    bounds: list[tuple[int, int]] = []
    first = -1  # the open run's first token; an open run always ends at the token before
    for i, start in enumerate(starts):
        if first >= 0:
            if start - ends[i - 1] <= 2:
                last = _token_kind(tokens[i - 1].group())
                kind = _token_kind(tokens[i].group())
                if not last.possessive and (kind.capital or kind.particle):
                    gap = text[ends[i - 1] : start]
                    if gap == " " or (last.initial and gap == ". "):
                        continue
            bounds.append((first, i))
            first = -1
        if text[start].isupper():
            first = i
    if first >= 0:
        bounds.append((first, len(starts)))
    return bounds


class _RunIndex:
    """The tokens and runs of a whole text, and every run's candidates in text order: a
    range that cuts no run is a slice of them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _run_tokens(text)
        self.starts = [t.start() for t in self.tokens]
        self.ends = [t.end() for t in self.tokens]
        # Each run as (its first token, one past its last), in text order.
        self.runs = _run_bounds(text, self.tokens, self.starts, self.ends)
        self.run_firsts = [first for first, _ in self.runs]
        # Run r's candidates are flat[bounds[r]:bounds[r + 1]].
        self.flat: list[Candidate] = []
        self.bounds = [0]
        for first, stop in self.runs:
            if stop - first > 1:
                self.flat.extend(_candidates(text, [self.tokens[first:stop]]))
            else:  # most runs: one capitalised word, as `_candidates` would take it
                token = self.tokens[first]
                kind = _token_kind(token.group())
                if kind.alone:
                    at = token.start()
                    mention = NameMention(at, at + len(kind.bare), kind.bare)
                    self.flat.append((mention, not _after_honorific(text, at)))
            self.bounds.append(len(self.flat))

    def candidates(self, start: int, end: int) -> tuple[Candidate, ...]:
        first = bisect_left(self.starts, start)
        stop = bisect_left(self.starts, end)
        if (first and self.ends[first - 1] > start) or (stop and self.ends[stop - 1] > end):
            return plain_candidates(self.text, start, end)  # a token cut by the range
        low = bisect_right(self.run_firsts, first) - 1  # the run holding `first`, if any
        if low < 0 or self.runs[low][1] <= first:
            low += 1
        high = bisect_left(self.run_firsts, stop)  # one past the last run starting inside
        if low >= high:
            return ()
        head: list[Candidate] = []
        tail: list[Candidate] = []
        if self.runs[low][0] < first:  # the range cuts these runs: the parts may split otherwise
            head = self._part(first, min(stop, self.runs[low][1]))
            low += 1
        if low < high and self.runs[high - 1][1] > stop:
            high -= 1
            tail = self._part(self.runs[high][0], stop)
        middle = self.flat[self.bounds[low] : self.bounds[high]] if low < high else []
        return (*head, *middle, *tail)

    def _part(self, first: int, stop: int) -> list[Candidate]:
        return list(_candidates(self.text, _runs(self.text, self.tokens[first:stop])))


def _candidates(text: str, runs: Iterable[list[re.Match[str]]]) -> Iterator[Candidate]:
    """The name-shaped segments of runs, each with whether it is a lone word that only the
    index can confirm as a person."""
    for run in runs:
        for segment, titled in _segments(run):
            kinds = [_token_kind(m.group()) for m in segment]
            while kinds and kinds[-1].particle_word:
                kinds.pop()
            if not kinds:
                continue
            segment = segment[: len(kinds)]
            words = [k.bare for k in kinds]
            if len(words) > 2:  # a middle initial is not part of how the name is matched
                keep = [words[0], *(w for w in words[1:-1] if len(w) > 1), words[-1]]
                words = keep
            core = sum(1 for w in words if fold(w) not in PARTICLES)
            if not core or core > MAX_NAME_TOKENS:
                continue
            s = segment[0].start()
            e = segment[-1].start() + len(words[-1])
            honorific = _after_honorific(text, s)
            yield NameMention(s, e, " ".join(words)), core == 1 and not (titled or honorific)


_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Mx)\.?\s$")


def _after_honorific(text: str, start: int) -> bool:
    """'Mr Ryabkov', 'Dr. Smith': an honorific just before `start`."""
    if start < 3:
        return False
    last = text[start - 3] if text[start - 2] == "." else text[start - 2]
    if last not in "rsx":
        return False  # the quick answer for most names: no honorific ends that way
    return _HONORIFIC_BEFORE.search(text[max(0, start - 5) : start]) is not None


def spotter_for(doc: Document) -> NameSpotter:
    return doc.shared("names", lambda: NameSpotter(doc.text))


def learned_people(doc: Document, base: PeopleIndex, table: object) -> PeopleIndex:
    """The base index taught this document's names, built once for every finder whose base
    comes from the same rule table (`table`, the ruleset's people)."""

    def build() -> tuple[object, PeopleIndex]:
        people = base.child()
        learn_document(spotter_for(doc), people)
        return table, people  # holding the table keeps its id from being reused meanwhile

    return doc.shared(("learned-people", id(table)), build)[1]


def _looks_like_headline(text: str) -> bool:
    """Title Case lines without a full stop ('President Xi Jinping Meets with U.S. President')."""
    stripped = text.strip()
    if not stripped or stripped[-1] in '.!?"”’:':
        return False
    words = [w for w in _WORD.findall(stripped) if len(w) > 3]
    if len(words) < 3:
        return False
    capital = sum(1 for w in words if w[0].isupper())
    return capital / len(words) > 0.6


def learn_document(spotter: NameSpotter, index: PeopleIndex) -> None:
    """Teach a document's own index the full names it uses and the short forms it calls them by.

    What `find` would give line by line, asked once per line: whether a lone word is a person
    depends on the full names learned, not on the short forms.
    """
    text = spotter.text
    lines = [spotter.candidates(a, b) for a, b in _lines(text) if not spotter._is_headline(a, b)]
    full = [
        mention.name
        for line in lines
        for mention, lone in line
        if len(mention.name.split()) >= 2 and (not lone or index.is_person(mention.name))
    ]
    for name in full:
        index.learn(name)
    for line in lines:
        for mention, lone in line:
            if len(mention.name.split()) == 1 and (not lone or index.is_person(mention.name)):
                index.learn_short_form(mention.name)


def _lines(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in _NEWLINE.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


# --------------------------------------------------------------------------- normaliser


def affiliation_label(config: ParticipantExtractor, key: str, written: str | None) -> str:
    """How an affiliation reads: the first word the rule lists for it, else as written."""
    words = config.affiliations.get(key)
    if words:
        return words[0]
    return written or key.replace("_", " ").title()


def role_label(role: str) -> str:
    return role.replace("_", " ")


def _holder(
    raw: RawClaim, config: ParticipantExtractor, ctx: SourceContext
) -> tuple[Person, str] | None:
    """The person a participant claim names, with their role as it reads ('Russian deputy
    foreign minister'): the value of the participant rule, and the office rule's too."""
    name = raw.parts.get("name", "")
    if not name_tokens(name):
        return None
    person_id, canonical = ctx.tables.people.resolve(name)
    role = raw.parts.get("role") or None
    affiliation = raw.parts.get("affiliation") or None
    label = raw.parts.get("role_label") or (role_label(role) if role else "")
    if affiliation:
        written = affiliation_label(config, affiliation, raw.parts.get("affiliation_text"))
        label = f"{written} {label}".strip()
    return Person(person=person_id, name=canonical, role=role, affiliation=affiliation), label


@register("participant")
def normalize_participant(raw: RawClaim, rule: Rule, ctx: SourceContext) -> Normalized:
    config = rule.extract
    assert isinstance(config, ParticipantExtractor)
    found = _holder(raw, config, ctx)
    if found is None:
        return None
    person, label = found
    return person, f"{person.name} ({label})" if label else person.name


@register("office")
def normalize_office(raw: RawClaim, rule: Rule, ctx: SourceContext) -> Normalized:
    """The participant claim read by person: the value is the office, shown as such."""
    config = rule.extract
    assert isinstance(config, OfficeExtractor)
    holders = ctx.tables.rules.get(config.roles_from)
    if holders is None:
        return None
    assert isinstance(holders.extract, ParticipantExtractor)
    found = _holder(raw, holders.extract, ctx)
    if found is None:
        return None
    person, label = found
    if not person.role or not person.affiliation:
        return None
    listed = person.affiliation in holders.extract.affiliations
    office = Office(
        person=person.person,
        name=person.name,
        role=person.role,
        owner=person.affiliation,
        owner_written=None if listed else raw.parts.get("affiliation_text") or None,
    )
    return office, label
