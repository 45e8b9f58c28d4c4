"""Notifications: tell units, blocs, the department and subscribing systems what happened."""
