"""Subscription links are looked up by the SHA-256 digest of their token. The digests of the
tokens already sent are computed here, so every link in an email already delivered keeps
working; the next migration makes them unique and required."""

import hashlib

from django.db import migrations, models


def digest(token):
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def fill_digests(apps, schema_editor):
    Subscription = apps.get_model("notifications", "Subscription")
    batch = []
    for subscription in Subscription.objects.only(
        "pk", "confirm_token", "unsubscribe_token"
    ).iterator(chunk_size=1000):
        subscription.confirm_token_hash = digest(subscription.confirm_token)
        subscription.unsubscribe_token_hash = digest(subscription.unsubscribe_token)
        batch.append(subscription)
        if len(batch) == 1000:
            Subscription.objects.bulk_update(
                batch, ["confirm_token_hash", "unsubscribe_token_hash"]
            )
            batch = []
    Subscription.objects.bulk_update(batch, ["confirm_token_hash", "unsubscribe_token_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="confirm_token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="subscription",
            name="unsubscribe_token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="subscription",
            name="tokens_rotated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fill_digests, migrations.RunPython.noop, elidable=False),
    ]
