"""Every change to care cases, and every opening or reveal of one, as audited actions
(``core.actions``): the case itself and its consent (``cases``), its workflow
(``transitions``), follow-up visits and attachments (``entries``), and who opened or revealed
what (``access``). Retention lives in ``care.retention``, the encrypted export in
``care.exports``.
"""
