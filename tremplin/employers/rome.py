"""ROME job codes (France Travail's job directory) and their French labels.

The labels are read from ``data/rome.json``, a derived file built by
``scripts/build_rome.py`` (see docs/data-sources.md); it is read once per process.
"""

import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

ROME_PATH = Path(__file__).resolve().parent / "data" / "rome.json"

# The ROME 4.0 fiches the programme's three tracks lead to, offered first in the openings
# form. The brief named the broad ROME v3 families (I1307, F1605, K2503, I1401); in ROME 4.0,
# which data/rome.json holds, I1307 reads « Antenniste » and finer fiches exist, so the
# fibre, data-centre and telesurveillance fiches come first and the v3 families follow.
PROGRAMME_ROME_CODES = ("I1315", "F1605", "I1403", "I1401", "K2509", "K2503", "I1307")


@cache
def _labels() -> Mapping[str, str]:
    with ROME_PATH.open(encoding="utf-8") as f:
        entries = json.load(f)
    return MappingProxyType({entry["code"]: entry["label"] for entry in entries})


def rome_label(code: str) -> str | None:
    """The French label of a ROME code (« I1401 », case and spaces tolerated), or None."""
    return _labels().get(code.strip().upper())


def rome_choices(codes: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """Form choices ``(code, "code — label")``: all codes sorted, or ``codes`` in order.

    An unknown code among ``codes`` keeps the bare code as its label, so a value already
    stored is never dropped from a form.
    """
    labels = _labels()
    if codes is None:
        return [(code, f"{code} — {labels[code]}") for code in sorted(labels)]
    choices = []
    for code in codes:
        label = rome_label(code)
        choices.append((code, f"{code} — {label}" if label else code))
    return choices
