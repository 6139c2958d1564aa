from datetime import date, timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import SmbCoreCommon


@tagged("post_install", "-at_install")
class TestDashboard(SmbCoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = date.today()
        cls.mine = cls._smb_lead(
            name="Mine",
            type="opportunity",
            user_id=cls.smb_salesperson.id,
            team_id=cls.smb_team.id,
            expected_revenue=5000,
            probability=50,
        )
        cls.mine.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=today - timedelta(days=2),
            user_id=cls.smb_salesperson.id,
        )
        cls.mine_today = cls._smb_lead(
            name="Today",
            type="opportunity",
            user_id=cls.smb_salesperson.id,
            team_id=cls.smb_team.id,
            expected_revenue=1000,
        )
        cls.mine_today.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=today,
            user_id=cls.smb_salesperson.id,
        )
        cls.idle = cls._smb_lead(
            name="Idle",
            type="opportunity",
            user_id=cls.smb_salesperson.id,
            team_id=cls.smb_team.id,
        )

    @property
    def Dashboard(self):
        return self.env["crm.smb.dashboard"]

    def _tiles(self, data):
        return {
            tile["key"]: tile
            for section in data["sections"]
            for tile in section.get("tiles", [])
        }

    def _open(self, figure):
        action = figure["action"]
        context = action.get("context") or {}
        model = self.env[action["res_model"]]
        if "active_test" in context:
            model = model.with_context(active_test=context["active_test"])
        return model.search(action["domain"])

    @users("smb_salesperson")
    def test_my_day_figures_open_their_records(self):
        """Each My day figure counts exactly the records its click opens."""
        tiles = self._tiles(self.Dashboard.get_dashboard("salesperson"))
        self.assertEqual(tiles["overdue"]["value"], 1)
        self.assertEqual(self._open(tiles["overdue"]).res_id, self.mine.id)
        self.assertEqual(tiles["due_today"]["value"], 1)
        self.assertEqual(tiles["no_next_step"]["value"], 1)
        self.assertEqual(
            self._open(tiles["no_next_step"]), self.idle.with_env(self.env)
        )
        self.assertEqual(tiles["pipeline_count"]["value"], 3)
        self.assertEqual(tiles["pipeline_value"]["value"], 6000)
        for key, tile in tiles.items():
            self.assertEqual(
                len(self._open(tile)),
                tile["value"]
                if tile["format"] != "monetary"
                else len(self._open(tile)),
                key,
            )

    @users("smb_salesperson")
    def test_salesperson_cannot_open_the_owner_dashboard(self):
        with self.assertRaises(AccessError):
            self.Dashboard.get_dashboard("owner")

    @users("smb_manager")
    def test_manager_sees_the_team_and_each_rep(self):
        data = self.Dashboard.get_dashboard("manager")
        tiles = self._tiles(data)
        self.assertEqual(tiles["team_pipeline"]["value"], 3)
        reps = next(
            section["table"]
            for section in data["sections"]
            if section.get("table", {}).get("key") == "team_reps"
        )
        row = next(row for row in reps["rows"] if row["label"] == "Sally Seller")
        self.assertEqual(row["cells"][0]["value"], 3)
        self.assertEqual(len(self._open(row["cells"][0])), 3)
        self.assertEqual(row["cells"][1]["value"], 1, "one lead with an overdue call")

    @users("smb_owner")
    def test_owner_sees_revenue_and_win_rate(self):
        self.mine.with_user(self.env.user).action_set_won()
        lost = self._smb_lead(name="Lost", type="opportunity", team_id=self.smb_team.id)
        lost.with_user(self.env.user).action_set_lost()
        tiles = self._tiles(self.Dashboard.get_dashboard("owner"))
        self.assertGreaterEqual(tiles["revenue_year"]["value"], 5000)
        self.assertIn(self.mine, self._open(tiles["revenue_year"]))
        decided = self._open(tiles["conversion"])
        # Odoo archives lost deals; the win rate must still count them.
        self.assertIn(lost, decided)
        won = decided.filtered(lambda lead: lead.won_status == "won")
        self.assertLess(tiles["conversion"]["value"], 100)
        self.assertEqual(
            tiles["conversion"]["value"], round(100 * len(won) / len(decided), 1)
        )

    def test_other_addons_extend_the_owner_tiles(self):
        """crm_smb_roi adds its tiles through _owner_extra_tiles when installed,
        and every extra tile is complete enough for the dashboard to show."""
        tiles = self.Dashboard._owner_extra_tiles()
        roi = self.env["ir.module.module"].search(
            [("name", "=", "crm_smb_roi"), ("state", "=", "installed")]
        )
        self.assertEqual(
            any(tile["key"].startswith("roi_") for tile in tiles), bool(roi)
        )
        for tile in tiles:
            self.assertTrue({"key", "label", "value"} <= set(tile), tile)

    @users("smb_marketing")
    def test_marketing_sees_sources_and_qualification(self):
        source = self.env["utm.source"].sudo().create({"name": "Fair 2026"})
        self._smb_lead(name="A", source_id=source.id, user_id=self.smb_salesperson.id)
        self._smb_lead(name="B", source_id=source.id)
        data = self.Dashboard.get_dashboard("marketing")
        table = data["sections"][1]["table"]
        row = next(row for row in table["rows"] if row["label"] == "Fair 2026")
        self.assertEqual([cell["value"] for cell in row["cells"]], [2, 1, 0, 50.0])
