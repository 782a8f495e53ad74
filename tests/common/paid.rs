//! Paid projects and platform tokens for the usage, billing and SLA tests: a project made
//! through the API and then backdated, as if the customer had upgraded it at `since`.
use super::TestApp;
use apm_portal::domain::platform_token::Scope;
use chrono::{DateTime, Utc};
use reqwest::Client;

impl TestApp {
    /// A new customer with one project on the paid plan since `since`.
    pub async fn paid_project_since(
        &self,
        login: &str,
        prefix: &str,
        since: DateTime<Utc>,
    ) -> (Client, i64) {
        let c = self.new_customer(login).await;
        let id = self.create_project(&c, prefix, "paid").await;
        self.backdate_paid_project(id, since).await;
        (c, id)
    }

    /// Moves a project made on the paid plan back to `since`: made and upgraded then.
    pub async fn backdate_paid_project(&self, id: i64, since: DateTime<Utc>) {
        let since = since.timestamp_millis();
        for sql in [
            format!(
                "UPDATE projects SET created_at = {since}, upgraded_at = {since} WHERE id = {id}"
            ),
            format!("UPDATE plan_changes SET at = {since} WHERE project_id = {id}"),
        ] {
            sqlx::query(&sql)
                .execute(&self.state.db.pool)
                .await
                .unwrap();
        }
    }

    /// A platform token of `scope`, as an admin creates it (the secret, shown once).
    pub async fn platform_token(&self, scope: Scope) -> String {
        apm_portal::server::platform_tokens::create(
            &self.state.db,
            scope.code(),
            scope,
            None,
            Utc::now(),
        )
        .await
        .unwrap()
        .1
    }
}
