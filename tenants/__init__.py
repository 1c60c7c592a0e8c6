"""Multi-tenancy machinery: one PostgreSQL schema and role per force.

Readable in one sitting. Imports config only, never app.
"""
