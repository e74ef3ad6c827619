"""The cooperative's own site: sign-in, the resident's start page and the public pages."""
