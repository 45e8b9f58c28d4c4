"""thidua common library. Nothing domain-specific lives here."""
