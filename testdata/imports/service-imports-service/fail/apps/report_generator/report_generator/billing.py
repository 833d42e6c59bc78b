"""Reports on billing."""

from billing_worker import run


def report():
    import billing_worker.jobs
    return run()
