"""The default certificate template (issuer and signatory from the settings that held them before), and
permission for Wagtail's "Editors" group to manage templates."""

from django.conf import settings
from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")


def create_default_and_grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    CertificateTemplate = apps.get_model("certificates", "CertificateTemplate")
    if not CertificateTemplate.objects.filter(course__isnull=True).exists():
        CertificateTemplate.objects.create(
            name="Default",
            issuer=settings.CERTIFICATE_ISSUER,
            signatory_name=settings.CERTIFICATE_SIGNATORY_NAME,
            signatory_title=settings.CERTIFICATE_SIGNATORY_TITLE,
        )
    # Permissions are normally created after migrate; create them now so that they can be granted.
    app_config = apps.get_app_config("certificates")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="certificates",
                codename__in=[f"{a}_certificatetemplate" for a in ACTIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0007_certificate_template"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_default_and_grant, migrations.RunPython.noop)]
