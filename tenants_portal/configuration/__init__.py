"""Each cooperative's own configuration of its instance: password and lockout policy, sessions,
password reset. One row per cooperative schema; cooperative admins edit it (audited)."""
