from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from ..logic import checks
from .common import SmbCoreCommon


@tagged("post_install", "-at_install")
class TestValidationRules(SmbCoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["crm.smb.validation.rule"]
        cls.lead_model = cls.env["ir.model"]._get("crm.lead")
        cls.partner_model = cls.env["ir.model"]._get("res.partner")
        cls.proposition = cls.env.ref("crm.stage_lead3")
        cls.qualified = cls.env.ref("crm.stage_lead2")

    def _rule(self, **values):
        model = values.pop("model", self.lead_model)
        return self.Rule.create({"name": "Rule", "model_id": model.id, **values})

    def test_default_gate_blocks_proposition_without_revenue_and_email(self):
        """Moving to Proposition needs an expected revenue and an email."""
        lead = self._smb_lead(stage_id=self.qualified.id)
        with (
            self.assertRaises(ValidationError) as caught,
            mute_logger("odoo.addons.crm_smb_core.models.crm_smb_validation_mixin"),
        ):
            lead.write({"stage_id": self.proposition.id})
        message = str(caught.exception)
        self.assertIn("Expected Revenue is required", message)
        self.assertIn("Email is required", message)
        self.assertEqual(lead.stage_id, self.qualified, "nothing was written")
        lead.write(
            {
                "stage_id": self.proposition.id,
                "expected_revenue": 1200,
                "email_from": "buyer@example.com",
            }
        )
        self.assertEqual(lead.stage_id, self.proposition)
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        bare = self._smb_lead(stage_id=self.qualified.id)
        bare.stage_id = won
        self.assertEqual(bare.stage_id, won, "closing a deal is never blocked")

    def test_every_problem_is_reported_at_once(self):
        self._rule(
            field_names="phone",
            kind="phone",
        )
        self._rule(
            field_names="partner_name",
            kind="required",
            message="Enter the company name.",
        )
        with (
            self.assertRaises(ValidationError) as caught,
            mute_logger("odoo.addons.crm_smb_core.models.crm_smb_validation_mixin"),
        ):
            self.env["crm.lead"].create(
                [
                    {"name": "First", "phone": "call me"},
                    {"name": "Second", "partner_name": "Acme", "phone": "12"},
                ]
            )
        lines = str(caught.exception).splitlines()
        self.assertEqual(len(lines), 3, lines)
        self.assertIn("First: Enter the company name.", lines)
        self.assertTrue(any(line.startswith("Second: Phone") for line in lines))

    def test_pattern_min_max_unique_and_url(self):
        fields_model = self.env["ir.model.fields"]
        self._rule(
            field_ids=[(6, 0, [fields_model._get("res.partner", "ref").id])],
            model=self.partner_model,
            kind="pattern",
            pattern=r"C-\d{4}",
        )
        self._rule(
            field_ids=[(6, 0, [fields_model._get("res.partner", "ref").id])],
            model=self.partner_model,
            kind="unique",
        )
        self._rule(
            field_ids=[(6, 0, [fields_model._get("res.partner", "website").id])],
            model=self.partner_model,
            kind="url",
        )
        self._rule(
            field_ids=[(6, 0, [fields_model._get("crm.lead", "expected_revenue").id])],
            kind="max",
            limit_value=1000000,
        )
        Partner = self.env["res.partner"]
        Partner.create(
            {"name": "Good", "ref": "C-0001", "website": "https://a.example"}
        )
        with mute_logger("odoo.addons.crm_smb_core.models.crm_smb_validation_mixin"):
            with self.assertRaisesRegex(ValidationError, "expected format"):
                Partner.create({"name": "Bad ref", "ref": "X1"})
            with self.assertRaisesRegex(ValidationError, "already used"):
                Partner.create({"name": "Twin", "ref": "c-0001"})
            with self.assertRaisesRegex(ValidationError, "web address"):
                Partner.create({"name": "Site", "website": "not a site"})
            with self.assertRaisesRegex(ValidationError, "at most"):
                self._smb_lead(expected_revenue=2000000)

    def test_warning_rules_do_not_block_but_show_on_the_record(self):
        lead = self._smb_lead(email_from="not-an-email")
        self.assertIn("not a valid email", lead.smb_validation_warnings)
        lead.email_from = "ok@example.com"
        lead.invalidate_recordset(["smb_validation_warnings"])
        self.assertFalse(lead.smb_validation_warnings)

    def test_invalid_rules_are_refused_on_save(self):
        """A broken pattern or a field that does not exist cannot be saved."""
        phone = self.env["ir.model.fields"]._get("crm.lead", "phone")
        with mute_logger("odoo.addons.crm_smb_core.models.crm_smb_validation_rule"):
            with self.assertRaisesRegex(
                ValidationError, "not a valid regular expression"
            ):
                self._rule(
                    field_ids=[(6, 0, phone.ids)], kind="pattern", pattern="([a-z"
                )
            with self.assertRaisesRegex(ValidationError, "has no field no_such_field"):
                self._rule(field_names="phone,no_such_field", kind="required")
            partner_field = self.env["ir.model.fields"]._get("res.partner", "ref")
            with self.assertRaisesRegex(ValidationError, "has no field ref"):
                self._rule(field_ids=[(6, 0, partner_field.ids)], kind="required")
            with self.assertRaisesRegex(ValidationError, "number fields only"):
                self._rule(field_ids=[(6, 0, phone.ids)], kind="min")
        rule = self._rule(field_names="phone", kind="phone")
        self.assertEqual(rule.field_ids, phone)

    def test_import_reports_each_invalid_row_and_keeps_nothing(self):
        """An import with bad rows lists each row's reason and imports none."""
        self._rule(field_names="partner_name", kind="required", message="Company?")
        before = self.env["crm.lead"].search_count([])
        with mute_logger(
            "odoo.addons.crm_smb_core.models.crm_smb_validation_mixin", "odoo.sql_db"
        ):
            result = self.env["crm.lead"].load(
                ["name", "partner_name"],
                [
                    ["Good", "Acme"],
                    ["Bad one", ""],
                    ["Good two", "Beta"],
                    ["Bad two", ""],
                ],
            )
        # Odoo first tries the whole file, then row by row: the per-row messages
        # name each bad row (0-based) with its reason.
        per_row = {
            msg["rows"]["from"]: msg["message"]
            for msg in result["messages"]
            if msg["type"] == "error" and "\n" not in msg["message"]
        }
        self.assertEqual(per_row, {1: "Bad one: Company?", 3: "Bad two: Company?"})
        self.assertFalse(result["ids"])
        self.assertEqual(self.env["crm.lead"].search_count([]), before)

    def _import_csv(self, text, dryrun):
        """Run an import as Odoo's import dialog does (base_import)."""
        wizard = self.env["base_import.import"].create(
            {"res_model": "crm.lead", "file": text.encode(), "file_type": "text/csv"}
        )
        columns = text.splitlines()[0].split(",")
        options = {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "encoding": "utf-8",
        }
        # The dialog's test run rolls back to a savepoint taken without a
        # flush: write the rules first, as they are in a real database.
        self.env.flush_all()
        with mute_logger(
            "odoo.addons.crm_smb_core.models.crm_smb_validation_mixin",
            "odoo.addons.base_import.models.base_import",
            "odoo.sql_db",
        ):
            return wizard.execute_import(columns, columns, options, dryrun=dryrun)

    def test_import_dialog_lists_every_bad_row_and_refuses_the_file(self):
        """Test and Import both report every bad row with its rule message.

        The import dialog shows each row's number and reason; the whole file
        is refused (nothing is created), also when the bad rows are not next
        to each other and when a row breaks two rules.
        """
        self._rule(field_names="partner_name", kind="required", message="Company?")
        self._rule(field_names="email_from", kind="email")
        before = self.env["crm.lead"].search_count([])
        text = (
            "name,partner_name,email_from\n"
            "Good,Acme,ann@acme.example.com\n"
            "No company,,bob@beta.example.com\n"
            "Good two,Gamma,cy@gamma.example.com\n"
            "Bad email,Delta,not-an-email\n"
            "Good three,Epsilon,\n"
            "Both wrong,,nope\n"
        )
        for dryrun in (True, False):
            result = self._import_csv(text, dryrun)
            self.assertFalse(result["ids"], "nothing is imported")
            errors = [msg for msg in result["messages"] if msg["type"] == "error"]
            # Odoo first tries the whole file: one summary listing every bad
            # record, shown above the rows (no row number); then each row
            # alone: one message per bad row.
            summary = errors[0]
            self.assertTrue(
                summary["message"].startswith("These records break validation rules:")
            )
            self.assertNotIn("record", summary)
            self.assertNotIn("rows", summary)
            per_row = {msg["record"]: msg["message"] for msg in errors[1:]}
            self.assertEqual(
                per_row,
                {
                    1: "No company: Company?",
                    3: "Bad email: Email is not a valid email address.",
                    5: "Both wrong: Company?\n"
                    "Both wrong: Email is not a valid email address.",
                },
                f"dryrun={dryrun}",
            )
            for row, message in per_row.items():
                self.assertIn(message.replace("\n", "; "), summary["message"])
                self.assertEqual(
                    [msg["rows"] for msg in errors if msg["message"] == message],
                    [{"from": row, "to": row}],
                )
            self.assertEqual(self.env["crm.lead"].search_count([]), before)
        fixed = text.replace(",,", ",Fixed,").replace("not-an-email", "d@delta.com")
        result = self._import_csv(fixed.replace(",nope", ",e@fix.example.com"), False)
        self.assertEqual(len(result["ids"]), 6, result["messages"])

    def test_builtin_constraints(self):
        """Probability 0-100, no negative revenue, no deadline before creation."""
        with mute_logger("odoo.sql_db"):
            with self.assertRaises(IntegrityError), self.cr.savepoint():
                self._smb_lead(probability=120)
                self.env.flush_all()
            with self.assertRaises(IntegrityError), self.cr.savepoint():
                self._smb_lead(expected_revenue=-5)
                self.env.flush_all()
        with self.assertRaisesRegex(ValidationError, "before the lead was created"):
            self._smb_lead(date_deadline=date.today() - timedelta(days=3))
        lead = self._smb_lead(date_deadline=date.today() + timedelta(days=3))
        self.assertTrue(lead.date_deadline)

    @users("smb_salesperson")
    def test_salespeople_cannot_change_rules(self):
        with self.assertRaises(AccessError):
            self.env["crm.smb.validation.rule"].create(
                {"name": "Mine", "model_id": self.lead_model.id, "field_names": "phone"}
            )

    @users("smb_manager")
    def test_manager_configures_a_rule_in_the_form(self):
        with Form(self.env["crm.smb.validation.rule"]) as form:
            form.name = "Phone format"
            form.field_ids.add(self.env["ir.model.fields"]._get("crm.lead", "phone"))
            form.kind = "phone"
        self.assertEqual(form.record.kind, "phone")


@tagged("post_install", "-at_install")
class TestChecks(SmbCoreCommon):
    @settings(max_examples=200)
    @given(st.text())
    def test_checks_never_crash_on_free_text(self, text):
        """Whatever people type, checks answer True or False."""
        for check in (checks.is_email, checks.is_phone, checks.is_url):
            self.assertIn(check(text), (True, False))
        self.assertIn(checks.matches(r"[A-Z]+", text), (True, False))

    def test_examples(self):
        self.assertTrue(checks.is_email("ann.lee@example.co.uk"))
        self.assertFalse(checks.is_email("ann@localhost"))
        self.assertTrue(checks.is_phone("+1 (415) 555-0100"))
        self.assertFalse(checks.is_phone("555"))
        self.assertTrue(checks.is_url("www.example.com/shop"))
        self.assertFalse(checks.is_url("example"))
