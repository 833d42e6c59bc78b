"""The worker's own rules: one function in common with the package is no copy."""


def total(lines, currency="EUR"):
    """Sum the invoice lines, rounded to cents."""
    amount = sum(line.quantity * line.unit_price for line in lines)
    return round(amount, 2)


def overdue(invoices, today):
    """The invoices past their due date."""
    return [i for i in invoices if i.due < today and not i.paid]


def reminder(invoice):
    """The reminder text for one invoice."""
    return f"Invoice {invoice.number} is due since {invoice.due}."
