"""Plain functions that build real rows for tests (no mocks, no factory library)."""

import datetime
from decimal import Decimal
from itertools import count
from typing import Any

import time_machine
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.candidacies.services import PersonData, candidacy_create, candidacy_transition
from tremplin.cohorts.models import Cohort, CohortFunding
from tremplin.cohorts.services import enrol
from tremplin.demo.documents import minimal_pdf
from tremplin.eligibility.catalogue import install_catalogue, install_default_rules
from tremplin.eligibility.catalogue import latest_file as latest_catalogue_file
from tremplin.organisations.enums import OrganisationKind, PrescriberKind
from tremplin.organisations.models import Organisation, Site
from tremplin.people.enums import Diploma, Mobility
from tremplin.programmes.enums import TrackKind
from tremplin.programmes.frameworks import available_frameworks, install_framework
from tremplin.programmes.models import Programme, Track

PASSWORD = "motdepasse-de-test-42"
_seq = count(1)


def org(kind: str, name: str, network: Organisation | None = None, **extra: Any) -> Organisation:
    return Organisation.objects.create(kind=kind, name=name, network=network, **extra)


def user(
    role: str,
    email: str,
    organisation: Organisation | None = None,
    site: Site | None = None,
    **extra: Any,
) -> User:
    first, _, last = email.split("@")[0].partition(".")
    return User.objects.create_user(
        email,
        PASSWORD,
        role=role,
        organisation=organisation,
        site=site,
        first_name=first.capitalize(),
        last_name=(last or "test").capitalize(),
        **extra,
    )


def person_data(**overrides: Any) -> PersonData:
    n = next(_seq)
    values: dict[str, Any] = {
        "first_name": f"Prénom{n}",
        "last_name": f"Nom{n}",
        "birth_date": datetime.date(1985, 3, n % 28 + 1),
        "email": f"personne{n}@example.org",
        "phone": "06 12 34 56 78",
        "commune": "Marseille",
        "postal_code": "13013",
        "job_seeker_since": datetime.date(2024, 1, 15),
        "receives_rsa": True,
        "qpv_declared": True,
        "highest_diploma": Diploma.CAP_BEP,
        "has_driving_licence": False,
        "mobility": Mobility.PUBLIC_TRANSPORT,
        "consent_programme": True,
        "consent_employers": True,
    }
    values.update(overrides)
    return PersonData(**values)


def programme(network: Organisation) -> Programme:
    prog = Programme.objects.create(
        network=network, name="Techniciens des infrastructures numériques"
    )
    for data in available_frameworks():
        certification = install_framework(data)
        Track.objects.create(
            programme=prog, kind=TrackKind(data.track), certification=certification
        )
    # The eligibility criteria, and the reference rule (1 level-1 or 2 level-2 criteria,
    # registered with France Travail, 18 to 64) for the programme.
    catalogue = latest_catalogue_file()
    install_catalogue(catalogue)
    install_default_rules(catalogue.default_rule)
    return prog


def cohort(
    prog: Programme, site: Site, name: str, start: datetime.date, capacity: int = 12
) -> Cohort:
    return Cohort.objects.create(
        programme=prog,
        site=site,
        name=name,
        start_date=start,
        end_date=start + datetime.timedelta(days=122),
        capacity=capacity,
    )


def referral(world: Any, target: Cohort | None = None, **person: Any) -> Any:
    """A candidacy referred by the world's prescriber to the upcoming cohort."""
    return candidacy_create(
        cohort=target or world.upcoming,
        person_data=person_data(**person),
        motivation="",
        by=world.user("prescriber"),
    )


def proof_pdf(title: str = "Attestation de paiement du RSA") -> bytes:
    """A small real PDF, as a proof document."""
    return minimal_pdf(title, ["Caisse d'allocations familiales des Bouches-du-Rhône"])


def diagnostic(
    candidacy: Any,
    by: User,
    criteria: tuple[str, ...] = ("rsa",),
    issued_days_ago: int = 10,
    registered: bool = True,
) -> Any:
    """A diagnostic of the candidacy's person by ``by``, with a PDF proof per criterion."""
    from tremplin.eligibility.services import ProofUpload, diagnostic_create

    issued_on = timezone.localdate() - datetime.timedelta(days=issued_days_ago)
    return diagnostic_create(
        candidacy=candidacy,
        by=by,
        criteria=criteria,
        proofs={
            code: [ProofUpload(f"justificatif-{code}.pdf", proof_pdf(), issued_on)]
            for code in criteria
        },
        registered_with_france_travail=registered,
    )


def accepted(world: Any, target: Cohort | None = None, **person: Any) -> Any:
    """Referred by the world's (habilitated) France Travail advisor, who makes a diagnostic
    (RSA, with its CAF attestation) that meets the programme's rule, then selected."""
    candidacy = referral(world, target, **person)
    diagnostic(candidacy, world.user("prescriber"))
    coordinator = world.user("coordinator")
    for step in ("invite", "position", "accept"):
        candidacy_transition(candidacy=candidacy, transition=step, by=coordinator)
    candidacy.refresh_from_db()
    return candidacy


