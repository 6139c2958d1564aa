from odoo.addons.crm_smb_core.tests.common import SmbCoreCommon


class DedupCommon(SmbCoreCommon):
    """Suite roles plus factories for contacts and leads with match keys."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.country_us = cls.env.ref("base.us")
        cls.env.company.country_id = cls.country_us

    @classmethod
    def _person(cls, name, **values):
        return cls.env["res.partner"].create(
            {"name": name, "country_id": cls.country_us.id, **values}
        )

    @classmethod
    def _company(cls, name, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "country_id": cls.country_us.id,
                **values,
            }
        )

    @classmethod
    def _dedup_lead(cls, **values):
        return cls.env["crm.lead"].create(
            {
                "name": values.pop("name", "Dedup lead"),
                "type": "lead",
                "country_id": cls.country_us.id,
                **values,
            }
        )
