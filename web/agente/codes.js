// The codes the console offers (src/domain/ticket.c, docs/api-agent.md).
export const VIEWS = ['unsolved', 'mine', 'unassigned', 'pending', 'dev_due', 'at_risk', 'breached', 'all'];
export const STATUSES = ['new', 'open', 'pending_customer', 'resolved', 'closed'];
export const CATEGORIES = ['support', 'commercial', 'development', 'out_of_scope', 'sla_inclusion'];
export const LEVELS = ['partner_gold', 'partner_silver', 'partner_bronze', 'commercial', 'non_commercial', 'development', 'out_of_scope', 'unidentified'];
