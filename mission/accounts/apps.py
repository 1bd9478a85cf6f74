from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mission.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from mission import navigation
        from mission.accounts import user_sessions  # noqa: F401 (its signal receivers)
        from mission.accounts.permissions import Capability
        from mission.accounts.selectors import watch_roster

        watch_roster()

        navigation.register(
            navigation.NavSection(
                label=_("Portal"),
                order=0,
                items=(
                    navigation.NavItem(_("Home"), "home"),
                    navigation.NavItem(_("Mission overview"), "dashboards:overview", Capability.DASHBOARDS),
                    navigation.NavItem(_("Regions and field teams"), "field_offices:region_list", Capability.DIRECTORY),
                    navigation.NavItem(_("People"), "accounts:people", Capability.DIRECTORY),
                    navigation.NavItem(_("Sign-in and sessions"), "accounts:security"),
                ),
            )
        )
