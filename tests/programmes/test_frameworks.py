"""The shipped competency frameworks, their validation and their idempotent installation."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tremplin.programmes.enums import TrackKind
from tremplin.programmes.frameworks import (
    FRAMEWORKS_DIR,
    available_frameworks,
    install_framework,
    read_framework,
)
from tremplin.programmes.models import Certification, Competency, CompetencyBlock

VALID = """\
code = "demo"
version = "1"
title = "Référentiel de démonstration"
rncp = ""
level = "Niveau 3"
source = "Rédigé pour les tests."
track = "fibre"

[[blocks]]
code = "BC01"
title = "Premier bloc"

[[blocks.competencies]]
code = "BC01.1"
title = "Tirer un câble"

[[blocks.competencies]]
code = "BC01.2"
title = "Souder une fibre"

[[blocks]]
code = "BC02"
title = "Second bloc"

[[blocks.competencies]]
code = "BC02.1"
title = "Mesurer une liaison"
"""


def write(tmp_path: Path, text: str, name: str = "demo.v1.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def counts() -> tuple[int, int, int]:
    return (
        Certification.objects.count(),
        CompetencyBlock.objects.count(),
        Competency.objects.count(),
    )


def test_every_shipped_file_loads() -> None:
    files = sorted(FRAMEWORKS_DIR.glob("*.toml"))
    frameworks = available_frameworks()
    assert [fw.path for fw in frameworks] == files
    assert {fw.track for fw in frameworks} == set(TrackKind.values)
    for fw in frameworks:
        assert fw.version == "1"
        assert fw.title and fw.source
        assert 2 <= len(fw.blocks) <= 3, fw.code
        for block in fw.blocks:
            assert 4 <= len(block.competencies) <= 6, (fw.code, block.code)
            assert all(c.code.startswith(f"{block.code}.") for c in block.competencies)


def test_competency_codes_are_unique_within_each_file() -> None:
    for fw in available_frameworks():
        codes = [c.code for c in fw.competencies()]
        assert len(codes) == len(set(codes)), fw.code
        block_codes = [b.code for b in fw.blocks]
        assert len(block_codes) == len(set(block_codes)), fw.code


@pytest.mark.django_db
def test_install_twice_is_idempotent() -> None:
    frameworks = available_frameworks()
    for fw in frameworks:
        install_framework(fw)
    first = counts()
    ids = set(Competency.objects.values_list("id", flat=True))
    for fw in frameworks:
        install_framework(fw)

    assert counts() == first
    assert set(Competency.objects.values_list("id", flat=True)) == ids
    assert first == (
        len(frameworks),
        sum(len(fw.blocks) for fw in frameworks),
        sum(fw.competency_count for fw in frameworks),
    )
    fibre = Certification.objects.get(code="irtfo", version="1")
    first_block = fibre.blocks.order_by("position").first()
    assert first_block is not None and first_block.code == "BC01"
    assert [c.code for c in first_block.competencies.order_by("position")][:2] == [
        "BC01.1",
        "BC01.2",
    ]


@pytest.mark.django_db
def test_load_frameworks_command_prints_one_line_per_file() -> None:
    from io import StringIO

    out = StringIO()
    call_command("load_frameworks", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(list(FRAMEWORKS_DIR.glob("*.toml")))
    assert any("irtfo v1" in line for line in lines)
    assert Certification.objects.count() == len(lines)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (VALID.replace('title = "Référentiel de démonstration"\n', ""), "missing key 'title'"),
        (VALID.replace('track = "fibre"', 'track = "plomberie"'), "unknown track 'plomberie'"),
        (
            VALID.replace('code = "BC02.1"', 'code = "BC01.1"'),
            "duplicate competency code 'BC01.1'",
        ),
        (VALID.replace('code = "BC02"', 'code = "BC01"'), "duplicate block code 'BC01'"),
        (VALID.replace('code = "BC01.2"\n', ""), "missing key 'code'"),
        (VALID.replace('code = "demo"', 'code = "Démo !"'), "must be a slug"),
        (VALID.replace('rncp = ""', 'rnpc = ""'), "unknown key(s) 'rnpc'"),
        (VALID.split("[[blocks]]")[0], "missing key 'blocks'"),
        (VALID + '\n[[blocks]]\ncode = "BC03"\ntitle = "Vide"\n', "missing key 'competencies'"),
        (VALID.replace('version = "1"', "version = 1"), "'version' must be a string"),
        (VALID + "\ncode = ", "invalid TOML"),
    ],
)
def test_malformed_file_raises_a_clear_value_error(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ValueError, match=re.escape(message)) as e:
        read_framework(path)
    assert "demo.v1.toml" in str(e.value)


def test_file_name_version_must_match(tmp_path: Path) -> None:
    path = write(tmp_path, VALID, name="demo.v2.toml")
    with pytest.raises(ValueError, match="file name says version '2'"):
        read_framework(path)


def test_two_files_for_the_same_version_are_refused(tmp_path: Path) -> None:
    write(tmp_path, VALID, name="a.v1.toml")
    write(tmp_path, VALID, name="b.v1.toml")
    with pytest.raises(ValueError, match="already used by a.v1.toml"):
        available_frameworks(tmp_path)


def make_assessment(competency: Competency):  # type: ignore[no-untyped-def]
    """A real learner's assessment of ``competency`` (the whole chain, minimal fields)."""
    from tremplin.accounts.models import User
    from tremplin.candidacies.models import Candidacy
    from tremplin.cohorts.models import Cohort, CompetencyAssessment, Enrolment
    from tremplin.organisations.models import Organisation, Site
    from tremplin.people.models import Person
    from tremplin.programmes.models import Programme

    network = Organisation.objects.create(name="Réseau test", kind="network")
    site = Site.objects.create(network=network, name="Site test", commune="Marseille")
    programme = Programme.objects.create(network=network, name="Parcours test")
    cohort = Cohort.objects.create(
        programme=programme,
        site=site,
        name="Promo test",
        start_date=datetime.date(2026, 1, 5),
        end_date=datetime.date(2026, 5, 5),
    )
    person = Person.objects.create(
        first_name="Awa",
        last_name="Diallo",
        birth_date=datetime.date(2000, 3, 1),
        commune="Marseille",
        postal_code="13013",
        highest_diploma="none",
        mobility="public_transport",
        consent_programme=True,
    )
    candidacy = Candidacy.objects.create(person=person, cohort=cohort, source="public")
    enrolment = Enrolment.objects.create(cohort=cohort, candidacy=candidacy)
    trainer = User.objects.create_user("formatrice@example.org", role="trainer", site=site)
    return CompetencyAssessment.objects.create(
        enrolment=enrolment,
        competency=competency,
        level="acquired",
        assessed_on=datetime.date(2026, 2, 1),
        assessed_by=trainer,
    )


