"""The national batch's shortlist is a referral file the bulk import takes as it is."""

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from tremplin.candidacies.models import Candidacy
from tremplin.engine.matching.national.generate import generate, read_communes
from tremplin.engine.matching.national.job import Job, read_matches, run_local
from tremplin.intake.national import ShortlistError, referral_csv, shortlist
from tremplin.intake.services import import_batch_confirm, import_batch_create

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """2,000 job seekers ranked over 1,000 openings; the department with the most people."""
    directory = tmp_path_factory.mktemp("national")
    seekers, openings = generate(
        communes=read_communes(), directory=directory, job_seekers=2_000, openings=1_000, seed=11
    )
    job = Job(job_seekers=seekers, openings=openings, work=directory / "run")
    run_local(job)
    matched = set(read_matches(job).column("job_seeker_id").to_pylist())
    table = pq.read_table(seekers, columns=["id", "department"]).to_pylist()
    department = Counter(row["department"] for row in table if row["id"] in matched).most_common(1)[
        0
    ][0]
    return seekers, job.matches, department


def test_the_shortlist_imports_as_referrals_without_a_single_error(world, ranked):
    seekers, matches, department = ranked
    chosen = shortlist(
        job_seekers=seekers, matches=matches, departments={department}, limit=15, min_score=0.5
    )
    assert 3 <= len(chosen.people) <= 15
    scores = [person["best_score"] for person in chosen.people]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 0.5
    assert chosen.without_consent  # 40 % have not agreed: they are left out, and listed
    people = pq.read_table(seekers, columns=["id", "consent_programme"]).to_pylist()
    agreed = {row["id"] for row in people if row["consent_programme"]}
    assert {person["id"] for person in chosen.people} <= agreed
    assert not set(chosen.without_consent) & agreed

    batch = import_batch_create(
        owner=world.user("prescriber"),
        cohort=world.upcoming,
        filename="rapprochement-national.csv",
        content=referral_csv(chosen, min_score=0.5),
    )
    assert (batch.invalid_count, batch.new_count) == (0, len(chosen.people))
    import_batch_confirm(batch=batch, by=world.user("prescriber"))
    referred = Candidacy.objects.filter(
        cohort=world.upcoming,
        person__last_name__in=[person["last_name"] for person in chosen.people],
    )
    assert referred.count() == len(chosen.people)
    first = chosen.people[0]
    candidacy = referred.get(
        person__first_name=first["first_name"],
        person__last_name=first["last_name"],
        person__birth_date=first["birth_date"],
    )
    assert candidacy.person.postal_code == first["postal_code"]
    assert f"meilleure offre {first['best_opening']}" in candidacy.motivation


def test_the_command_writes_the_file_and_says_who_was_left_out(ranked, tmp_path):
    seekers, matches, department = ranked
    output = tmp_path / "orientations.csv"
    call_command(
        "national_referrals",
        "--job-seekers",
        str(seekers),
        "--matches",
        str(matches),
        "--departement",
        department,
        "--limit",
        "5",
        "--output",
        str(output),
    )
    lines = output.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("nom;prénom;date de naissance;code postal;commune;diplôme")
    assert len(lines) == 6


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"limit": 0}, "entre 1 et 20000"),
        ({"departments": set()}, "au moins un département"),
        ({"matches": Path("/nulle/part")}, "lancez-le d'abord"),
        ({"job_seekers": Path("/nulle/part.parquet")}, "Fichier introuvable"),
    ],
)
def test_a_shortlist_that_cannot_be_made_says_why(ranked, options, message):
    seekers, matches, department = ranked
    arguments = {
        "job_seekers": seekers,
        "matches": matches,
        "departments": {department},
        "limit": 10,
    } | options
    with pytest.raises(ShortlistError, match=message):
        shortlist(**arguments)


def test_a_list_that_is_not_parquet_or_says_nothing_of_consent_is_refused(ranked, tmp_path):
    seekers, matches, department = ranked
    text = tmp_path / "liste.parquet"
    text.write_text("nom;prénom\n")
    with pytest.raises(ShortlistError, match="ce n'est pas un fichier Parquet lisible"):
        shortlist(job_seekers=text, matches=matches, departments={department}, limit=10)
    silent = tmp_path / "sans-accord.parquet"
    pq.write_table(pq.read_table(seekers).drop_columns(["consent_programme"]), silent)
    with pytest.raises(ShortlistError, match="Colonnes manquantes .* : consent_programme"):
        shortlist(job_seekers=silent, matches=matches, departments={department}, limit=10)


def test_the_command_refuses_a_department_without_anyone_and_writes_nothing(ranked, tmp_path):
    seekers, matches, _ = ranked
    output = tmp_path / "orientations.csv"
    with pytest.raises(CommandError, match="Personne à orienter"):
        call_command(
            "national_referrals",
            "--job-seekers",
            str(seekers),
            "--matches",
            str(matches),
            "--departement",
            "2A-inexistant",
            "--output",
            str(output),
        )
    assert not output.exists()
