"""Casework shared by every journey: the case model's operations, the Victims' Code
duties on a case, the lists officers page through, and the fixed catalogues.

Not a journey (it registers no routes): the officer workspace, the victim site and the
records-system API all call it, and it calls only app.models, app.audit,
app.notifications and app.victims_code.
"""
