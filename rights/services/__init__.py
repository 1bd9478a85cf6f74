"""Writes of trial monitoring. HTML views, the API, imports and tasks all call these functions."""
