"""settings.production with tenant routing bypassed: every request is served for one fixed
cooperative (BENCH_FIXED_COOPERATIVE), with no host lookup and no schema switch. Only for
`make bench ONLY=routing`, which compares the routed platform against this."""

from iok.settings.production import *  # noqa: F403
from iok.settings.production import MIDDLEWARE

MIDDLEWARE = ["bench_routing.FixedCooperativeMiddleware" if entry == "iok.routing.CooperativeRoutingMiddleware"
              else entry for entry in MIDDLEWARE]
