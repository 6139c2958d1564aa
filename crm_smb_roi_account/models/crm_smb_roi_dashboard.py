import logging

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Customer invoices and their credit notes; receipts and vendor bills are not
# customer revenue of the dashboard.
INVOICE_TYPES = ("out_invoice", "out_refund")


class CrmSmbRoiDashboard(models.AbstractModel):
    """Feeds the dashboard's "CLV from invoices" card from posted invoices.

    The invoiced revenue of a period is the untaxed amount, in the company
    currency, of the company's posted customer invoices dated in the period,
    minus its posted credit notes; its customers are the commercial entities
    invoiced in the period. ``crm_smb_roi`` turns both into a CLV with the
    company's margin and lifespan, like the CLV from won deals.
    """

    _inherit = "crm.smb.roi.dashboard"

    @api.model
    def _invoiced_domain(self, f):
        """The moves behind the figure, as a domain (same rules as the SQL)."""
        return [
            ("company_id", "=", self.env.company.id),
            ("state", "=", "posted"),
            ("move_type", "in", INVOICE_TYPES),
            ("invoice_date", ">=", f["date_from"]),
            ("invoice_date", "<=", f["date_to"]),
        ]

    @api.model
    def _query_invoiced(self, f):
        """Invoiced revenue net of credit notes and invoiced customers.

        SQL because the figure is a sum over invoices and credit notes and a
        distinct count over invoices only, in one pass over account_move;
        grouped ORM reads would take two queries, and would need Invoicing
        rights that an owner reading the dashboard may not have.
        """
        self.env["account.move"].flush_model(
            [
                "company_id",
                "state",
                "move_type",
                "invoice_date",
                "amount_untaxed_signed",
                "commercial_partner_id",
            ]
        )
        revenue, customers = self.env.execute_query(
            SQL(
                """SELECT COALESCE(SUM(m.amount_untaxed_signed), 0),
                          COUNT(DISTINCT m.commercial_partner_id)
                              FILTER (WHERE m.move_type = 'out_invoice')
                     FROM account_move m
                    WHERE m.company_id = %(company)s
                      AND m.state = 'posted'
                      AND m.move_type IN %(types)s
                      AND m.invoice_date >= %(date_from)s
                      AND m.invoice_date <= %(date_to)s""",
                company=self.env.company.id,
                types=INVOICE_TYPES,
                date_from=f["date_from"],
                date_to=f["date_to"],
            )
        )[0]
        return {"revenue": float(revenue), "customers": customers}

    @api.model
    def action_open_kpi(self, key, filters=None, month=None):
        """The "CLV from invoices" card lists the invoices and credit notes
        behind it; every other figure is handled by ``crm_smb_roi``."""
        if key != "clv_invoiced":
            return super().action_open_kpi(key, filters=filters, month=month)
        self._check_dashboard_access()
        if not self.env["account.move"].has_access("read"):
            _logger.warning(
                "User %s may not open the invoices behind the invoiced CLV",
                self.env.uid,
            )
            raise AccessError(
                self.env._(
                    "The invoices behind this figure are in Invoicing. Ask an "
                    "administrator for the Invoicing or Accounting read-only "
                    "right to open them."
                )
            )
        f = self._parse_filters(filters)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Posted invoices and credit notes of the period"),
            "res_model": "account.move",
            "views": [
                [
                    self.env.ref(
                        "crm_smb_roi_account.account_move_view_list_clv_invoiced"
                    ).id,
                    "list",
                ],
                [self.env.ref("account.view_move_form").id, "form"],
            ],
            "domain": self._invoiced_domain(f),
            "context": {"create": False},
        }
