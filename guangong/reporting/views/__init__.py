"""The report pages: filling a report in (``reports``), collecting and reading the reports of a
subtree (``collect``), designing a form (``editor``).
"""
