"""The demo data set: the Marseille Saint-Jérôme reference case (engineering guide §1) in rows.

``load_demo()`` empties every table of the project's models and rebuilds, in one transaction,
a world a visitor can click through: the network *Les Plombiers du Numérique*, the AFPA
Marseille Saint-Jérôme site, its three labs and classroom, the programme with its tracks and
modules, the prescribers, partner employers and funders, the June 2023 cohort from referral to
the 12-month follow-up (with its satisfaction surveys answered), a cohort in training (a week
of sessions by module, its mid-course survey answered), an upcoming cohort in selection, and
one login per role (``DEMO_LOGINS``, password ``DEMO_PASSWORD``).

Rows are written through the project's services (referral, selection, enrolment,
assessments, openings, proposals, follow-ups) so the demo obeys the same rules as real use
and carries the same transition logs and audit entries. Services check dates against
today, and logs take their timestamps from the clock, so each past event is played with the
clock set to its day (``time_machine``, a development dependency: the demo is loaded by
``make run``, which installs it). Only objects no service creates (organisations, sites,
labs, programme and tracks, users) are written with the ORM directly; the programme's modules
come from its plan file through ``programmes.services``.

Organisations and the figures of the reference case are real; every person is fictional.
Dates that must lie ahead (the upcoming cohort) or around today (the cohort in training)
are computed from today, so the demo stays coherent whenever it is loaded.
"""

from __future__ import annotations

import datetime
import graphlib
import random
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.candidacies.models import Candidacy
from tremplin.candidacies.services import PersonData, candidacy_create, candidacy_transition
from tremplin.cohorts.models import Cohort, CompetencyAssessment, Enrolment
from tremplin.cohorts.services import (
    JuryEntry,
    cohort_create,
    cohort_funding_set,
    competency_assess,
    enrol,
    enrolment_end,
    jury_record,
)
from tremplin.eligibility.catalogue import (
    available_catalogues,
    install_catalogue,
    install_default_rules,
)
from tremplin.eligibility.models import Diagnostic, Proof
from tremplin.eligibility.selectors import catalogue_criteria, derived_criteria
from tremplin.eligibility.services import ProofUpload, diagnostic_create, diagnostic_decide
from tremplin.employers.enums import ContractType, WorkingTime
from tremplin.employers.job_search import job_search_save
from tremplin.employers.models import EmployerSite, Opening
from tremplin.employers.services import opening_create, proposal_create, proposal_transition
from tremplin.geo.communes import load_communes
from tremplin.geo.geocoding import CommuneGeocoder
from tremplin.geo.models import Commune
from tremplin.geo.services import person_locate
from tremplin.organisations.enums import OrganisationKind, PrescriberKind
from tremplin.organisations.models import Organisation, Site
from tremplin.outcomes.enums import Milestone, Situation
from tremplin.outcomes.services import follow_up_record, milestone_due_date
from tremplin.people.enums import Diploma, Mobility, Sex
from tremplin.people.models import Person
from tremplin.plateau.enums import LabKind
from tremplin.plateau.models import Equipment, Lab
from tremplin.plateau.services import (
    PlateauError,
    equipment_create,
    equipment_transition,
    session_create,
)
from tremplin.programmes.enums import CompetencyLevel, TrackKind
from tremplin.programmes.frameworks import available_frameworks, install_framework
from tremplin.programmes.models import Competency, CompetencyBlock, Module, Programme, Track
from tremplin.programmes.plans import install_plan, plan_for
from tremplin.quality.enums import SurveyKind
from tremplin.quality.models import SurveyInvitation
from tremplin.quality.questionnaires import questionnaire
from tremplin.quality.services import survey_answer, survey_due_date, survey_send, survey_token

from .attendance import attendance
from .documents import minimal_pdf
from .planner import teaching_team

DEMO_PASSWORD = "tremplin-demo"
DEMO_DOMAIN = "demo.tremplin.fr"

NETWORK_NAME = "Les Plombiers du Numérique"
SITE_NAME = "Marseille – AFPA Saint-Jérôme"
PROGRAMME_NAME = "Techniciens des infrastructures numériques"
JUNE_2023_NAME = "Promo juin 2023"
# The demo's own budget figures (no budget of the real course is public): 7,000 € of training
# per seat of a 12-seat cohort, and a launch grant for the first cohort.
DEMO_TRAINING_FUNDING = Decimal("84000")
DEMO_LAUNCH_FUNDING = Decimal("30000")
JUNE_2023_START = datetime.date(2023, 6, 5)
JUNE_2023_END = datetime.date(2023, 10, 5)
# The dates the reference case and the brief give; used as long as they fit today's date.
CURRENT_COHORT_START = datetime.date(2026, 9, 14)
UPCOMING_COHORT_START = datetime.date(2027, 1, 11)

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    first_name: str
    last_name: str

    @property
    def label(self) -> str:
        return str(Role(self.role).label)


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(Role.NETWORK_ADMIN, f"admin@{DEMO_DOMAIN}", "Hélène", "Garnier"),
    DemoLogin(Role.COORDINATOR, f"coordinatrice@{DEMO_DOMAIN}", "Sandrine", "Moreau"),
    DemoLogin(Role.TRAINER, f"formateur@{DEMO_DOMAIN}", "Frédéric", "Aubert"),
    DemoLogin(Role.PRESCRIBER, f"conseillere@{DEMO_DOMAIN}", "Nathalie", "Ruiz"),
    DemoLogin(Role.EMPLOYER, f"recruteur@{DEMO_DOMAIN}", "Thomas", "Lefèvre"),
    DemoLogin(Role.FUNDER, f"financeur@{DEMO_DOMAIN}", "Isabelle", "Perrin"),
    DemoLogin(Role.LEARNER, f"apprenant@{DEMO_DOMAIN}", "Amina", "Toumi"),
)

# A Mission locale advisor is needed to refer people (a referral takes the advisor's
# organisation); it is not one of the demo logins, so it gets no usable password.
MISSION_LOCALE_ADVISOR = DemoLogin(
    Role.PRESCRIBER, f"conseiller.mission-locale@{DEMO_DOMAIN}", "Romain", "Chevalier"
)


@dataclass
class DemoSummary:
    deleted: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    cohorts: list[str] = field(default_factory=list)


# --- the clock -----------------------------------------------------------------------------


@contextmanager
def _on(day: datetime.date, hour: int = 10, minute: int = 0) -> Iterator[None]:
    """Run the block with the clock stopped at ``day`` ``hour``:``minute``, Paris time."""
    # Imported here so the rest of the project (demo_logins included) never needs it.
    import time_machine

    moment = datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )
    with time_machine.travel(moment, tick=False):
        yield


def _monday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _monday_on_or_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def cohort_label(start: datetime.date) -> str:
    return f"Promo {FRENCH_MONTHS[start.month - 1]} {start.year}"


def current_cohort_start(today: datetime.date) -> datetime.date:
    """2026-09-14 while that cohort is well under way today, else a Monday ~11 weeks ago.

    « Well under way »: past its half (ten weeks of about seventeen), so the mid-course
    survey has been sent and answered.
    """
    if (
        CURRENT_COHORT_START + datetime.timedelta(weeks=10)
        <= today
        <= CURRENT_COHORT_START + relativedelta(months=4) - datetime.timedelta(days=14)
    ):
        return CURRENT_COHORT_START
    return _monday_on_or_before(today - datetime.timedelta(days=77))


def upcoming_cohort_start(today: datetime.date) -> datetime.date:
    return max(UPCOMING_COHORT_START, _monday_on_or_after(today + datetime.timedelta(days=30)))


# --- reset ---------------------------------------------------------------------------------


# Reference tables loaded from public files (load_communes): not demo rows, so a demo reset
# keeps them and ``make run`` need not reload the communes of France each time.
REFERENCE_MODELS = frozenset({"geo.Commune", "geo.CommunePostalCode"})


def project_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("tremplin.") and m._meta.label not in REFERENCE_MODELS
    ]


def deletion_order() -> list[type[models.Model]]:
    """The project's models, each after every project model that points at it."""
    project = set(project_models())
    sorter: graphlib.TopologicalSorter[type[models.Model]] = graphlib.TopologicalSorter()
    for model in project:
        sorter.add(model)
        for f in model._meta.get_fields():
            target = f.related_model
            points_at = (f.many_to_one or f.one_to_one) and f.concrete
            if points_at and target in project and target is not model:
                # ``target`` may only go once ``model`` (which points at it) is gone.
                sorter.add(target, model)
    return list(sorter.static_order())


def reset_demo() -> int:
    """Delete every row of the project's models; returns the number of rows deleted."""
    deleted = 0
    with transaction.atomic():
        for model in deletion_order():
            # A nullable self-reference (an organisation's network) would protect the
            # rows from their own deletion: cut it first.
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is model and f.null:
                    model._default_manager.exclude(**{f.name: None}).update(**{f.name: None})
            count, _ = model._default_manager.all().delete()
            deleted += count
    return deleted


# Where each partner's openings are (postal code, commune): the matching measures commutes
# from the learners' arrondissements to these communes' centres.
WORKPLACES = {
    "freepro": ("13014", "Marseille"),
    "telenco": ("13127", "Vitrolles"),
    "legrand": ("13400", "Aubagne"),
    "azur": ("13290", "Aix-en-Provence"),
    "digitalrealty": ("13002", "Marseille"),
}


