# Additive (feature jwks): a nullable unique column, so existing users keep working and
# each subject of the issuer maps onto at most one user.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_token_epoch"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="subject",
            field=models.CharField(blank=True, max_length=255, null=True, unique=True),
        ),
    ]
