"""Employers' sites, their job openings, and learners proposed to them up to hiring."""
