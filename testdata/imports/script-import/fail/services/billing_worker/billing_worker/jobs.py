"""Nightly jobs."""
from scripts.backfill import HERE


def nightly():
    import backfill
    return backfill, HERE
