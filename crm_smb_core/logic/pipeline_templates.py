"""Pipeline templates for common kinds of small business.

A template lists the stages of a team's pipeline (name, whether it is the won
stage, whether it is folded), the usual reasons deals are lost, handy tags and
a preset of lead properties (Odoo's per-team custom fields on leads).
"""

TEMPLATES = {
    "services": {
        "name": "Services (agency, consulting, trades)",
        "stages": [
            ("Inquiry", False, False),
            ("Discovery call", False, False),
            ("Quote sent", False, False),
            ("Negotiation", False, False),
            ("Won", True, False),
        ],
        "lost_reasons": ["Too expensive", "Chose a competitor", "Timing", "No reply"],
        "tags": ["Referral", "Repeat client", "Urgent"],
        "properties": [
            (
                "service_type",
                "Service",
                "selection",
                ["Project", "Retainer", "One-off"],
            ),
            ("hours_estimate", "Estimated hours", "integer", None),
            ("site_visit", "Site visit needed", "boolean", None),
        ],
    },
    "retail": {
        "name": "Retail (shop, showroom)",
        "stages": [
            ("New contact", False, False),
            ("Visited store", False, False),
            ("Quote or reservation", False, False),
            ("Purchased", True, False),
        ],
        "lost_reasons": ["Price", "Out of stock", "Bought elsewhere", "No reply"],
        "tags": ["Walk-in", "Phone", "VIP"],
        "properties": [
            ("store", "Store", "char", None),
            ("channel", "Preferred channel", "selection", ["Phone", "Email", "SMS"]),
        ],
    },
    "ecommerce": {
        "name": "E-commerce",
        "stages": [
            ("Signed up", False, False),
            ("Abandoned cart", False, False),
            ("Engaged", False, False),
            ("Ordered", True, False),
        ],
        "lost_reasons": ["Shipping cost", "Payment failed", "Unsubscribed"],
        "tags": ["Newsletter", "Ads", "Marketplace"],
        "properties": [
            ("shop_url", "Shop page", "char", None),
            ("cart_value", "Cart value", "float", None),
        ],
    },
    "b2b": {
        "name": "B2B sales",
        "stages": [
            ("New", False, False),
            ("Qualified", False, False),
            ("Demo", False, False),
            ("Proposal", False, False),
            ("Negotiation", False, False),
            ("Won", True, False),
        ],
        "lost_reasons": [
            "No budget",
            "No decision",
            "Chose a competitor",
            "Missing feature",
        ],
        "tags": ["Inbound", "Outbound", "Partner", "Enterprise"],
        "properties": [
            ("decision_maker", "Decision maker met", "boolean", None),
            ("budget_confirmed", "Budget confirmed", "boolean", None),
            ("contract_months", "Contract length (months)", "integer", None),
        ],
    },
}


def properties_definition(template_key):
    """The template's lead properties in Odoo's properties definition format."""
    definition = []
    for name, label, kind, options in TEMPLATES[template_key]["properties"]:
        prop = {"name": f"smb_{name}", "string": label, "type": kind}
        if kind == "selection":
            prop["selection"] = [
                [option.lower().replace(" ", "_").replace("-", "_"), option]
                for option in options
            ]
        definition.append(prop)
    return definition
