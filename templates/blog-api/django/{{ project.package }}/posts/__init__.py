"""Posts: drafts and published posts of authors, with unique slugs and tags."""
