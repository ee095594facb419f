"""The unit's contact persons and the venues of programmes."""
