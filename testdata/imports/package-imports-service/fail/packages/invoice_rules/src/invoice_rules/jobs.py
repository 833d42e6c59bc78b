"""Hooks."""
import billing_worker


def hook():
    return billing_worker.run()
