"""Follow-up pages: what is due, and recording a learner's situation."""
