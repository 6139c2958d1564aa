from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import RoiCommon


@tagged("post_install", "-at_install")
class TestSettings(RoiCommon):
    """The ROI settings are per company and refuse values that make no sense."""

    def test_settings_form_writes_the_company(self):
        """The settings screen stores margin and lifespan on the current company."""
        settings = Form(self.env["res.config.settings"].with_company(self.roi_company))
        settings.roi_gross_margin_pct = 40.0
        settings.roi_lifespan_months = 36
        settings.save().execute()
        self.assertEqual(self.roi_company.roi_gross_margin_pct, 40.0)
        self.assertEqual(self.roi_company.roi_lifespan_months, 36)

    @mute_logger("odoo.addons.crm_smb_roi.models.res_company")
    def test_margin_above_100_is_refused(self):
        """A margin above 100 % is refused with a message naming the range."""
        with self.assertRaises(ValidationError) as caught:
            self.roi_company.roi_gross_margin_pct = 120.0
        self.assertIn("between 0 and 100 %", str(caught.exception))

    @mute_logger("odoo.addons.crm_smb_roi.models.res_company")
    def test_lifespan_of_zero_is_refused(self):
        """A lifespan of 0 months (CLV of 0) is refused."""
        with self.assertRaises(ValidationError):
            self.roi_company.roi_lifespan_months = 0

    def test_clv_follows_the_settings(self):
        """Margin 25 % and lifespan 12 months: 1 000 a month x 25 % x 12 = 3 000."""
        self.roi_company.write(
            {"roi_gross_margin_pct": 25.0, "roi_lifespan_months": 12}
        )
        data = self.dashboard().get_dashboard_data(self.q1())
        self.assertAlmostEqual(self.kpis(data)["clv"]["value"], 3000.0)

    def test_without_adoption_date_crm_roi_is_not_available(self):
        """Without adoption date there is no baseline: the CRM ROI reads n/a."""
        self.roi_company.roi_adoption_date = False
        data = self.dashboard().get_dashboard_data(self.q1())
        self.assertEqual(self.kpis(data)["crm_roi"]["display"], "n/a")
