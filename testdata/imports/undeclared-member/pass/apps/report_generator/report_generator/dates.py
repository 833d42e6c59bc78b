"""Dates in reports: date-parsing is declared through an extra, under another spelling."""
from invoice_rules import total
from date_parsing import parse


def when(text):
    return parse(text), total([])
