"""Attendance sheets (émargement): signatures per half-day, absences, corrections, alerts."""
