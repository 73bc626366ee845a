"""Pure-Python computations, no Django import: indicators; later matching, timetable, geo."""
