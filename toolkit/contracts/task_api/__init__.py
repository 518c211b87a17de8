"""task-api: tasks owned by users, grouped in projects, assigned to others and commented on;
admins see everything; validation, filters, pages.
"""
