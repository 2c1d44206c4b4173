"""What an attached photo or document is, whatever it hangs on (an activity, a care case).

``Attachment`` is abstract: a concrete model adds the foreign key to what it is attached to and
its ``file`` (a ``FileField`` with the model's own ``upload_to``). The upload itself is checked
by ``core.uploads`` against the app's policy; ``store`` writes what that check returned.
Deleting an attachment removes its file once the transaction commits (``core.files``).
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from .uploads import Checked


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class Attachment(models.Model):
    Kind = AttachmentKind

    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name

    def store(self, checked: Checked) -> str:
        """Take kind, name and size from a checked upload and write its content under a random
        name (not saving the row); returns the stored name, to remove if the row never is."""
        self.kind = checked.kind
        self.name = checked.name[: self._meta.get_field("name").max_length]
        self.size = len(checked.content)
        self.file.save(checked.storage_name(), ContentFile(checked.content), save=False)
        return self.file.name
