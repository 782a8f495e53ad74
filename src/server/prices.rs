//! Price versions: reading them into domain tables, the public price page, and billing
//! staff adding a version (audited).
use super::auth::session::AuthSession;
use super::db::{Db, audit, prices as q, usage};
use super::startup::AppState;
use crate::domain::billing::BillingMonth;
use crate::domain::billing::prices::{
    self, CAPACITY_ITEMS, ItemKind, OPTION_ITEMS, PriceProblem, PriceTable,
};
use crate::domain::kst::to_millis;
use crate::model::StaffRole;
use crate::model::billing::{NewPriceVersionOutcome, PriceItemView, PricePage, PriceVersionView};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

#[derive(Debug, thiserror::Error)]
pub enum PricesError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("stored price version {0} cannot be read")]
    Unreadable(i64),
}

/// Every version as domain tables (with their ids), oldest first. An unreadable row is an
/// error: a price is never guessed.
pub async fn versions(db: &Db) -> Result<Vec<(i64, PriceTable)>, PricesError> {
    let mut out: Vec<(i64, PriceTable)> = Vec::new();
    for row in q::all_items(db).await? {
        let kind = ItemKind::parse(&row.kind).ok_or(PricesError::Unreadable(row.version_id))?;
        let price = Decimal::from_str(&row.unit_price)
            .map_err(|_| PricesError::Unreadable(row.version_id))?;
        if out.last().is_none_or(|(id, _)| *id != row.version_id) {
            let month = BillingMonth::parse(&row.effective_from)
                .ok_or(PricesError::Unreadable(row.version_id))?;
            out.push((
                row.version_id,
                PriceTable {
                    effective_from: month,
                    prices: BTreeMap::new(),
                },
            ));
        }
        if let Some((_, t)) = out.last_mut() {
            t.prices.insert((kind, row.code), price);
        }
    }
    Ok(out)
}

/// Names of the capacity and option items (metrics are named in their table).
pub fn item_names(code: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    match code {
        "ingest_gb_per_day" => (
            "수집 용량",
            "Ingest capacity",
            "GB/일·월",
            "GB/day per month",
        ),
        "storage_gb" => ("저장 용량", "Storage capacity", "GB·월", "GB per month"),
        "extended_retention" => ("보존 기간 연장", "Extended retention", "월", "per month"),
        "remote_support" => ("원격 지원", "Remote support", "월", "per month"),
        _ => ("", "", "", ""),
    }
}

async fn view_of(db: &Db, t: &PriceTable) -> Result<PriceVersionView, sqlx::Error> {
    let metrics = usage::metrics(db).await?;
    let mut items = Vec::new();
    for m in &metrics {
        if let Some(p) = t.price(ItemKind::Metric, &m.code) {
            items.push(PriceItemView {
                kind: "metric".into(),
                code: m.code.clone(),
                name_ko: m.name_ko.clone(),
                name_en: m.name_en.clone(),
                unit_ko: m.unit_ko.clone(),
                unit_en: m.unit_en.clone(),
                unit_price: p.normalize().to_string(),
            });
        }
    }
    for (kind, codes) in [
        (ItemKind::Capacity, CAPACITY_ITEMS),
        (ItemKind::Option, OPTION_ITEMS),
    ] {
        for code in codes {
            if let Some(p) = t.price(kind, code) {
                let (nk, ne, uk, ue) = item_names(code);
                items.push(PriceItemView {
                    kind: kind.code().into(),
                    code: code.into(),
                    name_ko: nk.into(),
                    name_en: ne.into(),
                    unit_ko: uk.into(),
                    unit_en: ue.into(),
                    unit_price: p.normalize().to_string(),
                });
            }
        }
    }
    Ok(PriceVersionView {
        effective_from: t.effective_from.to_string(),
        items,
    })
}

/// The public price page: the prices in force now and the next version, if announced.
pub async fn page(state: &AppState, now: DateTime<Utc>) -> Result<PricePage, PricesError> {
    let all: Vec<PriceTable> = versions(&state.db)
        .await?
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    let month = BillingMonth::containing(now);
    let current = match prices::in_force(&all, month) {
        Some(t) => Some(view_of(&state.db, t).await?),
        None => None,
    };
    let next = match prices::next_after(&all, month) {
        Some(t) => Some(view_of(&state.db, t).await?),
        None => None,
    };
    let mut views = Vec::new();
    for t in all.iter().rev() {
        views.push(view_of(&state.db, t).await?);
    }
    Ok(PricePage {
        current,
        next,
        all: views,
        vat_percent: state.settings.vat_percent.normalize().to_string(),
    })
}

/// Billing staff add a version: `typed` maps `"{kind}-{code}"` to the price as typed.
pub async fn add_version(
    state: &AppState,
    staff: &AuthSession,
    role: StaffRole,
    month: &str,
    typed: &std::collections::HashMap<String, String>,
    now: DateTime<Utc>,
) -> Result<NewPriceVersionOutcome, PricesError> {
    if !role.may_change_billing() {
        return Ok(NewPriceVersionOutcome::NotAllowed);
    }
    let existing: Vec<PriceTable> = versions(&state.db)
        .await?
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    let metric_codes: Vec<String> = usage::metrics(&state.db)
        .await?
        .into_iter()
        .map(|m| m.code)
        .collect();
    let mut by_item = BTreeMap::new();
    for (key, value) in typed {
        if let Some((kind, code)) = key.split_once('-')
            && let Some(kind) = ItemKind::parse(kind)
        {
            by_item.insert((kind, code.to_string()), value.clone());
        }
    }
    let table = match prices::check_new_version(&existing, month, &metric_codes, &by_item, now) {
        Ok(t) => t,
        Err(problems) => {
            return Ok(NewPriceVersionOutcome::Invalid {
                problems: problems.iter().map(problem_code).collect(),
            });
        }
    };
    let month = table.effective_from.to_string();
    let detail = serde_json::json!({
        "effective_from": month,
        "prices": table.prices.iter().map(|((k, c), p)| (format!("{}-{c}", k.code()), p.to_string())).collect::<BTreeMap<_, _>>(),
    });
    let added = q::insert_version(
        &state.db,
        &month,
        table
            .prices
            .iter()
            .map(|((k, c), p)| (k.code(), c.as_str(), p.to_string())),
        staff.user.id(),
        audit::AuditEntry {
            at_ms: to_millis(now),
            actor_user_id: staff.user.id(),
            actor_role: role.code(),
            action: "price_version.added",
            target_kind: "price_version",
            target_id: 0,
            customer_user_id: None,
            reason: "",
            detail,
        },
        to_millis(now),
    )
    .await?;
    state.price_catalogue.forget();
    Ok(match added {
        Some(_) => NewPriceVersionOutcome::Added {
            effective_from: month,
        },
        None => NewPriceVersionOutcome::Invalid {
            problems: vec![PriceProblem::MonthTaken.code().to_string()],
        },
    })
}

fn problem_code(p: &PriceProblem) -> String {
    match p {
        PriceProblem::PriceInvalid { kind, code } | PriceProblem::PriceMissing { kind, code } => {
            format!("{}:{}:{code}", p.code(), kind.code())
        }
        _ => p.code().to_string(),
    }
}
