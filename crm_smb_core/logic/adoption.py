"""Adoption score: how much a salesperson actually uses the CRM, 0 to 100.

Four parts weigh a quarter each, all from the last seven days unless said:
- logins: days with a login, out of five working days;
- punctuality: activities done on time, out of those done or overdue;
- coverage: open leads touched in the last 14 days, out of the open leads;
- next steps: open leads that have a next activity, out of the open leads.
A part without anything to measure (no leads, no activities) counts as full,
so a new salesperson is not punished for an empty pipeline.
"""

WORKING_DAYS = 5


def ratio(part, whole):
    return 1.0 if not whole else max(0.0, min(1.0, part / whole))


def adoption_score(
    login_days, done_on_time, done_late, overdue_open, open_leads, touched, no_next
):
    logins = min(login_days, WORKING_DAYS) / WORKING_DAYS
    punctuality = ratio(done_on_time, done_on_time + done_late + overdue_open)
    coverage = ratio(touched, open_leads)
    next_steps = ratio(open_leads - no_next, open_leads)
    return round(25 * (logins + punctuality + coverage + next_steps), 1)
