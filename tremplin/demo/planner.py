"""The demo's teaching team, so the upcoming cohort can be planned automatically.

Five trainers on the Marseille plateau: the demo's trainer login and four colleagues who are
not demo logins (no usable password, like the Mission locale advisor). Each has a teaching
profile (the modules they teach, their half-days a week) written through the planner's
services, and a few half-days off during the upcoming cohort (training, leave, a part-time
day), which the planner must work around.
"""

import datetime
from typing import Any

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.cohorts.models import Cohort
from tremplin.planner.services import trainer_profile_set, unavailability_add
from tremplin.programmes.models import Module

DEMO_DOMAIN = "demo.tremplin.fr"

# email, first name, last name: colleagues of the demo's trainer login.
OTHER_TRAINERS = (
    (f"karima.haddad@{DEMO_DOMAIN}", "Karima", "Haddad"),
    (f"julien.marchetti@{DEMO_DOMAIN}", "Julien", "Marchetti"),
    (f"sophie.lambert@{DEMO_DOMAIN}", "Sophie", "Lambert"),
    (f"mehdi.belkacem@{DEMO_DOMAIN}", "Mehdi", "Belkacem"),
)

# Modules taught and half-days a week, by email (None: the demo's trainer login).
PROFILES: dict[str | None, tuple[tuple[str, ...], int]] = {
    None: (("TC01", "FO01", "FO02", "FO03", "FO04"), 8),
    f"karima.haddad@{DEMO_DOMAIN}": (("DC01", "DC02", "DC03", "DC04", "TC03"), 8),
    f"julien.marchetti@{DEMO_DOMAIN}": (("IO01", "IO02", "IO03", "TC02"), 8),
    # Part-time: four days a week, the common core and every track's basics.
    f"sophie.lambert@{DEMO_DOMAIN}": (("TC01", "TC02", "TC03", "FO01", "DC01", "IO01"), 6),
    f"mehdi.belkacem@{DEMO_DOMAIN}": (("FO02", "FO03", "FO04", "DC02", "DC03"), 8),
}


def _weekday_after(start: datetime.date, weeks: int, weekday: int) -> datetime.date:
    monday = start - datetime.timedelta(days=start.weekday())
    return monday + datetime.timedelta(weeks=weeks, days=weekday)


def teaching_team(*, lead: User, coordinator: User, organisation: Any, upcoming: Cohort) -> None:
    """Create the four colleagues, everyone's profile, and their half-days off."""
    trainers: dict[str | None, User] = {None: lead}
    for email, first_name, last_name in OTHER_TRAINERS:
        trainers[email] = User.objects.create_user(
            email,
            None,  # not a demo login: no usable password
            role=Role.TRAINER,
            first_name=first_name,
            last_name=last_name,
            organisation=organisation,
            site=lead.site,
        )
    modules = {m.code: m for m in Module.objects.filter(programme=upcoming.programme)}
    for key, (codes, half_days) in PROFILES.items():
        trainer_profile_set(
            by=coordinator,
            trainer=trainers[key],
            modules=[modules[code] for code in codes if code in modules],
            max_half_days_per_week=half_days,
        )
    start = upcoming.start_date
    off: list[tuple[str | None, datetime.date, str, str]] = [
        # The lead trainer's two days of certification training in the third week.
        (None, _weekday_after(start, 2, 1), "am", "Formation de formateurs"),
        (None, _weekday_after(start, 2, 1), "pm", "Formation de formateurs"),
        (None, _weekday_after(start, 2, 2), "am", "Formation de formateurs"),
        (None, _weekday_after(start, 2, 2), "pm", "Formation de formateurs"),
    ]
    # Sophie does not work on Wednesdays (part-time), for the whole cohort.
    for week in range(18):
        for half in ("am", "pm"):
            off.append(
                (
                    f"sophie.lambert@{DEMO_DOMAIN}",
                    _weekday_after(start, week, 2),
                    half,
                    "Temps partiel",
                )
            )
    # A week of leave for Julien in the eighth week, a jury for Karima.
    for weekday in range(5):
        for half in ("am", "pm"):
            off.append(
                (
                    f"julien.marchetti@{DEMO_DOMAIN}",
                    _weekday_after(start, 7, weekday),
                    half,
                    "Congés",
                )
            )
    off.append(
        (f"karima.haddad@{DEMO_DOMAIN}", _weekday_after(start, 5, 3), "pm", "Jury de certification")
    )
    for key, day, half, reason in off:
        unavailability_add(
            by=coordinator, trainer=trainers[key], date=day, half_day=half, reason=reason
        )
