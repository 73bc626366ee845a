from django.contrib import admin

from .models import ImportBatch, ImportRow


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = ("filename", "owner", "cohort", "status", "row_count", "created_count")
    list_filter = ("status",)
    # The kept file and its analysis hold people's data: shown through the pages, not here.
    exclude = ("content", "analysis")
    readonly_fields = ("sha256",)


admin.site.register(ImportRow)
