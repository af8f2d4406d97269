"""The work of reprint as plain functions: nothing here knows about Prefect."""
