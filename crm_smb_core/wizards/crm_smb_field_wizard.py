"""The "add a field" wizard: a custom field on contacts or leads, no code.

It creates a manual ``x_`` field (as Studio would) and inherited views that
place it on the form, in the list (optional column) and in the search panel.
A link to another record (many2one) points to one of RELATION_MODELS only:
records every CRM user may read, so the new field never opens a door the
user's role keeps shut.
"""

import logging
import re
import unicodedata

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

_logger = logging.getLogger(__name__)

FIELD_NAME_RE = re.compile(r"^x_[a-z][a-z0-9_]{1,50}$")
TARGETS = {
    "crm.lead": {
        "form": (
            "crm.crm_lead_view_form",
            "//field[@name='lead_properties']/..",
            "before",
        ),
        "list": ("crm.crm_case_tree_view_oppor", "//list", "inside"),
        "search": ("crm.view_crm_case_opportunities_filter", "//search", "inside"),
    },
    "res.partner": {
        "form": ("base.view_partner_form", "//field[@name='category_id']", "after"),
        "list": ("base.view_partner_tree", "//list", "inside"),
        "search": ("base.view_res_partner_filter", "//search", "inside"),
    },
}


# Models a new link may point to, in the order the wizard offers them; those
# whose addon is not installed are left out.
RELATION_MODELS = (
    "res.partner",
    "res.users",
    "crm.team",
    "crm.tag",
    "utm.source",
    "utm.campaign",
    "utm.medium",
    "product.product",
)

# Records people pick but do not create from a lead or contact form.
NO_CREATE_RELATIONS = ("res.users", "crm.team", "product.product")


class CrmSmbFieldWizard(models.TransientModel):
    _name = "crm.smb.field.wizard"
    _description = "Add a Field"

    model = fields.Selection(
        [("crm.lead", "Leads and opportunities"), ("res.partner", "Contacts")],
        required=True,
        default="crm.lead",
    )
    label = fields.Char(required=True)
    name = fields.Char(
        string="Technical Name",
        compute="_compute_name",
        store=True,
        readonly=False,
        help="Starts with x_; lower-case letters, digits and underscores.",
    )
    field_type = fields.Selection(
        [
            ("char", "Text"),
            ("text", "Long text"),
            ("integer", "Whole number"),
            ("float", "Decimal number"),
            ("boolean", "Checkbox"),
            ("date", "Date"),
            ("selection", "List of choices"),
            ("many2one", "Link to a record"),
        ],
        string="Type",
        required=True,
        default="char",
    )
    selection_options = fields.Text(string="Choices", help="One choice per line.")
    relation = fields.Selection(
        selection="_selection_relation",
        string="Linked To",
        help="The kind of record the field points to.",
    )
    on_form = fields.Boolean(string="Show on the form", default=True)
    on_list = fields.Boolean(string="Add to the list (optional column)", default=True)
    on_search = fields.Boolean(string="Add to search and filters", default=True)

    @api.model
    def _selection_relation(self):
        IrModel = self.env["ir.model"].sudo()
        return [
            (model, IrModel._get(model).name)
            for model in RELATION_MODELS
            if model in self.env
        ]

    @api.depends("label")
    def _compute_name(self):
        for wizard in self:
            text = unicodedata.normalize("NFKD", wizard.label or "")
            text = text.encode("ascii", "ignore").decode().lower()
            slug = re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:40]
            wizard.name = f"x_smb_{slug}" if slug else False

    def _problems(self):
        _ = self.env._
        problems = []
        if not self.name or not FIELD_NAME_RE.match(self.name):
            problems.append(
                _(
                    "The technical name %(name)s must start with x_ and hold only "
                    "lower-case letters, digits and underscores.",
                    name=self.name or "",
                )
            )
        elif self.name in self.env[self.model]._fields:
            problems.append(
                _("%(name)s already exists: pick another name.", name=self.name)
            )
        if self.field_type == "selection" and not self._options():
            problems.append(_("Enter the choices, one per line."))
        if self.field_type == "many2one" and (
            self.relation not in RELATION_MODELS or self.relation not in self.env
        ):
            problems.append(
                _(
                    "Pick what the field links to: %(models)s.",
                    models=", ".join(
                        label for _key, label in self._selection_relation()
                    ),
                )
            )
        return problems

    def _options(self):
        lines = [line.strip() for line in (self.selection_options or "").splitlines()]
        return [line for line in lines if line]

    def action_create(self):
        """Create the field and the views showing it."""
        self.ensure_one()
        if not self.env.user.has_group("crm_smb_core.group_smb_manager"):
            raise AccessError(self.env._("Only managers can add fields."))
        problems = self._problems()
        if problems:
            _logger.warning("Refused custom field %s: %s", self.name, problems)
            raise ValidationError("\n".join(problems))
        values = {
            "name": self.name,
            "field_description": self.label,
            "model_id": self.env["ir.model"]._get_id(self.model),
            "ttype": self.field_type,
            "state": "manual",
            "store": True,
        }
        if self.field_type == "many2one":
            values.update(relation=self.relation, on_delete="set null", index=True)
        # Managers are not administrators: the checks above stand for the ACLs.
        field = self.env["ir.model.fields"].sudo().create(values)
        if self.field_type == "selection":
            self.env["ir.model.fields.selection"].sudo().create(
                [
                    {
                        "field_id": field.id,
                        "value": f"opt_{index}",
                        "name": option,
                        "sequence": index,
                    }
                    for index, option in enumerate(self._options(), 1)
                ]
            )
        self._create_views()
        _logger.info("Custom field %s added on %s", self.name, self.model)
        return {
            "type": "ir.actions.act_window",
            "name": self.env["ir.model"]._get(self.model).name,
            "res_model": self.model,
            "views": [[False, "list"], [False, "form"]],
            "target": "main",
        }

    def _create_views(self):
        View = self.env["ir.ui.view"].sudo()
        placements = []
        if self.on_form:
            options = (
                " options=\"{'no_create': True}\""
                if self.relation in NO_CREATE_RELATIONS
                and self.field_type == "many2one"
                else ""
            )
            placements.append(("form", f'<field name="{self.name}"{options} />'))
        if self.on_list:
            placements.append(("list", f'<field name="{self.name}" optional="show" />'))
        if self.on_search:
            if self.field_type == "boolean":
                node = (
                    f'<filter name="{self.name}" string="{self._xml_label()}" '
                    f"domain=\"[('{self.name}', '=', True)]\" />"
                )
            else:
                node = f'<field name="{self.name}" />'
            if self.field_type in ("many2one", "selection"):
                node += (
                    f'<filter name="groupby_{self.name}" '
                    f'string="{self._xml_label()}" '
                    f"context=\"{{'group_by': '{self.name}'}}\" />"
                )
            placements.append(("search", node))
        for kind, node in placements:
            xmlid, path, position = TARGETS[self.model][kind]
            if kind == "form":
                node = f"<group>{node}</group>" if self.model == "crm.lead" else node
            View.create(
                {
                    "name": f"smb.custom.{self.model}.{self.name}.{kind}",
                    "model": self.model,
                    "inherit_id": self.env.ref(xmlid).id,
                    "priority": 99,
                    "arch": (
                        f'<xpath expr="{path}" position="{position}">{node}</xpath>'
                    ),
                }
            )

    def _xml_label(self):
        return (
            (self.label or "")
            .replace("&", "&amp;")
            .replace('"', "&quot;")
            .replace("<", "&lt;")
        )
