"""Looker's value formats as pure code: field metadata -> a format spec -> text.

A spec is a small dict the grid (assets/grid.js, same rules in JavaScript) and the charts share:
{"prefix": "$", "suffix": "", "decimals": 2 | None, "group": True, "percent": False}.
`decimals` None keeps the value's own digits. A spec with "compact": True (`compact(spec)`, for axis
ticks where room is short) writes thousands and up by their unit, at most two decimals:
$2,000,000.00 -> $2M, 1,500 -> 1.5K. Works the same on CPython and MicroPython.
"""

import math

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any, NotRequired, TypedDict

    class Spec(TypedDict):
        prefix: str
        suffix: str
        decimals: int | None
        group: bool
        percent: bool
        compact: NotRequired[bool]

# Looker's built-in value_format_name values, as the Excel-style formats they stand for
NAMED: dict[str, str] = {
    "decimal_0": "#,##0", "decimal_1": "#,##0.0", "decimal_2": "#,##0.00", "decimal_3": "#,##0.000",
    "decimal_4": "#,##0.0000",
    "usd_0": "$#,##0", "usd": "$#,##0.00", "gbp_0": "£#,##0", "gbp": "£#,##0.00", "eur_0": "€#,##0", "eur": "€#,##0.00",
    "percent_0": "0%", "percent_1": "0.0%", "percent_2": "0.00%", "percent_3": "0.000%", "percent_4": "0.0000%",
    "id": "0",
}
MEASURE: "Spec" = {"prefix": "", "suffix": "", "decimals": None, "group": True, "percent": False}
PLAIN: "Spec" = {"prefix": "", "suffix": "", "decimals": None, "group": False, "percent": False}  # ids, years, ages
NULL = "∅"
COMPACT_UNITS = [(10 ** 12, "T"), (10 ** 9, "B"), (10 ** 6, "M"), (10 ** 3, "K")]  # largest first
COMPACT_DECIMALS = 2  # at most; trailing zeros left out


def parse(pattern: str) -> "Spec":
    """An Excel-style format ("$#,##0.00", "0.0%", '#,##0" items"') as a spec."""
    digits = [i for i in range(len(pattern)) if pattern[i] in "#0"]
    if not digits:
        return MEASURE.copy()
    first, last = digits[0], digits[-1]
    body = pattern[first:last + 1]
    point = body.find(".")
    decimals = 0 if point < 0 else len([c for c in body[point + 1:] if c in "#0"])
    prefix, suffix = pattern[:first].replace('"', ""), pattern[last + 1:].replace('"', "")
    return {"prefix": prefix, "suffix": suffix, "decimals": decimals, "group": "," in body,
            "percent": "%" in suffix}


def compact(spec: "Spec") -> "Spec":
    """The spec written compactly: same prefix, suffix, grouping and percent; thousands and up by their unit."""
    made = spec.copy()
    made["compact"] = True
    return made


def spec_for(field: "dict[str, Any]") -> "Spec":
    """The spec of a field from lookml_model_explore's metadata (value_format wins over its name)."""
    if field.get("value_format"):
        return parse(field["value_format"])
    if field.get("value_format_name") in NAMED:
        return parse(NAMED[field["value_format_name"]])
    return MEASURE.copy() if field.get("category") == "measure" else PLAIN.copy()


def group_digits(digits: str) -> str:
    """'1234567' -> '1,234,567' (MicroPython's format has no ',' option)."""
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ",".join(groups)


def halves(number: float, decimals: int) -> "int | None":
    """abs(number) * 10**decimals in halves (2.5 with 0 decimals: 5), judged on the float's exact
    binary value; None when that is not a whole number (1.005 is really 1.00499999999999989...),
    and for floats of 2**53 or more, which are whole numbers: never a half."""
    mantissa, exponent = math.frexp(abs(number))
    whole, shift = int(mantissa * (1 << 53)), 53 - exponent  # abs(number) == whole / 2**shift, exactly
    twice = 2 * 10 ** decimals * whole
    if shift > 0 and twice % (1 << shift) == 0:
        return twice >> shift
    return None


def fixed(number: float, decimals: int) -> str:
    """`number` with `decimals` digits, exact halves away from zero as Looker (and JavaScript's
    toFixed, which the grid uses) round them; '%f' alone would round them to even."""
    count = halves(number, decimals)
    if count is None or count % 2 == 0:  # not halfway between two `decimals`-digit values
        return ("%." + str(decimals) + "f") % number
    digits = str(count // 2 + 1)  # integers: exact however large the number
    digits = "0" * (decimals + 1 - len(digits)) + digits
    text = digits[:len(digits) - decimals] + ("." + digits[len(digits) - decimals:] if decimals else "")
    return ("-" if number < 0 else "") + text


def format_value(value: object, spec: "Spec | None" = None) -> str:
    """A cell's text: numbers by the spec, None as ∅, anything else as itself."""
    if value is None:
        return NULL
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    spec = spec or MEASURE
    number = value * 100 if spec.get("percent") else value
    decimals = spec.get("decimals")
    unit = ""
    if spec.get("compact"):
        for size, letter in COMPACT_UNITS:
            if abs(number) >= size:
                number, unit = number / size, letter
                break
        text = fixed(number, COMPACT_DECIMALS).rstrip("0")  # "2.": the empty fraction is left out below
    elif decimals is None:
        text = str(number) if isinstance(number, int) or number != int(number) else str(int(number))
        if "e" in text:  # tiny or huge floats: fixed notation, as a person reads them
            text = ("%.6f" % number).rstrip("0")  # "0.", "0.000015": an empty fraction is left out below
    else:
        text = fixed(number, decimals)
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    if spec.get("group"):
        whole = group_digits(whole)
    text = whole + ("." + fraction if fraction else "")
    if negative and text.strip("0.,") == "":
        negative = False  # -0.00 reads as 0.00
    return ("-" if negative else "") + spec.get("prefix", "") + text + unit + spec.get("suffix", "")
