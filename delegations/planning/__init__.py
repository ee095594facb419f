"""Pure domain code for programmes: rules every item obeys, and the day-by-day timeline."""
