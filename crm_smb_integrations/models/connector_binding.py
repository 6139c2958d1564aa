"""A binding ties an external record of one backend to an Odoo contact.

It remembers the hash of the last synced payload so an unchanged record is
skipped, and is unique per backend and external id, which is what makes a
replayed delivery or job create nothing new. ``_resolve_customers`` is the
identity resolution every incoming customer goes through: binding, then the
duplicate candidates of crm_smb_dedup, then create; ambiguous matches wait in
the review queue.
"""

import logging

from odoo import fields, models

from ..services.identity import PageCandidates, batch_keys, decide
from ..services.mapping import payload_hash

_logger = logging.getLogger(__name__)

QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    # Identity resolution has already decided these are new people.
    "smb_dedup_skip_check": True,
}


class CrmSmbConnectorBinding(models.Model):
    _name = "crm.smb.connector.binding"
    _inherit = ["crm.smb.connector.record"]
    _description = "Link between an external customer and a contact"
    _order = "id desc"

    service = fields.Selection(related="backend_id.service")
    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, ondelete="cascade", index=True
    )
    external_id = fields.Char(string="External ID", required=True)
    sync_date = fields.Datetime(string="Last Sync", default=fields.Datetime.now)
    payload_hash = fields.Char(help="Hash of the last synced payload.")

    _backend_external_uniq = models.Constraint(
        "UNIQUE(backend_id, external_id)",
        "An external record can be bound only once per connector.",
    )

    # Identity resolution ---------------------------------------------------
    def _resolve_customers(self, backend, values_list, source, log=None):
        """Bind, match or create a contact for each normalised customer.

        Returns {external_id: (outcome, partner)} where outcome is one of
        created, updated, skipped, review or failed (partner empty for the
        last two). Counts go to ``log`` when given.
        """
        Partner = (
            self.env["res.partner"]
            .with_context(**QUIET)
            ._smb_batch_context(values_list)
        )
        external_ids = [v["external_id"] for v in values_list if v.get("external_id")]
        bindings = {
            b.external_id: b
            for b in self.search(
                [("backend_id", "=", backend.id), ("external_id", "in", external_ids)]
            )
        }
        # Unbound customers are looked up in one batch (a constant number of
        # queries per page), the way each would be looked up on its own.
        unbound = [
            values
            for values in values_list
            if values.get("external_id")
            and values["external_id"] not in bindings
            and (values.get("name") or values.get("email"))
        ]
        queries = Partner._smb_identity_queries(unbound)
        candidates = PageCandidates(
            lambda positions: Partner._smb_identity_candidates_batch(
                [unbound[p] for p in positions], [queries[p] for p in positions]
            ),
            lambda before, after: Partner._smb_candidates_affected(
                queries, before, after
            ),
            len(unbound),
        )
        position_of = {id(values): position for position, values in enumerate(unbound)}

        def write_partner(partner, vals):
            before = partner._smb_keys() if vals and candidates.waiting() else None
            partner.with_context(**QUIET).write(vals)
            if before is not None:
                candidates.changed(before, partner._smb_keys())

        # Reviews waiting for this page's unbound customers, in one query: a
        # customer linked now closes its review.
        Review = self.env["crm.smb.identity.review"]
        waiting = set(
            Review.sudo()
            .search(
                [
                    ("backend_id", "=", backend.id),
                    ("external_id", "in", [v["external_id"] for v in unbound]),
                    ("state", "=", "pending"),
                ]
            )
            .mapped("external_id")
        )
        results, failed = {}, []
        to_create, pending_keys, binding_vals = [], {}, []
        for values in values_list:
            ext = values.get("external_id")
            if not ext:
                failed.append(("", "missing id"))
                continue
            if not (values.get("name") or values.get("email")):
                failed.append((ext, "a customer needs a name or an email"))
                results[ext] = ("failed", Partner)
                continue
            digest = payload_hash(values)
            binding = bindings.get(ext)
            if binding:
                if binding.payload_hash == digest:
                    results[ext] = ("skipped", binding.partner_id)
                    continue
                write_partner(
                    binding.partner_id,
                    Partner._smb_sync_vals(values, source, binding.partner_id),
                )
                binding.write(
                    {"payload_hash": digest, "sync_date": fields.Datetime.now()}
                )
                results[ext] = ("updated", binding.partner_id)
                continue
            # Same person twice in the batch (not created yet): one contact.
            keys = batch_keys(values)
            group = next((pending_keys[k] for k in keys if k in pending_keys), None)
            if group is not None:
                to_create[group][1].append((ext, digest))
                continue
            verdict, match = decide(candidates.get(position_of[id(values)]))
            if verdict == "link":
                partner = match["record"]
                write_partner(
                    partner,
                    Partner._smb_sync_vals(values, source, partner, fill_only=True),
                )
                binding_vals.append(
                    {
                        "backend_id": backend.id,
                        "partner_id": partner.id,
                        "external_id": ext,
                        "payload_hash": digest,
                    }
                )
                if ext in waiting:
                    Review._close_for(backend, ext)
                results[ext] = ("updated", partner)
            elif verdict == "review":
                Review._queue(
                    backend, values, [c["record"] for c in match], match[0]["score"]
                )
                waiting.add(ext)
                results[ext] = ("review", Partner)
            else:
                for key in keys:
                    pending_keys[key] = len(to_create)
                to_create.append((values, [(ext, digest)]))
        if to_create:
            partners = Partner.create(
                [Partner._smb_sync_vals(values, source) for values, _exts in to_create]
            )
            for partner, (_values, exts) in zip(partners, to_create, strict=True):
                for ext, digest in exts:
                    binding_vals.append(
                        {
                            "backend_id": backend.id,
                            "partner_id": partner.id,
                            "external_id": ext,
                            "payload_hash": digest,
                        }
                    )
                    results[ext] = ("created", partner)
        if binding_vals:
            # Links and new contacts of the page are bound in one create.
            self.create(binding_vals)
        if log:
            outcomes = [outcome for outcome, _partner in results.values()]
            log._count(
                created=outcomes.count("created"),
                updated=outcomes.count("updated"),
                skipped=outcomes.count("skipped") + outcomes.count("review"),
                failed=failed,
            )
        return results

    def _partner_for(self, backend, external_ids):
        """{external_id: partner} for the bound ones among ``external_ids``."""
        bindings = self.search(
            [("backend_id", "=", backend.id), ("external_id", "in", list(external_ids))]
        )
        return {b.external_id: b.partner_id for b in bindings}
