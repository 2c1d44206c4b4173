"""Every change to report forms and reports.

Who collects whose report (``chain``): a form is defined by its owner for the owner's subtree;
every organisation there of a reporting kind files it. A report goes to its *collector* — the
nearest organisation above it that is itself a reporter, or the owner — whose approvers (users
of that organisation holding the ``approve`` verb: the ``approve`` rule of the report's policy,
``reporting.resources``) approve, return or unlock it (``approval``). A report covers its
organisation's whole subtree: computed items read the ledgers of the subtree, and a reporter
that collects from others starts its hand-entered items from the sum of their approved values
(``filing``, with the checks of entered values in ``values``). A collector's total is the sum
over the reports it collects, never counting a subtree twice (``reporting.aggregate``).
Defining a form and its layout: ``editing``.
"""
