"""Indexes for the capped totals of the task list (docs/list-indexes.md).

A user's tasks by status and priority, owned or assigned (the assignee's with the
owner, to leave out their own tasks), and every task by status and priority in the
list's order: the total is read from these indexes alone, up to its cap. Plain
indexes, on every database.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0002_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                fields=["owner", "status", "priority"], name="ix_tasks_owner_status"
            ),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                fields=["assignee", "status", "priority", "owner"],
                name="ix_tasks_assignee_status",
            ),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                fields=["status", "priority", "created_at", "id"],
                name="ix_tasks_status_priority_time",
            ),
        ),
    ]