# The job search of each learner in training: maximum commute (km), contracts accepted (none:
# any), working time, and past experience in their words.
JOB_SEARCHES: dict[str, tuple[int, tuple[str, ...], str, str]] = {
    "Ba": (25, (), "any", "Agent de sécurité en centre commercial, rondes et vidéosurveillance."),
    "Fabre": (30, ("cdi",), "full", "Électricien en rénovation de logements pendant trois ans."),
    "Larbi": (
        40,
        ("cdi", "cdd"),
        "any",
        "Câbleur en sous-traitance télécom.",
    ),
    "Martinez": (20, (), "any", "Livreur à scooter, puis vendeur en téléphonie mobile."),
    "Mebarki": (15, (), "part", "Aide à domicile ; cherche un temps partiel pour ses enfants."),
    "Ouali": (35, ("cdi", "cdd", "interim"), "full", "Intérimaire dans le BTP, pose de réseaux."),
    "Santoni": (50, (), "any", "Cariste en entrepôt logistique à Vitrolles pendant quatre ans."),
    "Toumi": (25, ("cdi",), "any", "Technicien de maintenance informatique en magasin."),
    "Zerrouki": (30, ("cdi", "professionalisation"), "any", "Employé de rayon, montage de PC."),
}


# --- the people ----------------------------------------------------------------------------


# The demo's fictional people state their sex on the referral form (public-served figures):
# these first names are the women's.
_WOMEN = frozenset(
    {
        "Amina", "Aïssatou", "Farida", "Fatoumata", "Inès", "Laëtitia", "Leïla", "Myriam",
        "Naïma", "Océane", "Salima", "Sylvie", "Élodie",
    }
)  # fmt: skip


@dataclass(frozen=True)
class _Someone:
    first_name: str
    last_name: str
    birth_date: datetime.date
    postal_code: str
    diploma: str
    motivation: str
    job_seeker_since: datetime.date | None
    rsa: bool = False
    licence: bool = False
    mobility: str = Mobility.PUBLIC_TRANSPORT
    qpv: bool = True
    consent_employers: bool = True

    def person_data(self, n: int) -> PersonData:
        slug = unicodedata.normalize("NFKD", f"{self.first_name}.{self.last_name}".lower())
        slug = "".join(ch for ch in slug if not unicodedata.combining(ch)).replace(" ", "-")
        return PersonData(
            first_name=self.first_name,
            last_name=self.last_name,
            birth_date=self.birth_date,
            email=f"{slug}@example.org",
            # ARCEP sets 06 39 98 xx xx aside for fiction: these numbers reach nobody.
            phone=f"06 39 98 {n // 100 % 100:02d} {n % 100:02d}",
            commune="Marseille",
            postal_code=self.postal_code,
            job_seeker_since=self.job_seeker_since,
            receives_rsa=self.rsa,
            qpv_declared=self.qpv,
            highest_diploma=self.diploma,
            has_driving_licence=self.licence,
            mobility=self.mobility,
            consent_programme=True,
            consent_employers=self.consent_employers,
            sex=Sex.FEMALE if self.first_name in _WOMEN else Sex.MALE,
        )


@dataclass(frozen=True)
class _Hire:
    opening: str
    contract: str
    months: int | None
    start: datetime.date
    decided: datetime.date


# One tuple per milestone: exit, 3, 6 and 12 months — (situation, employer, note). An employed
# situation needs an employer (outcomes.services); unnamed ones are described, never invented.
_FollowUps = tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class _JuneLearner:
    who: _Someone
    weak_share: float
    follow_ups: _FollowUps
    hire: _Hire | None = None
    not_retained: tuple[str, str] | None = None
    dropped: tuple[datetime.date, str, str] | None = None


D = datetime.date
S = Situation

JUNE_2023: tuple[_JuneLearner, ...] = (
    _JuneLearner(
        _Someone(
            "Karim",
            "Haddad",
            D(1998, 1, 20),
            "13015",
            Diploma.CAP_BEP,
            "Préparateur de commandes en intérim depuis six ans. Veut un métier technique, "
            "dehors, avec un vrai savoir-faire : la fibre optique.",
            D(2022, 9, 1),
            licence=True,
        ),
        0.04,
        (
            (S.CDI, "Free Pro", "Embauche signée, prise de poste le 16/10/2023."),
            (S.CDI, "Free Pro", "Raccordements FttO en binôme, période d'essai validée."),
            (S.CDI, "Free Pro", ""),
            (S.CDI, "Free Pro", "Intervient désormais seul sur les raccordements."),
        ),
        hire=_Hire("freepro-2023", ContractType.CDI, None, D(2023, 10, 16), D(2023, 10, 2)),
    ),
    _JuneLearner(
        _Someone(
            "Inès",
            "Bouzid",
            D(1996, 3, 8),
            "13003",
            Diploma.BAC,
            "Vendeuse en téléphonie mobile pendant cinq ans. Passionnée d'informatique, "
            "elle vise les datacenters du port de Marseille.",
            D(2022, 4, 11),
            rsa=True,
        ),
        0.07,
        (
            (S.JOB_SEEKING, "", "Entretien prévu chez Azur Datacenter."),
            (S.CDD_LONG, "Azur Datacenter", "CDD de 12 mois, technicienne d'exploitation."),
            (S.CDD_LONG, "Azur Datacenter", ""),
            (S.CDI, "Azur Datacenter", "CDD transformé en CDI."),
        ),
        hire=_Hire("azur-cdd-2023", ContractType.CDD, 12, D(2023, 11, 13), D(2023, 10, 27)),
    ),
    _JuneLearner(
        _Someone(
            "Laëtitia",
            "Roux",
            D(1994, 2, 11),
            "13002",
            Diploma.NONE,
            "Agente d'entretien à temps partiel, mère de deux enfants. Veut un métier "
            "qualifié et mieux payé ; a aimé le tirage de câble à la journée découverte.",
            D(2021, 11, 2),
            rsa=True,
        ),
        0.15,
        (
            (S.JOB_SEEKING, "", ""),
            (S.JOB_SEEKING, "", "Prépare l'AIPR ; candidatures envoyées aux sous-traitants fibre."),
            (
                S.APPRENTICESHIP,
                "Sous-traitant fibre (non nommé)",
                "Contrat de professionnalisation chez un sous-traitant fibre.",
            ),
            (S.APPRENTICESHIP, "Sous-traitant fibre (non nommé)", ""),
        ),
        not_retained=("telenco-2023", "skills"),
    ),
    _JuneLearner(
        _Someone(
            "Moussa",
            "Diallo",
            D(1992, 5, 30),
            "13014",
            Diploma.BAC,
            "Magasinier, a monté des PC pour son quartier. Veut travailler en datacenter.",
            D(2022, 12, 5),
            licence=True,
        ),
        0.03,
        (
            (S.CDI, "Digital Realty", "Embauche signée, prise de poste le 23/10/2023."),
            (S.CDI, "Digital Realty", ""),
            (S.CDI, "Digital Realty", "Habilitation BR obtenue."),
            (S.CDI, "Digital Realty", ""),
        ),
        hire=_Hire("digitalrealty-2023", ContractType.CDI, None, D(2023, 10, 23), D(2023, 10, 3)),
    ),
    _JuneLearner(
        _Someone(
            "Samir",
            "Khelifi",
            D(1990, 4, 2),
            "13015",
            Diploma.CAP_BEP,
            "Ancien électricien du bâtiment, arrêté après un accident de chantier ; "
            "veut revenir au terrain par la fibre.",
            D(2021, 6, 14),
            licence=True,
            mobility=Mobility.CAR,
        ),
        0.05,
        (
            (S.JOB_SEEKING, "", "Promesse d'embauche Free Pro pour décembre."),
            (S.CDI, "Free Pro", ""),
            (S.CDI, "Free Pro", ""),
            (S.CDI, "Free Pro", ""),
        ),
        hire=_Hire("freepro-2023", ContractType.CDI, None, D(2023, 12, 4), D(2023, 11, 14)),
    ),
    _JuneLearner(
        _Someone(
            "Fatoumata",
            "Camara",
            D(1987, 1, 15),
            "13014",
            Diploma.BAC,
            "Agente d'accueil en galerie commerciale. Attirée par la télésurveillance "
            "et les objets connectés.",
            D(2022, 2, 21),
            rsa=True,
        ),
        0.08,
        (
            (S.JOB_SEEKING, "", ""),
            (
                S.INTERIM,
                "Agence d'intérim (non nommée)",
                "Missions d'intérim en installation d'alarmes.",
            ),
            (S.INTERIM, "Agence d'intérim (non nommée)", ""),
            (
                S.CDD_LONG,
                "Entreprise de télésurveillance (non nommée)",
                "CDD de 9 mois dans une entreprise de télésurveillance.",
            ),
        ),
    ),
    _JuneLearner(
        _Someone(
            "Julien",
            "Ferrand",
            D(1985, 3, 22),
            "13013",
            Diploma.CAP_BEP,
            "Manœuvre dans le BTP, le dos fatigue. Cherche un métier technique moins "
            "physique dans les réseaux.",
            D(2023, 1, 9),
            licence=True,
            mobility=Mobility.CAR,
        ),
        0.10,
        (
            (S.CDD_LONG, "Telenco", "CDD de 6 mois, prise de poste le 16/10/2023."),
            (S.CDD_LONG, "Telenco", ""),
            (S.JOB_SEEKING, "", "Fin de CDD, non renouvelé."),
            (S.INTERIM, "Agence d'intérim (non nommée)", "Intérim en raccordement fibre."),
        ),
        hire=_Hire("telenco-2023", ContractType.CDD, 6, D(2023, 10, 16), D(2023, 10, 4)),
    ),
    _JuneLearner(
        _Someone(
            "Mehdi",
            "Saïdi",
            D(1982, 2, 9),
            "13003",
            Diploma.BAC_2,
            "BTS électrotechnique jamais exercé, puis chauffeur VTC. Veut enfin "
            "travailler dans la technique, en datacenter.",
            D(2020, 10, 5),
            rsa=True,
            licence=True,
        ),
        0.06,
        (
            (S.JOB_SEEKING, "", ""),
            (S.JOB_SEEKING, "", "Non retenu chez Digital Realty (poste pourvu)."),
            (S.JOB_SEEKING, "", "Suivi renforcé avec France Travail."),
            (
                S.CDI,
                "Hébergeur marseillais (non nommé)",
                "CDI de technicien datacenter chez un hébergeur marseillais.",
            ),
        ),
        not_retained=("digitalrealty-2023", "position_filled"),
    ),
    _JuneLearner(
        _Someone(
            "Rachid",
            "Amrani",
            D(1979, 5, 1),
            "13016",
            Diploma.CAP_BEP,
            "Chauffeur-livreur pendant quinze ans. Veut un métier d'avenir, à Marseille.",
            D(2022, 7, 18),
            licence=True,
            mobility=Mobility.CAR,
        ),
        0.05,
        (
            (S.JOB_SEEKING, "", "Promesse d'embauche Azur Datacenter."),
            (S.CDI, "Azur Datacenter", ""),
            (S.CDI, "Azur Datacenter", ""),
            (S.CDI, "Azur Datacenter", ""),
        ),
        hire=_Hire("azur-cdi-2023", ContractType.CDI, None, D(2023, 11, 20), D(2023, 11, 2)),
    ),
    _JuneLearner(
        _Someone(
            "Thierry",
            "Gomez",
            D(1976, 4, 18),
            "13013",
            Diploma.CAP_BEP,
            "Agent de sécurité pendant vingt ans ; veut passer du côté technique de la "
            "télésurveillance.",
            D(2022, 10, 3),
        ),
        0.14,
        (
            (S.JOB_SEEKING, "", ""),
            (S.TRAINING, "", "Formation complémentaire en habilitation électrique."),
            (S.JOB_SEEKING, "", ""),
            (
                S.CDD_SHORT,
                "Installateur d'alarmes (non nommé)",
                "CDD de 3 mois en maintenance de systèmes d'alarme.",
            ),
        ),
    ),
    _JuneLearner(
        _Someone(
            "Sylvie",
            "Marchetti",
            D(1973, 9, 2),
            "13013",
            Diploma.CAP_BEP,
            "Coiffeuse pendant 30 ans, a fermé son salon. Veut se reconvertir dans la "
            "télésurveillance et les objets connectés : « j'ai toujours aimé le travail "
            "minutieux ».",
            D(2022, 11, 28),
            rsa=True,
        ),
        0.04,
        (
            (S.JOB_SEEKING, "", "Entretien chez Legrand le 12/10."),
            (S.CDI, "Legrand", "Technicienne objets connectés."),
            (S.CDI, "Legrand", ""),
            (S.CDI, "Legrand", "Forme à son tour les nouveaux arrivants."),
        ),
        hire=_Hire("legrand-2023", ContractType.CDI, None, D(2023, 11, 6), D(2023, 10, 20)),
    ),
    _JuneLearner(
        _Someone(
            "Nordine",
            "Belkacem",
            D(1972, 3, 11),
            "13015",
            Diploma.NONE,
            "Ouvrier du port, licencié économique. Veut se former à un métier qui recrute.",
            D(2022, 3, 7),
            rsa=True,
        ),
        0.20,
        (
            (S.JOB_SEEKING, "", "Sortie anticipée pour s'occuper d'un parent malade."),
            (S.JOB_SEEKING, "", ""),
            (S.INACTIVE, "", ""),
            (S.UNKNOWN, "", "Injoignable."),
        ),
        dropped=(D(2023, 7, 21), "family", "Doit s'occuper d'un parent malade."),
    ),
)

