"""The demo data set telling the Marseille Saint-Jérôme reference case, and its commands."""
