"""Vetting: the look, listen, ask and verify checks and the grade."""
