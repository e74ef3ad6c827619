from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0003_unit_bank_account_unit_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="staircase",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="staircase"),
        ),
    ]
