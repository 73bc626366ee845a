"""Employer pages: openings, proposing learners, and the employer's decisions."""
