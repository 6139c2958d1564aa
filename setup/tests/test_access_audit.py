"""Every model of the suite is guarded: access rights, company rules, secrets.

Runs on whatever database the test command prepared (the four addons, one
addon alone, or the bridges), over the models the installed crm_smb_* addons
define, so a model added without its rules fails here and not in production.
"""

import re

from odoo.tests import TransactionCase, tagged

SECRET = re.compile(r"(^|_)(token|secret|password|api_key|apikey)(_|$)")


@tagged("post_install", "-at_install")
class TestAccessAudit(TransactionCase):
    # Outside an addon, Odoo cannot infer the module these tests belong to.
    test_module = "crm_smb_core"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        data = cls.env["ir.model.data"].search(
            [("model", "=", "ir.model"), ("module", "=like", "crm_smb_%")]
        )
        # Models the suite defines, not Odoo's models it extends.
        cls.models = (
            cls.env["ir.model"]
            .browse(data.mapped("res_id"))
            .exists()
            .filtered(
                lambda model: model.model in cls.env
                and cls.env[model.model]._original_module.startswith("crm_smb_")
            )
        )
        cls.suite_groups = cls.env["res.groups"].browse(
            cls.env["ir.model.data"]
            .search([("model", "=", "res.groups"), ("module", "=like", "crm_smb_%")])
            .mapped("res_id")
        )

    def test_suite_defines_models(self):
        """The audit looks at something: core alone defines a dozen models."""
        self.assertGreaterEqual(len(self.models), 10, self.models.mapped("model"))

    def test_every_model_has_access_rights_for_a_role(self):
        """No model is left to administrators only by omission, or open to all.

        Each model grants some access to one of the suite's roles, or to
        internal users for wizards and settings screens; none grants write
        access to everybody (an access line without a group).
        """
        Access = self.env["ir.model.access"]
        employee = self.env.ref("base.group_user")
        problems = []
        for model in self.models:
            if self.env[model.model]._abstract:
                continue  # no records, no rights: abstract models and mixins
            lines = Access.search([("model_id", "=", model.id)])
            if not lines:
                problems.append(f"{model.model}: no access rights")
                continue
            if not lines.group_id & (self.suite_groups | employee):
                problems.append(f"{model.model}: no access for the suite's roles")
            if lines.filtered(lambda line: not line.group_id and line.perm_write):
                problems.append(f"{model.model}: write access without a group")
        self.assertFalse(problems, "\n".join(problems))

    def test_company_models_have_company_rules(self):
        """Records of one company never show in another company's session.

        Every stored model with a company field has a record rule on the
        user's allowed companies (company_ids); mixins hold no records, the
        models that inherit them are checked.
        """
        Rule = self.env["ir.rule"].sudo().with_context(active_test=False)
        problems = []
        for model in self.models:
            Model = self.env[model.model]
            field = Model._fields.get("company_id")
            if Model._abstract or Model._transient or not field or not field.store:
                continue
            rules = Rule.search([("model_id", "=", model.id)])
            if not any("company_ids" in (rule.domain_force or "") for rule in rules):
                problems.append(f"{model.model}: no multi-company record rule")
        self.assertFalse(problems, "\n".join(problems))

    def test_secrets_are_for_administrators_only(self):
        """Tokens, passwords and API keys are readable by administrators only."""
        problems = []
        for model in self.models:
            for name, field in self.env[model.model]._fields.items():
                if (
                    not SECRET.search(name)
                    or name.endswith("_url")  # where a token comes from
                    or field.type not in ("char", "text")
                ):
                    continue
                if "base.group_system" not in (field.groups or "").split(","):
                    problems.append(f"{model.model}.{name}: groups={field.groups}")
        self.assertFalse(problems, "\n".join(problems))
