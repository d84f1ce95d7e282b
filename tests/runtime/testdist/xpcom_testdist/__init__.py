"""Components contributed from outside the project, found through entry points."""
