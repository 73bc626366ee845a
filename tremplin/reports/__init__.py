"""Read-only figures for sites, the network and funders: funnels and indicators."""
