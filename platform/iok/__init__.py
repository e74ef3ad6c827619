"""The platform's core: database and cache helpers, the one JSON error shape (errors), HTTP helpers,
page rendering, forms and text helpers, the PDF base (Typst), uploaded files, starting jobs by name
(jobs), password hashers, rate limits, fairness between cooperatives, sessions; the shared templates,
static assets and translations.

Layer: core, the lowest. It imports nothing of the project: only Django and third-party libraries."""
