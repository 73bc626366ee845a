"""Signing, absences, sealing, corrections and alerts: what is recorded, what is refused."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from tests.attendance.builders import at, half_days, monday_morning
from tests.plateau.builders import MONDAY
from tremplin.attendance import services
from tremplin.attendance.models import (
    AbsenceAlert,
    AttendanceCorrection,
    AttendanceEntry,
    AttendanceSheet,
)
from tremplin.attendance.selectors import hours_of, seal_holds, sheet_digest, standing
from tremplin.attendance.services import AttendanceError
from tremplin.core.models import AuditEntry

SCREEN = {"method": "trainer_screen", "ip": "192.0.2.10", "device": "Firefox/Tablette salle"}


def sign(world: Any, half: Any, who: int, **extra: Any) -> AttendanceEntry:
    return services.sign(
        session=half.session,
        enrolment=half.learners[who],
        by=world.user("trainer"),
        **(SCREEN | extra),
    )


def seal(world: Any, half: Any) -> AttendanceSheet:
    return services.countersign(
        session=half.session, by=world.user("trainer"), ip="192.0.2.10", device="Tablette"
    )


def test_a_signature_keeps_when_how_who_device_address_and_the_sheets_hash(
    world: Any, frozen_clock: Any
) -> None:
    half = monday_morning(world)
    frozen_clock.move_to(at(MONDAY, 9, 5))
    entry = sign(world, half, 0)
    assert entry.presence == "present" and entry.minutes_late is None
    assert entry.method == "trainer_screen" and entry.signed_by == world.user("trainer")
    assert entry.ip == "192.0.2.10" and entry.device == "Firefox/Tablette salle"
    assert entry.signed_at == at(MONDAY, 9, 5)
    # The hash covers the sheet as it stood with this signature: recomputing it agrees.
    assert entry.sheet_hash == sheet_digest(entry.sheet)
    second = sign(world, half, 1)
    assert second.sheet_hash == sheet_digest(second.sheet) != entry.sheet_hash
    assert AuditEntry.objects.filter(action="attendance.sign").count() == 2


def test_signing_after_the_tolerance_records_lateness(world: Any, frozen_clock: Any) -> None:
    half = monday_morning(world)
    frozen_clock.move_to(at(MONDAY, 9, 10))
    assert sign(world, half, 0).presence == "present"
    frozen_clock.move_to(at(MONDAY, 9, 35))
    late = sign(world, half, 1)
    assert (late.presence, late.minutes_late) == ("late", 35)


def test_signing_twice_is_refused_and_nothing_changes(world: Any, frozen_clock: Any) -> None:
    half = monday_morning(world)
    frozen_clock.move_to(at(MONDAY, 9, 0))
    first = sign(world, half, 0)
    frozen_clock.move_to(at(MONDAY, 9, 20))
    with pytest.raises(AttendanceError, match="a déjà signé cette demi-journée, à 09:00"):
        sign(world, half, 0)
    assert AttendanceEntry.objects.get().signed_at == first.signed_at


def test_the_database_holds_one_line_per_learner(world: Any, frozen_clock: Any) -> None:
    half = monday_morning(world)
    frozen_clock.move_to(at(MONDAY, 9, 0))
    entry = sign(world, half, 0)
    entry.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


@pytest.mark.parametrize(
    "moment",
    [
        at(MONDAY, 8, 0),
        at(MONDAY - datetime.timedelta(days=1), 9, 0),
        at(MONDAY + datetime.timedelta(days=1), 9, 0),
    ],
)
def test_signing_outside_the_day_is_refused(world: Any, frozen_clock: Any, moment: Any) -> None:
    half = monday_morning(world)
    frozen_clock.move_to(moment)
    with pytest.raises(AttendanceError, match="On signe le jour même, à partir de 08:30"):
        sign(world, half, 0)
    assert not AttendanceSheet.objects.exists()


def test_a_learner_of_another_cohort_cannot_be_signed_in(world: Any, frozen_clock: Any) -> None:
    from tests import factories

    half = monday_morning(world)
    stranger = factories.enrolled(world, world.upcoming, first_name="Zoé", last_name="Zidane")
    frozen_clock.move_to(at(MONDAY, 9, 0))
    with pytest.raises(AttendanceError, match="Zoé ZIDANE n'est pas inscrit·e"):
        services.sign(session=half.session, enrolment=stranger, by=world.user("trainer"), **SCREEN)


def test_an_absent_learner_who_turns_up_signs_late_on_the_same_line(
    world: Any, frozen_clock: Any
) -> None:
    half = monday_morning(world)
    frozen_clock.move_to(at(MONDAY, 9, 15))
    services.mark_absent(session=half.session, enrolment=half.learners[2], by=world.user("trainer"))
    frozen_clock.move_to(at(MONDAY, 10, 0))
    entry = sign(world, half, 2)
    assert (entry.presence, entry.minutes_late) == ("late", 60)
    assert AttendanceEntry.objects.count() == 1
    with pytest.raises(AttendanceError, match="une signature ne s'efface pas"):
        services.mark_absent(
            session=half.session, enrolment=half.learners[2], by=world.user("trainer")
        )


def test_only_the_sessions_trainer_countersigns_once_everyone_is_accounted_for(
    world: Any, frozen_clock: Any
) -> None:
    half = monday_morning(world)
    frozen_clock.move_to(at(MONDAY, 9, 0))
    sign(world, half, 0)
    sign(world, half, 1)
    with pytest.raises(AttendanceError, match="Seul le formateur de la séance"):
        services.countersign(session=half.session, by=world.user("coordinator"), ip=None, device="")
    with pytest.raises(AttendanceError, match="faites signer ou marquez absent·e : Chloé CARON"):
        seal(world, half)
    services.mark_absent(
        session=half.session,
        enrolment=half.learners[2],
        by=world.user("trainer"),
        justification="",
    )
    sheet = seal(world, half)
    assert sheet.is_sealed and seal_holds(sheet)
    assert sheet.content_hash == sheet_digest(sheet)


def test_a_sealed_sheet_no_longer_changes(world: Any, frozen_clock: Any) -> None:
    half = monday_morning(world)
    frozen_clock.move_to(at(MONDAY, 9, 0))
    sign(world, half, 0)
    for who in (1, 2):
        services.mark_absent(
            session=half.session, enrolment=half.learners[who], by=world.user("trainer")
        )
    seal(world, half)
    with pytest.raises(AttendanceError, match="contresignée : elle ne se modifie plus"):
        sign(world, half, 1)
    with pytest.raises(AttendanceError, match="contresignée"):
        services.signing_link_create(session=half.session, by=world.user("trainer"))
    with pytest.raises(AttendanceError, match="contresignée"):
        seal(world, half)
    # Tampering with a line behind the services' back breaks the seal, and it shows.
    AttendanceEntry.objects.filter(enrolment=half.learners[1]).update(
        justification="x", justified=True
    )
    assert not seal_holds(AttendanceSheet.objects.get())


def test_a_correction_is_a_new_linked_entry_and_the_sheet_keeps_its_seal(
    world: Any, frozen_clock: Any
) -> None:
    half = monday_morning(world)
    frozen_clock.move_to(at(MONDAY, 9, 0))
    for who in (0, 1):
        sign(world, half, who)
    absent = services.mark_absent(
        session=half.session, enrolment=half.learners[2], by=world.user("trainer")
    )
    with pytest.raises(AttendanceError, match="encore ouverte"):
        services.correct(entry=absent, by=world.user("coordinator"), presence="absent", reason="x")
    sheet = seal(world, half)
    frozen_clock.move_to(at(MONDAY + datetime.timedelta(days=1), 9, 0))
    with pytest.raises(AttendanceError, match="le motif est obligatoire"):
        services.correct(entry=absent, by=world.user("coordinator"), presence="absent", reason=" ")
    with pytest.raises(AttendanceError, match="Seule une absence se justifie"):
        services.correct(
            entry=absent,
            by=world.user("coordinator"),
            presence="present",
            justification="certificat",
            reason="erreur",
        )
    correction = services.correct(
        entry=absent,
        by=world.user("coordinator"),
        presence="absent",
        justification="Arrêt maladie du 30/11",
        reason="Certificat médical reçu le 01/12",
    )
    assert isinstance(correction, AttendanceCorrection) and len(correction.content_hash) == 64
    absent.refresh_from_db()
    assert absent.justified is False  # the sealed line itself is untouched
    now = standing(absent)
    assert now.corrected and now.justified and now.justification == "Arrêt maladie du 30/11"
    assert seal_holds(AttendanceSheet.objects.get(pk=sheet.pk))


def test_two_unjustified_absent_half_days_in_a_row_alert_the_coordinator(
    world: Any, frozen_clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monday_am, monday_pm, tuesday_am = half_days(
        world, (MONDAY, "am"), (MONDAY, "pm"), (MONDAY + datetime.timedelta(days=1), "am")
    )
    frozen_clock.move_to(at(MONDAY, 9, 30))
    chloe = monday_am.learners[2]
    trainer = world.user("trainer")
    services.mark_absent(session=monday_am.session, enrolment=chloe, by=trainer)
    assert not AbsenceAlert.objects.exists()
    frozen_clock.move_to(at(MONDAY, 14, 0))
    # A justified absence next to it raises nothing.
    services.mark_absent(
        session=monday_pm.session,
        enrolment=monday_am.learners[1],
        by=trainer,
        justification="Rendez-vous France Travail",
    )
    assert not AbsenceAlert.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_absent(session=monday_pm.session, enrolment=chloe, by=trainer)
    alert = AbsenceAlert.objects.get()
    assert alert.enrolment == chloe
    assert (alert.first_sheet.session, alert.second_sheet.session) == (
        monday_am.session,
        monday_pm.session,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.user("coordinator").email]
    assert "Chloé CARON" in message.subject and "/emargement/alertes/" in message.body
    # A third absence makes a new pair, hence a new alert.
    frozen_clock.move_to(at(MONDAY + datetime.timedelta(days=1), 9, 30))
    services.mark_absent(session=tuesday_am.session, enrolment=chloe, by=trainer)
    assert AbsenceAlert.objects.count() == 2


def test_an_alert_is_handled_with_what_was_done(world: Any, frozen_clock: Any) -> None:
    monday_am, monday_pm = half_days(world, (MONDAY, "am"), (MONDAY, "pm"))
    frozen_clock.move_to(at(MONDAY, 14, 0))
    for half in (monday_am, monday_pm):
        services.mark_absent(
            session=half.session, enrolment=half.learners[0], by=world.user("trainer")
        )
    alert = AbsenceAlert.objects.get()
    with pytest.raises(AttendanceError, match="Dites la suite donnée"):
        services.alert_handle(alert=alert, by=world.user("coordinator"), note="  ")
    services.alert_handle(
        alert=alert, by=world.user("coordinator"), note="Appelée : garde d'enfant."
    )
    with pytest.raises(AttendanceError, match="déjà été traitée"):
        services.alert_handle(alert=alert, by=world.user("coordinator"), note="encore")


def test_hours_attended_count_sealed_half_days_minus_lateness(
    world: Any, frozen_clock: Any
) -> None:
    monday_am, monday_pm = half_days(world, (MONDAY, "am"), (MONDAY, "pm"))
    frozen_clock.move_to(at(MONDAY, 9, 30))  # 30 minutes late for the morning
    for who in (0, 1):
        sign(world, monday_am, who)
    services.mark_absent(
        session=monday_am.session, enrolment=monday_am.learners[2], by=world.user("trainer")
    )
    seal(world, monday_am)
    frozen_clock.move_to(at(MONDAY, 13, 30))
    sign(world, monday_pm, 0)  # the afternoon stays open: not counted yet
    ali, _bea, chloe = monday_am.learners
    hours = hours_of(ali, until=MONDAY)
    # 3.5 h planned per half-day; the morning's 3.5 h minus 30 minutes of lateness.
    assert hours.planned == 7 and hours.attended == pytest.approx(3.0)
    assert hours.unsealed_half_days == 1
    chloe_hours = hours_of(chloe, until=MONDAY)
    assert chloe_hours.attended == 0 and chloe_hours.absent_half_days == 1
    assert chloe_hours.unjustified_half_days == 1


def test_a_half_day_signed_in_no_longer_moves(world: Any, frozen_clock: Any) -> None:
    from tremplin.plateau.services import PlateauError, session_update

    half = monday_morning(world)
    frozen_clock.move_to(at(MONDAY, 9, 0))
    sign(world, half, 0)
    session = half.session
    with pytest.raises(PlateauError, match="ont déjà émargé cette demi-journée"):
        session_update(
            by=world.user("coordinator"),
            session=session,
            date=MONDAY,
            half_day="pm",
            trainer=session.trainer,
            lab=session.lab,
            equipment=[],
            title=session.title,
        )
    session.refresh_from_db()
    assert session.half_day == "am"
