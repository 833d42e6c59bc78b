from invoice_rules.rules import apply_discount, total

__all__ = ["apply_discount", "total"]
