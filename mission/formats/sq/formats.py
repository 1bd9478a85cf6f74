# Albanian: Django's own module leaves numbers ungrouped; Albanian groups thousands with a dot.
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
