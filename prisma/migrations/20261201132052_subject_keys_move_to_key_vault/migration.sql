-- The subjects' data keys move out of the main database into the key vault (src/crypto/key-vault.ts),
-- so that a dump of this database never holds them. The table is renamed, not dropped: at the next
-- start the service copies its rows into the vault and then drops it (moveLegacySubjectKeys).
ALTER TABLE "subject_keys" RENAME TO "legacy_subject_keys";
