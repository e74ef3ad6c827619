from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cooperatives.presets import DEFAULT_POLICY_PRESET, MODULES, MODULES_DEFAULT, POLICY_PRESETS
from operators.services import cooperative_create


class Command(BaseCommand):
    help = ("Onboard a cooperative: its schema, its <slug>.<BASE_DOMAIN> domain, its configuration and its "
            "first admin (the same service as the operators' console).")

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Full name, e.g. 'Spółdzielnia Mieszkaniowa „Hutnik”'")
        parser.add_argument("--slug", required=True, help="Subdomain: lowercase letters, digits, hyphens")
        parser.add_argument("--admin-email", required=True, help="E-mail of the cooperative's first admin")
        parser.add_argument("--street", default="")
        parser.add_argument("--postal-code", default="")
        parser.add_argument("--city", default="")
        parser.add_argument("--policy", default=DEFAULT_POLICY_PRESET, choices=list(POLICY_PRESETS),
                            help=f"Password policy preset (default: {DEFAULT_POLICY_PRESET})")
        parser.add_argument("--modules", default=",".join(MODULES_DEFAULT),
                            help=f"Comma-separated modules to switch on, of {','.join(MODULES)} (default: "
                                 f"{','.join(MODULES_DEFAULT)}; '' for none)")

    def handle(self, *args, **options):
        modules = [module.strip() for module in options["modules"].split(",") if module.strip()]
        try:
            created = cooperative_create(
                name=options["name"], slug=options["slug"], admin_email=options["admin_email"],
                street=options["street"], postal_code=options["postal_code"], city=options["city"],
                policy=options["policy"], modules=modules,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {created.cooperative.name} at {created.domain}"))
        self.stdout.write(f"First admin login:         {created.admin_login}")
        self.stdout.write(f"One-time password (shown once, must be changed at first sign-in): "
                          f"{created.admin_one_time_password}")
