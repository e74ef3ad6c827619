"""Meter readings (odczyty liczników): meters per unit, readings, the residents' own readings."""
