from tests.rights.test_dashboard import trial_data  # noqa: F401 (the trial-monitoring data the dashboards show)
