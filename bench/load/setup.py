"""Load test, step 1: the demo scaled to a network of SITES sites, its load accounts and pages.

Runs in the database named by DATABASE_URL (the throwaway cluster bench/load/run.py started):
migrates, loads the demo (the Marseille site, its sessions, placements, attendance), then adds
SITES - 1 generated sites to the demo's network with bench/reports.py's seeded generator
(SCALE people across them), builds the learner facts and the nightly rollup, and creates one
login per virtual user (coordinators and network admins get their own account, and a TOTP
device when django-otp is installed, so that two users never replay the same code). Writes
the plan (accounts, and the pages each role visits) as JSON to the path given as argument.
"""

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

SITES = int(os.environ.get("LOAD_SITES", "50"))
SCALE = int(os.environ.get("LOAD_SCALE", "50000"))
# Accounts per role that signs in with a second factor: one per virtual user at most.
ACCOUNTS = int(os.environ.get("LOAD_ACCOUNTS", "60"))
PASSWORD = "charge-tremplin-2026"
SEED = 20261202


def _otp_installed() -> bool:
    return apps.is_installed("django_otp.plugins.otp_totp")


def _account(email: str, template: Any, **fields: Any) -> dict[str, Any]:
    from tremplin.accounts.models import User

    user = User.objects.create_user(
        email,
        PASSWORD,
        role=template.role,
        organisation_id=template.organisation_id,
        site_id=fields.get("site_id", template.site_id),
        first_name="Charge",
        last_name=email.split("@")[0],
        is_staff=template.is_staff,
    )
    key = ""
    if _otp_installed():
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="charge", confirmed=True)
        key = device.key
    return {"email": email, "password": PASSWORD, "otp_key": key}