# June 2023 referrals that did not enter the cohort: (who, transitions, reason).
JUNE_2023_NOT_SELECTED: tuple[tuple[_Someone, tuple[str, ...], str], ...] = (
    (
        _Someone(
            "Kévin",
            "Lambert",
            D(1999, 8, 14),
            "13014",
            Diploma.NONE,
            "Veut travailler dans l'informatique.",
            D(2022, 12, 1),
        ),
        ("invite", "position", "refuse"),
        "positioning",
    ),
    (
        _Someone(
            "Farida",
            "Meziane",
            D(1983, 6, 27),
            "13013",
            Diploma.BAC,
            "Reconversion après un congé parental.",
            D(2021, 9, 6),
            rsa=True,
        ),
        ("invite", "refuse"),
        "availability",
    ),
    (
        _Someone(
            "Grégory",
            "Blanc",
            D(1988, 11, 3),
            "13003",
            Diploma.CAP_BEP,
            "Ancien cariste.",
            D(2022, 5, 16),
        ),
        ("invite", "position", "withdraw"),
        "found_job",
    ),
)

# The cohort in training: (who, referrer, fate). Referrer: "ft", "ml" or None (public form).
CURRENT: tuple[tuple[_Someone, str | None, str], ...] = (
    (
        _Someone(
            "Amina",
            "Toumi",
            D(1997, 4, 23),
            "13014",
            Diploma.BAC,
            "Caissière depuis huit ans ; a réparé les ordinateurs de toute sa famille. "
            "Vise un poste de technicienne datacenter.",
            D(2025, 2, 3),
            rsa=True,
        ),
        "ft",
        "enrol",
    ),
    (
        _Someone(
            "Sofiane",
            "Larbi",
            D(1992, 7, 5),
            "13015",
            Diploma.CAP_BEP,
            "Livreur à vélo ; veut un CDI dans la fibre.",
            D(2024, 10, 14),
            licence=True,
        ),
        "ft",
        "enrol",
    ),
    (
        _Someone(
            "Kevin",
            "Martinez",
            D(2003, 2, 17),
            "13016",
            Diploma.CAP_BEP,
            "CAP électricien, a décroché du lycée pro ; veut reprendre un parcours.",
            None,
            mobility=Mobility.TWO_WHEELER,
        ),
        "ml",
        "enrol",
    ),
    (
        _Someone(
            "Yacine",
            "Mebarki",
            D(2004, 9, 30),
            "13013",
            Diploma.BAC,
            "Bac pro SN, cherche un premier emploi dans les réseaux.",
            None,
        ),
        "ml",
        "enrol",
    ),
    (
        _Someone(
            "Élodie",
            "Fabre",
            D(1985, 12, 1),
            "13003",
            Diploma.BAC_2,
            "Assistante administrative ; veut un métier concret, la vidéoprotection l'attire.",
            D(2025, 6, 2),
        ),
        "ft",
        "enrol",
    ),
    (
        _Someone(
            "Jean-Marc",
            "Santoni",
            D(1974, 5, 9),
            "13014",
            Diploma.CAP_BEP,
            "Ancien mécanicien poids lourds ; cherche un métier technique moins physique.",
            D(2024, 3, 11),
            licence=True,
            mobility=Mobility.CAR,
        ),
        "ft",
        "enrol",
    ),
    (
        _Someone(
            "Aïssatou",
            "Ba",
            D(1996, 1, 12),
            "13015",
            Diploma.BAC,
            "Aide-soignante en reconversion ; attirée par les objets connectés.",
            D(2025, 1, 20),
            rsa=True,
        ),
        "ft",
        "enrol",
    ),
    (
        _Someone(
            "Bilal",
            "Ouali",
            D(1999, 10, 26),
            "13013",
            Diploma.CAP_BEP,
            "Préparateur de commandes ; a entendu parler du parcours par un ancien.",
            D(2025, 4, 7),
            licence=True,
        ),
        "ft",
        "enrol",
    ),
    (
        _Someone(
            "Christophe",
            "Pagès",
            D(1981, 8, 8),
            "13002",
            Diploma.CAP_BEP,
            "Peintre en bâtiment, allergies aux solvants ; doit changer de métier.",
            D(2025, 3, 3),
        ),
        "ft",
        "drop_out",
    ),
    (
        _Someone(
            "Hakim",
            "Zerrouki",
            D(1988, 3, 19),
            "13014",
            Diploma.BAC,
            "A vu le reportage sur le parcours et candidate directement.",
            D(2024, 12, 2),
        ),
        None,
        "enrol",
    ),
    (
        _Someone(
            "Myriam",
            "Saadi",
            D(1990, 6, 6),
            "13003",
            Diploma.NONE,
            "Souhaite découvrir les métiers du numérique.",
            D(2025, 5, 12),
            rsa=True,
        ),
        "ft",
        "refuse:positioning",
    ),
    (
        _Someone(
            "Lucas",
            "Giraud",
            D(2002, 11, 21),
            "13013",
            Diploma.BAC,
            "Cherche une formation qualifiante.",
            None,
        ),
        "ml",
        "withdraw:found_job",
    ),
    (
        _Someone(
            "Nabil",
            "Hamidi",
            D(1986, 2, 28),
            "13015",
            Diploma.CAP_BEP,
            "Veut travailler dans la fibre.",
            D(2024, 8, 26),
        ),
        "ft",
        "waitlist:cohort_full",
    ),
)

