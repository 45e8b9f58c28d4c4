"""What the notifications service tells people in errors, in Vietnamese (default) and English."""

CATALOGUE: dict[str, dict[str, str]] = {}
