"""Demo logins for the embedded default: one user per role, clearly fake, passwords printed."""

import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from field_offices.models import FieldTeam, Region
from mission.accounts.models import User
from mission.accounts.roles import Department, Role
from mission.accounts.services import user_create

# username, first name, last name, role, department, region code, field team code
DEMO_USERS = [
    ("demo.monitor", "Demo", "Monitor (Prizren, Human Rights)", Role.MONITOR, Department.RIGHTS, "PRZ", "FT-PRZ-01"),
    (
        "demo.monitor.mitrovica",
        "Demo",
        "Monitor (Mitrovica, Human Rights)",
        Role.MONITOR,
        Department.RIGHTS,
        "MIT",
        "FT-MIT-01",
    ),
    (
        "demo.monitor.democratization",
        "Demo",
        "Monitor (Pejë, Democratization)",
        Role.MONITOR,
        Department.DEMOCRATIZATION,
        "PEJ",
        "FT-PEJ-01",
    ),
    (
        "demo.monitor.safety",
        "Demo",
        "Monitor (Gjilan, Public Safety)",
        Role.MONITOR,
        Department.PUBLIC_SAFETY,
        "GJI",
        "FT-GJI-01",
    ),
    ("demo.supervisor", "Demo", "Supervisor (Prizren, Human Rights)", Role.SUPERVISOR, Department.RIGHTS, "PRZ", None),
    (
        "demo.supervisor.mitrovica",
        "Demo",
        "Supervisor (Mitrovica, Human Rights)",
        Role.SUPERVISOR,
        Department.RIGHTS,
        "MIT",
        None,
    ),
    (
        "demo.monitor.gjilan",
        "Demo",
        "Monitor (Gjilan, Human Rights)",
        Role.MONITOR,
        Department.RIGHTS,
        "GJI",
        "FT-GJI-01",
    ),
    (
        "demo.supervisor.gjilan",
        "Demo",
        "Supervisor (Gjilan, Human Rights)",
        Role.SUPERVISOR,
        Department.RIGHTS,
        "GJI",
        None,
    ),
    ("demo.monitor.peja", "Demo", "Monitor (Pejë, Human Rights)", Role.MONITOR, Department.RIGHTS, "PEJ", "FT-PEJ-01"),
    (
        "demo.supervisor.peja",
        "Demo",
        "Supervisor (Pejë, Human Rights)",
        Role.SUPERVISOR,
        Department.RIGHTS,
        "PEJ",
        None,
    ),
    (
        "demo.monitor.prishtina",
        "Demo",
        "Monitor (Prishtinë, Human Rights)",
        Role.MONITOR,
        Department.RIGHTS,
        "PRI",
        "FT-PRI-01",
    ),
    (
        "demo.supervisor.prishtina",
        "Demo",
        "Supervisor (Prishtinë, Human Rights)",
        Role.SUPERVISOR,
        Department.RIGHTS,
        "PRI",
        None,
    ),
    ("demo.head", "Demo", "Head of Human Rights", Role.DEPARTMENT_HEAD, Department.RIGHTS, None, None),
    ("demo.management", "Demo", "Mission Management", Role.MANAGEMENT, Department.MISSION, None, None),
    ("demo.partner", "Demo", "Partner (API only)", Role.PARTNER, "", None, None),
    ("demo.admin", "Demo", "Administrator", Role.ADMINISTRATOR, Department.MISSION, None, None),
]


class Command(BaseCommand):
    help = "Create the demo users and records (embedded default only) and print the logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--records", type=int, default=240, help="How many top-level demo records each department creates."
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is only for the embedded default (DEMO_DATA_ALLOWED or DEBUG on).")
        if not Region.objects.exists():
            raise CommandError("Load the reference data first: manage.py load_reference_data")
        password = self._password()
        for username, first, last, role, department, region_code, team_code in DEMO_USERS:
            existing = User.objects.filter(username=username).first()
            if existing is not None:
                # Keep the printed password true even if var/ was cleared since the user was made.
                existing.set_password(password)
                existing.save(update_fields=["password"])
                continue
            user_create(
                username=username,
                first_name=first,
                last_name=last,
                role=role,
                department=department,
                region=Region.objects.get(code=region_code) if region_code else None,
                field_team=FieldTeam.objects.get(code=team_code) if team_code else None,
                organisation="Demo Partner Organisation" if role == Role.PARTNER else "",
                email=f"{username}@example.org",
                password=password,
            )
        # Each app adds its own demo records (AppConfig.load_demo_data); the core knows no department.
        for config in apps.get_app_configs():
            loader = getattr(config, "load_demo_data", None)
            if loader is not None:
                self.stdout.write(loader(records=options["records"]))
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {password})"))
        for username, first, last, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:32} {first} {last}")

    def _password(self) -> str:
        """One random password per checkout, kept in var/ (git-ignored) so that reruns print the same."""
        path = Path(settings.BASE_DIR) / "var" / "demo-password"
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(exist_ok=True)
        password = "demo-" + secrets.token_urlsafe(9)
        path.write_text(password + "\n")
        return password
