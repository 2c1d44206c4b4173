"""The ground floor of Guangong: what every app shares and no app owns.

Layering: ``core`` imports no other guangong app except ``audit``, which stands beside it as
infrastructure (the audit log is part of the spine). Every other app (orgs, accounts, people,
activities, care, helpdesk, reporting, documents, dicts, stats, jobs, demo, home) is a domain
app built on core, and core never imports one, not even lazily inside a function. Where core
needs an app's work it declares a hook that the app fills in from ``AppConfig.ready`` (the
metrics collectors of ``core.metrics``, the background writer of ``core.export``).
``core/tests/test_layering.py`` keeps it so.
"""
