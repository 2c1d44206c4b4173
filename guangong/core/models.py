"""Core holds no domain models; see scope.py for the scoped queryset every app uses."""
