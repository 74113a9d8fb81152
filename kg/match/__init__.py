"""Screening: names matched against the lists, as of any date, scored and explained."""
