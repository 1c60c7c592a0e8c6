"""Victims' rights asked for through the service, as small named functions: a review of
a decision not to charge, complaints, the Victim Personal Statement, feedback, and the
people acting for a victim.

Not a journey (it registers no routes): the victim site and the officer workspace call
it. Each request makes its Victims' Code duties through app.casework.deadlines (the
rules and clocks are app.victims_code's data), so they show wherever duties show. None
of these functions commits; each writes its audit event in the same transaction, and
every notification goes through the outbox and names nothing.
"""
