//! SLA statement pages (issue 17): a project's statements, one statement with its month
//! timeline, its A4 print view and CSV. Every figure is the issued statement's own.
pub mod compensation;
pub mod statement;
pub mod statements;

use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::sla::{StatementSummary, StatementView};
use leptos::prelude::*;

/// The Korean or English text, by the visitor's language (switching it reloads the page).
pub fn tr(ko: &'static str, en: &'static str) -> &'static str {
    if use_i18n().get_locale_untracked() == Locale::en {
        en
    } else {
        ko
    }
}

/// The project's name and its statements, newest month first.
#[server(prefix = "/api", endpoint = "projects/sla-statements")]
pub async fn project_statements(
    project_id: i64,
) -> Result<(String, Vec<StatementSummary>), AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    let row = crate::server::projects::owned(
        &state,
        auth.user.user_id(),
        crate::domain::stored::ProjectId(project_id),
    )
    .await
    .map_err(context::internal)?
    .ok_or_else(context::not_found)?;
    let list = crate::server::sla::list(&state.db, project_id)
        .await
        .map_err(context::internal)?;
    Ok((row.name, list))
}

/// One statement of the customer's own project; `revision` 0 means the latest.
#[server(prefix = "/api", endpoint = "projects/sla-statement")]
pub async fn project_statement(
    project_id: i64,
    month: String,
    revision: i64,
) -> Result<StatementView, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    let row = crate::server::projects::owned(
        &state,
        auth.user.user_id(),
        crate::domain::stored::ProjectId(project_id),
    )
    .await
    .map_err(context::internal)?
    .ok_or_else(context::not_found)?;
    let month =
        crate::domain::billing::BillingMonth::parse(&month).ok_or_else(context::not_found)?;
    let english = context::page_language() == crate::domain::language::Language::En;
    crate::server::sla::detail(
        &state.db,
        project_id,
        &row.name,
        &row.prefix,
        month,
        (revision > 0).then_some(revision),
        english,
    )
    .await
    .map_err(context::internal)?
    .ok_or_else(context::not_found)
}
