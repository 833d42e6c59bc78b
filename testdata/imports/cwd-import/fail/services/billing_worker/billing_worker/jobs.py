from packages.invoice_rules.src.invoice_rules import rules
import helpers
from .. import settings


def nightly():
    return rules, helpers, settings
