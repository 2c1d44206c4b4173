"""Every change to notices (``notices``) and information items (``items``)."""
