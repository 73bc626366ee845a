"""Cohorts (promotions), enrolments in them, and competency assessments of enrolled learners."""
