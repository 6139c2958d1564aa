from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_smb_core.tests.common import SmbTourCase

from .common import load_chart


@tagged("post_install", "-at_install")
class TestInvoicedClvUi(SmbTourCase):
    """An owner with Invoicing rights reads the CLV from invoices on the ROI
    dashboard and opens the invoices behind it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env["res.company"].create(
            {
                "name": "Tour Invoicing Co",
                "currency_id": cls.env.ref("base.USD").id,
                "roi_gross_margin_pct": 50.0,
                "roi_lifespan_months": 24,
            }
        )
        cls.env.user.company_ids |= company
        load_chart(cls.env, company)
        new_test_user(
            cls.env,
            login="tour_roi_owner",
            name="Tina Owner",
            groups="crm_smb_core.group_smb_owner,account.group_account_invoice",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        customer = cls.env["res.partner"].create(
            {"name": "Tour Invoiced Customer", "is_company": True}
        )
        # This month is in this quarter, the dashboard's default period.
        invoice = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": fields.Date.today().replace(day=1),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Tour services",
                                "quantity": 1,
                                "price_unit": 1500,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()

    def test_invoiced_clv_tour(self):
        """The card shows 1 500 / 1 customer / 3 months x 50 % x 24 = 6 000,
        and clicking it lists the invoice."""
        self.smb_start_tour(
            "/odoo/action-crm_smb_roi.crm_smb_roi_dashboard_action",
            "crm_smb_roi_account_invoiced_clv_tour",
            login="tour_roi_owner",
        )
