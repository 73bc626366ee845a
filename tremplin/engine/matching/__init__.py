"""Matching learners and openings: scoring with explanations, ranking, assignment, evaluation."""
