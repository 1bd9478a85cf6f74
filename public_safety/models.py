"""Models of this department come with its first feature issue."""
