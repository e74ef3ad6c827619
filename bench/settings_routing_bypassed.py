"""settings.production with tenant routing bypassed: every request is served for one fixed
cooperative (BENCH_FIXED_COOPERATIVE), with no host lookup and no schema switch. Only for
`make bench ONLY=routing`, which compares the routed platform against this."""

from config.settings.production import *  # noqa: F403
from config.settings.production import MIDDLEWARE

_ROUTING = "cooperatives.middleware.CooperativeRoutingMiddleware"
MIDDLEWARE = ["bench_routing.FixedCooperativeMiddleware" if entry == _ROUTING else entry for entry in MIDDLEWARE]
