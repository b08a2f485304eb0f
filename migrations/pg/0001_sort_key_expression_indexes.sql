-- Keyset pages sort on never-NULL keys such as coalesce(date_earliest, date_latest, ''); these
-- indexes are built on the same expressions, so a page is an index range scan rather than a sort
-- of the whole table. The PostgreSQL twins, same names, of the SQLite expression indexes
-- (migrations/0002_sort_key_expression_indexes.sql, 0009_event_sort_index.sql, as 0013 left
-- them). Text sorts by the database's collation, where SQLite compares bytes: a database created
-- with LC_COLLATE 'C' sorts as SQLite does. Custom SQL: the schema does not declare these indexes.
CREATE INDEX "sources_published_on_sort_idx" ON "sources" USING btree (coalesce("published_on_earliest", "published_on_latest", ''), "id");
--> statement-breakpoint
CREATE INDEX "transfers_date_sort_idx" ON "transfers" USING btree (coalesce("date_earliest", "date_latest", ''), "id");
--> statement-breakpoint
CREATE INDEX "transfers_announced_on_sort_idx" ON "transfers" USING btree (coalesce("announced_on_earliest", "announced_on_latest", ''), "id");
--> statement-breakpoint
CREATE INDEX "transfers_people_count_sort_idx" ON "transfers" USING btree (coalesce("people_count", -1), "id");
--> statement-breakpoint
CREATE INDEX "transfers_countries_date_idx" ON "transfers" USING btree ("from_country", "to_country", coalesce("date_earliest", "date_latest", ''), "id");
--> statement-breakpoint
CREATE INDEX "transfers_mechanism_date_idx" ON "transfers" USING btree ("mechanism", coalesce("date_earliest", "date_latest", ''), "id");
--> statement-breakpoint
CREATE INDEX "quotes_date_sort_idx" ON "quotes" USING btree (coalesce("date_earliest", "date_latest", ''), "id");
--> statement-breakpoint
CREATE INDEX "quotes_speaker_date_idx" ON "quotes" USING btree ("speaker_id", coalesce("date_earliest", "date_latest", ''), "id");
--> statement-breakpoint
CREATE INDEX "tariff_deadlines_deadline_sort_idx" ON "tariff_deadlines" USING btree (coalesce("deadline_earliest", "deadline_latest", ''), "id");
--> statement-breakpoint
CREATE INDEX "tariff_deadlines_status_deadline_idx" ON "tariff_deadlines" USING btree ("status", coalesce("deadline_earliest", "deadline_latest", ''), "id");
--> statement-breakpoint
CREATE INDEX "cooperation_measures_start_date_sort_idx" ON "cooperation_measures" USING btree (coalesce("start_date_earliest", "start_date_latest", ''), "id");
--> statement-breakpoint
CREATE INDEX "events_date_sort_idx" ON "events" USING btree (coalesce("date_earliest", "date_latest", ''), "id");
