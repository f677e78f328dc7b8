"""spaCy components of belnlp, each registered with @Language.factory and as an entry point."""
