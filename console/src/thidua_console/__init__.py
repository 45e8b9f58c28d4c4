"""The thidua web console."""
