"""ROME labels read from the committed tremplin/employers/data/rome.json."""

import json

from tremplin.employers.rome import PROGRAMME_ROME_CODES, ROME_PATH, rome_choices, rome_label


def test_programme_codes_have_labels() -> None:
    assert rome_label("I1307") == "Antenniste"
    assert rome_label("F1605") == "Monteur / Monteuse de réseaux électriques"
    assert rome_label("K2503") == "Agent / Agente de prévention et de sécurité"
    assert rome_label("I1401") == "Technicien / Technicienne de maintenance en informatique"
    for code in PROGRAMME_ROME_CODES:
        assert rome_label(code)


def test_unknown_code_gives_none() -> None:
    assert rome_label("Z9999") is None
    assert rome_label("") is None


def test_code_is_normalised() -> None:
    assert rome_label(" i1401 ") == rome_label("I1401")


def test_data_file_is_sorted_and_unique() -> None:
    entries = json.loads(ROME_PATH.read_text(encoding="utf-8"))
    codes = [e["code"] for e in entries]
    assert codes == sorted(set(codes))
    assert len(codes) > 1000
    assert all(set(e) == {"code", "label"} and e["label"] for e in entries)


def test_choices() -> None:
    everything = rome_choices()
    assert len(everything) == len(json.loads(ROME_PATH.read_text(encoding="utf-8")))
    assert [c for c, _ in everything] == sorted(c for c, _ in everything)
    assert rome_choices(["K2503", "Z9999"]) == [
        ("K2503", "K2503 — Agent / Agente de prévention et de sécurité"),
        ("Z9999", "Z9999"),
    ]
