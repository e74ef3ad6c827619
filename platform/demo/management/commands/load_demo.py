from django.core.management.base import BaseCommand, CommandError

from demo.load import DemoRefused, demo_load


class Command(BaseCommand):
    help = "Load the demo cooperatives and logins the README lists (idempotent)."

    def handle(self, *args, **options):
        try:
            demo_load(log=self.stdout.write)
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(self.style.SUCCESS("Demo ready."))
