"""Trackers: items followed over time through a dated status history (an election recommendation, an
action of a strategy), declared by a department (`DepartmentConfig.trackers`) as records are."""
