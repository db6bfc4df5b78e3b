-- Sales analytics pack: the shop's storage in Postgres (the variant of the templates beside n8n Data Tables).
-- Run it once as a role that may create schemas (psql -f schema.sql), or let the template's set-up run it at publish
-- and at every n8n start. Idempotent: every statement is "if not exists", so running it again changes nothing.
--
-- One schema, not a table prefix: the pack's tables stay apart from the shop's own tables in the same database, a
-- restricted n8n role needs one "grant usage on schema" plus its table rights, and dropping the pack is one
-- "drop schema sales_analytics cascade".
--
-- Only the touch intake writes here yet. The order sync's tables (orders, deals, credits, ad spend) come with the step
-- that makes the order sync read and write Postgres, with the indexes its reads need.
create schema if not exists sales_analytics;

-- One row per touch (the Touch item of docs/item-contracts.md), keyed by its touchId: a redelivered webhook finds its
-- row and stores nothing twice. phones and emails are arrays as the touch has them (phones in E.164);
-- touch is the whole touch as the Touchpoint node made it.
create table if not exists sales_analytics.touches (
	touch_id text primary key,
	at timestamptz not null,
	kind text not null,
	system text,
	phones text[] not null default '{}',
	emails text[] not null default '{}',
	ga_client_id text,
	utm_source text,
	utm_medium text,
	utm_campaign text,
	outcome text,
	touch jsonb not null,
	stored_at timestamptz not null default now()
);

-- The order sync reads only the touches that can still count for the orders it imports: those in the lookback window
-- before the oldest new or changed order, "at between from and to", in pages ordered by (at, touch_id). This index
-- serves that range and the paging. No index on phones, e-mails or client ids: the Order Matcher matches by those
-- values in memory, among the window's touches, so no read looks them up in the table, and every index would cost
-- every stored touch a write. A step whose query needs them adds them here.
create index if not exists touches_at_touch_id on sales_analytics.touches (at, touch_id);
