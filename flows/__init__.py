"""Prefect orchestration of reprint: flows call the plain functions of `tasks/` through thin task wrappers."""
