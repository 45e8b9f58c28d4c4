"""A reference receiver of thidua's webhooks, verified with ``standardwebhooks`` (see README.md)."""
