-- Sales analytics pack: the shop's storage in Postgres (the variant of the templates beside n8n Data Tables).
-- Run it once as a role that may create schemas (psql -f schema.sql), or let the template's set-up run it at publish
-- and at every n8n start. Idempotent: every statement is "if not exists" or "or replace", so running it again changes
-- nothing.
--
-- One schema, not a table prefix: the pack's tables stay apart from the shop's own tables in the same database, a
-- restricted n8n role needs one "grant usage on schema" plus its table rights, and dropping the pack is one
-- "drop schema sales_analytics cascade".
--
-- The touch intake (workflows/touch-intake-postgres.json) writes touches; the order sync
-- (workflows/order-sync-postgres.json) reads the touches of its orders' customers and writes deals and credits.
-- Needs Postgres 14 or later (multiranges).
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

-- The order sync's report reads the touches of its period, "at between from and to", ordered by (at, touch_id): this
-- index serves that range and that order.
create index if not exists touches_at_touch_id on sales_analytics.touches (at, touch_id);

-- The keys a record is matched by, as the Order Matcher links orders and touches (an order id or number a touch names;
-- the person's phones, e-mails, GA and Metrica client ids), one text each: "p:" and the last 10 digits of a phone
-- (of the whole field and of each number in it), "e:" an e-mail in lower case, "c:" a client id, "r:" an order
-- reference (a touch's orderRef; an order's orderId and number). A record is a touch or an order (whose customer holds
-- the person's values). Coarser than the matcher on purpose: values the matcher reads as one (a phone written
-- "+7 916 ...", "8 (916) ..." or as a number) give one key here, so a read by these keys finds at least what the
-- matcher can link (a few more, say two countries' numbers with the same last 10 digits, do no harm: the matcher
-- decides). Linear: no pattern here can backtrack. Kept in a generated column of each table, so a change of this
-- function must come with a new name (the stored keys would not follow a new body).
create or replace function sales_analytics.match_keys(item jsonb) returns text[]
language sql immutable parallel safe as $$
	select coalesce(array_agg(distinct key order by key), '{}')
	from (select case when jsonb_typeof(item->'customer') = 'object' then item->'customer' else item end as person) p,
	lateral (
		select 'p:' || right(regexp_replace(part, '\D', '', 'g'), 10) as key
		from jsonb_path_query(p.person->'phones', '$[*]') phone,
			lateral (select phone #>> '{}' union all select regexp_split_to_table(phone #>> '{}', '[,;/\n]|\s(?:или|or|и|and|або)\s', 'i')) parts(part)
		union all
		select 'e:' || lower(btrim(email #>> '{}')) from jsonb_path_query(p.person->'emails', '$[*]') email
		union all
		select 'c:' || btrim(id #>> '{}') from jsonb_path_query(jsonb_build_array(p.person->'gaClientId', p.person->'ymClientId'), '$[*]') id
		union all
		select 'r:' || btrim(ref #>> '{}') from jsonb_path_query(jsonb_build_array(item->'orderRef', item->'orderId', item->'number'), '$[*]') ref
	) k
	where length(key) > 2
$$;

-- The order sync reads only the touches of its orders' customers (see run_reach below): by these keys, through a GIN
-- index. Kept as a column (computed by Postgres on every insert and update, whoever writes the row), so that no read
-- computes them again. Added by "alter" after the table, so that a database made before it gets it too: that rewrites
-- the table once (about a minute a million touches here), while the intake's inserts wait.
alter table sales_analytics.touches add column if not exists match_keys text[] generated always as (sales_analytics.match_keys(touch)) stored;
-- fastupdate off: with it on (Postgres' default), new entries wait in a pending list that every lookup reads through
-- whole, up to gin_pending_list_limit (4 MB) between vacuums; the order sync's walk makes thousands of lookups a run,
-- and a full pending list made each one cost about 2 ms against 100,000 touches (10 s a run; measured, see
-- docs/benchmarks.md). Each insert now updates the index itself. "alter" for an index made before: the entries it
-- already holds in its list go at its next vacuum.
create index if not exists touches_match_keys on sales_analytics.touches using gin (match_keys) with (fastupdate = off);
alter index sales_analytics.touches_match_keys set (fastupdate = off);

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

-- The report reads the deals of its period ("created_at in [start, end)") by the order's time.
create index if not exists deals_created_at_order_id on sales_analytics.deals (created_at, order_id);

-- The order sync reads the stored orders of its customers by their keys (as the touches': see match_keys).
alter table sales_analytics.deals add column if not exists match_keys text[] generated always as (sales_analytics.match_keys(deal)) stored;
create index if not exists deals_match_keys on sales_analytics.deals using gin (match_keys) with (fastupdate = off);
alter index sales_analytics.deals_match_keys set (fastupdate = off);

-- The report counts the touches of its period that no stored deal links ("not exists a deal whose touch_ids contain
-- it"): a GIN index answers that containment for each touch without reading every deal.
create index if not exists deals_touch_ids on sales_analytics.deals using gin (touch_ids) with (fastupdate = off);
alter index sales_analytics.deals_touch_ids set (fastupdate = off);

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

-- What the order sync reads for the orders of a run (`run`: a JSON array of orders, each with orderId, number,
-- createdAt and customer), by key, not by time alone: the touches and stored orders connected with the run's orders
-- by a key (match_keys), directly or through other such records (a touch with the order's phone and an e-mail links
-- the touches with that e-mail: identity stitching), each within the run's windows: a touch within the lookback
-- before one of the run's orders to the grace after it (touch_span), a stored order from the lookback and grace
-- before one of them to it (order_span: the customer's earlier orders, which keep the touches before them). Returns
-- the two spans, the run's order ids and the keys reached; the order sync's Load Touches and Load Stored Orders read
-- the rows holding one of those keys within their span. Why the matcher then links each of the run's orders as it
-- would among every record of those windows: every record read holds only keys whose every holder in the windows is
-- read too, so each value's evidence (shared-value detection, values seen together) and each person are the same;
-- the records not read share no key with them and cannot join them. A shared value (an office phone) reaches many
-- records; the read is then larger, never wrong. A run of more than 2,000 orders (a full re-sync) reaches most of
-- the store anyway, and one key lookup each would cost more than it saves: it walks nothing, and everyone is true
-- (the reads then take every record of the spans: more, so again the same links). jit off: the planner cannot know
-- how far the walk goes and would compile it for seconds.
create or replace function sales_analytics.run_reach(run jsonb, lookback_days double precision, grace_hours double precision)
returns table (touch_span tstzmultirange, order_span tstzmultirange, order_ids text[], reach_keys text[], everyone boolean)
language sql stable rows 1 set jit = off as $$
	with recursive orders as (
		select x->>'orderId' as order_id, (x->>'createdAt')::timestamptz as created, sales_analytics.match_keys(x) as own_keys
		from jsonb_array_elements(run) x
	), span as (
		select
			coalesce(range_agg(tstzrange(created - lookback_days * interval '1 day', created + grace_hours * interval '1 hour', '[]')) filter (where created is not null), '{}') as touches,
			coalesce(range_agg(tstzrange(created - lookback_days * interval '1 day' - grace_hours * interval '1 hour', created, '[]')) filter (where created is not null), '{}') as orders,
			coalesce(array_agg(order_id) filter (where order_id is not null), '{}') as ids,
			count(*) > 2000 as everyone
		from orders
	), reach(key) as (
		select unnest(own_keys) from orders, span where not span.everyone
		union
		select found.key from reach, span, lateral (
			select unnest(t.match_keys) from sales_analytics.touches t where t.match_keys @> array[reach.key] and span.touches @> t.at
			union all
			select unnest(d.match_keys) from sales_analytics.deals d where d.match_keys @> array[reach.key] and span.orders @> d.created_at and d.order_id <> all (span.ids)
		) found(key)
	)
	select span.touches, span.orders, span.ids, array(select key from reach), span.everyone from span
$$;
