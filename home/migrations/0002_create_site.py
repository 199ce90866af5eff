"""Replace Wagtail's welcome page with Kommunect's home page and the
community directory below it, so a fresh ``migrate`` gives a working site."""

from django.db import migrations


def create_site(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")
    CommunityIndexPage = apps.get_model("communities.CommunityIndexPage")

    if HomePage.objects.exists():
        return
    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, depth=2, slug="home").delete()
    locale = Locale.objects.order_by("pk").first()

    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    home = HomePage.objects.create(
        title="Kommunect – Wissen teilen zwischen Kommunen",
        draft_title="Kommunect – Wissen teilen zwischen Kommunen",
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=1,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    index_type, _ = ContentType.objects.get_or_create(
        model="communityindexpage", app_label="communities"
    )
    CommunityIndexPage.objects.create(
        title="Communities",
        draft_title="Communities",
        slug="communities",
        content_type=index_type,
        path="000100010001",
        depth=3,
        numchild=0,
        url_path="/home/communities/",
        locale=locale,
        live=True,
    )
    root = Page.objects.get(depth=1)
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True,
        site_name="Kommunect",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("communities", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_site, migrations.RunPython.noop)]
