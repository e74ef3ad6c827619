"""Password hashing at OWASP's Argon2id minimum.

Django's default Argon2 parameters (m=100 MiB, t=2, p=8) cost about 110 ms of CPU per login
here; OWASP's minimum (m=19 MiB, t=2, p=1) is equally recommended and lets two cores serve
dozens of logins a second (`make bench ONLY=login` measures it; the README lists the figures).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idOwaspHasher(Argon2PasswordHasher):
    algorithm = "argon2"  # same encoded prefix: parameters are read from each stored hash
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
