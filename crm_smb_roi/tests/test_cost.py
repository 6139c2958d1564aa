from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged, users
from odoo.tools import mute_logger

from .common import RoiCommon


@tagged("post_install", "-at_install")
class TestCost(RoiCommon):
    """Costs: validation, currency conversion, recurrence, import, access."""

    def test_negative_amount_is_refused_with_a_clear_message(self):
        """A negative cost is refused and says how to record a refund."""
        with (
            mute_logger("odoo.addons.crm_smb_roi.models.crm_smb_cost"),
            self.assertRaises(ValidationError) as caught,
        ):
            self.env["crm.smb.cost"].create(
                self._cost_vals("Refund", -50, "2026-01-01")
            )
        self.assertIn("negative amount", str(caught.exception))
        self.assertIn("positive amount", str(caught.exception))

    def test_cost_without_date_is_refused(self):
        """A cost without date (no period) cannot be saved: it could not be
        placed in any month."""
        with (
            mute_logger("odoo.addons.crm_smb_roi.models.crm_smb_cost"),
            self.assertRaises(ValidationError) as caught,
        ):
            self.env["crm.smb.cost"].create(self._cost_vals("No date", 10, False))
        self.assertIn("has no date", str(caught.exception))

    def test_period_ending_before_start_is_refused(self):
        """A period that ends before it starts is refused with both dates shown."""
        with (
            mute_logger("odoo.addons.crm_smb_roi.models.crm_smb_cost"),
            self.assertRaises(ValidationError) as caught,
        ):
            self.env["crm.smb.cost"].create(
                self._cost_vals("Backwards", 10, "2026-02-01", "2026-01-01")
            )
        self.assertIn(
            "ends (2026-01-01) before it starts (2026-02-01)", str(caught.exception)
        )

    def test_currency_without_any_rate_is_refused(self):
        """Without any rate a foreign cost could not be converted: refused."""
        currency = self.env["res.currency"].create(
            {"name": "XRA", "symbol": "R", "active": True}
        )
        with (
            mute_logger("odoo.addons.crm_smb_roi.models.crm_smb_cost"),
            self.assertRaises(ValidationError) as caught,
        ):
            self.env["crm.smb.cost"].create(
                {
                    **self._cost_vals("Foreign", 100, "2026-01-10"),
                    "currency_id": currency.id,
                }
            )
        self.assertIn("no exchange rate for XRA", str(caught.exception))

    def test_foreign_cost_is_converted_with_the_rate_of_its_date(self):
        """100 XRB at 2 XRB per USD on the cost's date is 50 USD; a cost dated
        before the first rate uses that first rate (documented treatment)."""
        currency = self.env["res.currency"].create(
            {"name": "XRB", "symbol": "B", "active": True}
        )
        self.env["res.currency.rate"].create(
            [
                {
                    "currency_id": currency.id,
                    "name": "2026-01-01",
                    "rate": 2.0,
                    "company_id": False,
                },
                {
                    "currency_id": currency.id,
                    "name": "2026-02-01",
                    "rate": 4.0,
                    "company_id": False,
                },
            ]
        )
        Cost = self.env["crm.smb.cost"]
        january = Cost.create(
            {**self._cost_vals("Jan", 100, "2026-01-20"), "currency_id": currency.id}
        )
        february = Cost.create(
            {**self._cost_vals("Feb", 100, "2026-02-20"), "currency_id": currency.id}
        )
        early = Cost.create(
            {**self._cost_vals("Early", 100, "2025-06-01"), "currency_id": currency.id}
        )
        self.assertEqual(january.amount_company, 50.0)
        self.assertEqual(february.amount_company, 25.0)
        self.assertEqual(early.amount_company, 50.0)

    def test_recurring_costs_are_generated_once_per_month(self):
        """The scheduled action creates one cost per month up to today and
        nothing more when it runs again."""
        template = self.env["crm.smb.cost"].create(
            {
                **self._cost_vals("Tool licence", 30, "2026-01-10", None, "tools"),
                "recurring": True,
            }
        )
        with freeze_time("2026-03-15"):
            self.env["crm.smb.cost"]._cron_generate_recurring_costs()
            self.assertEqual(
                template.generated_ids.sorted("date_start").mapped("date_start"),
                [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)],
            )
            self.assertEqual(template.generated_ids[0].date_end.day, 31)
            created = self.env["crm.smb.cost"]._cron_generate_recurring_costs()
            self.assertFalse(created & template.generated_ids)
        self.assertEqual(len(template.generated_ids), 3)
        with freeze_time("2026-04-02"):
            self.env["crm.smb.cost"]._cron_generate_recurring_costs()
        self.assertEqual(len(template.generated_ids), 4)

    def test_recurring_template_respects_its_end(self):
        """The fixture's CRM subscription stops after March."""
        self.assertEqual(len(self.cost_crm_template.generated_ids), 3)
        self.assertEqual(
            sum(self.cost_crm_template.generated_ids.mapped("amount_company")), 300.0
        )

    def test_csv_import_is_all_or_nothing(self):
        """An import with one bad row creates nothing and names the problem."""
        Cost = self.env["crm.smb.cost"].with_company(self.roi_company)
        before = Cost.search_count([])
        fields_ = ["name", "amount", "date_start", "category"]
        rows = [
            ["Row ok", "10", "2026-01-05", "ads"],
            ["Row bad", "-5", "2026-01-06", "ads"],
        ]
        with mute_logger("odoo.addons.crm_smb_roi.models.crm_smb_cost", "odoo.sql_db"):
            result = Cost.load(fields_, rows)
        self.assertFalse(result["ids"])
        self.assertTrue(
            any("negative amount" in m["message"] for m in result["messages"])
        )
        self.assertEqual(Cost.search_count([]), before)
        result = Cost.load(fields_, rows[:1])
        self.assertEqual(len(result["ids"]), 1)

    def test_form_hides_period_end_for_recurring_costs(self):
        """Recurring costs are monthly: the form offers an end of recurrence."""
        with Form(self.env["crm.smb.cost"].with_company(self.roi_company)) as form:
            form.name = "Hosting"
            form.amount = 20
            form.recurring = True
            form.recurring_end = date(2026, 12, 31)
        self.assertTrue(form.record.recurring)

    @users("smb_salesperson")
    def test_salesperson_has_no_access(self):
        """Salespeople do not see what marketing and sales cost."""
        with self.assertRaises(AccessError):
            self.env["crm.smb.cost"].search([])

    @users("smb_marketing")
    def test_marketing_reads_all_and_writes_own_categories(self):
        """Marketing records ads but cannot touch the CRM subscription."""
        Cost = self.env["crm.smb.cost"]
        ads = Cost.create({"name": "Ads", "amount": 10, "category": "ads"})
        ads.amount = 12
        subscription = Cost.create({"name": "x", "amount": 1, "category": "ads"})
        with self.assertRaises(AccessError):
            subscription.category = "crm_subscription"
        with self.assertRaises(AccessError):
            Cost.create({"name": "CRM", "amount": 10, "category": "crm_subscription"})

    def test_marketing_can_read_staff_costs(self):
        """Marketing reads staff costs (the whole spend) but cannot change them."""
        staff = self.env["crm.smb.cost"].create(
            {"name": "Staff", "amount": 10, "category": "staff_time"}
        )
        self.assertEqual(
            staff.with_user(self.smb_marketing).read(["amount"])[0]["amount"], 10
        )
        with self.assertRaises(AccessError):
            staff.with_user(self.smb_marketing).amount = 20

    @users("smb_manager")
    def test_manager_handles_every_category(self):
        """Managers record, change and delete costs of any category."""
        cost = self.env["crm.smb.cost"].create(
            {"name": "Staff", "amount": 10, "category": "staff_time"}
        )
        cost.amount = 15
        cost.unlink()

    def test_costs_of_other_companies_are_hidden(self):
        """A manager of the main company does not see the test company's costs."""
        manager = new_test_user(
            self.env, login="roi_main_manager", groups="crm_smb_core.group_smb_manager"
        )
        self.assertFalse(
            self.env["crm.smb.cost"]
            .with_user(manager)
            .search([("id", "=", self.cost_ads.id)])
        )
        self.assertTrue(
            self.env["crm.smb.cost"]
            .with_user(self.roi_owner)
            .search([("id", "=", self.cost_ads.id)])
        )
