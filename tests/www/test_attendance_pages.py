"""Attendance pages: the trainer's screen, the QR code and the learner's phone, corrections,
the cohort's sheets as PDF, and the alerts. Who may use each is in test_access_matrix."""

import datetime
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from tests.attendance.builders import at, half_days, monday_morning
from tests.auth import log_in
from tests.plateau.builders import MONDAY
from tremplin.attendance import services
from tremplin.attendance.models import AbsenceAlert, AttendanceEntry, AttendanceSheet
from tremplin.core.models import AuditEntry


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def half(world: Any, frozen_clock: Any) -> Any:
    half = monday_morning(world)
    frozen_clock.move_to(at(MONDAY, 9, 2))
    return half


def test_the_trainer_screen_records_a_signature_with_the_address_and_device(
    world: Any, client_for: Any, half: Any
) -> None:
    client = client_for("trainer")
    page = client.get(reverse("attendance_sheet", args=[half.session.pk])).content.decode()
    assert "Ali AMRANI" in page and "À signer" in page
    response = client.post(
        reverse("attendance_sign", args=[half.session.pk]),
        {"enrolment": half.learners[0].pk},
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="Tablette salle fibre",
        follow=True,
    )
    assert "Signature de Ali AMRANI enregistrée à 09:02" in messages_of(response)
    entry = AttendanceEntry.objects.get()
    assert (entry.ip, entry.device, entry.method) == (
        "198.51.100.7",
        "Tablette salle fibre",
        "trainer_screen",
    )
    again = client.post(
        reverse("attendance_sign", args=[half.session.pk]),
        {"enrolment": half.learners[0].pk},
        follow=True,
    )
    assert "a déjà signé cette demi-journée" in messages_of(again)
    assert AttendanceEntry.objects.count() == 1


def test_a_learner_outside_the_half_day_cannot_be_posted(
    world: Any, client_for: Any, half: Any
) -> None:
    stranger = factories.enrolled(world, world.upcoming, first_name="Zoé", last_name="Zidane")
    for forged in (stranger.pk, "", "abc"):
        response = client_for("trainer").post(
            reverse("attendance_sign", args=[half.session.pk]), {"enrolment": forged}, follow=True
        )
        assert "Choisissez un·e apprenant·e attendu·e" in messages_of(response)
    assert not AttendanceSheet.objects.exists()


def qr_link(client: Any, session: Any) -> str:
    page = client.post(reverse("attendance_qr", args=[session.pk])).content.decode()
    assert "<svg" in page
    match = re.search(
        r'<code id="signing-link">http://testserver(/emargement/signer/[^<]+/)</code>', page
    )
    assert match, page
    return match.group(1)


def learner_of(world: Any, enrolment: Any, role: str = "learner") -> Any:
    factories.link_account(enrolment.person, world.user(role))
    return world.user(role)


