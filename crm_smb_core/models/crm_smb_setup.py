from odoo import api, models


class CrmSmbSetup(models.AbstractModel):
    """The owner's setup checklist.

    ``_setup_steps()`` returns the steps in order; each step says whether it is
    done (read from the data, never ticked by hand), what it is for, and the
    action or guided tour that does it. crm_smb_integrations and crm_smb_roi
    extend ``_step_connect_tools`` and ``_step_enter_costs``.
    """

    _name = "crm.smb.setup"
    _description = "CRM Setup Checklist"

    @api.model
    def get_steps(self):
        steps = self._setup_steps()
        done = sum(1 for step in steps if step["done"])
        return {"steps": steps, "done": done, "total": len(steps)}

    @api.model
    def _setup_steps(self):
        return [
            self._step_pipeline_template(),
            self._step_invite_team(),
            self._step_import_contacts(),
            self._step_connect_tools(),
            self._step_enter_costs(),
            self._step_tour("crm_smb_first_lead", self.env._("Create your first lead")),
            self._step_tour(
                "crm_smb_first_activity", self.env._("Plan your first activity")
            ),
            self._step_tour(
                "crm_smb_first_dashboard", self.env._("Open your first dashboard")
            ),
        ]

    def _action(self, xmlid):
        return self.env["ir.actions.actions"]._for_xml_id(xmlid)

    @api.model
    def _step_pipeline_template(self):
        done = bool(
            self.env["crm.team"]
            .sudo()
            .search_count([("smb_pipeline_template", "!=", False)], limit=1)
        )
        return {
            "key": "pipeline_template",
            "title": self.env._("Pick a pipeline template"),
            "description": self.env._(
                "Stages, lost reasons and tags for services, retail, e-commerce or "
                "B2B sales."
            ),
            "done": done,
            "action": self._action(
                "crm_smb_core.crm_smb_pipeline_template_wizard_action"
            ),
        }

    @api.model
    def _step_invite_team(self):
        groups = self.env.ref("crm_smb_core.group_smb_salesperson") | self.env.ref(
            "crm_smb_core.group_smb_marketing"
        )
        users = (
            self.env["res.users"]
            .sudo()
            .search_count(
                [
                    ("share", "=", False),
                    ("all_group_ids", "in", groups.ids),
                    ("id", "not in", [self.env.ref("base.user_root").id]),
                ]
            )
        )
        return {
            "key": "invite_team",
            "title": self.env._("Invite your team and give roles"),
            "description": self.env._(
                "Each person gets one role: Salesperson, Marketing, Manager or Owner."
            ),
            "done": users >= 2,
            "action": self._action("crm_smb_core.res_users_action_smb_roles"),
        }

    @api.model
    def _step_import_contacts(self):
        count = (
            self.env["res.partner"]
            .sudo()
            .search_count([("user_ids", "=", False), ("is_company", "=", False)])
        )
        action = self._action("contacts.action_contacts")
        return {
            "key": "import_contacts",
            "title": self.env._("Import your contacts"),
            "description": self.env._(
                "Use the list's import (gear menu > Import records) with your "
                "spreadsheet; validation rules tell you which rows to fix."
            ),
            "done": count >= 10,
            "action": action,
        }

    @api.model
    def _step_connect_tools(self):
        """Extended by crm_smb_integrations; without it, the step says so."""
        return {
            "key": "connect_tools",
            "title": self.env._("Connect your tools"),
            "description": self.env._(
                "Install CRM for Small Business: Integrations to connect your shop, "
                "accounting and email tools."
            ),
            "done": False,
            "action": False,
        }

    @api.model
    def _step_enter_costs(self):
        """Extended by crm_smb_roi; without it, the step says so."""
        return {
            "key": "enter_costs",
            "title": self.env._("Enter your costs"),
            "description": self.env._(
                "Install CRM for Small Business: ROI to enter marketing and sales "
                "costs and see what each source brings."
            ),
            "done": False,
            "action": False,
        }

    @api.model
    def _step_tour(self, tour, title):
        done = bool(
            self.env["web_tour.tour"]
            .sudo()
            .search_count(
                [("name", "=", tour), ("user_consumed_ids", "in", self.env.uid)]
            )
        )
        return {
            "key": tour,
            "title": title,
            "description": self.env._("A guided tour shows you the way, step by step."),
            "done": done,
            "tour": tour,
            "action": False,
        }
