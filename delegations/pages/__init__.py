"""Static pages that carry no data: the accessibility statement (Erklärung zur Barrierefreiheit)."""
