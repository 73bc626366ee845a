"""Programmes, their tracks and the versioned competency frameworks they certify."""