def test_a_learner_signs_on_their_phone_through_the_qr_code(
    world: Any, client: Any, half: Any
) -> None:
    log_in(client, world.user("trainer"))
    link = qr_link(client, half.session)
    learner_of(world, half.learners[1])
    log_in(client, world.user("learner"))
    page = client.get(link).content.decode()
    assert "Je signe ma présence" in page
    response = client.post(link, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Android Chrome")
    assert response.status_code == 200
    assert "Signature enregistrée à 09:02" in response.content.decode()
    entry = AttendanceEntry.objects.get()
    assert entry.enrolment == half.learners[1] and entry.signed_by == world.user("learner")
    assert (entry.method, entry.ip, entry.device) == ("own_phone", "203.0.113.9", "Android Chrome")
    twice = client.post(link)
    assert twice.status_code == 400 and "a déjà signé" in twice.content.decode()


def test_signing_for_another_learner_is_refused(world: Any, client: Any, half: Any) -> None:
    log_in(client, world.user("trainer"))
    link = qr_link(client, half.session)
    learner_of(world, half.learners[1])
    log_in(client, world.user("learner"))
    for forged in (half.learners[0].pk, "abc"):
        response = client.post(link, {"enrolment": forged})
        assert response.status_code == 400
        assert "Chacun·e signe pour soi" in response.content.decode()
    assert not AttendanceEntry.objects.exists()


def test_an_expired_qr_code_is_refused(
    world: Any, client: Any, half: Any, frozen_clock: Any
) -> None:
    log_in(client, world.user("trainer"))
    link = qr_link(client, half.session)
    learner_of(world, half.learners[1])
    log_in(client, world.user("learner"))
    frozen_clock.move_to(
        at(
            MONDAY,
            9,
            12,
        )
    )
    page = client.get(link).content.decode()
    assert "Ce QR code a expiré" in page and "Je signe ma présence" not in page
    response = client.post(link)
    assert response.status_code == 400 and "Ce QR code a expiré" in response.content.decode()
    assert not AttendanceEntry.objects.exists()


def test_a_tampered_link_is_refused(world: Any, client: Any, half: Any) -> None:
    log_in(client, world.user("trainer"))
    link = qr_link(client, half.session)
    learner_of(world, half.learners[1])
    log_in(client, world.user("learner"))
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    response = client.post(tampered)
    assert response.status_code == 404 and "existe pas" in response.content.decode()
    assert not AttendanceEntry.objects.exists()


@pytest.mark.parametrize("role", ["trainer", "coordinator", "outsider_learner"])
def test_only_learners_of_the_cohort_sign_through_the_link(
    world: Any, client: Any, half: Any, role: str
) -> None:
    log_in(client, world.user("trainer"))
    link = qr_link(client, half.session)
    log_in(client, world.user(role))
    response = client.post(link)
    assert response.status_code == 400
    assert "sert aux apprenant·es de la promotion" in response.content.decode()
    assert not AttendanceEntry.objects.exists()


def test_the_link_asks_an_anonymous_visitor_to_log_in(world: Any, client: Any, half: Any) -> None:
    log_in(client, world.user("trainer"))
    link = qr_link(client, half.session)
    client.logout()
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_absence_countersign_and_correction_through_the_pages(
    world: Any, client_for: Any, half: Any, frozen_clock: Any
) -> None:
    trainer = client_for("trainer")
    sheet_url = reverse("attendance_sheet", args=[half.session.pk])
    for who in (0, 1):
        trainer.post(
            reverse("attendance_sign", args=[half.session.pk]), {"enrolment": half.learners[who].pk}
        )
    refused = trainer.post(reverse("attendance_countersign", args=[half.session.pk]), follow=True)
    assert "faites signer ou marquez absent·e : Chloé CARON" in messages_of(refused)
    trainer.post(
        reverse("attendance_absent", args=[half.session.pk]),
        {"enrolment": half.learners[2].pk, "justification": "x" * 301},
    )
    assert AttendanceEntry.objects.count() == 2  # too long a justification writes nothing
    trainer.post(
        reverse("attendance_absent", args=[half.session.pk]),
        {"enrolment": half.learners[2].pk, "justification": ""},
    )
    sealed = trainer.post(
        reverse("attendance_countersign", args=[half.session.pk]),
        REMOTE_ADDR="198.51.100.7",
        follow=True,
    )
    assert "Feuille contresignée" in messages_of(sealed)
    page = trainer.get(sheet_url).content.decode()
    assert "Son contenu est intact" in page and "Contresigner la feuille" not in page
    assert AttendanceSheet.objects.get().countersign_ip == "198.51.100.7"

    chloe = AttendanceEntry.objects.get(enrolment=half.learners[2])
    coordinator = client_for("coordinator")
    correct_url = reverse("attendance_correct", args=[chloe.pk])
    bad = coordinator.post(
        correct_url, {"presence": "absent", "justification": "Arrêt", "reason": ""}
    )
    assert bad.status_code == 200 and not chloe.corrections.exists()
    done = coordinator.post(
        correct_url,
        {"presence": "absent", "justification": "Arrêt maladie", "reason": "Certificat reçu"},
    )
    assert done.status_code == 302
    assert "Justifiée : Arrêt maladie" in coordinator.get(sheet_url).content.decode()
    assert AuditEntry.objects.filter(action="attendance.correct").count() == 1


def pdf_text(content: bytes, tmp_path: Any) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(content)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is installed by .ci/run"
    return subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_weekly_and_monthly_pdfs_carry_the_legal_content(
    world: Any, client_for: Any, frozen_clock: Any, tmp_path: Any
) -> None:
    monday_am, monday_pm = half_days(world, (MONDAY, "am"), (MONDAY, "pm"))
    trainer = world.user("trainer")
    frozen_clock.move_to(at(MONDAY, 9, 0))
    for who in (0, 1):
        services.sign(
            session=monday_am.session,
            enrolment=monday_am.learners[who],
            by=trainer,
            method="trainer_screen",
            ip=None,
            device="",
        )
    services.mark_absent(
        session=monday_am.session,
        enrolment=monday_am.learners[2],
        by=trainer,
        justification="Convocation Pôle santé",
    )
    services.countersign(session=monday_am.session, by=trainer, ip=None, device="")
    client = client_for("coordinator")
    response = client.get(
        reverse("cohort_attendance_week_pdf", args=[world.running.pk, MONDAY.isoformat()])
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Les Plombiers du Numérique",
        world.running.programme.name,
        "Promo en cours",
        "Épissure et mesures",
        "30/11/2026",
        "Matin",
        "AMRANI Ali",
        "BONNET Béatrice",
        "CARON Chloé",
        "ABSENT",
        "Convocation Pôle santé",
        f"Contresigné par {trainer.get_full_name()}",
        "Non contresignée",  # the afternoon
    ):
        assert expected in text, expected
    month = client.get(reverse("cohort_attendance_month_pdf", args=[world.running.pk, 2026, 11]))
    assert "AMRANI Ali" in pdf_text(month.content, tmp_path)
    assert (
        client.get(
            reverse("cohort_attendance_month_pdf", args=[world.running.pk, 2026, 13])
        ).status_code
        == 404
    )


def test_the_cohort_page_shows_hours_and_links_each_week(
    world: Any, client_for: Any, half: Any
) -> None:
    page = (
        client_for("coordinator")
        .get(reverse("cohort_attendance", args=[world.running.pk]))
        .content.decode()
    )
    assert "Ali AMRANI" in page
    assert reverse("cohort_attendance_week_pdf", args=[world.running.pk, "2026-11-30"]) in page


def test_the_coordinator_handles_an_alert(world: Any, client_for: Any, frozen_clock: Any) -> None:
    monday_am, monday_pm = half_days(world, (MONDAY, "am"), (MONDAY, "pm"))
    frozen_clock.move_to(at(MONDAY, 14, 0))
    for half in (monday_am, monday_pm):
        services.mark_absent(
            session=half.session, enrolment=half.learners[0], by=world.user("trainer")
        )
    client = client_for("coordinator")
    page = client.get(reverse("attendance_alerts")).content.decode()
    assert "Ali AMRANI" in page
    alert = AbsenceAlert.objects.get()
    empty = client.post(
        reverse("attendance_alert_handle", args=[alert.pk]), {"note": ""}, follow=True
    )
    assert "obligatoire" in messages_of(empty)
    client.post(
        reverse("attendance_alert_handle", args=[alert.pk]), {"note": "Appelé, revient demain."}
    )
    alert.refresh_from_db()
    assert alert.handled_by == world.user("coordinator")


def test_the_trainer_finds_today_s_half_days(world: Any, client_for: Any, half: Any) -> None:
    page = client_for("trainer").get(reverse("attendance_today")).content.decode()
    assert reverse("attendance_sheet", args=[half.session.pk]) in page
    assert datetime.date(2026, 11, 30).strftime("%d") in page


def test_the_learner_sees_their_hours_on_their_page(world: Any, client: Any, half: Any) -> None:
    services.sign(
        session=half.session,
        enrolment=half.learners[0],
        by=world.user("trainer"),
        method="trainer_screen",
        ip=None,
        device="",
    )
    services.mark_absent(session=half.session, enrolment=half.learners[1], by=world.user("trainer"))
    services.mark_absent(session=half.session, enrolment=half.learners[2], by=world.user("trainer"))
    services.countersign(session=half.session, by=world.user("trainer"), ip=None, device="")
    log_in(client, learner_of(world, half.learners[0]))
    page = client.get(reverse("learner_home")).content.decode()
    assert "3,50 h de formation émargées sur 3,50 h prévues" in page
