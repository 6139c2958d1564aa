#!/usr/bin/env python3
"""Realistic small-business CRM data for demos, tests and benchmarks.

A US small business: companies and their contacts, a few planted duplicates of
the kinds people really type (typos, email case, phone formats, legal suffix
variants, swapped first and last names), two sales teams with salespeople in
the suite's roles, and leads and opportunities over 18 months with UTM
sources, stages, won and lost deals with reasons, activities and messages.

Everything is drawn from Faker with a fixed seed, so the same arguments give
the same data. Records are created through the ORM in batches (so the suite's
computed fields and constraints apply); dates are then moved into the past
with one set-based UPDATE per table.

Run it against an Odoo database with the suite installed::

    setup/generate_demo.py -c odoo.conf -d crm_smb_demo --contacts 500 --leads 1500

or import it and call :func:`generate` with an environment. The planted
duplicates come back as pairs of ``res.partner.ref`` values (the ground truth),
and ``--truth FILE`` writes them to a CSV file.
"""

import argparse
import csv
import logging
import random
import time
from datetime import date, datetime, timedelta

from faker import Faker

_logger = logging.getLogger("crm_smb.generate_demo")

BATCH = 1000
SEED = 42

LEGAL_SUFFIXES = ["Inc.", "LLC", "Co.", "Corp.", "Ltd.", "Group", ""]
# Variants a person types for the same legal form.
SUFFIX_VARIANTS = {
    "Inc.": ["Inc", "Incorporated", "inc."],
    "LLC": ["L.L.C.", "llc", "LLC."],
    "Co.": ["Company", "Co"],
    "Corp.": ["Corporation", "Corp"],
    "Ltd.": ["Limited", "Ltd"],
    "Group": ["Grp", "group"],
    "": ["Inc.", "LLC"],
}
NICKNAMES = {
    "William": "Bill",
    "Robert": "Bob",
    "Elizabeth": "Liz",
    "Michael": "Mike",
    "Jennifer": "Jenny",
    "Richard": "Rick",
    "Katherine": "Kate",
    "James": "Jim",
    "Margaret": "Maggie",
    "Thomas": "Tom",
}
SOURCES = [
    ("Google Ads", 0.22),
    ("Website", 0.20),
    ("Referral", 0.16),
    ("Facebook", 0.12),
    ("Trade Show", 0.08),
    ("Newsletter", 0.10),
    ("Cold Call", 0.07),
    ("Yelp", 0.05),
]
MEDIUMS = {
    "Google Ads": "Paid Search",
    "Website": "Organic",
    "Referral": "Word of Mouth",
    "Facebook": "Social",
    "Trade Show": "Event",
    "Newsletter": "Email",
    "Cold Call": "Phone",
    "Yelp": "Directory",
}
# Monthly spend per source, in dollars, for a business of this size.
MONTHLY_SPEND = {
    "Google Ads": 1800,
    "Facebook": 700,
    "Trade Show": 900,
    "Newsletter": 120,
    "Yelp": 300,
}
CAMPAIGNS = ["Spring Promo", "Summer Sale", "Back to Business", "Holiday Push"]
INDUSTRY_WORDS = {
    "Plumbing": "services",
    "HVAC": "services",
    "Landscaping": "services",
    "Bakery": "retail",
    "Coffee": "retail",
    "Dental": "services",
    "Consulting": "b2b",
    "Software": "b2b",
    "Print Shop": "b2b",
    "Auto Repair": "services",
    "Boutique": "retail",
    "Fitness": "services",
}
SALESPEOPLE = [
    ("Sally Carter", "sally", "Direct Sales", "group_smb_salesperson"),
    ("Diego Ramirez", "diego", "Direct Sales", "group_smb_salesperson"),
    ("Priya Shah", "priya", "Inside Sales", "group_smb_salesperson"),
    ("Tom Becker", "tom", "Inside Sales", "group_smb_salesperson"),
    ("Maria Lopez", "maria", "Direct Sales", "group_smb_manager"),
    ("Kevin Nguyen", "kevin", "Inside Sales", "group_smb_manager"),
    ("Olivia Grant", "olivia", None, "group_smb_owner"),
    ("Mark Ellis", "mark", None, "group_smb_marketing"),
]


