"""Tags: made on first use, listed with the number of published posts that carry them."""
