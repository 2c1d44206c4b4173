"""The documents pages: bulletins (``bulletins``), work summaries (``summaries``), generated files
and templates (``files``).
"""