class Generator:
    """Draws the data; one instance per run, seeded."""

    def __init__(self, env, seed=SEED, months=18, dup_rate=0.05, today=None):
        self.env = env
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.months = months
        self.dup_rate = dup_rate
        # Dates are relative to the run day, so the demo always looks current;
        # the same seed on the same day gives the same data.
        self.now = datetime.combine(today or date.today(), datetime.min.time())
        self.now += timedelta(hours=17)
        self.start = self.now - timedelta(days=30 * months)
        self.ref_seq = 0
        self.truth = []
        self.used = set()

    # Helpers

    def _ref(self):
        self.ref_seq += 1
        return f"SMB-{self.ref_seq:07d}"

    def _phone(self):
        area = self.rng.choice([212, 305, 312, 415, 503, 512, 617, 702, 919, 206])
        return f"{area}{self.rng.randint(200, 999)}{self.rng.randint(0, 9999):04d}"

    @staticmethod
    def _format_phone(digits, style):
        a, b, c = digits[:3], digits[3:6], digits[6:]
        return {
            0: f"({a}) {b}-{c}",
            1: f"{a}-{b}-{c}",
            2: f"+1 {a} {b} {c}",
            3: f"{a}.{b}.{c}",
            4: f"1{a}{b}{c}",
        }[style]

    def _typo(self, text):
        if len(text) < 4:
            return text + text[-1]
        i = self.rng.randint(1, len(text) - 2)
        kind = self.rng.randint(0, 2)
        if kind == 0:  # swapped letters
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        if kind == 1:  # dropped letter
            return text[:i] + text[i + 1 :]
        return text[:i] + text[i] + text[i:]  # doubled letter

    def _unique(self, make):
        """Draws ``make(n)`` until unused: distinct parties never share an
        email address or a web domain, as in real life; numbers, as people
        add them, break the ties."""
        candidate, n = make(""), 1
        while candidate in self.used:
            n += 1
            candidate = make(str(n))
        self.used.add(candidate)
        return candidate

    def _date(self):
        # More recent months get more leads: the business is growing.
        span = (self.now - self.start).total_seconds()
        return self.start + timedelta(seconds=span * (self.rng.random() ** 0.8))

    # Reference data

    def _utm(self):
        utm = self.env["utm.mixin"]
        self.sources = {
            name: utm._find_or_create_record("utm.source", name) for name, _w in SOURCES
        }
        self.mediums = {
            src: utm._find_or_create_record("utm.medium", med)
            for src, med in MEDIUMS.items()
        }
        self.campaigns = [
            utm._find_or_create_record("utm.campaign", name) for name in CAMPAIGNS
        ]

    def _teams_and_users(self):
        teams = {}
        for name in ("Direct Sales", "Inside Sales"):
            team = self.env["crm.team"].search([("name", "=", name)], limit=1)
            teams[name] = team or self.env["crm.team"].create({"name": name})
        self.users = []
        self.team_users = {name: [] for name in teams}
        leaders = {}
        users = self.env["res.users"].with_context(no_reset_password=True)
        for name, login, team_name, group in SALESPEOPLE:
            user = users.search([("login", "=", login)], limit=1)
            if not user:
                user = users.create(
                    {
                        "name": name,
                        "login": login,
                        "password": login,
                        "email": f"{login}@example.com",
                        "group_ids": [(4, self.env.ref(f"crm_smb_core.{group}").id)],
                    }
                )
            if team_name and group == "group_smb_manager":
                leaders[team_name] = user
            if team_name:
                self.team_users[team_name].append(user)
                self.users.append((user, teams[team_name]))
        # The owner sells too: the admin's own pipeline is not empty.
        admin = self.env.ref("base.user_admin")
        self.team_users["Direct Sales"].append(admin)
        self.users.append((admin, teams["Direct Sales"]))
        for team_name, team in teams.items():
            members = self.team_users[team_name]
            team.write(
                {
                    "user_id": leaders.get(team_name, members[0]).id,
                    "member_ids": [(4, u.id) for u in members],
                }
            )
        self.teams = list(teams.values())

    # Partners

    def _company_vals(self):
        word = self.rng.choice(list(INDUSTRY_WORDS))
        base = self.rng.choice(
            [
                f"{self.fake.last_name()} {word}",
                f"{self.fake.city()} {word}",
                f"{self.fake.last_name()} & {self.fake.last_name()}",
            ]
        )
        suffix = self.rng.choice(LEGAL_SUFFIXES)
        name = f"{base} {suffix}".strip()
        stem = "".join(ch for ch in base.lower() if ch.isalnum())[:20]
        domain = self._unique(lambda n: f"{stem}{n}.com")
        phone = self._phone()
        kind = INDUSTRY_WORDS[word]
        return {
            "ref": self._ref(),
            "name": name,
            "is_company": True,
            "email": f"info@{domain}",
            "phone": self._format_phone(phone, self.rng.randint(0, 3)),
            "website": f"https://www.{domain}",
            "street": self.fake.street_address(),
            "city": self.fake.city(),
            "zip": self.fake.zipcode(),
            "country_id": self.us.id,
            "state_id": self.rng.choice(self.states).id,
            "customer_type": "b2c" if kind == "retail" else "b2b",
            "company_size_band": self.rng.choice(["1", "2_10", "2_10", "11_50"]),
            "industry_id": self.rng.choice(self.industries).id,
            "_suffix": suffix,
            "_base": base,
            "_phone": phone,
        }

    def _person_vals(self, company=None):
        first, last = self.fake.first_name(), self.fake.last_name()
        if company:
            domain = company["website"].split("www.", 1)[1]
        else:
            domain = self.rng.choice(["gmail.com", "yahoo.com", "outlook.com"])
        phone = self._phone()
        return {
            "ref": self._ref(),
            "name": f"{first} {last}",
            "is_company": False,
            "email": self._unique(
                lambda n: f"{first.lower()}.{last.lower()}{n}@{domain}"
            ),
            "phone": self._format_phone(phone, self.rng.randint(0, 3)),
            "street": company["street"] if company else self.fake.street_address(),
            "city": company["city"] if company else self.fake.city(),
            "zip": company["zip"] if company else self.fake.zipcode(),
            "country_id": self.us.id,
            "function": self.rng.choice(["Owner", "Office Manager", "CEO", "Buyer"]),
            "customer_type": company["customer_type"] if company else "b2c",
            "_company": company,
            "_first": first,
            "_last": last,
            "_phone": phone,
        }

    def _duplicate_of(self, vals):
        """A second record for the same real-world party, as people type it."""
        dup = {k: v for k, v in vals.items() if not k.startswith("_")}
        dup["ref"] = self._ref()
        if vals["is_company"]:
            kind = self.rng.choice(["suffix", "typo", "phone", "email"])
            if kind == "suffix":
                variant = self.rng.choice(SUFFIX_VARIANTS[vals["_suffix"]])
                dup["name"] = f"{vals['_base']} {variant}".strip()
            elif kind == "typo":
                dup["name"] = self._typo(vals["name"])
            elif kind == "phone":
                dup["phone"] = self._format_phone(vals["_phone"], 4)
                dup["name"] = vals["name"].upper()
            else:
                dup["email"] = vals["email"].upper()
                dup["website"] = vals["website"].replace("https://www.", "http://")
        else:
            first, last = vals["_first"], vals["_last"]
            kind = self.rng.choice(["swap", "typo", "email", "phone", "nick"])
            if kind == "swap":
                dup["name"] = f"{last}, {first}"
            elif kind == "typo":
                dup["name"] = f"{first} {self._typo(last)}"
            elif kind == "email":
                dup["email"] = vals["email"].title()
                dup["phone"] = self._format_phone(vals["_phone"], 2)
            elif kind == "phone":
                dup["phone"] = self._format_phone(vals["_phone"], 4)
                dup["email"] = False
            else:
                dup["name"] = f"{NICKNAMES.get(first, first[0] + '.')} {last}"
        self.truth.append((vals["ref"], dup["ref"]))
        return dup

    def _create_partners(self, count):
        Partner = self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        self.us = self.env.ref("base.us")
        self.states = self.env["res.country.state"].search(
            [("country_id", "=", self.us.id)]
        )
        self.industries = self.env["res.partner.industry"].search([])
        n_dups = round(count * self.dup_rate)
        n_originals = count - n_dups
        n_companies = max(1, round(n_originals * 0.4))
        companies = [self._company_vals() for _i in range(n_companies)]
        persons = []
        for i in range(n_originals - n_companies):
            company = companies[i % n_companies] if self.rng.random() < 0.7 else None
            persons.append(self._person_vals(company))
        originals = companies + persons
        duplicates = [
            self._duplicate_of(vals) for vals in self.rng.sample(originals, n_dups)
        ]

        def clean(vals):
            return {k: v for k, v in vals.items() if not k.startswith("_")}

        created = Partner.browse()
        for chunk in _chunks([clean(v) for v in companies], BATCH):
            created |= Partner.create(chunk)
        by_ref = {p.ref: p.id for p in created}
        person_rows = []
        for vals in persons:
            row = clean(vals)
            if vals["_company"]:
                row["parent_id"] = by_ref[vals["_company"]["ref"]]
            person_rows.append(row)
        for chunk in _chunks(person_rows + duplicates, BATCH):
            created |= Partner.create(chunk)
            if count > BATCH:
                _logger.info("contacts: %s of %s", len(created), count)
        self.partners = created
        return created

    # Leads

    def _lead_vals(self):
        partner = self.rng.choice(self.partners)
        user, team = self.rng.choice(self.users)
        source = self.rng.choices(
            [s for s, _w in SOURCES], weights=[w for _s, w in SOURCES]
        )[0]
        created = self._date()
        is_company = partner.is_company
        company_name = partner.name if is_company else partner.parent_id.name
        revenue = round(self.rng.lognormvariate(8.3, 0.9), -1)
        age_days = (self.now - created).days
        # Older leads are more likely decided; about 30% of decided deals are won.
        decided = self.rng.random() < min(0.95, age_days / 120)
        outcome = "open"
        if decided:
            outcome = "won" if self.rng.random() < 0.3 else "lost"
        qualified = outcome != "open" or self.rng.random() < 0.6
        vals = {
            "name": self.rng.choice(
                [
                    f"{company_name or partner.name}: {self.fake.bs().capitalize()}",
                    f"Quote for {company_name or partner.name}",
                    f"{self.rng.choice(['Website', 'Phone', 'Walk-in'])} inquiry",
                ]
            ),
            "type": "opportunity" if qualified else "lead",
            "partner_id": partner.id if qualified else False,
            "contact_name": False if qualified else partner.name,
            "partner_name": False if qualified else company_name,
            "email_from": partner.email,
            "phone": partner.phone,
            "user_id": user.id if qualified or self.rng.random() < 0.5 else False,
            "team_id": team.id,
            "source_id": self.sources[source].id,
            "medium_id": self.mediums[source].id,
            "campaign_id": (
                self.rng.choice(self.campaigns).id
                if self.rng.random() < 0.35
                else False
            ),
            "expected_revenue": revenue,
            "priority": self.rng.choice(["0", "0", "1", "2", "3"]),
            "customer_type": partner.customer_type or "b2b",
            "industry_id": partner.industry_id.id or partner.parent_id.industry_id.id,
            "company_size_band": partner.company_size_band
            or partner.parent_id.company_size_band,
            "tag_ids": [(6, 0, self.rng.sample(self.tags.ids, self.rng.randint(0, 2)))],
        }
        cycle = timedelta(days=self.rng.randint(5, 90))
        meta = {"created": created, "outcome": outcome, "closed": None}
        if outcome != "open":
            meta["closed"] = min(created + cycle, self.now - timedelta(hours=1))
        # An explicit stage spares the ORM a stage search per lead.
        vals["stage_id"] = self.open_stages[0].id
        if qualified and outcome == "open":
            vals["stage_id"] = self.rng.choice(self.open_stages).id
            vals["date_deadline"] = (self.now + cycle).date()
        return vals, meta

    def _create_leads(self, count):
        # Historical data: deadlines and stages are checked against the run day,
        # before the dates move into the past, so the suite's validation is off.
        Lead = self.env["crm.lead"].with_context(
            crm_smb_skip_validation=True,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
        )
        stages = self.env["crm.stage"].search([], order="sequence")
        self.open_stages = stages.filtered(lambda s: not s.is_won)
        won_stage = stages.filtered("is_won")[:1]
        self.tags = self.env["crm.tag"].search([]) or self.env["crm.tag"].create(
            [{"name": n} for n in ("Repeat", "Urgent", "Price sensitive")]
        )
        lost_reasons = self.env["crm.lost.reason"].search([])
        leads = Lead.browse()
        metas = []
        for start in range(0, count, BATCH):
            drawn = [self._lead_vals() for _i in range(min(BATCH, count - start))]
            batch = Lead.create([vals for vals, _meta in drawn])
            metas += [meta for _vals, meta in drawn]
            outcomes = dict(
                zip(batch.ids, [meta["outcome"] for _v, meta in drawn], strict=True)
            )
            won = Lead.browse([i for i, o in outcomes.items() if o == "won"])
            if won:
                won.write({"stage_id": won_stage.id, "probability": 100})
            lost_by_reason = {}
            for lead_id, outcome in outcomes.items():
                if outcome == "lost":
                    reason = self.rng.choice(lost_reasons)
                    lost_by_reason.setdefault(reason, []).append(lead_id)
            for reason, ids in lost_by_reason.items():
                Lead.browse(ids).action_set_lost(lost_reason_id=reason.id)
            leads |= batch
            self.env.flush_all()
            self.env.invalidate_all()
            if count > BATCH:
                _logger.info("leads: %s of %s", len(leads), count)
        self._backdate(leads, metas)
        return leads

    def _backdate(self, leads, metas):
        """Move creation, stage and closing dates into the past, in one UPDATE.

        ``day_open`` and ``day_close`` are stored computes of these dates; they
        are set in the same statement, as the ORM does not see the change."""
        rows = [
            (lead_id, meta["created"], meta["closed"])
            for lead_id, meta in zip(leads.ids, metas, strict=True)
        ]
        self.env.flush_all()
        cr = self.env.cr
        # One set-based statement: the ORM keeps create_date read-only.
        for chunk in _chunks(rows, 5000):
            cr.execute(
                """
                UPDATE crm_lead AS lead
                   SET create_date = v.created,
                       date_open = CASE WHEN lead.user_id IS NOT NULL
                                        THEN v.created END,
                       date_conversion = CASE WHEN lead.type = 'opportunity'
                                              THEN v.created END,
                       date_closed = v.closed,
                       date_last_stage_update = COALESCE(v.closed, v.created),
                       day_open = CASE WHEN lead.user_id IS NOT NULL THEN 0 END,
                       day_close = floor(EXTRACT(EPOCH FROM v.closed - v.created)
                                         / 86400),
                       write_date = COALESCE(v.closed, v.created)
                  FROM (SELECT * FROM unnest(%s::int[], %s::timestamp[],
                                             %s::timestamp[]))
                       AS v(id, created, closed)
                 WHERE lead.id = v.id
                """,
                [
                    [r[0] for r in chunk],
                    [r[1] for r in chunk],
                    [r[2] for r in chunk],
                ],
            )
        self.env.invalidate_all()

    def _activities_and_messages(self, leads):
        """Activities on open deals, some overdue; notes on a share of leads."""
        open_leads = leads.filtered(lambda lead: lead.active and not lead.date_closed)
        types = self.env["mail.activity.type"].search(
            [("res_model", "in", (False, "crm.lead"))]
        )
        model_id = self.env["ir.model"]._get_id("crm.lead")
        activity_vals = []
        for lead in open_leads:
            if self.rng.random() < 0.7:
                activity_type = self.rng.choice(types)
                activity_vals.append(
                    {
                        "res_model_id": model_id,
                        "res_id": lead.id,
                        "activity_type_id": activity_type.id,
                        "summary": self.rng.choice(
                            ["Call back", "Send quote", "Follow up", "Site visit"]
                        ),
                        "date_deadline": (
                            self.now + timedelta(days=self.rng.randint(-10, 14))
                        ).date(),
                        "user_id": (lead.user_id or self.env.user).id,
                    }
                )
        Activity = self.env["mail.activity"].with_context(
            mail_activity_quick_update=True
        )
        for chunk in _chunks(activity_vals, BATCH):
            Activity.create(chunk)
        subtype = self.env.ref("mail.mt_note")
        author = self.env.ref("base.partner_admin")
        message_vals = [
            {
                "model": "crm.lead",
                "res_id": lead.id,
                "message_type": "comment",
                "subtype_id": subtype.id,
                "author_id": (lead.user_id.partner_id or author).id,
                "body": self.fake.paragraph(nb_sentences=2),
                "date": lead.create_date + timedelta(days=self.rng.randint(0, 20)),
            }
            for lead in leads
            if self.rng.random() < 0.4
        ]
        for chunk in _chunks(message_vals, BATCH):
            self.env["mail.message"].create(chunk)
        return len(activity_vals), len(message_vals)

    def _costs(self):
        """Marketing spend per source and month, and the CRM's own costs, when
        crm_smb_roi is installed."""
        if "crm.smb.cost" not in self.env:
            return 0
        vals = []
        month = self.start.date().replace(day=1)
        while month <= self.now.date():
            end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            for source, amount in MONTHLY_SPEND.items():
                vals.append(
                    {
                        "name": f"{source} {month:%B %Y}",
                        "category": "events" if source == "Trade Show" else "ads",
                        "amount": round(amount * self.rng.uniform(0.7, 1.3)),
                        "date_start": month,
                        "date_end": end,
                        "source_id": self.sources[source].id,
                        "medium_id": self.mediums[source].id,
                    }
                )
            vals.append(
                {
                    "name": f"Staff time on the CRM {month:%B %Y}",
                    "category": "staff_time",
                    "amount": 400,
                    "date_start": month,
                    "date_end": end,
                }
            )
            month = end + timedelta(days=1)
        self.env["crm.smb.cost"].create(vals)
        # The CRM subscription, as a recurring cost from the first month on.
        self.env["crm.smb.cost"].create(
            {
                "name": "CRM subscription",
                "category": "crm_subscription",
                "amount": 150,
                "date_start": self.start.date().replace(day=1),
                "recurring": True,
            }
        )._generate_recurring(self.now.date())
        return len(vals)

    def run(self, contacts, leads):
        started = time.monotonic()
        # Small businesses qualify leads before they become opportunities.
        self.env.ref("base.group_user").write(
            {"implied_ids": [(4, self.env.ref("crm.group_use_lead").id)]}
        )
        self._utm()
        self._teams_and_users()
        partners = self._create_partners(contacts)
        lead_records = self._create_leads(leads) if leads else self.env["crm.lead"]
        activities, messages = self._activities_and_messages(lead_records)
        self._costs()
        self.env.flush_all()
        _logger.info(
            "generated %s contacts (%s planted duplicates), %s leads, %s activities, "
            "%s messages in %.1f s",
            len(partners),
            len(self.truth),
            len(lead_records),
            activities,
            messages,
            time.monotonic() - started,
        )
        return self.truth


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def generate(
    env, contacts=500, leads=1500, seed=SEED, months=18, dup_rate=0.05, today=None
):
    """Create the data set in ``env`` and return the planted duplicate pairs."""
    generator = Generator(env, seed=seed, months=months, dup_rate=dup_rate, today=today)
    return generator.run(contacts, leads)


def write_truth(truth, path):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "duplicate_ref"])
        writer.writerows(truth)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo config file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--contacts", type=int, default=500)
    parser.add_argument("--leads", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--truth", help="write the duplicate pairs to this CSV file")
    args = parser.parse_args()

    # Imported here: only a database run needs Odoo.
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        truth = generate(env, args.contacts, args.leads, seed=args.seed)
    if args.truth:
        write_truth(truth, args.truth)
        _logger.info("ground truth: %s", args.truth)


if __name__ == "__main__":
    main()
