"""Load test, step 2: virtual users, each signed in as a role of the plan, browsing its pages.

Read by locust (bench/load/run.py starts it headless). The plan (LOAD_PLAN, JSON written by
bench/load/setup.py) gives the accounts and, per role, the pages: each virtual user takes an
account of its role, signs in through the login form (and the second-factor form when the site
asks for one: the code is computed from the account's TOTP key), then opens pages at random with
a think time of LOAD_WAIT_MIN..LOAD_WAIT_MAX seconds. Requests are named by page (the URL name),
so the figures are per page. Every user also opens the health check now and then: the minimal
view, measured under the same load, that the pages are compared with.
"""

import json
import os
import random
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from django_otp.oath import totp  # pure Python: no Django settings needed
from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
WAIT = (float(os.environ.get("LOAD_WAIT_MIN", "1")), float(os.environ.get("LOAD_WAIT_MAX", "3")))
# Page names as the users' share of visits; pages a role's plan lacks are left out for it.
WEIGHTS = {
    "home": 3,
    "candidacy_list": 3,
    "cohort_list": 2,
    "cohort_detail": 3,
    "person_detail": 3,
    "enrolment_detail": 2,
    "site_dashboard": 2,
    "dashboard": 2,
    "follow_up_list": 1,
    "attendance_sheet": 3,
    "attendance_today": 1,
    "match_run": 1,
    "opening_list": 1,
}
HEALTH_EVERY = 8  # one health check for about this many pages

_pool: dict[str, list[dict[str, Any]]] = defaultdict(list)
for persona in PLAN["personas"]:
    _pool[persona["role"]].append(persona)
_next: dict[str, int] = defaultdict(int)


def _take(role: str) -> dict[str, Any]:
    """The role's next account: coordinators and admins each their own (a TOTP code is single
    use), the shared demo accounts of the other roles round-robin."""
    personas = _pool[role]
    persona = personas[_next[role] % len(personas)]
    _next[role] += 1
    return persona


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_NAME = re.compile(r'\bname="([^"]+)"')
_TYPE = re.compile(r'\btype="([^"]+)"')


def _otp_field(html: str) -> str | None:
    """The name of a one-time code field on the page, if it is a second-factor form."""
    for tag in _INPUT.findall(html):
        name = _NAME.search(tag)
        kind = _TYPE.search(tag)
        input_type = kind.group(1).lower() if kind else "text"
        if not name or input_type in ("hidden", "submit", "checkbox", "password"):
            continue
        if re.search(r"otp|token|code", name.group(1), re.I):
            return name.group(1)
    return None


class Browsing(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        persona = _take(self.role)
        self.pages = {name: urls for name, urls in persona["pages"].items() if urls}
        names = [n for n in self.pages if n in WEIGHTS]
        self.names, self.weights = names, [WEIGHTS[n] for n in names]
        account = persona["account"]
        page = self.client.get("/connexion/", name="login (form)")
        token = _CSRF.search(page.text)
        with self.client.post(
            "/connexion/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": account["email"],
                "password": account["password"],
            },
            headers={"Referer": page.url},
            name="login",
            catch_response=True,
        ) as response:
            field = _otp_field(response.text)
            if field is None and "/connexion/" in response.url:
                response.failure(f"login refused for {account['email']}")
                return
            response.success()
        if field is not None:
            self._second_factor(response, field, account)

    def _second_factor(self, page: Any, field: str, account: dict[str, Any]) -> None:
        if not account["otp_key"]:
            raise RuntimeError(f"{account['email']}: the site asks for a code, no key in the plan")
        token = _CSRF.search(page.text)
        # The code form posts to its own page (with its ?next=): other forms of the page (the
        # menu's sign-out) must not be taken for it.
        url = page.url
        code = totp(bytes.fromhex(account["otp_key"]), step=30, t0=0, digits=6)
        with self.client.post(
            url,
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                field: f"{code:06d}",
            },
            headers={"Referer": page.url},
            name="login (second factor)",
            catch_response=True,
        ) as response:
            if _otp_field(response.text) is not None:
                response.failure(f"second factor refused for {account['email']}")
            else:
                response.success()

    @task(HEALTH_EVERY)
    def page(self) -> None:
        name = random.choices(self.names, self.weights)[0]
        with self.client.get(random.choice(self.pages[name]), name=name, catch_response=True) as r:
            # A page that sends back to the login form has lost the session: an error.
            if r.status_code == 200 and "/connexion/" in r.url:
                r.failure("sent to the login page")

    @task(1)
    def health(self) -> None:
        self.client.get("/sante/", name="health")


class DemoCoordinator(Browsing):
    role, weight = "coordinator_demo", 4


class SiteCoordinator(Browsing):
    role, weight = "coordinator", 6


class NetworkAdmin(Browsing):
    role, weight = "network_admin", 2


class Trainer(Browsing):
    role, weight = "trainer", 2


class Prescriber(Browsing):
    role, weight = "prescriber", 1


class Funder(Browsing):
    role, weight = "funder", 1


@events.test_start.add_listener
def _announce(environment: Any, **kwargs: Any) -> None:
    print(f"plan: {PLAN['counts']}", flush=True)


# Every response time, by name, for run.py: exact percentiles over all pages together (locust's
# CSV has them per name only, and percentiles do not add up).
_samples: list[tuple[str, float, bool, float]] = []


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **kwargs: Any) -> None:
    _samples.append((name, response_time, exception is not None, time.time()))


@events.test_stop.add_listener
def _dump(environment: Any, **kwargs: Any) -> None:
    path = os.environ.get("LOAD_SAMPLES")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(_samples, f)
