"""Referrals and applications to a cohort, and the selection pipeline they go through."""
