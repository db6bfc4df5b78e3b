-- Sales analytics pack: the shop's storage in Postgres (the variant of the templates beside n8n Data Tables).
-- Run it once as a role that may create schemas (psql -f schema.sql), or let the template's set-up run it at publish
-- and at every n8n start. Idempotent: every statement is "if not exists", so running it again changes nothing.
--
-- One schema, not a table prefix: the pack's tables stay apart from the shop's own tables in the same database, a
-- restricted n8n role needs one "grant usage on schema" plus its table rights, and dropping the pack is one
-- "drop schema sales_analytics cascade".
--
-- The touch intake (workflows/touch-intake-postgres.json) writes touches; the order sync
-- (workflows/order-sync-postgres.json) reads the touches of its window and writes deals and credits.
-- Two templates run this file at the same moment (each sets up at n8n's start), and two "create ... if not exists" of
-- one object at once can fail on Postgres' catalog keys: so the set-up waits for a transaction-level advisory lock
-- first (the template's query runs as one transaction; under psql -f it is released at once, which is harmless).
select pg_advisory_xact_lock(hashtext('sales_analytics schema'));
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

-- One row per imported order (the Deal item of docs/item-contracts.md; an order no touch produced has touches 0 and
-- the matcher's reason), keyed by its orderId: the order sync upserts the rows of the orders it imported new or
-- changed, and leaves every other row as it is (updated_at tells when a row last changed). deal is the whole deal
-- (or order) as the Order Matcher made it; touch_ids the ids of its touches, in time order.
create table if not exists sales_analytics.deals (
	order_id text primary key,
	number text,
	stage text,
	total numeric,
	currency text,
	created_at timestamptz,
	touches integer not null,
	touch_ids text[] not null default '{}',
	method text,
	channels text,
	reason text,
	deal jsonb not null,
	stored_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);

-- The version of the order a deal row was made from: the order sync's memory of what it has imported. sha256, in hex,
-- of the order as the feed gave it after status mapping, as jsonb text (Postgres sorts jsonb keys, so equal orders
-- give equal text), without what describes a run rather than the order (raw, change, warnings, transition,
-- stageRule). The order sync takes only the feed's orders whose version differs from the stored one. It writes a
-- deal with version null, in the transaction of its credits, and the version only when the whole run has finished
-- (pushes included): the orders of a run that failed anywhere still differ from the store, and the next run takes
-- them again. Added by "alter" after the table, so that a database made before it gets it too, null in every old row:
-- an old row compares as changed once. Right, because the old order sync's memory was the import node's, which moved
-- even when a later step failed: an old row may be behind its order, and importing each order once again repairs it
-- (the upserts write the same rows again, the push ledger sends no revenue version twice).
alter table sales_analytics.deals add column if not exists version text;

-- The report reads the deals of its period ("created_at in [start, end)"), and the order sync the stored orders around
-- its window (the same range read), both by the order's time.
create index if not exists deals_created_at_order_id on sales_analytics.deals (created_at, order_id);

-- The report counts the touches of its period that no stored deal links ("not exists a deal whose touch_ids contain
-- it"): a GIN index answers that containment for each touch without reading every deal.
create index if not exists deals_touch_ids on sales_analytics.deals using gin (touch_ids);

-- One row per order, model and touch, as the Attribution node credits a deal: every touch of every won deal under
-- every model the order sync stores (heuristic ones; see docs/templates.md#storage). A changed order's credits are
-- deleted and written again with its deal, in one transaction; deleting a deal deletes its credits.
create table if not exists sales_analytics.credits (
	order_id text not null references sales_analytics.deals (order_id) on delete cascade,
	model text not null,
	touch_id text not null,
	channel text not null,
	share double precision not null,
	revenue numeric not null,
	currency text,
	stored_at timestamptz not null default now(),
	primary key (order_id, model, touch_id)
);
