"""Quotations as comparable text: one spelling of quote marks, apostrophes, dashes and spaces."""

from __future__ import annotations

import re
import unicodedata

from claimcheck.models import Quotation, RawClaim
from claimcheck.normalize import Normalized, SourceContext, register
from claimcheck.rules import Rule

_FOLD = str.maketrans(
    {
        "’": "'", "‘": "'", "‛": "'", "`": "'", "´": "'", "ʼ": "'", "′": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
        "–": "-", "—": "-", "‒": "-", "―": "-", "‑": "-", "‐": "-", "−": "-",
        "…": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    }
)  # fmt: skip
_EDGE = " \t\n.,;:!?\"'-"
_SPACES = re.compile(r"\s+")
MAX_DISPLAY_CHARS = 120


def normalize_quotation(text: str) -> str:
    """Lower case; every quote mark, apostrophe and dash one way; single spaces; no
    punctuation at either end ('tragic, devastating consequences,' ends like '…consequences.')."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
    folded = _SPACES.sub(" ", folded)
    return folded.strip(_EDGE)


def display_quotation(speaker: str, text: str) -> str:
    shown = _SPACES.sub(" ", text).strip()
    if len(shown) > MAX_DISPLAY_CHARS:
        shown = shown[: MAX_DISPLAY_CHARS - 1].rstrip() + "…"
    return f"{speaker}: “{shown}”"


@register("quotation")
def normalize_quotation_claim(raw: RawClaim, rule: Rule, ctx: SourceContext) -> Normalized:
    text = raw.parts.get("text", raw.span.quote)
    speaker_name = raw.parts.get("speaker", "")
    normalized = normalize_quotation(text)
    if not normalized or not speaker_name:
        return None
    if raw.parts.get("body"):
        # "the State Department said in a statement": a body, not a person's name to resolve
        speaker, canonical = raw.subject, speaker_name
    else:
        speaker, canonical = ctx.tables.people.resolve(speaker_name)
    value = Quotation(speaker=speaker, speaker_name=canonical, text=text, normalized=normalized)
    return value, display_quotation(canonical, text)
