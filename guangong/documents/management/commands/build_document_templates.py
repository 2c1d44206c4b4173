"""Rewrite the default Word templates shipped with Guangong (after changing docx_layout)."""

from django.core.management.base import BaseCommand

from guangong.documents.docx_layout import build_all


class Command(BaseCommand):
    help = "Write the default bulletin and summary .docx templates (GB/T 9704 layout)."

    def handle(self, *args, **options):
        for path in build_all():
            self.stdout.write(str(path))
