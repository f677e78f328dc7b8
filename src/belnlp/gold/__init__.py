"""Gold sets: format, import and export, and evaluation against them."""
