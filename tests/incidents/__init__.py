"""A department that exists only in the tests: one reviewed record type, declared, with nothing of its
own but its model, its declaration and its demo data. It proves that the kit (`mission/`) gives a
department its pages, review workflow, access log, scoping, dashboards, report and API by declaration
(CONTRIBUTING.md: "Adding a department"). tests/settings.py installs it."""
