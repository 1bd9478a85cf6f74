from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """Human Rights & Communities: trial monitoring (courts, cases, hearings, observations, flags)."""

    name = "rights"
    verbose_name = _("Human Rights & Communities")
    url_prefix = "trial-monitoring/"
    urls = "rights.urls"
    api_urls = "rights.api.urls"

    def ready(self) -> None:
        from mission import navigation, retention
        from mission.accounts.permissions import Capability
        from mission.api import datasets
        from rights.services.retention import party_names_anonymise

        retention.register(
            retention.Purge(
                "rights_party_names",
                _("Names of parties in cases untouched for the period"),
                "RETENTION_PARTY_NAMES_DAYS",
                party_names_anonymise,
            )
        )
        datasets.register(datasets.Dataset("trial_monitoring", _("Trial monitoring: cases, hearings, observations")))
        datasets.register(datasets.Dataset("trial_aggregates", _("Trial monitoring indicators (aggregates)")))
        datasets.register(
            datasets.Dataset(
                "trial_follow_up",
                _("Trial monitoring follow-up: flags, interventions"),
                partners=False,
                capability=Capability.FOLLOW_UP,  # what the flag pages ask (rights.views.flags)
            )
        )
        from mission.accounts.roles import Department

        navigation.register(
            navigation.NavSection(
                label=_("Trial monitoring"),
                department=Department.RIGHTS,
                order=10,
                items=(
                    navigation.NavItem(_("Dashboard"), "rights:dashboard", Capability.DASHBOARDS),
                    navigation.NavItem(_("Cases"), "rights:case_list", Capability.READ_RECORDS),
                    navigation.NavItem(_("Hearings"), "rights:hearing_list", Capability.READ_RECORDS),
                    navigation.NavItem(_("Observations"), "rights:observation_list", Capability.READ_RECORDS),
                    navigation.NavItem(_("Review queue"), "rights:review_queue", Capability.REVIEW),
                    navigation.NavItem(_("Flags"), "rights:flag_list", Capability.FOLLOW_UP),
                ),
            )
        )

        from mission.dashboards import registry
        from rights.dashboards import RightsDashboards
        from rights.services.summaries import SUMMARY_NAME, trial_summaries_refresh

        registry.register(RightsDashboards())
        from rights.reports import register as register_reports

        register_reports()
        registry.register_summary(registry.Summary(SUMMARY_NAME, trial_summaries_refresh))

    def load_demo_data(self, *, records: int) -> str:
        """Called by `manage.py seed_demo` after the demo users exist."""
        from rights.demo import rights_demo_load

        return rights_demo_load(cases=records)

    def load_reference_data(self):
        """Called by `manage.py load_reference_data`: the courts and the fair-trial questionnaire."""
        from rights.services.reference import rights_reference_load

        return rights_reference_load()
