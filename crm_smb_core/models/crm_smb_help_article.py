from odoo import fields, models


class CrmSmbHelpArticle(models.Model):
    """A short how-to shipped as data and linked from the screens it explains.

    ``screen`` names the screens the article belongs to (for example
    ``dashboard_salesperson``); each screen's Help button opens the articles
    whose screen matches.
    """

    _name = "crm.smb.help.article"
    _description = "Help Article"
    _order = "sequence, id"

    name = fields.Char(string="Title", required=True, translate=True)
    sequence = fields.Integer(default=10)
    screen = fields.Char(
        index=True,
        help="Screens the article explains, separated by spaces.",
    )
    keywords = fields.Char(translate=True)
    body = fields.Html(translate=True, sanitize=True)
    active = fields.Boolean(default=True)
