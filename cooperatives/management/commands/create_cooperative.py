from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from cooperatives.services import cooperative_create


class Command(BaseCommand):
    help = "Onboard a cooperative: its schema, its <slug>.<BASE_DOMAIN> domain and its first admin."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Full name, e.g. 'Spółdzielnia Mieszkaniowa „Hutnik”'")
        parser.add_argument("--slug", required=True, help="Subdomain: lowercase letters, digits, hyphens")
        parser.add_argument("--admin-email", required=True, help="E-mail of the cooperative's first admin")
        parser.add_argument("--street", default="")
        parser.add_argument("--postal-code", default="")
        parser.add_argument("--city", default="")

    def handle(self, *args, **options):
        try:
            validate_email(options["admin_email"])
            created = cooperative_create(
                name=options["name"], slug=options["slug"], admin_email=options["admin_email"],
                street=options["street"], postal_code=options["postal_code"], city=options["city"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {created.cooperative.name} at {created.domain}"))
        self.stdout.write(f"First admin login:         {created.admin_login}")
        self.stdout.write(f"One-time password (shown once, must be changed at first sign-in): "
                          f"{created.admin_one_time_password}")
