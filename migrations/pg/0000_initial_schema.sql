CREATE TABLE "api_keys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"revoked_at" text,
	"expires_at" text
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"api_key_id" integer NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"response_body" text NOT NULL,
	"location" text,
	"etag" text,
	"created_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alternatives" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alternatives_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"record_type" text NOT NULL,
	"record_id" text NOT NULL,
	"position" integer NOT NULL,
	"field" text NOT NULL,
	"value" json NOT NULL,
	"rank" text NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "citations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "citations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"record_type" text NOT NULL,
	"record_id" text NOT NULL,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source_id" text NOT NULL,
	"excerpt" text NOT NULL,
	"start_offset" integer NOT NULL,
	"end_offset" integer NOT NULL,
	"note" text,
	"support" text DEFAULT 'stated' NOT NULL,
	"alternative" integer
);
--> statement-breakpoint
CREATE TABLE "merged_records" (
	"record_type" text NOT NULL,
	"record_id" text NOT NULL,
	"into_id" text NOT NULL,
	"at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	CONSTRAINT "merged_records_pk" PRIMARY KEY("record_type","record_id")
);
--> statement-breakpoint
CREATE TABLE "revisions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "revisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"record_type" text NOT NULL,
	"record_id" text NOT NULL,
	"revision" integer NOT NULL,
	"action" text NOT NULL,
	"at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"author" text NOT NULL,
	"data" text NOT NULL,
	"comment" text
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stat_cells" (
	"kind" text NOT NULL,
	"cell" text NOT NULL,
	"records" integer NOT NULL,
	"m0" integer DEFAULT 0 NOT NULL,
	"m1" integer DEFAULT 0 NOT NULL,
	"m2" integer DEFAULT 0 NOT NULL,
	"m3" integer DEFAULT 0 NOT NULL,
	"m4" integer DEFAULT 0 NOT NULL,
	"m5" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_cells_kind_cell_pk" PRIMARY KEY("kind","cell")
);
--> statement-breakpoint
CREATE TABLE "stat_contributions" (
	"kind" text NOT NULL,
	"record_id" text NOT NULL,
	"cell" text NOT NULL,
	"measures" jsonb NOT NULL,
	CONSTRAINT "stat_contributions_kind_record_id_pk" PRIMARY KEY("kind","record_id")
);
--> statement-breakpoint
CREATE TABLE "actor_aliases" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "actor_aliases_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"actor_id" text NOT NULL,
	"alias" text NOT NULL,
	"kind" text NOT NULL,
	"language" text
);
--> statement-breakpoint
CREATE TABLE "actor_identifiers" (
	"actor_id" text NOT NULL,
	"scheme" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "actor_identifiers_pk" PRIMARY KEY("scheme","value")
);
--> statement-breakpoint
CREATE TABLE "actor_relations" (
	"id" text PRIMARY KEY NOT NULL,
	"actor_id" text NOT NULL,
	"relation" text NOT NULL,
	"related_actor_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "actor_roles" (
	"id" text PRIMARY KEY NOT NULL,
	"actor_id" text NOT NULL,
	"title" text NOT NULL,
	"organization_id" text,
	"country" text,
	"from_date" text,
	"from_date_earliest" text,
	"from_date_latest" text,
	"from_date_approximate" boolean DEFAULT false NOT NULL,
	"to_date" text,
	"to_date_earliest" text,
	"to_date_latest" text,
	"to_date_approximate" boolean DEFAULT false NOT NULL,
	"as_of" text,
	"as_of_earliest" text,
	"as_of_latest" text
);
--> statement-breakpoint
CREATE TABLE "actors" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"country" text,
	"description" text,
	"created_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"updated_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cooperation_measure_transfers" (
	"measure_id" text NOT NULL,
	"transfer_id" text NOT NULL,
	CONSTRAINT "cooperation_measure_transfers_pk" PRIMARY KEY("measure_id","transfer_id")
);
--> statement-breakpoint
CREATE TABLE "cooperation_measures" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"requesting_party_id" text,
	"providing_party_id" text,
	"receiving_party_id" text,
	"place" text,
	"start_date" text,
	"start_date_earliest" text,
	"start_date_latest" text,
	"start_date_approximate" boolean DEFAULT false NOT NULL,
	"end_date" text,
	"end_date_earliest" text,
	"end_date_latest" text,
	"end_date_approximate" boolean DEFAULT false NOT NULL,
	"military" boolean,
	"status" text NOT NULL,
	"as_of" text,
	"as_of_earliest" text,
	"as_of_latest" text,
	"created_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"updated_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_parties" (
	"event_id" text NOT NULL,
	"actor_id" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "event_parties_pk" PRIMARY KEY("event_id","actor_id","role")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"date" text,
	"date_earliest" text,
	"date_latest" text,
	"date_approximate" boolean DEFAULT false NOT NULL,
	"place" text,
	"country" text,
	"created_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"updated_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quotes" (
	"id" text PRIMARY KEY NOT NULL,
	"speaker_id" text NOT NULL,
	"text" text NOT NULL,
	"kind" text NOT NULL,
	"language" text NOT NULL,
	"date" text,
	"date_earliest" text,
	"date_latest" text,
	"date_approximate" boolean DEFAULT false NOT NULL,
	"context" text,
	"rendered_from" text,
	"original_text" text,
	"created_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"updated_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"publisher" text,
	"url" text,
	"language" text NOT NULL,
	"published_on" text,
	"published_on_earliest" text,
	"published_on_latest" text,
	"captured_text" text NOT NULL,
	"text" text NOT NULL,
	"text_sha256" text NOT NULL,
	"created_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"updated_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tariff_deadlines" (
	"id" text PRIMARY KEY NOT NULL,
	"measure" text NOT NULL,
	"rate_percent" double precision,
	"imposing_country" text NOT NULL,
	"targeted_country" text NOT NULL,
	"imposing_party_id" text,
	"targeted_party_id" text,
	"announced_on" text,
	"announced_on_earliest" text,
	"announced_on_latest" text,
	"announced_on_approximate" boolean DEFAULT false NOT NULL,
	"window_start" text,
	"window_start_earliest" text,
	"window_start_latest" text,
	"window_start_approximate" boolean DEFAULT false NOT NULL,
	"window_days" integer,
	"deadline" text,
	"deadline_earliest" text,
	"deadline_latest" text,
	"deadline_approximate" boolean DEFAULT false NOT NULL,
	"time_zone" text,
	"status" text NOT NULL,
	"description" text,
	"created_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"updated_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfer_participants" (
	"transfer_id" text NOT NULL,
	"actor_id" text NOT NULL,
	"role" text NOT NULL,
	"organization_id" text,
	"charges" text,
	"wanted_by" text,
	"case_numbers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"held_at" text,
	CONSTRAINT "transfer_participants_pk" PRIMARY KEY("transfer_id","actor_id","role")
);
--> statement-breakpoint
CREATE TABLE "transfer_resources" (
	"id" text PRIMARY KEY NOT NULL,
	"transfer_id" text NOT NULL,
	"kind" text NOT NULL,
	"quantity" integer NOT NULL,
	"approximate" boolean DEFAULT false NOT NULL,
	"description" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"id" text PRIMARY KEY NOT NULL,
	"date" text,
	"date_earliest" text,
	"date_latest" text,
	"date_approximate" boolean DEFAULT false NOT NULL,
	"announced_on" text,
	"announced_on_earliest" text,
	"announced_on_latest" text,
	"from_country" text NOT NULL,
	"to_country" text NOT NULL,
	"mechanism" text NOT NULL,
	"people_count" integer,
	"people_count_approximate" boolean DEFAULT false NOT NULL,
	"summary" text NOT NULL,
	"purpose" text,
	"charges" text,
	"created_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"updated_at" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "citations" ADD CONSTRAINT "citations_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actor_aliases" ADD CONSTRAINT "actor_aliases_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actor_identifiers" ADD CONSTRAINT "actor_identifiers_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actor_relations" ADD CONSTRAINT "actor_relations_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actor_relations" ADD CONSTRAINT "actor_relations_related_actor_id_actors_id_fk" FOREIGN KEY ("related_actor_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actor_roles" ADD CONSTRAINT "actor_roles_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actor_roles" ADD CONSTRAINT "actor_roles_organization_id_actors_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_measure_transfers" ADD CONSTRAINT "cooperation_measure_transfers_measure_id_cooperation_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."cooperation_measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_measure_transfers" ADD CONSTRAINT "cooperation_measure_transfers_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_measures" ADD CONSTRAINT "cooperation_measures_requesting_party_id_actors_id_fk" FOREIGN KEY ("requesting_party_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_measures" ADD CONSTRAINT "cooperation_measures_providing_party_id_actors_id_fk" FOREIGN KEY ("providing_party_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_measures" ADD CONSTRAINT "cooperation_measures_receiving_party_id_actors_id_fk" FOREIGN KEY ("receiving_party_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_parties" ADD CONSTRAINT "event_parties_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_parties" ADD CONSTRAINT "event_parties_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_speaker_id_actors_id_fk" FOREIGN KEY ("speaker_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_deadlines" ADD CONSTRAINT "tariff_deadlines_imposing_party_id_actors_id_fk" FOREIGN KEY ("imposing_party_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_deadlines" ADD CONSTRAINT "tariff_deadlines_targeted_party_id_actors_id_fk" FOREIGN KEY ("targeted_party_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_participants" ADD CONSTRAINT "transfer_participants_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_participants" ADD CONSTRAINT "transfer_participants_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_participants" ADD CONSTRAINT "transfer_participants_organization_id_actors_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_resources" ADD CONSTRAINT "transfer_resources_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash_uq" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_name_uq" ON "api_keys" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_key_uq" ON "idempotency_keys" USING btree ("api_key_id","key");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alternatives_record_position_uq" ON "alternatives" USING btree ("record_type","record_id","position");--> statement-breakpoint
CREATE INDEX "alternatives_disputed_idx" ON "alternatives" USING btree ("record_type","rank","record_id");--> statement-breakpoint
CREATE INDEX "citations_record_idx" ON "citations" USING btree ("record_type","record_id","id");--> statement-breakpoint
CREATE INDEX "citations_source_idx" ON "citations" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "merged_records_into_idx" ON "merged_records" USING btree ("record_type","into_id");--> statement-breakpoint
CREATE UNIQUE INDEX "revisions_record_revision_uq" ON "revisions" USING btree ("record_type","record_id","revision");--> statement-breakpoint
CREATE INDEX "revisions_type_seq_idx" ON "revisions" USING btree ("record_type","id");--> statement-breakpoint
CREATE INDEX "revisions_at_idx" ON "revisions" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "actor_aliases_actor_alias_uq" ON "actor_aliases" USING btree ("actor_id","alias");--> statement-breakpoint
CREATE INDEX "actor_aliases_alias_idx" ON "actor_aliases" USING btree ("alias");--> statement-breakpoint
CREATE INDEX "actor_identifiers_actor_idx" ON "actor_identifiers" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "actor_relations_actor_idx" ON "actor_relations" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "actor_relations_related_idx" ON "actor_relations" USING btree ("related_actor_id");--> statement-breakpoint
CREATE INDEX "actor_roles_actor_idx" ON "actor_roles" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "actor_roles_organization_idx" ON "actor_roles" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "actors_kind_idx" ON "actors" USING btree ("kind","id");--> statement-breakpoint
CREATE INDEX "actors_country_idx" ON "actors" USING btree ("country","id");--> statement-breakpoint
CREATE INDEX "actors_name_idx" ON "actors" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "cooperation_measure_transfers_transfer_idx" ON "cooperation_measure_transfers" USING btree ("transfer_id");--> statement-breakpoint
CREATE INDEX "cooperation_measures_kind_idx" ON "cooperation_measures" USING btree ("kind","id");--> statement-breakpoint
CREATE INDEX "cooperation_measures_status_idx" ON "cooperation_measures" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "cooperation_measures_requesting_idx" ON "cooperation_measures" USING btree ("requesting_party_id");--> statement-breakpoint
CREATE INDEX "cooperation_measures_providing_idx" ON "cooperation_measures" USING btree ("providing_party_id");--> statement-breakpoint
CREATE INDEX "cooperation_measures_receiving_idx" ON "cooperation_measures" USING btree ("receiving_party_id");--> statement-breakpoint
CREATE INDEX "event_parties_actor_idx" ON "event_parties" USING btree ("actor_id","event_id");--> statement-breakpoint
CREATE INDEX "events_kind_idx" ON "events" USING btree ("kind","id");--> statement-breakpoint
CREATE INDEX "sources_title_idx" ON "sources" USING btree ("title","id");--> statement-breakpoint
CREATE INDEX "tariff_deadlines_imposing_party_idx" ON "tariff_deadlines" USING btree ("imposing_party_id");--> statement-breakpoint
CREATE INDEX "tariff_deadlines_targeted_party_idx" ON "tariff_deadlines" USING btree ("targeted_party_id");--> statement-breakpoint
CREATE INDEX "transfer_participants_actor_idx" ON "transfer_participants" USING btree ("actor_id","transfer_id");--> statement-breakpoint
CREATE INDEX "transfer_participants_organization_idx" ON "transfer_participants" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "transfer_resources_transfer_idx" ON "transfer_resources" USING btree ("transfer_id");