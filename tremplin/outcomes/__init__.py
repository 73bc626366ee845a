"""What became of learners: the situation at exit and at 3, 6 and 12 months."""
