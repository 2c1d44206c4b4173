#!/usr/bin/env python
"""Same as the ``guangong`` console script, for those used to manage.py."""

from guangong.__main__ import main

if __name__ == "__main__":
    main()
