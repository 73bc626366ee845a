"""Property-based fuzzing (hypothesis) of the site's forms and file imports."""
