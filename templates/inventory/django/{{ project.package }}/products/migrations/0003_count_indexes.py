"""An index for the capped total of the product list (docs/list-indexes.md).

Products by category and status, in SKU order: the total of a category's active (or
retired) products is read from it alone, up to its cap, and their page by cursor is
one range of it. A plain index, on every database.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0002_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                fields=["category", "is_active", "sku"], name="ix_products_category_active"
            ),
        ),
    ]
