"""Stuurbord: management dashboard for the municipality of Wassenaar."""
