"""Business rules; they take a session and raise ``core.errors``, never HTTP objects."""
