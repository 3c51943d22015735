"""The digests filled by 0002 become unique and required (a separate migration: PostgreSQL
alters the table after the data migration's transaction has committed). The tokens
themselves need no index any more."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0002_subscription_token_digests"),
    ]

    operations = [
        migrations.AlterField(
            model_name="subscription",
            name="confirm_token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="subscription",
            name="unsubscribe_token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="subscription",
            name="confirm_token",
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="subscription",
            name="unsubscribe_token",
            field=models.CharField(editable=False, max_length=64),
        ),
    ]
