"""Reference subscribers of thidua's events: one reads Kafka, the other receives webhooks (see each README)."""
