-- kb_fold(text): the text lower-cased with its diacritics stripped, as src/text/fold.ts folds it
-- (Unicode NFD, combining marks removed, lower-cased) and as SQLite's kb_fold, which the server
-- registers on each connection: "García" and "garcia" compare equal. ICU's lower-casing, as the
-- database's C collation lower-cases ASCII only.
CREATE FUNCTION kb_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN lower(regexp_replace(normalize(value, NFD), '[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]+', '', 'g') COLLATE "und-x-icu");
