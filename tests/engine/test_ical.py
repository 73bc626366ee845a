"""The iCalendar writer: escaping, folding at 75 octets, UTC times."""

import datetime
import zoneinfo

import pytest

from tremplin.engine import ical

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
STAMP = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)


def test_text_is_escaped():
    assert ical.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_short_lines_are_not_folded():
    assert ical.fold("SUMMARY:Soudure") == "SUMMARY:Soudure"


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "é" * 100  # two octets each
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_times_are_written_in_utc():
    winter = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)
    summer = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=PARIS)
    assert ical.utc_stamp(winter) == "20261130T080000Z"
    assert ical.utc_stamp(summer) == "20260601T070000Z"
    with pytest.raises(ValueError):
        ical.utc_stamp(datetime.datetime(2026, 6, 1, 9, 0))


def test_a_calendar_has_its_events_and_crlf_lines():
    event = ical.Event(
        uid="session-1@tremplin",
        start=datetime.datetime(2026, 11, 30, 9, 0, tzinfo=PARIS),
        end=datetime.datetime(2026, 11, 30, 12, 30, tzinfo=PARIS),
        summary="Promo, fibre; 1",
        location="Labo fibre optique, Marseille",
    )
    text = ical.calendar(name="Tremplin", events=[event], stamp=STAMP)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert "DTSTART:20261130T080000Z" in lines and "DTEND:20261130T113000Z" in lines
    assert "SUMMARY:Promo\\, fibre\\; 1" in lines
    assert "LOCATION:Labo fibre optique\\, Marseille" in lines
    assert "DESCRIPTION" not in text  # empty properties are left out
    assert lines.count("BEGIN:VEVENT") == 1
