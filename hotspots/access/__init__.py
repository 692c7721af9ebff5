"""Who may see and do what: roles, accounts with hashed passwords, and the audit log."""