def enrolled(world: Any, target: Cohort | None = None, **person: Any) -> Any:
    """An enrolment in a cohort: referred, selected and enrolled ten days before its start."""
    target = target or world.upcoming
    before_start = datetime.datetime.combine(
        target.start_date - datetime.timedelta(days=10), datetime.time(10), tzinfo=datetime.UTC
    )
    with time_machine.travel(before_start, tick=False):
        candidacy = accepted(world, target, **person)
        return enrol(candidacy=candidacy, by=world.user("coordinator"))


def build_world() -> Any:
    from tests.conftest import World

    network = org(OrganisationKind.NETWORK, "Les Plombiers du Numérique")
    afpa = org(OrganisationKind.TRAINING, "AFPA Marseille Saint-Jérôme", network)
    site = Site.objects.create(
        network=network, host=afpa, name="Marseille – AFPA Saint-Jérôme", commune="Marseille"
    )
    other_site = Site.objects.create(
        network=network, name="Lyon – Vénissieux", commune="Vénissieux"
    )
    prog = programme(network)
    today = timezone.localdate()
    upcoming = cohort(prog, site, "Promo à venir", today + datetime.timedelta(days=30))
    running = cohort(prog, site, "Promo en cours", today - datetime.timedelta(days=60))
    other_cohort = cohort(prog, other_site, "Promo Lyon", today + datetime.timedelta(days=30))
    past = cohort(prog, site, "Promo passée", today - datetime.timedelta(days=365))
    ft = org(
        OrganisationKind.PRESCRIBER,
        "France Travail Marseille 13e",
        network,
        prescriber_kind=PrescriberKind.FRANCE_TRAVAIL,
        is_habilitated=True,
    )
    ml = org(
        OrganisationKind.PRESCRIBER,
        "Mission locale Marseille",
        network,
        prescriber_kind=PrescriberKind.MISSION_LOCALE,
    )
    employer = org(OrganisationKind.EMPLOYER, "Free Pro")
    other_employer = org(OrganisationKind.EMPLOYER, "Telenco")
    funder = org(OrganisationKind.FUNDER, "Banque des Territoires")
    users = {
        Role.NETWORK_ADMIN: user(
            Role.NETWORK_ADMIN,
            "admin.reseau@example.org",
            network,
            is_staff=True,
            is_superuser=True,
        ),
        Role.COORDINATOR: user(Role.COORDINATOR, "coord.marseille@example.org", network, site),
        Role.TRAINER: user(Role.TRAINER, "formateur.marseille@example.org", afpa, site),
        Role.PRESCRIBER: user(Role.PRESCRIBER, "conseiller.ft@example.org", ft),
        Role.EMPLOYER: user(Role.EMPLOYER, "recruteur.free@example.org", employer),
        Role.FUNDER: user(Role.FUNDER, "financeur.bdt@example.org", funder),
        Role.LEARNER: user(Role.LEARNER, "apprenant.demo@example.org"),
        "outsider_coordinator": user(
            Role.COORDINATOR, "coord.lyon@example.org", network, other_site
        ),
        "outsider_trainer": user(Role.TRAINER, "formateur.lyon@example.org", afpa, other_site),
        "outsider_prescriber": user(Role.PRESCRIBER, "conseiller.ml@example.org", ml),
        "outsider_employer": user(Role.EMPLOYER, "recruteur.telenco@example.org", other_employer),
        "outsider_learner": user(Role.LEARNER, "autre.apprenant@example.org"),
    }
    running.trainers.add(users[Role.TRAINER])
    upcoming.trainers.add(users[Role.TRAINER])
    # The funder funds Marseille's past and running cohorts, not Lyon's: its dashboards
    # cover those two cohorts only (tremplin/reports/perms.py).
    for funded in (past, running):
        CohortFunding.objects.create(cohort=funded, funder=funder, amount=Decimal("60000"))
    other_cohort.trainers.add(users["outsider_trainer"])
    return World(
        network=network,
        site=site,
        other_site=other_site,
        programme=prog,
        upcoming=upcoming,
        running=running,
        past=past,
        other_cohort=other_cohort,
        france_travail=ft,
        mission_locale=ml,
        employer=employer,
        other_employer=other_employer,
        funder=funder,
        users={str(k): v for k, v in users.items()},
    )


# Objects for the access-matrix and forged-post tests (tests/www), built through the services.


def link_account(person: Any, account: User) -> None:
    """Make ``account`` the learner account of ``person``, as an account invitation would."""
    from tremplin.people.models import Person

    Person.objects.filter(pk=person.pk).update(account=account)


def withdraw_employer_consent(person: Any) -> None:
    """The person withdraws their consent to employers after having been proposed."""
    from tremplin.people.models import Person

    Person.objects.filter(pk=person.pk).update(consent_employers=False)


