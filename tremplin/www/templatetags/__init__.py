"""Template tags shared by the pages."""
