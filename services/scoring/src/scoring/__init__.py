"""Scoring: where a bloc's year is judged; every number explainable and traceable."""
