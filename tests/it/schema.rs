//! The two migration trees must end in the same schema: tables, columns (type, nullability),
//! primary keys, unique constraints, foreign keys and indexes. Both databases are created and
//! migrated by the store itself, then read back from their catalogues.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::{fresh_database, on_postgres, TestDb};

#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// name → (type, not null)
    columns: BTreeMap<String, (String, bool)>,
    primary_key: Vec<String>,
    unique: BTreeSet<Vec<String>>,
    /// (columns, referenced table, referenced columns, on delete)
    foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>, String)>,
    /// name → (columns, unique, partial)
    indexes: BTreeMap<String, (Vec<String>, bool, bool)>,
}

type Schema = BTreeMap<String, Table>;

/// Tables that belong to sqlx and tower-sessions, not to Gatehouse's migrations.
const NOT_OURS: &[&str] = &["_sqlx_migrations", "tower_sessions", "session"];

fn same_type(declared: &str) -> String {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "int8" => "integer",
        "text" => "text",
        "blob" | "bytea" => "bytes",
        other => return other.to_string(),
    }
    .to_string()
}

async fn sqlite_schema(db: &TestDb) -> Schema {
    let mut schema = Schema::new();
    let tables = db
        .texts("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
        .await;
    for table in tables
        .into_iter()
        .filter(|table| !NOT_OURS.contains(&table.as_str()))
    {
        let mut shape = Table::default();
        let info = |column: &str| format!("select {column} from pragma_table_info('{table}') order by cid");
        let names = db.texts(&info("name")).await;
        let types = db.texts(&info("type")).await;
        let not_null = db.texts(&info("cast(\"notnull\" as text)")).await;
        let primary = db.texts(&info("cast(pk as text)")).await;
        for (index, name) in names.iter().enumerate() {
            let is_primary = primary[index] != "0";
            if is_primary {
                shape.primary_key.push(name.clone());
            }
            // A primary key is never null, whatever the catalogue says about rowid aliases.
            shape.columns.insert(
                name.clone(),
                (same_type(&types[index]), not_null[index] == "1" || is_primary),
            );
        }
        let indexes = db
            .texts(&format!(
                "select name || '|' || \"unique\" || '|' || origin || '|' || partial from pragma_index_list('{table}')"
            ))
            .await;
        for index in indexes {
            let fields: Vec<&str> = index.split('|').collect();
            let columns = db
                .texts(&format!(
                    "select coalesce(name, '(expression)') from pragma_index_info('{}') order by seqno",
                    fields[0]
                ))
                .await;
            match fields[2] {
                "pk" => {}
                "u" => {
                    shape.unique.insert(columns);
                }
                _ => {
                    shape.indexes.insert(
                        fields[0].to_string(),
                        (columns, fields[1] == "1", fields[3] == "1"),
                    );
                }
            }
        }
        let foreign = db
            .texts(&format!(
                "select \"from\" || '|' || \"table\" || '|' || \"to\" || '|' || lower(on_delete)
                 from pragma_foreign_key_list('{table}')"
            ))
            .await;
        for key in foreign {
            let fields: Vec<&str> = key.split('|').collect();
            shape.foreign_keys.insert((
                vec![fields[0].to_string()],
                fields[1].to_string(),
                vec![fields[2].to_string()],
                fields[3].to_string(),
            ));
        }
        schema.insert(table, shape);
    }
    schema
}

async fn postgres_schema(db: &TestDb) -> Schema {
    let mut schema = Schema::new();
    let tables = db
        .texts("select table_name::text from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'")
        .await;
    for table in tables
        .into_iter()
        .filter(|table| !NOT_OURS.contains(&table.as_str()))
    {
        let mut shape = Table::default();
        let columns = db
            .texts(&format!(
                "select column_name || '|' || data_type || '|' || is_nullable from information_schema.columns
                 where table_schema = 'public' and table_name = '{table}' order by ordinal_position"
            ))
            .await;
        for column in columns {
            let fields: Vec<&str> = column.split('|').collect();
            shape
                .columns
                .insert(fields[0].to_string(), (same_type(fields[1]), fields[2] == "NO"));
        }
        // Constraints: contype p (primary), u (unique), f (foreign), with their columns in order.
        let constraints = db
            .texts(&format!(
                "select c.contype::text || '|' ||
                        (select string_agg(a.attname, ',' order by k.ordinality) from unnest(c.conkey) with ordinality k(num, ordinality)
                         join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.num) || '|' ||
                        coalesce(c.confrelid::regclass::text, '') || '|' ||
                        coalesce((select string_agg(a.attname, ',' order by k.ordinality) from unnest(c.confkey) with ordinality k(num, ordinality)
                         join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.num), '') || '|' ||
                        case c.confdeltype when 'c' then 'cascade' when 'n' then 'set null' when 'r' then 'restrict' else 'no action' end
                 from pg_constraint c where c.conrelid = 'public.{table}'::regclass and c.contype in ('p', 'u', 'f')"
            ))
            .await;
        for constraint in constraints {
            let fields: Vec<&str> = constraint.split('|').collect();
            let columns: Vec<String> = fields[1].split(',').map(str::to_string).collect();
            match fields[0] {
                "p" => shape.primary_key = columns,
                "u" => {
                    shape.unique.insert(columns);
                }
                _ => {
                    let referenced: Vec<String> = fields[3].split(',').map(str::to_string).collect();
                    shape.foreign_keys.insert((
                        columns,
                        fields[2].to_string(),
                        referenced,
                        fields[4].to_string(),
                    ));
                }
            }
        }
        // Indexes that no constraint made.
        let indexes = db
            .texts(&format!(
                "select i.relname::text || '|' || x.indisunique::text || '|' || (x.indpred is not null)::text || '|' ||
                        (select string_agg(coalesce(a.attname, '(expression)'), ',' order by k.ordinality)
                         from unnest(x.indkey) with ordinality k(num, ordinality)
                         left join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.num)
                 from pg_index x join pg_class i on i.oid = x.indexrelid
                 where x.indrelid = 'public.{table}'::regclass
                   and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)"
            ))
            .await;
        for index in indexes {
            let fields: Vec<&str> = index.split('|').collect();
            let columns: Vec<String> = fields[3].split(',').map(str::to_string).collect();
            shape.indexes.insert(
                fields[0].to_string(),
                (columns, fields[1] == "true", fields[2] == "true"),
            );
        }
        schema.insert(table, shape);
    }
    schema
}

#[tokio::test]
async fn both_migration_trees_end_in_the_same_schema() {
    if !on_postgres() {
        eprintln!("skipped: the schema comparison runs in the PostgreSQL pass, where both databases exist");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let postgres_url = fresh_database(&dir).await;
    let sqlite_url = format!("sqlite://{}", dir.path().join("schema.db").display());
    for url in [&postgres_url.0, &sqlite_url] {
        let (store, _) = gatehouse::server::store::open(&gatehouse::server::config::DatabaseUrl(url.clone()))
            .await
            .unwrap();
        store.close().await;
    }
    let sqlite = sqlite_schema(&TestDb::connect(&sqlite_url).await).await;
    let postgres = postgres_schema(&TestDb::connect(&postgres_url.0).await).await;
    assert!(sqlite.len() >= 10, "{:?}", sqlite.keys());
    assert_eq!(
        sqlite.keys().collect::<Vec<_>>(),
        postgres.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, shape) in &sqlite {
        assert_eq!(shape, &postgres[table], "table {table} differs");
    }
}
