"""Invoice rules shared by the billing services."""


def total(lines, currency="EUR"):
    """Sum the invoice lines, rounded to cents."""
    amount = sum(line.quantity * line.unit_price for line in lines)
    return round(amount, 2)


def apply_discount(amount, percent):
    """Take `percent` off `amount`; a discount never makes it negative."""
    if percent < 0 or percent > 100:
        raise ValueError(f"discount out of range: {percent}")
    return max(amount * (100 - percent) / 100, 0)


def tax(amount, rate=0.2):
    """The tax on `amount` at `rate`."""
    if rate < 0:
        raise ValueError("negative tax rate")
    return round(amount * rate, 2)
