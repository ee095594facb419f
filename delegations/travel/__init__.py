"""Travel per member (arrivals, departures), the airport and station pick-up plan, transfers and run sheets by role."""