@pytest.mark.django_db
def test_new_wording_of_a_v1_file_updates_rows_and_keeps_assessments(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    install_framework(read_framework(path))
    soldering = Competency.objects.get(block__certification__code="demo", code="BC01.2")
    assessment = make_assessment(soldering)

    # Reworded competency, reworded certification, one competency dropped from the file,
    # one added: the DB follows the wording, adds, and deletes nothing.
    revised = (
        VALID.replace("Souder une fibre", "Épissurer une fibre par fusion")
        .replace("Référentiel de démonstration", "Référentiel de démonstration révisé")
        .replace('[[blocks.competencies]]\ncode = "BC01.1"\ntitle = "Tirer un câble"\n\n', "")
        + '\n[[blocks.competencies]]\ncode = "BC02.2"\ntitle = "Lire une courbe OTDR"\n'
    )
    path.write_text(revised, encoding="utf-8")
    install_framework(read_framework(path))

    soldering.refresh_from_db()
    assessment.refresh_from_db()
    assert soldering.title == "Épissurer une fibre par fusion"
    assert soldering.position == 1
    assert assessment.competency_id == soldering.pk
    assert assessment.level == "acquired"
    certification = Certification.objects.get(code="demo", version="1")
    assert certification.title == "Référentiel de démonstration révisé"
    assert set(
        Competency.objects.filter(block__certification=certification).values_list("code", flat=True)
    ) == {"BC01.1", "BC01.2", "BC02.1", "BC02.2"}
    assert Certification.objects.filter(code="demo").count() == 1


@pytest.mark.django_db
def test_competency_moved_to_another_block_keeps_its_row(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    install_framework(read_framework(path))
    measuring = Competency.objects.get(code="BC02.1")
    moved = VALID.replace(
        '\n[[blocks.competencies]]\ncode = "BC02.1"\ntitle = "Mesurer une liaison"\n', ""
    ).replace(
        '[[blocks]]\ncode = "BC02"\ntitle = "Second bloc"\n',
        '[[blocks.competencies]]\ncode = "BC02.1"\ntitle = "Mesurer une liaison"\n\n'
        '[[blocks]]\ncode = "BC02"\ntitle = "Second bloc"\n\n'
        '[[blocks.competencies]]\ncode = "BC02.3"\ntitle = "Nouvelle"\n',
    )
    path.write_text(moved, encoding="utf-8")
    install_framework(read_framework(path))
    measuring.refresh_from_db()
    assert measuring.block.code == "BC01"
    assert measuring.position == 3
