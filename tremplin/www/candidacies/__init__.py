"""Referral, public application, the candidacy list and selection decisions."""
