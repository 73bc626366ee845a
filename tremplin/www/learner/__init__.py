"""The learner's own page: their candidacy, training and competencies."""