def ended(world: Any, target: Cohort | None = None, **person: Any) -> Any:
    """An enrolment in the running cohort, completed today: its follow-ups are due."""
    from tremplin.cohorts.services import enrolment_end

    enrolment = enrolled(world, target or world.running, **person)
    enrolment_end(
        enrolment=enrolment,
        outcome="complete",
        by=world.user("coordinator"),
        on_date=timezone.localdate(),
    )
    enrolment.refresh_from_db()
    return enrolment


def communes_loaded(departments: list[str]) -> None:
    """The communes of these departments, loaded unless the table already holds them."""
    from tremplin.geo.communes import load_communes
    from tremplin.geo.models import Commune

    loaded = set(Commune.objects.values_list("department", flat=True).distinct())
    missing = [d for d in departments if d not in loaded]
    if missing:
        load_communes(departments=missing)


def opening(world: Any, employer: Organisation | None = None, **fields: Any) -> Any:
    """An open position at the world's employer (or ``employer``), published by the coordinator."""
    from tremplin.employers.enums import ContractType
    from tremplin.employers.services import opening_create

    # opening_create places the opening with the communes table: the world's sites are in
    # Marseille and Lyon.
    communes_loaded(["13", "69"])
    values: dict[str, Any] = {
        "title": "Technicien·ne de raccordement fibre",
        "rome_code": "I1307",
        "contract_type": ContractType.CDI,
        "commune": "Marseille",
        "positions": 2,
    }
    values.update(fields)
    return opening_create(
        by=world.user("coordinator"), employer=employer or world.employer, **values
    )


def proposal(world: Any, on: Any, enrolment: Any) -> Any:
    """The coordinator proposes the learner of ``enrolment`` for the opening ``on``."""
    from tremplin.employers.services import proposal_create

    return proposal_create(opening=on, enrolment=enrolment, by=world.user("coordinator"))


def finished_task(owner: User, name: str = "indicateurs.csv", content: str = "a;b\n") -> Any:
    """A background task of ``owner``'s that has finished, with a result to download."""
    from tremplin.core.progress import progress_finish, progress_start

    progress = progress_start(
        owner=owner, kind="test_export", label="Export de test", enqueue=lambda pk: None
    )
    progress_finish(progress, result_name=name, result_content=content)
    return progress


IMPORT_HEADER = "nom;prénom;date de naissance;code postal;commune;diplôme;mobilité;consentement"


def import_batch(world: Any, role: str = "prescriber", lines: list[str] | None = None) -> Any:
    """A list uploaded by ``role`` for the upcoming cohort, checked and awaiting confirmation."""
    from tremplin.intake.services import import_batch_create

    lines = lines or [
        "Arnaud;Lina;12/03/1990;13015;Marseille;CAP;Transports en commun;oui",
        "Rossi;Marc;05/11/1979;13003;Marseille;bac;Véhicule personnel;oui",
    ]
    content = "\n".join([IMPORT_HEADER, *lines]).encode()
    return import_batch_create(
        owner=world.user(role), cohort=world.upcoming, filename="liste.csv", content=content
    )


def merged(world: Any) -> Any:
    """Two records of Lina Morel (one misspelt), merged by the coordinator: a merge to undo."""
    from tremplin.people.services import person_merge

    born = datetime.date(1991, 7, 8)
    kept = referral(world, first_name="Lina", last_name="Morel", birth_date=born)
    removed = referral(
        world, world.other_cohort, first_name="Lina", last_name="Morelle", birth_date=born
    )
    return person_merge(kept=kept.person, removed=removed.person, by=world.user("coordinator"))


def complaint(world: Any, **fields: Any) -> Any:
    """A complaint received by the Marseille site about the running cohort, just logged."""
    from tremplin.quality.services import complaint_create

    values: dict[str, Any] = {
        "site": world.site,
        "cohort": world.running,
        "received_on": timezone.localdate(),
        "channel": "email",
        "complainant_kind": "learner",
        "complainant": "",
        "subject": "Fusionneuse en panne au labo fibre",
        "description": "La fusionneuse du poste 3 est en panne depuis une semaine.",
    }
    return complaint_create(by=world.user("coordinator"), **(values | fields))


def improvement_action(world: Any, complaint_: Any = None, **fields: Any) -> Any:
    """An action planned by the coordinator after ``complaint_`` (or the given origin)."""
    from tremplin.quality.services import action_create

    origin = {"complaint": complaint_} if complaint_ is not None else {}
    values: dict[str, Any] = {
        "description": "Renouveler le contrat de maintenance des fusionneuses.",
        "owner": world.user("coordinator"),
        "due_on": timezone.localdate() + datetime.timedelta(days=30),
    }
    return action_create(by=world.user("coordinator"), **(values | origin | fields))


def modules(world: Any) -> dict[str, Any]:
    """The shipped plan's modules for the world's programme, by code."""
    from tremplin.programmes.plans import install_plan, plan_for

    plan = plan_for(world.programme)
    assert plan is not None
    install_plan(programme=world.programme, plan=plan, by=world.user("network_admin"))
    return {m.code: m for m in world.programme.modules.all()}
