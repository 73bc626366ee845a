"""The Content-Security-Policy: sent with every page, and every page lives within it.

The policy forbids inline scripts, event-handler attributes and inline styles. A page that used
one would still render on the server and only break in the browser, so every page of the access
matrix (tests/www/test_access_matrix.py) that a role may open is rendered here and its HTML read:
no <script> without src, no on*= or hx-on attribute, no javascript: link, no style attribute or
<style> element.
"""

from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from tests.auth import log_in
from tests.www.test_access_matrix import ACCESS, objects  # noqa: F401 - objects is a fixture

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


class InlineCode(HTMLParser):
    """Collects what the policy would refuse to run or apply."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.scripts.append(self.get_starttag_text() or tag)
        if tag == "style":
            self.styles.append("<style>")
        for name, value in attrs:
            if (
                name.startswith("on")
                or name.startswith("hx-on")
                or name in {"href", "src", "action", "formaction"}
                and (value or "").strip().lower().startswith("javascript:")
            ):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            elif name == "style":
                self.styles.append(f"<{tag} style={value!r}>")


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser


def test_the_parser_finds_what_the_policy_refuses():
    found = inline_code(
        '<script>alert(1)</script><script src="/static/a.js"></script>'
        '<select onchange="x()"></select><a href="javascript:x()">x</a>'
        '<div hx-on:click="x()"></div><p style="color:red"></p><style>p{}</style>'
    )
    assert found.scripts == ["<script>"]
    assert len(found.handlers) == 3
    assert len(found.styles) == 2


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("anonymous", "/connexion/"),
        ("coordinator", "/"),
        ("trainer", "/"),
        ("prescriber", "/"),
        ("funder", "/"),
    ],
)
def test_the_policy_is_sent(client, world, role, url):
    if role != "anonymous":
        log_in(client, world.user(role))
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_lockout_page_has_the_policy_too(client, world):
    for _ in range(5):
        client.post("/connexion/", {"username": "coord.marseille@example.org", "password": "x"})
    response = client.post(
        "/connexion/", {"username": "coord.marseille@example.org", "password": "y"}
    )
    assert response.status_code == 429
    assert response["Content-Security-Policy"] == POLICY


def test_htmx_injects_no_style_and_site_js_is_loaded(client_for):
    html = client_for("coordinator").get("/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false}\'>' in html
    assert '<script src="/static/tremplin/site.js" defer></script>' in html


@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "network_admin",
        "coordinator",
        "trainer",
        "prescriber",
        "employer",
        "funder",
        "learner",
    ],
)
def test_no_page_needs_inline_code(client: Any, world: Any, objects: Any, role: str) -> None:  # noqa: F811
    checked = 0
    problems: dict[str, list[str]] = {}
    for name, page in sorted(ACCESS.items()):
        if page.method != "get" or page.expect[role] != 200:
            continue
        if role != "anonymous":
            log_in(client, world.user(role))
        else:
            client.logout()
        response = client.get(reverse(name, kwargs=page.args(objects)))
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        checked += 1
        found = inline_code(response.content.decode())
        if found.scripts or found.handlers or found.styles:
            problems[name] = found.scripts + found.handlers + found.styles
    assert checked >= 3, f"only {checked} HTML pages for {role}"
    assert not problems, problems
