"""framewatch.io: reading inputs, writing outputs, and the files that make a run resumable."""
