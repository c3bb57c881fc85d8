"""framewatch: find information-operations framing in news text."""
