"""People who log in: email login, one organisation and one role each."""
