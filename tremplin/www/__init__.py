"""Every HTML page of the site, grouped by area: views, forms, urls and templates."""
