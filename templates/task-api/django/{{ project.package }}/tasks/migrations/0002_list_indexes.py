"""Indexes for every sort of the task list (docs/list-indexes.md).

Title and updated_at get plain indexes on every database. The sorts by priority and
by due date descending (tasks without one last) order by expressions, which
PostgreSQL indexes: those two indexes are made there only, as the services spell
the expressions; the other databases sort those pages as before.
"""

from django.db import migrations, models

from ...core.indexes import postgresql_indexes

POSTGRESQL_INDEXES = {
    "ix_tasks_priority_rank": "((priority = 'high'), (priority = 'medium'), id)",
    "ix_tasks_due_date_desc_nulls_last": "(due_date DESC NULLS LAST, id DESC)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="task",
            name="title",
            field=models.CharField(db_index=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="task",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        postgresql_indexes("tasks", POSTGRESQL_INDEXES),
    ]
