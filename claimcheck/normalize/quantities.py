"""Counts and measures as intervals in one base unit per rule (pint converts the units)."""

from __future__ import annotations

from functools import cache
from typing import Any

from claimcheck.models import Interval, RawClaim
from claimcheck.normalize import Normalized, SourceContext, register
from claimcheck.normalize.numbers import describe, format_figure, parse_number
from claimcheck.rules import MeasureExtractor, QuantityExtractor, Rule


@cache
def unit_registry() -> Any:
    """pint's registry takes most of a second to build: build it once per process."""
    import pint

    try:  # pint caches its parsed definitions on disk: ten times faster from the second run
        return pint.UnitRegistry(cache_folder=":auto:")
    except OSError:
        return pint.UnitRegistry()


@cache
def conversion_factor(unit: str, base_unit: str) -> float:
    registry = unit_registry()
    return float(registry.Quantity(1, unit).to(base_unit).magnitude)


@register("quantity")
def normalize_quantity(raw: RawClaim, rule: Rule, ctx: SourceContext) -> Normalized:
    config = rule.extract
    assert isinstance(config, QuantityExtractor)
    hedges = ctx.tables.hedges
    if "vague" in raw.parts:
        interval = hedges.vague_interval(raw.parts["vague"])
    else:
        value = parse_number(raw.parts.get("number", ""))
        if value is None or value < config.min_value:
            return None
        interval = _stated_range(raw, value) or hedges.interval(value, raw.parts.get("hedge"))
    if interval is None:
        return None
    return interval, describe(interval)


@register("measure")
def normalize_measure(raw: RawClaim, rule: Rule, ctx: SourceContext) -> Normalized:
    config = rule.extract
    assert isinstance(config, MeasureExtractor)
    value = parse_number(raw.parts.get("number", ""))
    if value is None or value <= 0:
        return None
    factor = conversion_factor(raw.parts["unit"], config.base_unit)
    if "number2" in raw.parts:  # "7 hours and 45 minutes"
        extra = parse_number(raw.parts["number2"])
        if extra is None:
            return None
        value += extra * conversion_factor(raw.parts["unit2"], raw.parts["unit"])
    unit_label = _SHORT_UNITS.get(config.base_unit, config.base_unit)
    interval = _stated_range(raw, value, factor, unit_label) or ctx.tables.hedges.interval(
        value,
        raw.parts.get("hedge"),
        unit=unit_label,
        factor=factor,
        counted=raw.parts["unit"] in config.counted_units and "number2" not in raw.parts,
    )
    display = describe(interval)
    if raw.parts["unit"] != config.base_unit:  # show what was written beside the conversion
        written = _SHORT_UNITS.get(raw.parts["unit"], raw.parts["unit"])
        figure = format_figure(value)
        if interval.stated is None:  # a range, "20-25 miles"
            figure = f"{format_figure(parse_number(raw.parts['range_low']) or 0)}–{figure}"
        display = f"{figure} {written} = {display}"
    return interval, display


def _stated_range(
    raw: RawClaim, value: float, factor: float = 1.0, unit: str | None = None
) -> Interval | None:
    """'between 90,000 and 100,000', '3-4 hours': the range as written, in base units."""
    low = parse_number(raw.parts.get("range_low", ""))
    if low is None or not low < value or "number2" in raw.parts:
        return None
    return Interval(low=low * factor, high=value * factor, unit=unit, stated=None, hedge="range")


_SHORT_UNITS = {
    "kilometer": "km", "meter": "m", "mile": "mi", "hour": "h", "minute": "min", "day": "d",
    "week": "wk", "hectare": "ha", "acre": "acres", "km**2": "km²", "mile**2": "sq mi",
}  # fmt: skip
