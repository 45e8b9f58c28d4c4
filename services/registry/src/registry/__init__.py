"""The registry: who exists, who belongs to which bloc when, and who runs each bloc in which year."""
