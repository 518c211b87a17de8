"""blog-api: public posts and private drafts, roles, slugs, tags, comments, pages."""