# The upcoming cohort, one candidacy in every state of selection.
UPCOMING: tuple[tuple[_Someone, str | None, str], ...] = (
    (
        _Someone(
            "Anthony",
            "Navarro",
            D(1991, 5, 14),
            "13013",
            Diploma.CAP_BEP,
            "Technicien de maintenance en industrie, veut se spécialiser dans la fibre.",
            D(2025, 9, 1),
            licence=True,
        ),
        "ft",
        "accepted",
    ),
    (
        _Someone(
            "Franck",
            "Lopez",
            D(1979, 9, 9),
            "13014",
            Diploma.CAP_BEP,
            "Souhaite un poste de bureau.",
            D(2024, 6, 3),
        ),
        "ft",
        "refused:project",
    ),
    (
        _Someone(
            "Océane",
            "Vidal",
            D(2005, 1, 30),
            "13016",
            Diploma.BAC,
            "Bac pro, veut découvrir les datacenters.",
            None,
        ),
        "ml",
        "withdrawn:other_training",
    ),
    (
        _Someone(
            "Leïla",
            "Mansouri",
            D(1993, 7, 3),
            "13003",
            Diploma.BAC,
            "A vu une vidéo des Plombiers du Numérique ; veut un métier qui recrute.",
            D(2025, 11, 17),
            rsa=True,
        ),
        None,
        "waitlisted",
    ),
    (
        _Someone(
            "Naïma",
            "Boukhari",
            D(1984, 10, 12),
            "13015",
            Diploma.BAC_2,
            "Secrétaire médicale ; attirée par la vidéoprotection.",
            D(2025, 7, 7),
        ),
        "ft",
        "positioning",
    ),
    (
        _Someone(
            "Patrick",
            "Arnaud",
            D(1972, 12, 24),
            "13013",
            Diploma.CAP_BEP,
            "Ancien agent de maintenance d'immeubles ; veut travailler en datacenter.",
            D(2025, 3, 24),
            licence=True,
            mobility=Mobility.CAR,
        ),
        "ft",
        "invited",
    ),
    (
        _Someone(
            "Dylan",
            "Morel",
            D(2004, 4, 4),
            "13014",
            Diploma.CAP_BEP,
            "CAP électricien, cherche une formation dans les réseaux.",
            None,
        ),
        "ml",
        "new",
    ),
    # The same young man again, through the public form and misspelt: the « Personnes » page
    # shows the pair as a likely duplicate, for the coordinator to merge.
    (
        _Someone(
            "Dilan",
            "Morel",
            D(2004, 4, 4),
            "13014",
            Diploma.CAP_BEP,
            "Je veux travailler dans la fibre.",
            None,
        ),
        None,
        "new",
    ),
    (
        _Someone(
            "Salima",
            "Kaci",
            D(1989, 8, 16),
            "13002",
            Diploma.BAC,
            "Candidature spontanée : reconversion après dix ans dans la restauration.",
            D(2026, 1, 5),
            rsa=True,
        ),
        None,
        "new",
    ),
)

# Observations a trainer writes when a competency is acquired, by (track, block).
EVIDENCE: dict[tuple[str, str], str] = {
    (TrackKind.FIBRE, "BC01"): (
        "Tirage en fourreau et pose en aérien sur le poteau d'exercice du laboratoire fibre "
        "optique ; balisage et consignes de sécurité respectés."
    ),
    (TrackKind.FIBRE, "BC02"): (
        "Épissures par fusion rangées en cassette selon le plan de boîte ; PBO et PTO "
        "raccordés sur la maquette du laboratoire fibre optique."
    ),
    (TrackKind.FIBRE, "BC03"): (
        "Recette d'une liaison : photomètre et OTDR conformes au bilan optique, dossier de "
        "recette complet."
    ),
    (TrackKind.DATACENTER, "BC01"): (
        "Rack & stack de deux serveurs dans les baies Digital Realty du laboratoire "
        "datacenter, brassage repéré selon le plan de nommage."
    ),
    (TrackKind.DATACENTER, "BC02"): (
        "Remplacement à chaud d'un disque et d'une alimentation selon la procédure du "
        "constructeur ; demande de « remote hands » traitée et compte rendu clair."
    ),
    (TrackKind.DATACENTER, "BC03"): (
        "Habilitation électrique B0/H0V obtenue ; ronde technique et alerte de supervision "
        "simulée traitées selon la procédure d'escalade."
    ),
    (TrackKind.IOT, "BC01"): (
        "Centrale d'intrusion posée, paramétrée et testée au laboratoire télésurveillance ; "
        "procès-verbal de mise en service remis."
    ),
    (TrackKind.IOT, "BC02"): (
        "Caméras IP en PoE raccordées, enregistreur paramétré (conservation, horodatage), "
        "règles de protection de la vie privée appliquées."
    ),
    (TrackKind.IOT, "BC03"): (
        "Capteurs connectés appairés sur la passerelle et suivis depuis la plateforme de "
        "supervision ; visite de maintenance préventive réalisée."
    ),
}
TO_CONSOLIDATE = "À consolider : reprendre l'exercice au laboratoire avec le formateur."
# The order blocks are taught in, and the day of the course each is assessed on.
TEACHING_PLAN: tuple[tuple[str, str, int], ...] = (
    (TrackKind.FIBRE, "BC01", 14),
    (TrackKind.FIBRE, "BC02", 28),
    (TrackKind.FIBRE, "BC03", 42),
    (TrackKind.DATACENTER, "BC01", 56),
    (TrackKind.DATACENTER, "BC02", 70),
    (TrackKind.DATACENTER, "BC03", 84),
    (TrackKind.IOT, "BC01", 98),
    (TrackKind.IOT, "BC02", 105),
    (TrackKind.IOT, "BC03", 112),
)

CONTRACT_SITUATION = {
    ContractType.CDI: Situation.CDI,
    ContractType.CDD: Situation.CDD_LONG,
    ContractType.INTERIM: Situation.INTERIM,
    ContractType.APPRENTICESHIP: Situation.APPRENTICESHIP,
    ContractType.PROFESSIONALISATION: Situation.APPRENTICESHIP,
}


# Criteria no profile field shows, that the advisor learnt in interview, by last name.
EXTRA_CRITERIA: dict[str, tuple[str, ...]] = {
    "Diallo": ("single_parent",),  # élève seul sa fille depuis 2021
    "Roux": ("single_parent",),  # mère de deux enfants, seule
}


# --- the builder ---------------------------------------------------------------------------


