"""Dashboards: the site funnel as a chart and a table, and its CSV export as a background task."""
