"""The progress page of a background task, polled with HTMX, and its result download."""
