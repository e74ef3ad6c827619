from django.core.management.base import BaseCommand

from cooperatives.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo cooperatives and logins of DESIGN.md §4 (idempotent)."

    def handle(self, *args, **options):
        demo_load(log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo ready."))
