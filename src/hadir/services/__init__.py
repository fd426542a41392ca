"""Use cases over the face engine and the store."""
