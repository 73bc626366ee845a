"""The planner: timetables of cohorts on the plateau and the plateau's yearly capacity."""
