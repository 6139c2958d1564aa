from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.crm_smb_roi.tests.common import RoiCommon


def load_chart(env, company):
    """Give ``company`` the generic chart of accounts, journals included."""
    env["account.chart.template"].try_loading(
        "generic_coa", company=company, install_demo=False
    )


class RoiAccountCommon(RoiCommon):
    """crm_smb_roi's worked example (Q1 2026, margin 50 %, lifespan 24
    months), plus the posted invoices of readme/USAGE.md's "CLV from invoices"
    example, computed by hand there:

    - A: invoice 3 000 on 2026-01-20, and 1 500 on 2026-02-10 to Anna, a
      contact of A (same customer); a credit note of 500 on 2026-03-20;
    - B: invoice of 3 000 EUR on 2026-03-05, at 2 EUR per USD: 1 500 USD;
    - ignored in Q1: a draft invoice of 10 000 to B, a cancelled one of
      7 000 to C, an invoice of 4 000 to A on 2025-12-31 and one of 900 to B
      on 2026-04-01, a vendor bill of 800 from D;
    - Q2 2025: only a credit note of 300 to C (no invoiced customer).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chart(cls.env, cls.roi_company)
        cls.anna = cls.env["res.partner"].create(
            {"name": "Anna of A", "parent_id": cls.cust_a.id}
        )
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.eur.id,
                "name": "2026-01-01",
                "rate": 2.0,
                "company_id": cls.roi_company.id,
            }
        )
        # Counted in Q1 2026
        cls.inv_a = cls._invoice(cls.cust_a, "2026-01-20", 3000)
        cls.inv_anna = cls._invoice(cls.anna, "2026-02-10", 1500)
        cls.inv_b_eur = cls._invoice(cls.cust_b, "2026-03-05", 3000, currency=cls.eur)
        cls.refund_a = cls._invoice(
            cls.cust_a, "2026-03-20", 500, move_type="out_refund"
        )
        # Not counted in Q1 2026
        cls.draft_b = cls._invoice(cls.cust_b, "2026-02-01", 10000, state="draft")
        cls.cancelled_c = cls._invoice(cls.cust_c, "2026-02-15", 7000, state="cancel")
        cls.inv_a_before = cls._invoice(cls.cust_a, "2025-12-31", 4000)
        cls.inv_b_after = cls._invoice(cls.cust_b, "2026-04-01", 900)
        cls.bill_d = cls._invoice(cls.cust_d, "2026-01-15", 800, move_type="in_invoice")
        # Q2 2025
        cls.refund_c = cls._invoice(
            cls.cust_c, "2025-05-12", 300, move_type="out_refund"
        )
        cls.roi_owner_billing = new_test_user(
            cls.env,
            login="roi_owner_billing",
            name="Bill Owner",
            groups="crm_smb_core.group_smb_owner,account.group_account_invoice",
            company_id=cls.roi_company.id,
            company_ids=[(6, 0, cls.roi_company.ids)],
        )
        cls.roi_seller = new_test_user(
            cls.env,
            login="roi_seller",
            name="Sam Seller",
            groups="crm_smb_core.group_smb_salesperson",
            company_id=cls.roi_company.id,
            company_ids=[(6, 0, cls.roi_company.ids)],
        )

    @classmethod
    def _invoice(
        cls,
        partner,
        invoice_date,
        amount,
        move_type="out_invoice",
        state="posted",
        currency=None,
        company=None,
    ):
        """An invoice (or credit note, or bill) of one untaxed line."""
        company = company or cls.roi_company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": date.fromisoformat(invoice_date),
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": f"Services {invoice_date}",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if state == "posted":
            move.action_post()
        elif state == "cancel":
            move.button_cancel()
        return move

    def invoiced_clv(self, filters=None, user=None):
        """The dashboard's data for ``filters`` (Q1 2026 by default)."""
        return self.dashboard(user).get_dashboard_data(filters or self.q1())
