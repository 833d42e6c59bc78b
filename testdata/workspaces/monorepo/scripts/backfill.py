import sys

sys.path.insert(0, "packages/invoice_rules/src")
