"""Login, logout, password reset and each role's home page."""
