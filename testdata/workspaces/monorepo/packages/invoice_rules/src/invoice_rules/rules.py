def total(lines, currency="EUR"):
    return sum(lines)


def apply_discount(amount, percent):
    return amount * (100 - percent) / 100
