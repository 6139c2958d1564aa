from datetime import date, datetime

from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL


class RoiCommon(TransactionCase):
    """A company of its own with leads and costs on fixed dates.

    The figures the tests expect are computed by hand in readme/USAGE.md
    ("Worked example"): period Q1 2026 against Q4 2025, margin 50 %,
    lifespan 24 months, CRM adopted on 2026-01-01 with a 12-month baseline.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # One user per SMB role (defined in crm_smb_core).
        for role, name in (
            ("salesperson", "Sally Seller"),
            ("manager", "Manny Manager"),
            ("owner", "Olivia Owner"),
            ("marketing", "Mark Marketer"),
        ):
            user = new_test_user(
                cls.env,
                login=f"smb_{role}",
                name=name,
                groups=f"crm_smb_core.group_smb_{role}",
            )
            setattr(cls, f"smb_{role}", user)
        cls.smb_team = cls.env["crm.team"].create(
            {"name": "SMB Team", "user_id": cls.smb_manager.id}
        )
        cls.roi_company = cls.env["res.company"].create(
            {
                "name": "ROI Test Co",
                "currency_id": cls.env.ref("base.USD").id,
                "roi_gross_margin_pct": 50.0,
                "roi_lifespan_months": 24,
                "roi_adoption_date": date(2026, 1, 1),
                "roi_baseline_months": 12,
            }
        )
        cls.env.user.company_ids |= cls.roi_company
        cls.roi_owner = new_test_user(
            cls.env,
            login="roi_owner",
            name="Rita Owner",
            groups="crm_smb_core.group_smb_owner",
            company_id=cls.roi_company.id,
            company_ids=[(6, 0, cls.roi_company.ids)],
        )
        cls.roi_team = cls.env["crm.team"].create(
            {"name": "ROI Team", "company_id": cls.roi_company.id}
        )
        cls.src_google = cls.env["utm.source"].create({"name": "ROI Google"})
        cls.src_fair = cls.env["utm.source"].create({"name": "ROI Fair"})
        partners = cls.env["res.partner"].create(
            [{"name": f"ROI Customer {code}", "is_company": True} for code in "ABCD"]
        )
        cls.cust_a, cls.cust_b, cls.cust_c, cls.cust_d = partners

        # Q1 2026, the period under test
        cls.l1 = cls._roi_lead(
            "2026-01-05", "won", "2026-01-25", 1000, cls.cust_a, cls.src_google
        )
        cls.l2 = cls._roi_lead(
            "2026-01-10", "won", "2026-02-09", 3000, cls.cust_b, cls.src_google
        )
        cls.l3 = cls._roi_lead(
            "2026-02-01", "won", "2026-03-23", 2000, cls.cust_a, cls.src_fair
        )
        cls.l4 = cls._roi_lead(
            "2026-02-15", "lost", "2026-03-01", 0, False, cls.src_google
        )
        cls.l5 = cls._roi_lead("2026-03-01", "pending", None, 0, False, False, "lead")
        cls.l6 = cls._roi_lead(
            "2026-03-10", "pending", None, 5000, False, cls.src_fair, probability=40
        )
        # Q4 2025, the previous period
        cls.p1 = cls._roi_lead(
            "2025-10-01", "won", "2025-11-01", 2000, cls.cust_c, cls.src_google
        )
        cls.p2 = cls._roi_lead("2025-11-01", "pending", None, 0, False, False, "lead")
        # 2025 before adoption (baseline, with P1): 12 000 won in 12 months
        cls.b0 = cls._roi_lead(
            "2025-02-01", "won", "2025-03-03", 10000, cls.cust_d, cls.src_fair
        )

        Cost = cls.env["crm.smb.cost"]
        cls.cost_ads = Cost.create(
            cls._cost_vals(
                "Google Ads January", 1200, "2026-01-15", source=cls.src_google
            )
        )
        cls.cost_fair = Cost.create(
            cls._cost_vals(
                "Spring fair", 610, "2026-03-01", "2026-04-30", "events", cls.src_fair
            )
        )
        cls.cost_crm_template = Cost.create(
            {
                **cls._cost_vals(
                    "CRM subscription", 100, "2026-01-01", None, "crm_subscription"
                ),
                "recurring": True,
                "recurring_end": date(2026, 3, 31),
            }
        )
        cls.cost_crm_template._generate_recurring(date(2026, 6, 30))

    @classmethod
    def _roi_lead(
        cls,
        created,
        status,
        closed,
        revenue,
        partner,
        source,
        lead_type="opportunity",
        probability=None,
    ):
        vals = {
            "name": f"ROI lead {created}",
            "type": lead_type,
            "company_id": cls.roi_company.id,
            "team_id": cls.roi_team.id,
            "user_id": False,
            "expected_revenue": revenue,
            "partner_id": partner.id if partner else False,
            "source_id": source.id if source else False,
        }
        if probability is not None:
            vals["probability"] = probability
        lead = cls.env["crm.lead"].create(vals)
        # create_date is set by the ORM; tests need it on a fixed day.
        lead.flush_recordset()
        cls.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET create_date = %s WHERE id = %s",
                datetime.fromisoformat(created + " 09:00:00"),
                lead.id,
            )
        )
        lead.invalidate_recordset()
        if status == "won":
            lead.action_set_won()
        elif status == "lost":
            lead.action_set_lost()
        if closed:
            lead.write({"date_closed": datetime.fromisoformat(closed + " 16:00:00")})
        lead.flush_recordset()
        return lead

    @classmethod
    def _cost_vals(cls, name, amount, start, end=None, category="ads", source=None):
        return {
            "name": name,
            "amount": amount,
            "date_start": start,
            "date_end": end,
            "category": category,
            "source_id": source.id if source else False,
            "company_id": cls.roi_company.id,
            "currency_id": cls.roi_company.currency_id.id,
        }

    def dashboard(self, user=None):
        env = self.env(user=user) if user else self.env
        return env["crm.smb.roi.dashboard"].with_company(self.roi_company)

    @staticmethod
    def q1(**extra):
        return {"date_from": "2026-01-01", "date_to": "2026-03-31", **extra}

    @staticmethod
    def kpis(data):
        return {kpi["key"]: kpi for kpi in data["kpis"]}
