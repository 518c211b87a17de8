# Additive: existing users start at epoch 0. Tokens issued before this migration carry
# no epoch and are refused, so everyone signs in once more after the upgrade.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="token_epoch",
            field=models.IntegerField(default=0),
        ),
    ]
