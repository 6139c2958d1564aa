import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..metrics.periods import add_months, month_end, month_start

_logger = logging.getLogger(__name__)

COST_CATEGORIES = [
    ("ads", "Advertising"),
    ("events", "Events"),
    ("crm_subscription", "CRM Subscription"),
    ("staff_time", "Staff Time"),
    ("tools", "Tools"),
    ("other", "Other"),
]
# Categories the marketing role records and edits itself; staff time and the
# CRM subscription stay with managers and owners.
MARKETING_CATEGORIES = ("ads", "events", "tools", "other")


class CrmSmbCost(models.Model):
    """Money spent on marketing and sales, the cost side of every ROI figure.

    A cost covers a day or a period (``date_start`` to ``date_end``); reports
    spread it evenly over the days of its period. A cost flagged as monthly
    recurring is a template: it is not spend itself, the scheduled action
    "ROI: generate recurring costs" turns it into one cost per month.
    """

    _name = "crm.smb.cost"
    _description = "Marketing and Sales Cost"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    # Description
    name = fields.Char(string="Description", required=True)
    category = fields.Selection(
        COST_CATEGORIES, required=True, default="ads", index=True
    )
    note = fields.Text()
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    # Amount
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    amount = fields.Monetary(currency_field="currency_id", required=True)
    amount_company = fields.Monetary(
        string="Amount in Company Currency",
        currency_field="company_currency_id",
        compute="_compute_amount_company",
        store=True,
        help="Converted with the rate of the cost's date (the latest rate on or "
        "before it, else the first rate after it).",
    )

    # Period
    date_start = fields.Date(
        string="Date",
        default=fields.Date.context_today,
        index=True,
        help="Day the money was spent, or first day of the period it covers.",
    )
    date_end = fields.Date(
        string="Period End",
        help="Last day of the period the cost covers; empty for a one-day cost.",
    )

    # Attribution
    source_id = fields.Many2one("utm.source", index=True)
    medium_id = fields.Many2one("utm.medium")
    campaign_id = fields.Many2one("utm.campaign")
    team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    user_id = fields.Many2one("res.users", string="Salesperson")

    # Recurrence
    recurring = fields.Boolean(
        string="Monthly Recurring",
        help="A template: one cost per month is generated from its date on.",
    )
    recurring_end = fields.Date(
        string="Recurring Until", help="Last month to generate; empty for no end."
    )
    recurring_template_id = fields.Many2one(
        "crm.smb.cost",
        string="Generated From",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    generated_ids = fields.One2many(
        "crm.smb.cost", "recurring_template_id", string="Generated Costs"
    )

    _recurring_month_unique = models.Constraint(
        "UNIQUE(recurring_template_id, date_start)",
        "A recurring cost is generated once per month.",
    )
    _date_start_company_idx = models.Index("(company_id, date_start, date_end)")

    @api.depends("amount", "currency_id", "company_id", "date_start")
    def _compute_amount_company(self):
        for cost in self:
            company = cost.company_id or self.env.company
            if not cost.currency_id or cost.currency_id == company.currency_id:
                cost.amount_company = cost.amount
                continue
            cost.amount_company = cost.currency_id._convert(
                cost.amount,
                company.currency_id,
                company,
                cost.date_start or fields.Date.context_today(self),
            )

    @api.constrains("amount")
    def _check_amount(self):
        for cost in self.filtered(lambda c: c.amount < 0):
            _logger.warning("Rejected cost %r: negative amount", cost.name)
            raise ValidationError(
                self.env._(
                    "The cost “%(name)s” has a negative amount (%(amount)s). "
                    "Enter what was spent as a positive amount; record a refund "
                    "by lowering the original cost.",
                    name=cost.name,
                    amount=cost.amount,
                )
            )

    @api.constrains("date_start", "date_end", "recurring", "recurring_end")
    def _check_period(self):
        for cost in self:
            if not cost.date_start:
                _logger.warning("Rejected cost %r: no date", cost.name)
                raise ValidationError(
                    self.env._(
                        "The cost “%(name)s” has no date. Set the day it was "
                        "spent, or the first day of the period it covers.",
                        name=cost.name,
                    )
                )
            if cost.date_end and cost.date_end < cost.date_start:
                _logger.warning("Rejected cost %r: period ends first", cost.name)
                raise ValidationError(
                    self.env._(
                        "The period of the cost “%(name)s” ends (%(end)s) before "
                        "it starts (%(start)s). Swap or correct the dates.",
                        name=cost.name,
                        start=cost.date_start,
                        end=cost.date_end,
                    )
                )
            if cost.recurring and cost.date_end:
                _logger.warning(
                    "Rejected cost %r: recurring with a period end", cost.name
                )
                raise ValidationError(
                    self.env._(
                        "The recurring cost “%(name)s” has a period end. A "
                        "recurring cost covers one month at a time: clear "
                        "“Period End” and use “Recurring Until” to stop it.",
                        name=cost.name,
                    )
                )

    @api.constrains("currency_id", "company_id")
    def _check_currency_rate(self):
        """A foreign currency needs at least one rate; see readme/CONFIGURE.md."""
        for cost in self:
            company = cost.company_id
            if cost.currency_id == company.currency_id:
                continue
            has_rate = self.env["res.currency.rate"].search_count(
                [
                    ("currency_id", "=", cost.currency_id.id),
                    ("company_id", "in", (False, company.root_id.id)),
                ],
                limit=1,
            )
            if not has_rate:
                _logger.warning(
                    "Rejected cost %r: no rate for %s", cost.name, cost.currency_id.name
                )
                raise ValidationError(
                    self.env._(
                        "There is no exchange rate for %(currency)s, so the cost "
                        "“%(name)s” cannot be converted to %(company_currency)s. "
                        "Add a rate for %(currency)s (Settings > Currencies) or "
                        "enter the cost in %(company_currency)s.",
                        currency=cost.currency_id.name,
                        company_currency=company.currency_id.name,
                        name=cost.name,
                    )
                )

    # ORM overrides

    @api.model_create_multi
    def create(self, vals_list):
        self._check_category_access({vals.get("category", "ads") for vals in vals_list})
        return super().create(vals_list)

    def write(self, vals):
        if "category" in vals:
            self._check_category_access({vals["category"]})
        return super().write(vals)

    def _check_category_access(self, categories):
        """Marketing handles its own categories only. Record rules check a cost
        as it is before a change (and constraints run as superuser), so the
        new category is checked here."""
        if self.env.su or self.env.user.has_group("crm_smb_core.group_smb_manager"):
            return
        for category in set(categories) - set(MARKETING_CATEGORIES):
            _logger.warning(
                "Rejected cost: category %s not allowed for user %s",
                category,
                self.env.user.login,
            )
            raise AccessError(
                self.env._(
                    "Only managers and owners record “%(category)s” costs; ask "
                    "one of them, or pick another category.",
                    category=dict(COST_CATEGORIES).get(category, category),
                )
            )

    # Business methods

    def _spend_domain(self):
        """Costs that count as spend: everything except recurring templates."""
        return [("recurring", "=", False)]

    def _generate_recurring(self, until):
        """Create the missing monthly costs of these templates up to ``until``.

        Months that already have a generated cost are skipped (the unique
        constraint backs this up), so running it again creates nothing.
        Returns the created costs.
        """
        templates = self.filtered("recurring")
        if not templates:
            return self.browse()
        self.flush_model(["recurring_template_id", "date_start"])
        # One query for the months already generated, instead of one per template.
        rows = self.env.execute_query(
            SQL(
                "SELECT recurring_template_id, date_start FROM crm_smb_cost "
                "WHERE recurring_template_id IN %s",
                tuple(templates.ids),
            )
        )
        existing = set(rows)
        vals_list = []
        for template in templates:
            last = min(until, template.recurring_end or until)
            current = month_start(template.date_start)
            while current <= last:
                if (template.id, current) not in existing:
                    vals_list.append(template._prepare_recurring_vals(current))
                current = add_months(current, 1)
        return self.create(vals_list)

    def _prepare_recurring_vals(self, month):
        self.ensure_one()
        return {
            "name": self.env._(
                "%(name)s (%(month)s)", name=self.name, month=month.strftime("%Y-%m")
            ),
            "category": self.category,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "amount": self.amount,
            "date_start": month,
            "date_end": month_end(month),
            "source_id": self.source_id.id,
            "medium_id": self.medium_id.id,
            "campaign_id": self.campaign_id.id,
            "team_id": self.team_id.id,
            "user_id": self.user_id.id,
            "recurring_template_id": self.id,
        }

    def action_generate_recurring(self):
        """Button on a template: generate its months up to today now."""
        self._generate_recurring(fields.Date.context_today(self))
        return True

    @api.model
    def _cron_generate_recurring_costs(self, batch_size=500):
        """Scheduled action: generate this month's recurring costs.

        Templates are processed in batches so a large number of them does not
        hold one long transaction of work in memory.
        """
        today = fields.Date.context_today(self)
        templates = self.with_context(active_test=False).search(
            [
                ("recurring", "=", True),
                ("date_start", "<=", today),
                "|",
                ("recurring_end", "=", False),
                ("recurring_end", ">=", month_start(today)),
            ]
        )
        created = self.browse()
        for start in range(0, len(templates), batch_size):
            batch = templates[start : start + batch_size]
            created |= batch._generate_recurring(today)
        _logger.info(
            "Recurring costs: %s templates, %s monthly costs created",
            len(templates),
            len(created),
        )
        return created