class _Builder:
    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.yesterday = today - datetime.timedelta(days=1)
        self.users: dict[str, User] = {}
        self.orgs: dict[str, Organisation] = {}
        self.employer_sites: dict[str, EmployerSite] = {}
        self.openings: dict[str, Opening] = {}
        self.blocks: dict[tuple[str, str], list[Competency]] = {}
        self.phone = 0

    # Organisations, site, labs, programme, users: no service writes them.

    def organisations(self) -> None:
        network = Organisation.objects.create(kind=OrganisationKind.NETWORK, name=NETWORK_NAME)
        self.orgs["network"] = network

        def org(key: str, kind: str, name: str, **extra: Any) -> Organisation:
            self.orgs[key] = Organisation.objects.create(kind=kind, name=name, **extra)
            return self.orgs[key]

        org(
            "afpa",
            OrganisationKind.TRAINING,
            "AFPA Marseille Saint-Jérôme",
            commune="Marseille",
            network=network,
        )
        org(
            "ft",
            OrganisationKind.PRESCRIBER,
            "France Travail Marseille Saint-Jérôme",
            prescriber_kind=PrescriberKind.FRANCE_TRAVAIL,
            is_habilitated=True,
            commune="Marseille",
            network=network,
        )
        org(
            "ml",
            OrganisationKind.PRESCRIBER,
            "Mission locale de Marseille",
            prescriber_kind=PrescriberKind.MISSION_LOCALE,
            commune="Marseille",
            network=network,
        )
        org(
            "impala",
            OrganisationKind.PRESCRIBER,
            "Impala Avenir (incubateur social)",
            prescriber_kind=PrescriberKind.ASSOCIATION,
            network=network,
        )
        for key, name in (
            ("freepro", "Free Pro"),
            ("telenco", "Telenco"),
            ("legrand", "Legrand"),
            ("azur", "Azur Datacenter"),
            ("digitalrealty", "Digital Realty"),
        ):
            employer = org(key, OrganisationKind.EMPLOYER, name)
            commune = WORKPLACES[key][1]
            self.employer_sites[key] = EmployerSite.objects.create(
                employer=employer, name=f"Établissement de {commune} ({name})", commune=commune
            )
        org("bdt", OrganisationKind.FUNDER, "Banque des Territoires")
        org(
            "ft_funder",
            OrganisationKind.FUNDER,
            "France Travail – direction régionale Provence-Alpes-Côte d'Azur",
        )

    def fundings(self, cohorts: list[Cohort]) -> None:
        """France Travail co-funds every cohort's training (GUIDE: Pôle Emploi « refers and
        co-funds »), the Banque des Territoires the first one's start (it co-funded the labs).
        The amounts are the demo's own: no budget of the real course is public."""
        for cohort in cohorts:
            cohort_funding_set(
                by=self.coordinator,
                cohort=cohort,
                funder=self.orgs["ft_funder"],
                amount=DEMO_TRAINING_FUNDING,
                reference=f"AIF-{cohort.start_date:%Y%m}",
            )
        cohort_funding_set(
            by=self.coordinator,
            cohort=cohorts[0],
            funder=self.orgs["bdt"],
            amount=DEMO_LAUNCH_FUNDING,
            reference="BDT-2023-PLATEAU",
        )

    def site_and_labs(self) -> None:
        self.site = Site.objects.create(
            network=self.orgs["network"],
            host=self.orgs["afpa"],
            name=SITE_NAME,
            commune="Marseille",
            address="Quartier Saint-Jérôme, 13013 Marseille",
            yearly_target=20,
        )
        cofunded = "Équipement cofinancé par la Banque des Territoires."
        Lab.objects.create(
            site=self.site,
            name="Laboratoire fibre optique",
            kind=LabKind.FIBRE,
            workstations=12,
            description=(
                "Soudeuses par fusion, photomètres et réflectomètre (OTDR), maquettes de "
                "points de branchement et de mutualisation, poteau et chambre de tirage pour "
                f"les exercices en aérien et en souterrain. {cofunded}"
            ),
        )
        Lab.objects.create(
            site=self.site,
            name="Laboratoire datacenter / serveurs",
            kind=LabKind.DATACENTER,
            workstations=12,
            description=(
                "Baies serveurs données par Digital Realty, serveurs et commutateurs, "
                "panneaux de brassage cuivre et fibre, poste de supervision (température, "
                f"énergie) pour les exercices de « remote hands ». {cofunded}"
            ),
        )
        Lab.objects.create(
            site=self.site,
            name="Laboratoire télésurveillance & objets connectés",
            kind=LabKind.SURVEILLANCE_IOT,
            workstations=12,
            description=(
                "Centrales d'alarme et détecteurs, caméras IP en PoE et enregistreur, "
                "passerelle et capteurs connectés, poste de télésurveillance. "
                f"{cofunded}"
            ),
        )
        Lab.objects.create(
            site=self.site,
            name="Salle de formation",
            kind=LabKind.CLASSROOM,
            workstations=14,
            description=(
                "Salle de cours avec vidéoprojecteur pour le tronc commun : sécurité, "
                "habilitation électrique, recherche d'emploi."
            ),
        )

    def programme(self) -> None:
        self.programme_obj = Programme.objects.create(
            network=self.orgs["network"],
            name=PROGRAMME_NAME,
            duration_months=4,
            description=(
                "Parcours de 4 mois vers les métiers des infrastructures numériques : fibre "
                "optique, datacenter, télésurveillance et objets connectés. Porté par Les "
                "Plombiers du Numérique avec l'AFPA, France Travail, l'incubateur social "
                "Impala Avenir et les employeurs partenaires."
            ),
        )
        for data in available_frameworks():
            certification = install_framework(data)
            Track.objects.create(
                programme=self.programme_obj,
                kind=TrackKind(data.track),
                certification=certification,
            )
            for competency in Competency.objects.filter(
                block__certification=certification
            ).select_related("block"):
                self.blocks.setdefault((data.track, competency.block.code), []).append(competency)
        # The eligibility criteria, and the programme's rule: the reference one (1 level-1 or
        # 2 level-2 criteria, registered with France Travail, 18 to 64), the catalogue's default.
        catalogues = available_catalogues()
        for catalogue in catalogues:
            install_catalogue(catalogue)
        install_default_rules(catalogues[-1].default_rule)
        # The modules of the programme, from its plan file (programmes/plans/).
        plan = plan_for(self.programme_obj)
        if plan is not None:
            install_plan(programme=self.programme_obj, plan=plan)

    def accounts(self) -> None:
        where: dict[str, dict[str, Any]] = {
            Role.NETWORK_ADMIN: {"organisation": self.orgs["network"]},
            Role.COORDINATOR: {"organisation": self.orgs["network"], "site": self.site},
            Role.TRAINER: {"organisation": self.orgs["afpa"], "site": self.site},
            Role.PRESCRIBER: {"organisation": self.orgs["ft"]},
            Role.EMPLOYER: {"organisation": self.orgs["freepro"]},
            Role.FUNDER: {"organisation": self.orgs["bdt"]},
            Role.LEARNER: {},
        }
        # Hashing is slow by design: hash the shared demo password once for every login.
        hashed = make_password(DEMO_PASSWORD)
        for login in DEMO_LOGINS:
            names = {"first_name": login.first_name, "last_name": login.last_name}
            if login.role == Role.NETWORK_ADMIN:
                user = User.objects.create_superuser(
                    login.email, None, **names, **where[login.role]
                )
            else:
                user = User.objects.create_user(
                    login.email, None, role=login.role, **names, **where[login.role]
                )
            user.password = hashed
            user.save(update_fields=["password"])
            self.users[login.role] = user
        self.users["ml"] = User.objects.create_user(
            MISSION_LOCALE_ADVISOR.email,
            None,
            role=MISSION_LOCALE_ADVISOR.role,
            first_name=MISSION_LOCALE_ADVISOR.first_name,
            last_name=MISSION_LOCALE_ADVISOR.last_name,
            organisation=self.orgs["ml"],
        )

    @property
    def coordinator(self) -> User:
        return self.users[Role.COORDINATOR]

    @property
    def trainer(self) -> User:
        return self.users[Role.TRAINER]

    def referrer(self, key: str | None) -> User | None:
        return {"ft": self.users[Role.PRESCRIBER], "ml": self.users["ml"], None: None}[key]

    def refer(
        self, cohort: Cohort, who: _Someone, by: User | None, day: datetime.date
    ) -> Candidacy:
        self.phone += 1
        with _on(day, 9 + self.phone % 8, 5 * (self.phone % 12)):
            return candidacy_create(
                cohort=cohort,
                person_data=who.person_data(self.phone),
                motivation=who.motivation,
                by=by,
            )

    def diagnose(
        self,
        candidacy: Candidacy,
        by: User,
        day: datetime.date,
        *,
        confirm_on: datetime.date | None = None,
    ) -> Diagnostic:
        """The eligibility diagnostic ``by`` makes on ``day``: the criteria the profile shows,
        plus those the advisor learnt in interview (``EXTRA_CRITERIA``), each with its proof
        (a small generated PDF dated a few days before) unless the profile stands as proof.
        A Mission locale diagnostic is confirmed by the coordinator on ``confirm_on``."""
        person = candidacy.person
        extra = EXTRA_CRITERIA.get(person.last_name, ())
        with _on(day, 11, 30):
            criteria = {c.code: c for c in catalogue_criteria()}
            derived = derived_criteria(person, list(criteria.values()), day)
            ticked = [*derived, *extra]
            issued = day - datetime.timedelta(days=5)
            proofs = {
                code: [
                    ProofUpload(
                        f"{code}-{person.last_name.lower()}.pdf",
                        minimal_pdf(
                            criteria[code].proof,
                            [person.full_name, f"Document du {issued:%d/%m/%Y}"],
                        ),
                        issued,
                    )
                ]
                for code in ticked
                if not (code in derived and derived[code].stands_as_proof)
            }
            # Since 2025 the young people a Mission locale follows are registered with France
            # Travail by the Mission locale itself, whatever the referral form said.
            auto_registered = by.organisation_id == self.orgs["ml"].pk
            diagnostic = diagnostic_create(
                candidacy=candidacy,
                by=by,
                criteria=ticked,
                proofs=proofs,
                registered_with_france_travail=person.job_seeker_since is not None
                or auto_registered,
                notes="Inscrit·e à France Travail par la Mission locale."
                if auto_registered and person.job_seeker_since is None
                else "",
            )
        if confirm_on is not None:
            with _on(confirm_on, 16):
                diagnostic_decide(
                    diagnostic=diagnostic,
                    transition="confirm",
                    by=self.coordinator,
                    comment="Justificatifs vérifiés en entretien.",
                )
        return diagnostic

    def move(
        self,
        candidacy: Candidacy,
        steps: tuple[str, ...],
        days: tuple[datetime.date, ...],
        reason: str = "",
        comment: str = "",
    ) -> None:
        for step, day in zip(steps, days, strict=False):
            with _on(day, 14):
                last = step == steps[-1]
                candidacy_transition(
                    candidacy=candidacy,
                    transition=step,
                    by=self.coordinator,
                    reason=reason if last else "",
                    comment=comment if last else "",
                )

    def diagnosis_for(
        self, candidacy: Candidacy, referrer: str | None, referred: datetime.date
    ) -> None:
        """France Travail (habilitated) diagnoses its referrals; the Mission locale's wait for
        the coordinator's confirmation; the coordinator diagnoses public applications."""
        day = min(referred + datetime.timedelta(days=2), self.yesterday)
        if referrer == "ft":
            self.diagnose(candidacy, self.users[Role.PRESCRIBER], day)
        elif referrer == "ml":
            confirm = min(day + datetime.timedelta(days=3), self.yesterday)
            self.diagnose(candidacy, self.users["ml"], day, confirm_on=confirm)
        else:
            self.diagnose(candidacy, self.coordinator, day)

    def assess(
        self,
        enrolments: list[Enrolment],
        start: datetime.date,
        until: datetime.date,
        level_for: Any,
    ) -> None:
        """Assess every block taught by ``until``, for learners still in training then."""
        for track, block, offset in TEACHING_PLAN:
            day = start + datetime.timedelta(days=offset)
            if day > until:
                break
            with _on(day, 16):
                for enrolment in enrolments:
                    enrolment.refresh_from_db(fields=["status", "ended_on"])
                    if enrolment.ended_on is not None and enrolment.ended_on < day:
                        continue
                    for competency in self.blocks[(track, block)]:
                        level = level_for(enrolment, track, block, competency)
                        competency_assess(
                            enrolment=enrolment,
                            competency=competency,
                            level=level,
                            evidence=EVIDENCE[(track, block)]
                            if level == CompetencyLevel.ACQUIRED
                            else TO_CONSOLIDATE,
                            on_date=day,
                            by=self.trainer,
                        )

    def opening(
        self,
        key: str,
        employer: str,
        day: datetime.date,
        *,
        title: str,
        rome_code: str,
        contract_type: str,
        positions: int,
        description: str,
        competencies: Sequence[tuple[str, str]],
        required: Sequence[str],
        working_time: str = WorkingTime.FULL,
    ) -> Opening:
        """An opening desiring the listed blocks' competencies and requiring ``required``
        (codes within those blocks): what recruiters ask first, the rest is a plus."""
        org = self.orgs[employer]
        in_blocks = [c for tb in competencies for c in self.blocks[tb]]
        must = [c for c in in_blocks if c.code in required]
        assert len(must) >= len(required), (key, required)
        postal_code, commune = WORKPLACES[employer]
        # The Free Pro recruiter publishes their own offers; the coordinator keys in those
        # the other partners send by email.
        by = self.users[Role.EMPLOYER] if employer == "freepro" else self.coordinator
        with _on(day, 11):
            self.openings[key] = opening_create(
                by=by,
                employer=org,
                title=title,
                rome_code=rome_code,
                contract_type=contract_type,
                commune=commune,
                postal_code=postal_code,
                positions=positions,
                description=description,
                employer_site=self.employer_sites[employer],
                required_competencies=must,
                desired_competencies=[c for c in in_blocks if c not in must],
                working_time=working_time,
            )
        return self.openings[key]

    def decider(self, opening: Opening) -> User:
        if opening.employer_id == self.orgs["freepro"].pk:
            return self.users[Role.EMPLOYER]
        return self.coordinator

    # --- June 2023 -------------------------------------------------------------------------

    def june_2023(self) -> Cohort:
        with _on(D(2023, 3, 20)):
            cohort = cohort_create(
                by=self.coordinator,
                programme=self.programme_obj,
                site=self.site,
                name=JUNE_2023_NAME,
                start_date=JUNE_2023_START,
                end_date=JUNE_2023_END,
                capacity=12,
                trainers=[self.trainer],
            )
        advisor = self.users[Role.PRESCRIBER]
        selection = (D(2023, 5, 9), D(2023, 5, 16), D(2023, 5, 23))
        candidacies = []
        for i, learner in enumerate(JUNE_2023):
            referred = D(2023, 4, 3) + datetime.timedelta(days=3 * i)
            candidacy = self.refer(cohort, learner.who, advisor, referred)
            self.diagnose(candidacy, advisor, referred + datetime.timedelta(days=2))
            self.move(candidacy, ("invite", "position", "accept"), selection)
            candidacies.append(candidacy)
        for i, (who, steps, reason) in enumerate(JUNE_2023_NOT_SELECTED):
            referred = D(2023, 4, 5) + datetime.timedelta(i * 9)
            candidacy = self.refer(cohort, who, advisor, referred)
            self.diagnose(candidacy, advisor, referred + datetime.timedelta(days=2))
            self.move(candidacy, steps, selection, reason=reason)

        with _on(JUNE_2023_START, 9):
            enrolments = [enrol(candidacy=c, by=self.coordinator) for c in candidacies]
        by_name = {e.candidacy.person.last_name: e for e in enrolments}
        weak = {}
        for learner in JUNE_2023:
            rng = random.Random(f"{learner.who.first_name}-{learner.who.last_name}")
            competencies = [c for group in self.blocks.values() for c in group]
            weak[learner.who.last_name] = {
                c.pk for c in competencies if rng.random() < learner.weak_share
            }

        def level(enrolment: Enrolment, track: str, block: str, competency: Competency) -> str:
            if competency.pk in weak[enrolment.candidacy.person.last_name]:
                return CompetencyLevel.IN_PROGRESS
            return CompetencyLevel.ACQUIRED

        # Drop-outs first (they stop being assessed), then the blocks in teaching order.
        for learner in JUNE_2023:
            if learner.dropped:
                day, reason, comment = learner.dropped
                enrolment = by_name[learner.who.last_name]
                self.assess([enrolment], JUNE_2023_START, day, level)
                with _on(day, 17):
                    enrolment_end(
                        enrolment=enrolment,
                        outcome="drop_out",
                        by=self.coordinator,
                        on_date=day,
                        reason=reason,
                        comment=comment,
                    )
        in_training = [e for e in enrolments if e.status == "in_training"]
        self.assess(in_training, JUNE_2023_START, JUNE_2023_END, level)

        self.june_2023_openings()
        self.june_2023_placements(by_name)
        with _on(JUNE_2023_END, 17):
            for enrolment in in_training:
                enrolment_end(
                    enrolment=enrolment,
                    outcome="complete",
                    by=self.coordinator,
                    on_date=JUNE_2023_END,
                    comment="Attestation de compétences remise.",
                )
        self.june_2023_jury(cohort, in_training)
        self.june_2023_follow_ups(by_name)
        self.june_2023_surveys(cohort)
        return cohort

    def june_2023_jury(self, cohort: Cohort, completed: list[Enrolment]) -> None:
        """The certification jury the day training ended. Each learner sits the title of the
        track where they acquired the most blocks; the jury validates a block whose every
        competency was last assessed « acquis » (the demo's rule, from its own assessments)."""
        latest: dict[tuple[int, int], str] = {}
        for enrolment_id, competency_id, level in (
            CompetencyAssessment.objects.filter(enrolment__in=completed)
            .order_by("assessed_on", "id")
            .values_list("enrolment_id", "competency_id", "level")
        ):
            latest[(enrolment_id, competency_id)] = level
        tracks = list(self.programme_obj.tracks.select_related("certification").order_by("id"))
        entries = []
        for enrolment in completed:
            validated: dict[int, list[CompetencyBlock]] = {}
            for track in tracks:
                validated[track.pk] = [
                    block
                    for block in track.certification.blocks.prefetch_related("competencies")
                    if all(
                        latest.get((enrolment.pk, c.pk)) == CompetencyLevel.ACQUIRED
                        for c in block.competencies.all()
                    )
                ]
            best = max(tracks, key=lambda t: len(validated[t.pk]))
            entries.append(JuryEntry(enrolment, best.certification, frozenset(validated[best.pk])))
        with _on(JUNE_2023_END, 18):
            jury_record(
                by=self.coordinator, cohort=cohort, decided_on=JUNE_2023_END, entries=entries
            )

    def june_2023_openings(self) -> None:
        day = D(2023, 9, 4)
        fibre = [(TrackKind.FIBRE, "BC02"), (TrackKind.FIBRE, "BC03")]
        datacenter = [(TrackKind.DATACENTER, "BC01"), (TrackKind.DATACENTER, "BC02")]
        self.opening(
            "freepro-2023",
            "freepro",
            day,
            title="Monteur raccordeur fibre optique (FttH / FttO)",
            rome_code="I1315",
            contract_type=ContractType.CDI,
            positions=2,
            description="Raccordement de sites professionnels en fibre optique, Marseille.",
            competencies=fibre,
            required=("BC02.2", "BC03.1"),
        )
        self.opening(
            "telenco-2023",
            "telenco",
            day,
            title="Technicien raccordement fibre",
            rome_code="I1315",
            contract_type=ContractType.CDD,
            positions=1,
            description="CDD de 6 mois, renfort sur les chantiers de déploiement.",
            competencies=fibre,
            required=("BC02.1", "BC02.2"),
        )
        self.opening(
            "legrand-2023",
            "legrand",
            day,
            title="Technicienne / technicien systèmes de sécurité et objets connectés",
            rome_code="K2509",
            contract_type=ContractType.CDI,
            positions=1,
            description="Mise en service et suivi de parcs de capteurs et de vidéoprotection.",
            competencies=[(TrackKind.IOT, "BC02"), (TrackKind.IOT, "BC03")],
            required=("BC02.2", "BC03.2"),
        )
        self.opening(
            "azur-cdi-2023",
            "azur",
            day,
            title="Technicien datacenter",
            rome_code="I1403",
            contract_type=ContractType.CDI,
            positions=1,
            description="Exploitation et interventions en salle, travail en 3×8 possible.",
            competencies=datacenter,
            required=("BC01.2", "BC02.1"),
        )
        self.opening(
            "azur-cdd-2023",
            "azur",
            day,
            title="Technicien d'exploitation datacenter (remplacement)",
            rome_code="I1403",
            contract_type=ContractType.CDD,
            positions=1,
            description="CDD de 12 mois.",
            competencies=datacenter,
            required=("BC02.1",),
        )
        self.opening(
            "digitalrealty-2023",
            "digitalrealty",
            day,
            title="Technicien datacenter « remote hands »",
            rome_code="I1403",
            contract_type=ContractType.CDI,
            positions=1,
            description="Interventions pour les clients hébergés sur le campus de Marseille.",
            competencies=[*datacenter, (TrackKind.DATACENTER, "BC03")],
            required=("BC01.2", "BC02.3"),
        )

    def june_2023_placements(self, by_name: dict[str, Enrolment]) -> None:
        proposals = {}
        with _on(D(2023, 9, 11), 15):
            for learner in JUNE_2023:
                target = learner.hire.opening if learner.hire else None
                target = target or (learner.not_retained[0] if learner.not_retained else None)
                if target is None:
                    continue
                proposals[learner.who.last_name] = proposal_create(
                    opening=self.openings[target],
                    enrolment=by_name[learner.who.last_name],
                    by=self.coordinator,
                    note="Rencontré·e lors du job dating du plateau technique.",
                )
        with _on(D(2023, 9, 19), 10):
            for proposal in proposals.values():
                proposal_transition(
                    proposal=proposal, transition="interview", by=self.decider(proposal.opening)
                )
        # Decisions in date order, so a position filled first closes its opening first.
        decisions: list[tuple[datetime.date, _JuneLearner]] = []
        for learner in JUNE_2023:
            if learner.hire:
                decisions.append((learner.hire.decided, learner))
            elif learner.not_retained:
                decisions.append((D(2023, 10, 10), learner))
        for day, learner in sorted(decisions, key=lambda d: d[0]):
            proposal = proposals[learner.who.last_name]
            with _on(day, 11):
                if learner.hire:
                    proposal_transition(
                        proposal=proposal,
                        transition="hire",
                        by=self.decider(proposal.opening),
                        contract_type=learner.hire.contract,
                        contract_months=learner.hire.months,
                        start_date=learner.hire.start,
                        weekly_hours=Decimal(35),
                    )
                elif learner.not_retained:
                    proposal_transition(
                        proposal=proposal,
                        transition="not_retain",
                        by=self.decider(proposal.opening),
                        reason=learner.not_retained[1],
                    )

    def june_2023_follow_ups(self, by_name: dict[str, Enrolment]) -> None:
        milestones = (Milestone.EXIT, Milestone.M3, Milestone.M6, Milestone.M12)
        for learner in JUNE_2023:
            enrolment = by_name[learner.who.last_name]
            enrolment.refresh_from_db()
            for milestone, (situation, employer, note) in zip(
                milestones, learner.follow_ups, strict=True
            ):
                due = milestone_due_date(enrolment, milestone)
                assert due is not None
                day = due if milestone == Milestone.EXIT else due + datetime.timedelta(days=3)
                with _on(day, 15):
                    follow_up_record(
                        enrolment=enrolment,
                        milestone=milestone,
                        situation=situation,
                        recorded_on=day,
                        by=self.coordinator,
                        employer_name=employer,
                        note=note,
                    )

    # --- the equipment of the plateau (fictional serial numbers, prefixed DEMO) -------------

    def plateau_equipment(self) -> None:
        labs = {lab.kind: lab for lab in Lab.objects.filter(site=self.site)}
        donations = [
            # lab, type, count, serial prefix, donor, donation date
            ("datacenter", "rack_42u", 4, "DEMO-DR-RACK", "digitalrealty", D(2023, 2, 6)),
            ("datacenter", "server", 6, "DEMO-DR-SRV", "digitalrealty", D(2023, 2, 6)),
            ("datacenter", "pdu", 4, "DEMO-DR-PDU", "digitalrealty", D(2023, 2, 6)),
            ("datacenter", "switch", 3, "DEMO-FP-SW", "freepro", D(2023, 2, 20)),
            ("fibre", "fusion_splicer", 4, "DEMO-TL-FSP", "telenco", D(2023, 2, 13)),
            ("fibre", "otdr", 2, "DEMO-TL-OTDR", "telenco", D(2023, 2, 13)),
            ("fibre", "power_meter", 6, "DEMO-FP-PM", "freepro", D(2023, 2, 20)),
            ("surveillance_iot", "ip_camera", 6, "DEMO-LG-CAM", "legrand", D(2023, 2, 27)),
            ("surveillance_iot", "sensor_gateway", 3, "DEMO-LG-GW", "legrand", D(2023, 2, 27)),
        ]
        made = []
        for lab, kind, count, prefix, donor, day in donations:
            for n in range(1, count + 1):
                made.append(
                    equipment_create(
                        by=self.coordinator,
                        lab=labs[lab],
                        type=kind,
                        serial_number=f"{prefix}-{n:03d}",
                        donor=self.orgs[donor],
                        donated_on=day,
                    )
                )
        # One splicer is away for repair, as happens: the inventory shows it.
        splicer = next(e for e in made if e.serial_number == "DEMO-TL-FSP-004")
        equipment_transition(
            equipment=splicer,
            transition="send_to_repair",
            by=self.coordinator,
            notes="Électrodes usées, renvoyée au fabricant pour maintenance.",
        )

    def week_of_sessions(self, cohort: Cohort) -> None:
        """This week's (or, at a weekend, next week's) half-days of the cohort in training:
        FTTH connection in the mornings, server maintenance in the afternoons, IP cameras on
        Thursday afternoon; each session books the equipment its module needs."""
        monday = self.today - datetime.timedelta(days=self.today.weekday())
        if self.today.weekday() >= 5:
            monday += datetime.timedelta(days=7)
        labs = {lab.kind: lab for lab in Lab.objects.filter(site=self.site)}
        modules = {m.code: m for m in Module.objects.filter(programme=cohort.programme)}
        plan = [("am", "FO03"), ("pm", "DC03")]
        for offset in range(5):
            day = monday + datetime.timedelta(days=offset)
            for half_day, code in plan if offset != 4 else [plan[0]]:
                if offset == 3 and half_day == "pm":
                    code = "IO02"
                module = modules[code]
                lab = labs[module.lab_kind]
                equipment = [
                    Equipment.objects.filter(lab=lab, type=kind, status="in_service")
                    .order_by("serial_number")
                    .first()
                    for kind in module.equipment_types
                ]
                try:
                    session_create(
                        by=self.coordinator,
                        cohort=cohort,
                        date=day,
                        half_day=half_day,
                        trainer=self.trainer,
                        lab=lab,
                        equipment=[e for e in equipment if e is not None],
                        module=module,
                    )
                except PlateauError:
                    # A public holiday or a day outside the cohort: the demo skips it, as
                    # the coordinator's planning would.
                    continue

    # --- satisfaction surveys, sent and answered through the quality services --------------

    def survey_round(
        self, cohort: Cohort, kind: str, sent_on: datetime.date, comments: Sequence[str]
    ) -> None:
        """Send survey ``kind`` on ``sent_on``; five learners in six answer within the week."""
        with _on(sent_on, 9):
            # No sender: the daily ``send_due_surveys`` does it, as in real use.
            survey_send(cohort=cohort, kind=kind, by=None, today=sent_on, deliver=False)
        invitations = SurveyInvitation.objects.filter(
            enrolment__cohort=cohort, kind=kind, answered_at__isnull=True
        ).order_by("id")
        rng = random.Random(f"{cohort.name}-{kind}")
        questions = questionnaire(kind)
        for n, invitation in enumerate(invitations):
            if n % 6 == 5:
                continue
            answers: dict[str, Any] = {}
            for question in questions:
                if question.is_scale:
                    answers[question.code] = rng.choices((2, 3, 4, 5), weights=(1, 3, 7, 6))[0]
                elif n % 2 == 0:
                    answers[question.code] = comments[n // 2 % len(comments)]
            day = min(sent_on + datetime.timedelta(days=1 + n % 6), self.yesterday)
            with _on(day, 19, n):
                survey_answer(token=survey_token(invitation), answers=answers)

    def june_2023_surveys(self, cohort: Cohort) -> None:
        self.survey_round(
            cohort,
            SurveyKind.HOT,
            survey_due_date(cohort, SurveyKind.HOT),
            (
                "Le plateau technique fait la différence : on apprend sur du vrai matériel.",
                "Un peu court sur la partie datacenter, j'aurais aimé plus de pratique.",
                "Les rencontres avec les employeurs m'ont aidé à décrocher un entretien.",
                "Les formateurs sont patients et expliquent jusqu'à ce qu'on ait compris.",
            ),
        )
        self.survey_round(
            cohort,
            SurveyKind.COLD,
            survey_due_date(cohort, SurveyKind.COLD),
            (
                "Je soude tous les jours chez mon employeur : la formation m'a servi.",
                "Il faudrait plus de préparation aux entretiens d'embauche.",
                "Le suivi de la coordinatrice après la formation m'a bien aidé.",
            ),
        )

    def current_surveys(self, cohort: Cohort) -> None:
        due = survey_due_date(cohort, SurveyKind.MID)
        if due > self.yesterday:
            return
        self.survey_round(
            cohort,
            SurveyKind.MID,
            due,
            (
                "Plus de temps sur les soudeuses : on attend parfois son tour.",
                "Le planning de la semaine suivante arrive tard le vendredi.",
                "Très bonne ambiance, on s'entraide entre filières.",
            ),
        )

    # --- the cohort in training ------------------------------------------------------------

    def current(self) -> Cohort:
        start = current_cohort_start(self.today)
        with _on(start - datetime.timedelta(days=100)):
            cohort = cohort_create(
                by=self.coordinator,
                programme=self.programme_obj,
                site=self.site,
                name=cohort_label(start),
                start_date=start,
                capacity=12,
                trainers=[self.trainer],
            )
        selection = tuple(start - datetime.timedelta(days=d) for d in (21, 14, 7))
        enrolments: list[Enrolment] = []
        to_enrol: list[tuple[_Someone, Candidacy, str]] = []
        for i, (who, referrer, fate) in enumerate(CURRENT):
            day = start - datetime.timedelta(days=80 - 4 * i)
            candidacy = self.refer(cohort, who, self.referrer(referrer), day)
            self.diagnosis_for(candidacy, referrer, day)
            if fate in ("enrol", "drop_out"):
                self.move(candidacy, ("invite", "position", "accept"), selection)
                to_enrol.append((who, candidacy, fate))
            elif fate == "refuse:positioning":
                self.move(
                    candidacy, ("invite", "position", "refuse"), selection, reason="positioning"
                )
            elif fate == "withdraw:found_job":
                self.move(
                    candidacy,
                    ("invite", "withdraw"),
                    selection,
                    reason="found_job",
                    comment="A signé un CDD de préparateur de commandes.",
                )
            elif fate == "waitlist:cohort_full":
                self.move(candidacy, ("invite", "position", "waitlist"), selection)
                self.move(
                    candidacy,
                    ("refuse",),
                    (start - datetime.timedelta(days=2),),
                    reason="cohort_full",
                    comment="Proposé en priorité pour la promotion suivante.",
                )
        learner_account = self.users[Role.LEARNER]
        learner_names = (learner_account.first_name, learner_account.last_name)
        dropped: list[Enrolment] = []
        with _on(start, 9):
            for who, candidacy, fate in to_enrol:
                enrolment = enrol(candidacy=candidacy, by=self.coordinator)
                enrolments.append(enrolment)
                if fate == "drop_out":
                    dropped.append(enrolment)
                if (who.first_name, who.last_name) == learner_names:
                    # No service links a learner's account to their record yet.
                    person = candidacy.person
                    person.account = learner_account
                    person.email = learner_account.email
                    person.save(update_fields=["account", "email"])
                    learner_account.date_joined = timezone.now()
                    learner_account.save(update_fields=["date_joined"])

        rng = random.Random("promo-en-cours")

        def level(enrolment: Enrolment, track: str, block: str, competency: Competency) -> str:
            # The block taught last is still being worked on; earlier ones are mostly acquired.
            latest = (start + datetime.timedelta(days=_offset(track, block))) > (
                self.yesterday - datetime.timedelta(days=14)
            )
            share = 0.55 if latest else 0.1
            return CompetencyLevel.IN_PROGRESS if rng.random() < share else CompetencyLevel.ACQUIRED

        drop_day = min(start + datetime.timedelta(days=30), self.yesterday)
        for enrolment in dropped:
            self.assess([enrolment], start, drop_day, level)
            with _on(drop_day, 17):
                enrolment_end(
                    enrolment=enrolment,
                    outcome="drop_out",
                    by=self.coordinator,
                    on_date=drop_day,
                    reason="health",
                    comment="Arrêt maladie de longue durée.",
                )
        in_training = [e for e in enrolments if e not in dropped]
        self.assess(in_training, start, self.yesterday, level)
        self.current_placements(start, in_training)
        self.current_job_searches(in_training)
        self.current_surveys(cohort)
        return cohort

    def current_placements(self, start: datetime.date, in_training: list[Enrolment]) -> None:
        published = max(start + datetime.timedelta(days=35), self.today - datetime.timedelta(40))
        published = min(published, self.yesterday)
        self.opening(
            "freepro-national",
            "freepro",
            published,
            title="Technicien d'intervention fibre optique (FttH / FttO)",
            rome_code="I1315",
            contract_type=ContractType.CDI,
            positions=40,
            description=(
                "Environ 40 postes ouverts en France : Provence-Alpes-Côte d'Azur, Occitanie, "
                "Auvergne-Rhône-Alpes, Île-de-France. Prise de poste possible à Marseille. "
                "Beaucoup d'offres restent non pourvues faute de compétences."
            ),
            competencies=[(TrackKind.FIBRE, "BC02"), (TrackKind.FIBRE, "BC03")],
            required=("BC02.1", "BC03.1"),  # splicing is taught again on the job
        )
        self.opening(
            "digitalrealty-2026",
            "digitalrealty",
            published,
            title="Technicien datacenter « remote hands »",
            rome_code="I1403",
            contract_type=ContractType.CDI,
            positions=2,
            description=(
                "Campus de Marseille ; Marseille est le 7e hub mondial de câbles sous-marins."
            ),
            competencies=[(TrackKind.DATACENTER, "BC01"), (TrackKind.DATACENTER, "BC02")],
            required=("BC01.2", "BC02.1"),
        )
        self.opening(
            "azur-2026",
            "azur",
            published,
            title="Technicien de maintenance informatique en datacenter",
            rome_code="I1401",
            contract_type=ContractType.PROFESSIONALISATION,
            positions=2,
            description="Contrat de professionnalisation de 12 mois, embauche visée à l'issue.",
            competencies=[(TrackKind.DATACENTER, "BC02")],
            required=("BC02.1",),
        )
        self.opening(
            "telenco-2026",
            "telenco",
            published,
            title="Monteur raccordeur fibre optique",
            rome_code="I1315",
            contract_type=ContractType.CDD,
            positions=3,
            description="CDD de 6 mois renouvelable.",
            competencies=[(TrackKind.FIBRE, "BC01"), (TrackKind.FIBRE, "BC02")],
            required=("BC01.3", "BC02.1"),
        )
        self.opening(
            "legrand-2026",
            "legrand",
            published,
            title="Technicien télésurveillance et objets connectés",
            rome_code="K2509",
            contract_type=ContractType.CDI,
            positions=1,
            description="Supervision de parcs de capteurs et de systèmes d'alarme.",
            competencies=[(TrackKind.IOT, "BC03")],
            required=("BC03.3",),
        )
        by_name = {e.candidacy.person.last_name: e for e in in_training}
        proposed = min(published + datetime.timedelta(days=7), self.yesterday)
        plan = (
            ("Larbi", "freepro-national", True),
            ("Ouali", "freepro-national", False),
            ("Toumi", "digitalrealty-2026", False),
            ("Ba", "legrand-2026", True),
        )
        for last_name, opening, interview in plan:
            with _on(proposed, 15):
                proposal = proposal_create(
                    opening=self.openings[opening],
                    enrolment=by_name[last_name],
                    by=self.coordinator,
                    note=("À l'aise sur le plateau technique ; disponible dès la fin du parcours."),
                )
            if interview:
                with _on(min(proposed + datetime.timedelta(days=3), self.yesterday), 11):
                    proposal_transition(
                        proposal=proposal, transition="interview", by=self.decider(proposal.opening)
                    )

    def current_job_searches(self, in_training: list[Enrolment]) -> None:
        """What each learner of the cohort in training looks for, as told to the coordinator."""
        for enrolment in in_training:
            last_name = enrolment.candidacy.person.last_name
            max_km, contracts, working_time, experience = JOB_SEARCHES[last_name]
            with _on(self.yesterday, 16):
                job_search_save(
                    by=self.coordinator,
                    enrolment=enrolment,
                    max_km=max_km,
                    contracts=list(contracts),
                    working_time=working_time,
                    experience=experience,
                )

    # --- the upcoming cohort ---------------------------------------------------------------

    def upcoming(self) -> Cohort:
        start = upcoming_cohort_start(self.today)
        with _on(self.today - datetime.timedelta(days=50)):
            cohort = cohort_create(
                by=self.coordinator,
                programme=self.programme_obj,
                site=self.site,
                name=cohort_label(start),
                start_date=start,
                capacity=12,
                trainers=[self.trainer],
            )
        paths: dict[str, tuple[tuple[str, ...], str, str]] = {
            "new": ((), "", ""),
            "invited": (("invite",), "", ""),
            "positioning": (("invite", "position"), "", ""),
            "accepted": (("invite", "position", "accept"), "", ""),
            "waitlisted": (("invite", "position", "waitlist"), "", ""),
            "refused:project": (
                ("invite", "position", "refuse"),
                "project",
                "Souhaite un poste sédentaire de bureau ; réorienté vers sa conseillère.",
            ),
            "withdrawn:other_training": (
                ("invite", "withdraw"),
                "other_training",
                "A choisi un BTS en alternance.",
            ),
        }
        for i, (who, referrer, fate) in enumerate(UPCOMING):
            referred = self.today - datetime.timedelta(days=40 - 5 * i)
            candidacy = self.refer(cohort, who, self.referrer(referrer), referred)
            if fate == "new" and referrer == "ml":
                # The Mission locale's diagnostic waits for the coordinator's confirmation.
                self.diagnose(candidacy, self.users["ml"], min(referred, self.yesterday))
            elif fate not in ("new", "withdrawn:other_training"):
                self.diagnosis_for(candidacy, referrer, referred)
            steps, reason, comment = paths[fate]
            days = tuple(
                min(referred + datetime.timedelta(days=d), self.yesterday) for d in (4, 9, 12)
            )
            if steps:
                self.move(candidacy, steps, days, reason=reason, comment=comment)
        return cohort


def _offset(track: str, block: str) -> int:
    return next(o for t, b, o in TEACHING_PLAN if (t, b) == (track, block))


def build_demo(today: datetime.date | None = None) -> DemoSummary:
    """Write the demo into an empty database (see ``load_demo``)."""
    builder = _Builder(today or timezone.localdate())
    if not Commune.objects.filter(department="13").exists():
        # Placement measures commutes between commune centroids: the demo's people and
        # openings are all in the Bouches-du-Rhône.
        load_communes(departments=["13"])
    with _on(D(2023, 3, 1), 9):
        builder.organisations()
        builder.site_and_labs()
        builder.programme()
        builder.accounts()
        builder.plateau_equipment()
    cohorts = [builder.june_2023(), builder.current(), builder.upcoming()]
    builder.fundings(cohorts)
    builder.week_of_sessions(cohorts[1])
    attendance(cohorts[1], builder.coordinator, builder.users[Role.LEARNER], builder.today)
    # Four more trainers and everyone's teaching profile, so the upcoming cohort can be planned.
    teaching_team(
        lead=builder.trainer,
        coordinator=builder.coordinator,
        organisation=builder.orgs["afpa"],
        upcoming=cohorts[2],
    )
    for person in Person.objects.order_by("pk"):
        # No one in the demo gave a street address: each is placed at their commune's (or
        # Marseille arrondissement's) centre, as a real referral without one would be.
        person_locate(person=person, geocoder=CommuneGeocoder())
    summary = DemoSummary(cohorts=[f"{c.name} ({c.start_date:%d/%m/%Y})" for c in cohorts])
    for model in project_models():
        summary.counts[model._meta.label] = model._default_manager.count()
    return summary


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def load_demo() -> DemoSummary:
    """Empty the project's tables and build the demo, all in one transaction."""
    # The services notify prescribers by email on each decision: the demo's advisors are
    # fictional, and the console would fill with some sixty messages.
    with (
        override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        ),
        transaction.atomic(),
    ):
        old_files = list(Proof.objects.values_list("file", flat=True))
        deleted = reset_demo()
        summary = build_demo()
        transaction.on_commit(lambda: _delete_files(old_files))
    summary.deleted = deleted
    return summary
