"""Spotting a French social security number (NIR) in free text, so that it is never stored.

Tremplin has no use for a NIR (docs/security.md, « Minimisation »), yet a referrer may paste one
into a motivation, a note or a spreadsheet cell. ``find_nir`` recognises one as INSEE writes it:
sex (1, 2, or 7, 8 for a temporary number), year (2 digits), month (01-12, or the pseudo-months
20, 30-42 and 50-99 INSEE gives when the month is unknown), department (2 digits, or 2A/2B for
Corsica), commune (3), order number (3), then an optional 2-digit key, spaces or dots allowed
between characters. When the key is there it must check (97 - number mod 97, 2A/2B counted as
19/18), so a random 15-digit number is not refused; without a key, the structure alone decides.
A phone number (10 digits), a SIREN (9) or a SIRET (14) is never taken for one: a match must be
exactly 13 or 15 characters long between non-digits.

Pure Python, no Django: the bulk import's reader (``tremplin.engine.tabular``) uses it too.
"""

import re

# 13 characters, each but the first optionally preceded by one space or dot (« _? » below), then
# an optional key; never inside a longer run of digits or letters.
_NIR = re.compile(
    r"""
    (?<![0-9A-Za-z])
    (?P<body>
        [1278] (?:_?[0-9]){4}           # sex, year, month
        _? (?:[0-9]_?[0-9] | 2_?[ABab])  # department (2A, 2B: Corsica)
        (?:_?[0-9]){6}                  # commune, order number
    )
    (?P<key> _?[0-9]_?[0-9] )?
    (?![0-9A-Za-z])
    """.replace("_?", "[ .]?"),
    re.VERBOSE,
)
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
# Fewer digits than this and no NIR can be in the text: skips the regex for most values.
_MIN_DIGITS = 12


def _plausible_month(month: int) -> bool:
    return 1 <= month <= 12 or month == 20 or 30 <= month <= 42 or month >= 50


def _body_number(body: str) -> int:
    """The 13 characters as the number the key is computed on (2A → 19, 2B → 18)."""
    department = body[5:7]
    if department == "2A":
        body = body[:5] + "19" + body[7:]
    elif department == "2B":
        body = body[:5] + "18" + body[7:]
    return int(body)


def nir_key(body: str) -> int:
    """The control key of a 13-character NIR (without separators)."""
    return 97 - _body_number(body.upper()) % 97


def _is_nir(body: str, key: str | None) -> bool:
    month, department = int(body[3:5]), body[5:7]
    if not _plausible_month(month) or department == "00":
        return False
    return key is None or int(key) == nir_key(body)


def find_nir(text: str) -> str | None:
    """The first NIR written in ``text`` (as written), or None."""
    if sum(c.isdigit() for c in text) < _MIN_DIGITS:
        return None
    for match in _NIR.finditer(text):
        body = _NOT_ALNUM.sub("", match["body"].upper())
        key = _NOT_ALNUM.sub("", match["key"]) if match["key"] else None
        if _is_nir(body, key):
            return match.group()
    return None


def contains_nir(text: str) -> bool:
    return find_nir(text) is not None
