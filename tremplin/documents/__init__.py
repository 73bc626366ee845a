"""Learners' training documents: certificats de réalisation and attestations de fin de formation."""
