import pathlib

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from guangong.core.export import XLSX_TYPE
from guangong.core.forms import style_fields

#: The largest upload accepted (an .xlsx of 100,000 rows of ten columns is about 5 MB).
MAX_UPLOAD_MB = settings.IMPORT_MAX_UPLOAD_MB
ZIP_MAGIC = b"PK\x03\x04"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = pathlib.PurePath(upload.name).suffix.lower()
        if suffix == ".xls":
            raise forms.ValidationError(
                _("This is an old .xls file. Open it in Excel or WPS and save it as .xlsx.")
            )
        if suffix != ".xlsx":
            raise forms.ValidationError(_("Choose an Excel file ending in .xlsx."))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(n)d MB. Split it into several files.")
                % {"n": MAX_UPLOAD_MB}
            )
        upload.seek(0)
        if upload.read(4) != ZIP_MAGIC:
            raise forms.ValidationError(
                _("This file is not a valid .xlsx workbook. Save it again as .xlsx.")
            )
        upload.seek(0)
        return upload
