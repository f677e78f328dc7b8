"""Input stage: articles from files and streams, and their layout."""
