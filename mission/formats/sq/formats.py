# Albanian: Django's own module leaves numbers ungrouped; Albanian groups thousands with a dot.
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
# Django's Albanian dates are American (11/29/2026, a.m.); Kosovo writes day first and 24-hour time.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
