-- Keyset pages sort on never-NULL keys such as coalesce(date, ''); these indexes are built on the
-- same expressions, so a page is an index range scan rather than a sort of the whole table.
-- Custom SQL: drizzle-kit cannot emit expression indexes whose expression contains a comma.
CREATE INDEX `sources_published_on_sort_idx` ON `sources` (coalesce(`published_on`, ''), `id`);--> statement-breakpoint
CREATE INDEX `transfers_date_sort_idx` ON `transfers` (coalesce(`date`, ''), `id`);--> statement-breakpoint
CREATE INDEX `transfers_announced_on_sort_idx` ON `transfers` (coalesce(`announced_on`, ''), `id`);--> statement-breakpoint
CREATE INDEX `transfers_people_count_sort_idx` ON `transfers` (coalesce(`people_count`, -1), `id`);--> statement-breakpoint
CREATE INDEX `transfers_countries_date_idx` ON `transfers` (`from_country`, `to_country`, coalesce(`date`, ''), `id`);--> statement-breakpoint
CREATE INDEX `transfers_mechanism_date_idx` ON `transfers` (`mechanism`, coalesce(`date`, ''), `id`);--> statement-breakpoint
CREATE INDEX `quotes_date_sort_idx` ON `quotes` (coalesce(`date`, ''), `id`);--> statement-breakpoint
CREATE INDEX `quotes_speaker_date_idx` ON `quotes` (`speaker_id`, coalesce(`date`, ''), `id`);--> statement-breakpoint
CREATE INDEX `tariff_deadlines_deadline_sort_idx` ON `tariff_deadlines` (coalesce(`deadline`, ''), `id`);--> statement-breakpoint
CREATE INDEX `tariff_deadlines_status_deadline_idx` ON `tariff_deadlines` (`status`, coalesce(`deadline`, ''), `id`);--> statement-breakpoint
CREATE INDEX `cooperation_measures_start_date_sort_idx` ON `cooperation_measures` (coalesce(`start_date`, ''), `id`);
