"""The pages of member units (``units``), meetings (``meetings``) and action items
(``items``) beyond the generated ones."""
