from odoo.tests import tagged, users

from .common import DedupCommon


@tagged("post_install", "-at_install")
class TestDashboardTiles(DedupCommon):
    """The owner's Business overview shows the data health tiles."""

    @users("smb_owner")
    def test_owner_sees_quality_and_pending_duplicates(self):
        Group = self.env["crm.smb.duplicate.group"].sudo()
        pending = Group.search_count([("state", "=", "pending")])
        tiles = {
            tile["key"]: tile
            for tile in self.env["crm.smb.dashboard"].get_dashboard("owner")[
                "sections"
            ][0]["tiles"]
        }
        self.assertEqual(tiles["dedup_pending"]["value"], pending)
        partners = self.env["res.partner"].search(
            tiles["dedup_quality"]["action"]["domain"]
        )
        average = sum(partners.mapped("smb_quality_score")) / len(partners)
        self.assertAlmostEqual(tiles["dedup_quality"]["value"], average, places=1)
        self.assertEqual(
            tiles["dedup_pending"]["action"]["res_model"], "crm.smb.duplicate.group"
        )
