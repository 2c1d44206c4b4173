"""The activity pages: the ledger and its forms (``pages``), attachments (``attachments``)."""
