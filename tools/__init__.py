"""Developer tools: generators of the harness's committed data files (never imported at run time)."""
