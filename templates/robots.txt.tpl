User-agent: *
Allow: /
Sitemap: {{SITEMAP}}
