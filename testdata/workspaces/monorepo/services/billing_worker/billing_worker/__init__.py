from invoice_rules import total


def run():
    return total([1, 2])
