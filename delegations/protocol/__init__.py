"""Protocol: who ranks where, how to address them, where they sit, what they are given.

precedence.py  ranking rules (office levels, tie-breakers) in, people in order of precedence out (pure)
seating.py     table plans: automatic seating under the hard rules, checks, moving a person (pure)
address.py     forms of address, suggestions per office, the head of delegation per language (pure)
reception.py   who receives a delegation, who greets it and who sees it off (pure)
checklist.py   protocol task templates by protocol level, due dates relative to arrival (pure)
needs.py       caterer's counts by dietary need, interpreters needed by language and mode (pure)
gifts.py       gift rules: thresholds, repeat warnings, the annual export (CSV/XLSX, injection-safe) (pure)
golden_book.py checks of a prepared Golden Book entry (pure)
queries.py     loading what the pages show, in a fixed number of queries
operations.py  state changes (domain code flushes, the view commits)
printing.py    table plans and place cards as PDFs through the printing registry
views.py       the blueprint; forms.py its forms; commands.py `flask protocol ...`; demo.py the state visit
"""
