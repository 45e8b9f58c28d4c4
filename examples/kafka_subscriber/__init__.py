"""A reference Kafka subscriber of thidua's award decisions, written with FastStream (see README.md)."""
