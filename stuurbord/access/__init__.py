"""Who may see and change what: identity (login, roles), privacy (personal data, small
numbers), audit (what leaves Stuurbord). `python -m stuurbord.access` checks the login
configuration of this server."""
