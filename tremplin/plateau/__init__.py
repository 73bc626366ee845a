"""The technical platform of a site: its labs (equipment, bookings and timetables come later)."""
