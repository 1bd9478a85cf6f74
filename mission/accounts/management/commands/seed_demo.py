"""Demo logins for the embedded default: one user per role, clearly fake, passwords printed."""

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from field_offices.models import FieldTeam, Region
from mission import departments
from mission.accounts.models import User
from mission.accounts.roles import Department, Role
from mission.accounts.services import user_create
from mission.departments import DemoUser
from mission.notifications.services import quietly

# The mission-wide logins; each department declares its own (DepartmentConfig.demo_users).
MISSION_USERS = (
    DemoUser("demo.management", "Demo", "Mission Management", Role.MANAGEMENT),
    DemoUser("demo.partner", "Demo", "Partner (API only)", Role.PARTNER),
    DemoUser("demo.admin", "Demo", "Administrator", Role.ADMINISTRATOR),
)


def demo_users() -> list[tuple[DemoUser, str]]:
    """Every demo login with its department: the departments' first, then the mission-wide ones."""
    users = [(user, config.department) for config in departments.all() for user in config.demo_users]
    users += [(user, "" if user.role == Role.PARTNER else Department.MISSION) for user in MISSION_USERS]
    return users


class Command(BaseCommand):
    help = "Create the demo users and records (embedded default only) and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--records", type=int, default=240, help="How many top-level demo records each department creates."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is only for the embedded default (DEMO_DATA_ALLOWED or DEBUG on).")
        if not Region.objects.exists():
            raise CommandError("Load the reference data first: manage.py load_reference_data")
        password = self._password()
        users = demo_users()
        for demo, department in users:
            existing = User.objects.filter(username=demo.username).first()
            if existing is not None:
                # Keep the printed password true even if var/ was cleared since the user was made.
                existing.set_password(password)
                existing.save(update_fields=["password"])
                continue
            user_create(
                username=demo.username,
                first_name=demo.first_name,
                last_name=demo.last_name,
                role=demo.role,
                department=department,
                region=Region.objects.get(code=demo.region) if demo.region else None,
                field_team=FieldTeam.objects.get(code=demo.field_team) if demo.field_team else None,
                organisation="Demo Partner Organisation" if demo.role == Role.PARTNER else "",
                email=f"{demo.username}@example.org",
                password=password,
            )
        # Each department adds its own demo records (DepartmentConfig.demo_data); the core knows none.
        # Their reviews and flags notify the demo users in the portal, without e-mail.
        with quietly():
            for config in departments.all():
                loaded = config.load_demo_data(records=options["records"])
                if loaded is not None:
                    self.stdout.write(loaded)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {password})"))
        for demo, _department in users:
            self.stdout.write(f"  {demo.username:32} {demo.first_name} {demo.last_name}")

    def _password(self) -> str:
        """One random password per checkout, kept in var/ (git-ignored) so that reruns print the same."""
        path = Path(settings.BASE_DIR) / "var" / "demo-password"
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(exist_ok=True)
        password = "demo-" + secrets.token_urlsafe(9)
        path.write_text(password + "\n")
        return password
