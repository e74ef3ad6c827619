"""The office flow: access applications, issuing credentials, closing and reopening accounts."""
