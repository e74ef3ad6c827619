# The payment day (art. 4 ust. 6) is the cooperative's, not this module's: arrears count from it too. Its value
# moves to the configuration's new column, in SQL the fast path of migrate_schemas applies to every schema.
# The old column stays a release with a database default (expand/contract: the previous release's code still
# reads and writes it while schemas migrate); the next release drops it.

from django.db import migrations, models

from cooperatives.migration_operations import SchemaLocalSQL


class Migration(migrations.Migration):

    dependencies = [
        ('configuration', '0013_payment_day'),
        ('fee_notices', '0002_delivery'),
    ]

    operations = [
        SchemaLocalSQL(
            "UPDATE configuration_instancesettings AS instance SET payment_day = module.payment_day "
            "FROM fee_notices_feenoticesettings AS module WHERE instance.id = 1 AND module.id = 1",
            reverse_sql="UPDATE fee_notices_feenoticesettings AS module SET payment_day = instance.payment_day "
                        "FROM configuration_instancesettings AS instance WHERE instance.id = 1 AND module.id = 1",
        ),
        migrations.AlterField(
            model_name='feenoticesettings',
            name='payment_day',
            field=models.PositiveSmallIntegerField(db_default=10, default=10, editable=False, verbose_name='payment day of the month'),
        ),
    ]
