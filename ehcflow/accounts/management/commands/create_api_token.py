"""python manage.py create_api_token <username>: prints a new personal API token as its last line."""

from django.core.management.base import BaseCommand, CommandError

from ehcflow.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Create a personal API token for a member of staff. The token is shown once; only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        if not user.is_council_staff:
            raise CommandError(f"{username} is not active council staff with a role; API tokens are for staff.")
        _, token = ApiToken.issue(user=user)
        self.stdout.write(f"API token for {username} (shown once; send it as 'Authorization: Bearer <token>'):")
        self.stdout.write(token)
