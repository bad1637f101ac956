from django.db import models


class LoadRecord(models.Model):
    """What `load_content` last wrote for one source file, so that a re-run can tell
    "unchanged", "changed in the file" and "edited by an editor since" apart."""

    source = models.CharField(max_length=255, unique=True, help_text="Path relative to content/.")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    content_hash = models.CharField(max_length=64)
    revision_id = models.PositiveBigIntegerField(null=True, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.source
