"""The care-case pages: list, detail and forms (``cases``); reveals, transitions, follow-ups,
consent, attachments, the access log and the encrypted export (``actions``).
"""
