"""NLP stage: the spaCy pipeline, its components and the extractors over a parsed Doc."""
