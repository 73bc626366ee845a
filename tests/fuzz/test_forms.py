"""Hostile bodies and query strings on every page of the access matrix: never a 500.

For each URL of ACCESS (tests/www/test_access_matrix.py), as a role the matrix lets in, the
page's own forms are read (the field names of the forms posting or getting to that URL; for a
POST-only view, the forms of the page it sends back to) and hypothesis sends them random and
hostile values: huge strings, unicode, NUL bytes, SQL and HTML injection, negative and huge
numbers, impossible dates, lists, missing fields, other objects' ids. POST-capable URLs get
bodies, the others query strings.

Properties: no exception and no 500; and when the answer is a refusal of the form (the form
again with its errors, or a redirect with an error message), no row of the project's tables
changed.
"""

import re
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import ERROR, get_messages
from django.forms import BaseForm
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.auth import log_in
from tests.fuzz.conftest import rolled_back
from tests.www.test_access_matrix import ACCESS, LOGIN, Redirect

pytestmark = pytest.mark.django_db

# A role the matrix lets in, in this order of preference.
PREFERENCE = (
    "coordinator",
    "trainer",
    "network_admin",
    "prescriber",
    "employer",
    "funder",
    "learner",
    "anonymous",
)
# Pages that read forms but whose own URL shows none (the POST goes elsewhere) still get the
# usual field names of the site's forms, so a page without a form is not fuzzed with nothing.
COMMON_NAMES = ("transition", "reason", "comment", "note", "kind", "year", "page", "q", "format")
# Views that accept a POST besides those marked method="post" in ACCESS: the forms posting to
# themselves are found on the page; a logout would log the client out for the next example.
SKIPPED = {"logout"}

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "-0",
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "9" * 5000,
    "١٢٣",  # Arabic-Indic digits: int() accepts them
    "on",
    "true",
    "new",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "31/12/1899",
    "2026-11-30T25:61",
    "' OR 1=1 --",
    "1; DROP TABLE people_person",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request }}{% debug %}",
    "../../etc/passwd",
    "\x00",
    "a\x00b",
    "\u202etxt.exe",
    "🇫🇷👩🏽‍🔧",
    "\ud7ff\ufffd\uffff",
    "1 85 05 78 006 084 36",  # NIR-shaped
    '=HYPERLINK("http://x")',
    "x" * 100_000,
    "1:1",
    "999999999:1",
]


def values(ids: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from(ids),
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.dates().map(lambda d: d.isoformat()),
    )


def bodies(names: list[str], ids: list[str]) -> st.SearchStrategy[dict[str, list[str]]]:
    """A body: some of the form's fields (none to several values each), and stray fields."""
    keys = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12))
    return st.dictionaries(keys, st.lists(values(ids), max_size=3), max_size=len(names) + 2)


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
FIELD = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"', re.I)


def form_fields(html: str, url: str) -> dict[str, set[str]]:
    """The field names of the page's forms that send to ``url``, by method."""
    found: dict[str, set[str]] = {"get": set(), "post": set()}
    for attributes, body in FORM.findall(html):
        attrs = dict(ATTRIBUTE.findall(attributes))
        action = urlsplit(unescape(attrs.get("action", ""))).path
        if action not in ("", url):
            continue
        method = attrs.get("method", "get").lower()
        names = set(FIELD.findall(body)) - {"csrfmiddlewaretoken"}
        found.setdefault(method, set()).update(names)
    return found


def role_for(name: str) -> str:
    """A role that reaches the page itself (200), else one the matrix sends on (redirect)."""
    expect = ACCESS[name].expect
    for wanted in (lambda o: o == 200, lambda o: isinstance(o, Redirect) and o != LOGIN):
        for role in PREFERENCE:
            if wanted(expect[role]):
                return role
    # Nobody gets in (forged links): the fuzz still must not break the refusal.
    return "anonymous"


def client_as(world: Any, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        log_in(client, world.user(role))
    return client


# Tables above this size (communes, frameworks, the eligibility catalogue: reference data the
# pages only read) are compared by their row count; the others row by row.
SMALL_TABLE = 300


def watched_models() -> tuple[list[Any], list[Any]]:
    """The project's models: (small tables, large tables) in the shared world."""
    models = [m for m in apps.get_models() if m.__module__.startswith("tremplin.")]
    small = [m for m in models if m._default_manager.count() <= SMALL_TABLE]
    return small, [m for m in models if m not in small]


def database_state(watched: tuple[list[Any], list[Any]]) -> dict[str, Any]:
    small, large = watched
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in small} | {
        m._meta.label: m._default_manager.count() for m in large
    }


def refused(response: Any) -> bool:
    """A refusal of the form: the form again with its errors, or back with an error message."""
    if response.status_code == 302:
        return any(m.level == ERROR for m in get_messages(response.wsgi_request))
    if response.status_code == 200 and response.context is not None:
        return any(
            isinstance(value, BaseForm) and value.is_bound and value.errors
            for context in response.context
            for value in context.flatten().values()
        )
    return False


def discover(client: Client, name: str, url: str) -> tuple[str, list[str]]:
    """How to fuzz ``url``: its method, and the field names of its forms."""
    page = ACCESS[name]
    with rolled_back():
        if page.method == "post":
            response = client.post(url)
            html = ""
            if response.status_code == 302:
                html = client.get(response["Location"]).content.decode(errors="replace")
            fields = form_fields(html, url)
            return "post", sorted(fields["post"] or set(COMMON_NAMES))
        response = client.get(url)
        html = response.content.decode(errors="replace") if response.status_code == 200 else ""
    fields = form_fields(html, url)
    if fields["post"]:
        return "post", sorted(fields["post"] | fields["get"])
    return "get", sorted(fields["get"] or set(COMMON_NAMES))


def object_ids(arena: dict[str, Any]) -> list[str]:
    o = arena["objects"]
    world = arena["world"]
    objects = [
        o.site,
        world.other_site,
        o.cohort,
        world.other_cohort,
        world.upcoming,
        o.candidacy,
        o.enrolment,
        o.ended_enrolment,
        o.opening,
        o.proposal,
        o.complaint,
        o.action,
        world.other_employer,
        world.user("outsider_trainer"),
        world.user("outsider_coordinator"),
    ]
    return sorted({str(obj.pk) for obj in objects} | {"1", "2", "3"})


FUZZED = sorted(set(ACCESS) - SKIPPED)
# Examples per URL: the package must run in about three minutes on two shared cores.
POST_EXAMPLES = 6
GET_EXAMPLES = 2


@pytest.mark.parametrize("name", FUZZED)
def test_hostile_input_never_breaks_a_page(arena: dict[str, Any], name: str) -> None:
    world, objects = arena["world"], arena["objects"]
    role = role_for(name)
    with rolled_back():
        url = reverse(name, kwargs=ACCESS[name].args(objects))
    client = client_as(world, role)
    method, names = discover(client, name, url)
    ids = object_ids(arena)
    watched = watched_models()
    # Every example starts from this state: each one is rolled back.
    before = database_state(watched) if method == "post" else None

    @settings(max_examples=POST_EXAMPLES if method == "post" else GET_EXAMPLES)
    @given(body=bodies(names, ids))
    def hostile(body: dict[str, list[str]]) -> None:
        with rolled_back():
            response = getattr(client, method)(url, body)
            assert response.status_code < 500, f"{response.status_code} on {method} {url}"
            if before is not None and refused(response):
                assert database_state(watched) == before, "a refused form wrote to the database"

    hostile()
