"""Lifecycle stages shared by leads and contacts.

A lifecycle stage says how far a person or company has come with us, from a
newsletter subscriber to a customer who recommends us. It is derived from CRM
data, and a user may override it by hand; the override wins until cleared.
"""

LIFECYCLE_STAGES = [
    ("subscriber", "Subscriber"),
    ("lead", "Lead"),
    ("marketing_qualified", "Marketing Qualified"),
    ("sales_qualified", "Sales Qualified"),
    ("opportunity", "Opportunity"),
    ("customer", "Customer"),
    ("evangelist", "Evangelist"),
]

# Rank of each stage, so a contact takes the most advanced stage of its leads.
LIFECYCLE_RANK = {key: rank for rank, (key, _label) in enumerate(LIFECYCLE_STAGES)}

CUSTOMER_TYPES = [("b2b", "Business (B2B)"), ("b2c", "Consumer (B2C)")]

COMPANY_SIZE_BANDS = [
    ("1", "1 (self-employed)"),
    ("2_10", "2-10 employees"),
    ("11_50", "11-50 employees"),
    ("51_200", "51-200 employees"),
    ("201_500", "201-500 employees"),
    ("500_plus", "More than 500 employees"),
]
