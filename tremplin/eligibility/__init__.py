"""Eligibility: the criteria catalogue, each programme's rule, diagnostics with their proofs."""
