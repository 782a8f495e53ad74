//! File downloads of the customer pages (CSV), as plain GET routes beside the pages: a
//! server function answers JSON, a download needs its own content type and file name.
use super::auth::Auth;
use super::auth::session::cookie_value;
use super::startup::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderMap, HeaderValue, StatusCode, header};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/invoices/{id}/csv", get(invoice_csv))
        .route("/projects/{id}/usage.csv", get(usage_csv))
        .route("/projects/{id}/sla/{month}/csv", get(statement_csv))
}

/// The visitor's language as the pages choose it: the language cookie, else Korean.
fn english(headers: &HeaderMap) -> bool {
    cookie_value(headers, super::locale::COOKIE).is_some_and(|v| v == "en")
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

fn csv_response(body: String, file_name: &str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// A customer's own invoice as CSV; anyone else's (or a visitor, or staff) gets 404.
async fn invoice_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    auth: axum::Extension<Auth>,
    headers: HeaderMap,
) -> Response {
    let Some(customer) = auth.0.0.as_ref().filter(|a| !a.user.is_staff()) else {
        return not_found();
    };
    match super::billing::invoice_detail(&state.db, id, Some(customer.user.id())).await {
        Ok(Some(d)) => {
            let name = format!("{}.csv", d.summary.number);
            csv_response(super::billing::invoice_csv(&d, english(&headers)), &name)
        }
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "invoice CSV failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(serde::Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// A customer's own project's usage of one month, per day and metric, as CSV.
async fn usage_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<MonthQuery>,
    auth: axum::Extension<Auth>,
    headers: HeaderMap,
) -> Response {
    use crate::domain::billing::BillingMonth;
    let Some(customer) = auth.0.0.as_ref().filter(|a| !a.user.is_staff()) else {
        return not_found();
    };
    let row = match super::projects::owned(
        &state,
        customer.user.user_id(),
        crate::domain::stored::ProjectId(id),
    )
    .await
    {
        Ok(Some(r)) => r,
        Ok(None) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "usage CSV failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
        }
    };
    let now = chrono::Utc::now();
    let month = q
        .month
        .as_deref()
        .and_then(BillingMonth::parse)
        .filter(|m| *m <= BillingMonth::containing(now))
        .unwrap_or_else(|| BillingMonth::containing(now));
    match super::usage::month_view(&state.db, id, &row.name, month, now).await {
        Ok(v) => {
            let name = format!("usage-{}-{}.csv", row.prefix, v.month);
            csv_response(super::usage::month_csv(&v, english(&headers)), &name)
        }
        Err(e) => {
            tracing::error!(error = %e, "usage CSV failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(serde::Deserialize)]
pub struct RevisionQuery {
    revision: Option<i64>,
}

/// A customer's own project's SLA statement as CSV (the latest revision unless one is named).
async fn statement_csv(
    State(state): State<AppState>,
    Path((id, month)): Path<(i64, String)>,
    axum::extract::Query(q): axum::extract::Query<RevisionQuery>,
    auth: axum::Extension<Auth>,
    headers: HeaderMap,
) -> Response {
    let Some(customer) = auth.0.0.as_ref().filter(|a| !a.user.is_staff()) else {
        return not_found();
    };
    let Some(month) = crate::domain::billing::BillingMonth::parse(&month) else {
        return not_found();
    };
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "statement CSV failed");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
    };
    let row = match super::projects::owned(
        &state,
        customer.user.user_id(),
        crate::domain::stored::ProjectId(id),
    )
    .await
    {
        Ok(Some(r)) => r,
        Ok(None) => return not_found(),
        Err(e) => return failed(&e),
    };
    let en = english(&headers);
    match super::sla::detail(&state.db, id, &row.name, &row.prefix, month, q.revision, en).await {
        Ok(Some(v)) => {
            let name = format!("sla-{}-{}-r{}.csv", v.domain_prefix, v.month, v.revision);
            csv_response(super::sla::statement_csv(&v, en), &name)
        }
        Ok(None) => not_found(),
        Err(e) => failed(&e),
    }
}
