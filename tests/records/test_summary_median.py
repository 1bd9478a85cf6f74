"""The median of a summary's histogram of days (mission.records.summary.median_days) is the median of
the days it counts, whatever their number and ties, without listing each record."""

import random
import statistics
from collections import Counter

from mission.records.summary import median_days, reached_share


def test_the_median_of_a_histogram_is_the_median_of_what_it_counts():
    rng = random.Random(14)  # noqa: S311  # test data, no secret
    for _ in range(500):
        days = [rng.randint(0, 40) for _ in range(rng.randint(1, 25))]
        histogram = Counter(str(day) for day in days)
        histogram[None] += rng.randint(0, 4)  # records without the step: not in the median
        assert median_days(histogram) == statistics.median(days), days


def test_no_step_reached_has_no_median_and_the_share_counts_every_record():
    assert median_days(Counter({None: 3})) is None
    assert median_days(Counter()) is None
    assert reached_share(Counter({None: 3, "4": 1})) == 0.25
    assert reached_share(Counter()) is None
    assert median_days(Counter({"2": 1_000_000, "90": 999_999})) == 2  # a million records, two values
