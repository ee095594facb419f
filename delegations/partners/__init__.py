"""Partner cities and partner organisations: dossiers, commitments and round anniversaries (issue 9).

anniversaries.py  round anniversaries in the next 18 months and reminder stages (pure)
documents.py      agreement files: recognised by content, stored under random names (pure but for the disk)
queries.py        loading the list, a dossier and the dashboard panel in a fixed number of queries
operations.py     state changes and the anniversary reminders through the outbox
views.py          the blueprint; forms.py its forms; commands.py `flask partners remind`; demo.py the demo data
"""
