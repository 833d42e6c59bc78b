"""The service imports the package: the right way round."""
from invoice_rules.rules import apply_discount


def nightly():
    return apply_discount(10, 5)
