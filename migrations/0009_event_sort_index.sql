-- Keyset pages of events sort on coalesce(date, ''), as the other dated kinds do
-- (0002_sort_key_expression_indexes.sql). Custom SQL: drizzle-kit cannot emit this index.
CREATE INDEX `events_date_sort_idx` ON `events` (coalesce(`date`, ''), `id`);
