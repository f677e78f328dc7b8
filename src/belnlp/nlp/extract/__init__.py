"""Plain typed functions over a parsed Doc: claims, relations, modality (textacy style)."""
