"""prospect: find business leads, vet them for fraud, keep them in one deduplicated lead book."""

__version__ = "0.1.0"
