"""The network, its sites and every partner organisation (prescribers, employers, funders)."""
