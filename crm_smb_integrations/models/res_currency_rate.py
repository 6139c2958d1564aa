from odoo import api, models


class ResCurrencyRate(models.Model):
    _inherit = "res.currency.rate"

    @api.model_create_multi
    def create(self, vals_list):
        rates = super().create(vals_list)
        rates.currency_id._smb_convert_external_orders()
        return rates

    def write(self, vals):
        currencies = self.currency_id
        result = super().write(vals)
        (self.currency_id | currencies)._smb_convert_external_orders()
        return result

    def unlink(self):
        currencies = self.currency_id
        result = super().unlink()
        currencies._smb_convert_external_orders()
        return result
