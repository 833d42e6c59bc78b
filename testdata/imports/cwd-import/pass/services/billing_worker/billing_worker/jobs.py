from invoice_rules import rules
from . import helpers
from billing_worker import helpers as h


def nightly():
    return rules, helpers, h