def _shared(user: Any) -> dict[str, Any]:
    """A demo account without a second factor, shared by several virtual users."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return {"email": user.email, "password": PASSWORD, "otp_key": ""}


def build(out: Path) -> None:
    from tremplin.accounts.models import User
    from tremplin.candidacies.models import Candidacy
    from tremplin.cohorts.models import Cohort, Enrolment
    from tremplin.demo.builder import DEMO_LOGINS, load_demo
    from tremplin.employers.models import MatchRun
    from tremplin.organisations.models import Organisation, Site
    from tremplin.plateau.models import Session
    from tremplin.programmes.models import Programme
    from tremplin.reports.facts import rebuild_learner_facts
    from tremplin.reports.rollup import build_rollup

    t0 = time.perf_counter()
    # run_syncdb: an app whose migrations are not written yet still gets its tables.
    call_command("migrate", verbosity=0, run_syncdb=True)
    print(f"migrated: {time.perf_counter() - t0:.0f} s", flush=True)
    load_demo()
    print(f"demo loaded: {time.perf_counter() - t0:.0f} s", flush=True)
    demo_site = Site.objects.get()
    network = demo_site.network

    import reports as generator  # bench/reports.py: the seeded national-network generator

    generator.SITES = SITES - 1
    # Programme names are unique: the generator's would clash with the demo's.
    demo_programmes = dict(Programme.objects.values_list("pk", "name"))
    for pk, name in demo_programmes.items():
        Programme.objects.filter(pk=pk).update(name=f"{name} (démo)")
    generator.load(SCALE)
    for programme in Programme.objects.exclude(pk__in=demo_programmes):
        programme.name = f"{programme.name} — sites du réseau"
        programme.save(update_fields=["name"])
    for pk, name in demo_programmes.items():
        Programme.objects.filter(pk=pk).update(name=name)
    # The generated sites and programmes join the demo's network: one network of SITES sites.
    generated = Organisation.objects.exclude(pk=network.pk).get(kind="network")
    Site.objects.filter(network=generated).update(network=network)
    Programme.objects.filter(network=generated).update(network=network)
    generated.delete()
    rebuild_learner_facts()
    build_rollup()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"network of {Site.objects.count()} sites: {time.perf_counter() - t0:.0f} s", flush=True)

    rng = random.Random(SEED)
    demo = {login.role: User.objects.get(email=login.email) for login in DEMO_LOGINS}

    def sample(qs: Any, k: int) -> list[Any]:
        ids = list(qs.values_list("pk", flat=True))
        return rng.sample(ids, min(k, len(ids)))

    def site_pages(site: Site) -> dict[str, list[str]]:
        cohorts = Cohort.objects.filter(site=site).order_by("-start_date")
        people = Candidacy.objects.filter(cohort__site=site)
        enrolments = Enrolment.objects.filter(cohort__site=site)
        return {
            "home": [reverse("home")],
            "candidacy_list": [reverse("candidacy_list")],
            "cohort_list": [reverse("cohort_list")],
            "cohort_detail": [reverse("cohort_detail", args=[c]) for c in sample(cohorts[:12], 6)],
            "person_detail": [
                reverse("person_detail", args=[p])
                for p in rng.sample(list(people.values_list("person_id", flat=True)[:400]), 8)
            ],
            "enrolment_detail": [
                reverse("enrolment_detail", args=[e]) for e in sample(enrolments[:300], 6)
            ],
            "site_dashboard": [reverse("site_dashboard", args=[site.pk])],
            "follow_up_list": [reverse("follow_up_list")],
        }

    demo_pages = site_pages(demo_site)
    sessions = Session.objects.filter(cohort__site=demo_site).order_by("-date")
    demo_pages["attendance_sheet"] = [
        reverse("attendance_sheet", args=[s]) for s in sample(sessions[:60], 8)
    ]
    demo_pages["attendance_today"] = [reverse("attendance_today")]
    demo_pages["match_run"] = [
        reverse("match_run", args=[r]) for r in MatchRun.objects.values_list("pk", flat=True)
    ]
    demo_pages["opening_list"] = [reverse("opening_list")]
    demo_pages["dashboard"] = [reverse("dashboard")]
    demo_pages = {k: v for k, v in demo_pages.items() if v}

    other_sites = list(Site.objects.exclude(pk=demo_site.pk).order_by("pk"))
    personas: list[dict[str, Any]] = []
    # Coordinators: the demo site's (all its pages) and the generated sites', each its own.
    coordinator = demo["coordinator"]
    for i in range(ACCOUNTS // 3):
        personas.append(
            {
                "role": "coordinator_demo",
                "account": _account(f"coord.demo.{i}@charge.tremplin.fr", coordinator),
                "pages": demo_pages,
            }
        )
    for site in other_sites[:ACCOUNTS]:
        personas.append(
            {
                "role": "coordinator",
                "account": _account(
                    f"coord.{site.pk}@charge.tremplin.fr", coordinator, site_id=site.pk
                ),
                "pages": site_pages(site),
            }
        )
    admin = demo["network_admin"]
    admin_pages = {
        "home": [reverse("home")],
        "dashboard": [reverse("dashboard")],
        "site_dashboard": [
            reverse("site_dashboard", args=[s]) for s in sample(Site.objects.all(), 20)
        ],
        "candidacy_list": [reverse("candidacy_list")],
        "cohort_list": [reverse("cohort_list")],
        "cohort_detail": [
            reverse("cohort_detail", args=[c])
            for c in sample(Cohort.objects.order_by("-start_date")[:300], 20)
        ],
        "person_detail": demo_pages["person_detail"],
    }
    for i in range(ACCOUNTS // 6):
        personas.append(
            {
                "role": "network_admin",
                "account": _account(f"admin.{i}@charge.tremplin.fr", admin),
                "pages": admin_pages,
            }
        )
    trainer_pages = {
        "home": [reverse("home")],
        "attendance_today": [reverse("attendance_today")],
        "attendance_sheet": demo_pages.get("attendance_sheet", []),
        "cohort_detail": demo_pages["cohort_detail"][:2],
    }
    personas.append(
        {"role": "trainer", "account": _shared(demo["trainer"]), "pages": trainer_pages}
    )
    personas.append(
        {
            "role": "prescriber",
            "account": _shared(demo["prescriber"]),
            "pages": {"home": [reverse("home")], "candidacy_list": [reverse("candidacy_list")]},
        }
    )
    personas.append(
        {
            "role": "funder",
            "account": _shared(demo["funder"]),
            "pages": {"dashboard": [reverse("dashboard")]},
        }
    )
    counts = {
        "sites": Site.objects.count(),
        "cohorts": Cohort.objects.count(),
        "candidacies": Candidacy.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "users": User.objects.count(),
        "otp": _otp_installed(),
    }
    out.write_text(json.dumps({"personas": personas, "counts": counts}, indent=1))
    print(f"plan written ({len(personas)} accounts): {counts}", flush=True)


if __name__ == "__main__":
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        sys.exit("bench/load/setup.py loads into PostgreSQL (DATABASE_URL=postgres://...)")
    build(Path(sys.argv[1]))
