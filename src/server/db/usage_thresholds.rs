//! The `usage_thresholds` table: a customer's monthly threshold per project and metric.
use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThresholdRow {
    pub project_id: i64,
    pub metric: String,
    pub monthly_micro: i64,
}

pub async fn for_project(db: &Db, project_id: i64) -> Result<Vec<ThresholdRow>, sqlx::Error> {
    sqlx::query_as::<_, ThresholdRow>(
        "SELECT project_id, metric, monthly_micro FROM usage_thresholds WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_all(&db.pool)
    .await
}

/// The thresholds of the given projects (a batch's), in one round trip per thousand.
pub async fn for_projects(db: &Db, projects: &[i64]) -> Result<Vec<ThresholdRow>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in projects.chunks(1000) {
        let list = (1..=chunk.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT project_id, metric, monthly_micro FROM usage_thresholds \
             WHERE project_id IN ({list})"
        );
        let mut q = sqlx::query_as::<_, ThresholdRow>(&sql);
        for p in chunk {
            q = q.bind(*p);
        }
        out.extend(q.fetch_all(&db.pool).await?);
    }
    Ok(out)
}

pub async fn upsert(
    db: &Db,
    project_id: i64,
    metric: &str,
    monthly_micro: i64,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO usage_thresholds (project_id, metric, monthly_micro, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (project_id, metric) DO UPDATE SET \
         monthly_micro = excluded.monthly_micro, updated_at = excluded.updated_at",
    )
    .bind(project_id)
    .bind(metric)
    .bind(monthly_micro)
    .bind(now_ms)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn remove(db: &Db, project_id: i64, metric: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM usage_thresholds WHERE project_id = $1 AND metric = $2")
        .bind(project_id)
        .bind(metric)
        .execute(&db.pool)
        .await?;
    Ok(())
}
