"""Assessments of learners: entry positioning, practical evaluations, progress and readiness."""
