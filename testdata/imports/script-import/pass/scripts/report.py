"""Scripts import packages, and each other: never checked."""
from invoice_rules import total
from scripts.backfill import HERE

print(total([]), HERE)
