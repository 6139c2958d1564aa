from freezegun import freeze_time

from odoo.tests import tagged

from .common import RoiCommon


@tagged("post_install", "-at_install")
class TestMonthlyReport(RoiCommon):
    """The monthly ROI report reaches the owners with last month's figures."""

    def test_report_renders_the_month(self):
        """March 2026: 2 000 won (L3), spend 100 CRM + 310 fair = 410."""
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "crm_smb_roi.action_report_monthly_roi",
            self.roi_company.ids,
            data={"date_from": "2026-03-01", "date_to": "2026-03-31"},
        )
        html = html.decode()
        self.assertIn("Monthly ROI Report", html)
        self.assertIn("2026-03-01", html)
        self.assertIn("2,000.00", html)
        self.assertIn("410.00", html)
        self.assertIn("n/a", html)  # no new customer in March: CAC n/a

    @freeze_time("2026-04-01 06:00:00")
    def test_cron_emails_owners_of_each_company(self):
        """Each owner of the company gets the report of the previous month."""
        self.roi_owner.email = "rita@example.com"
        mails = self.env["crm.smb.roi.dashboard"]._cron_send_monthly_report()
        mail = mails.filtered(lambda m: self.roi_owner.partner_id in m.recipient_ids)
        self.assertEqual(len(mail), 1)
        self.assertIn("ROI Test Co", mail.subject)
        self.assertIn("2026-03", mail.subject)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertIn(b"ROI Test Co", mail.attachment_ids.raw)
