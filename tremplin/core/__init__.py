"""Cross-cutting pieces: audit log, state-machine helper, background-task progress, middleware."""
