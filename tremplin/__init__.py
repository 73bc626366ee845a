"""Tremplin: inclusive training-to-employment programmes for digital-infrastructure trades."""
