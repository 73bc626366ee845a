"""Cohort pages: list, creation, enrolment, a learner's competencies and end of training."""
