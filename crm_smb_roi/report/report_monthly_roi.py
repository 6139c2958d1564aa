from odoo import api, fields, models

from ..metrics.periods import add_months, month_end, month_start


class ReportMonthlyRoi(models.AbstractModel):
    """Values of the monthly ROI PDF: the dashboard's figures for one month.

    ``data`` may carry ``date_from`` and ``date_to``; without them the report
    covers the previous calendar month (what the monthly email sends).
    """

    _name = "report.crm_smb_roi.report_monthly_roi"
    _description = "Monthly ROI Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        today = fields.Date.context_today(self)
        date_from = data.get("date_from") or fields.Date.to_string(
            add_months(month_start(today), -1)
        )
        date_to = data.get("date_to") or fields.Date.to_string(
            month_end(fields.Date.to_date(date_from))
        )
        companies = self.env["res.company"].browse(docids)
        pages = {
            company.id: self.env["crm.smb.roi.dashboard"]
            .with_company(company)
            .get_dashboard_data({"date_from": date_from, "date_to": date_to})
            for company in companies
        }
        return {
            "doc_ids": docids,
            "doc_model": "res.company",
            "docs": companies,
            "pages": pages,
        }
