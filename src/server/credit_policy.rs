//! The credit policy editor (SPEC R3.5, R3.6; issue 17): every staff member reads the versions,
//! administrators add one for a month that has not begun, or withdraw a scheduled one before
//! its month begins. Role-checked here on every write, audited in the write's transaction.
//!
//! Why a started month never changes: its statements may be issued (or revised) with the
//! version in force then, and a customer's credit must not depend on when it was computed.
//! A scheduled version is withdrawn and added again rather than edited, so the audit log holds
//! each version exactly as it was offered.
use super::db::audit::AuditEntry;
use super::db::credit_policy as q;
use super::sla::tier_rows;
use super::sla_staff::Actor;
use super::startup::AppState;
use crate::domain::billing::BillingMonth;
use crate::domain::kst::{format_kst, from_millis, to_millis};
use crate::domain::sla::policy::{self, CreditPolicy, MAX_BANDS};
use crate::model::error::FieldError;
use crate::model::sla::{
    CreditPolicyAdminPage, CreditPolicyForm, CreditPolicyOutcome, CreditPolicyVersionView,
    PolicyStatus,
};
use chrono::{DateTime, Utc};

/// A version as the audit log keeps it.
fn detail_of(p: &CreditPolicy) -> serde_json::Value {
    serde_json::json!({
        "version": p.version,
        "effective_from": p.effective_from.to_string(),
        "basis": p.basis.code(),
        "bands": p.bands().iter().map(|b| serde_json::json!({
            "below": b.below.normalize().to_string(),
            "rate_percent": b.rate_percent.normalize().to_string(),
        })).collect::<Vec<_>>(),
    })
}

/// The staff list: every version, newest month first, with where it stands today.
pub async fn page(
    state: &AppState,
    role: crate::model::StaffRole,
    now: DateTime<Utc>,
) -> Result<CreditPolicyAdminPage, sqlx::Error> {
    let rows = q::versions(&state.db).await?;
    let month = BillingMonth::containing(now);
    let all: Vec<CreditPolicy> = rows.iter().map(|r| r.policy.clone()).collect();
    let in_force = policy::in_force(&all, month).map(|p| p.version);
    let versions = rows
        .into_iter()
        .rev()
        .map(|r| CreditPolicyVersionView {
            version: r.policy.version,
            effective_from: r.policy.effective_from.to_string(),
            basis: r.policy.basis.code().to_string(),
            tiers: tier_rows(&r.policy),
            created_by: r.created_by,
            created_at: from_millis(r.created_at)
                .map(format_kst)
                .unwrap_or_default(),
            status: if Some(r.policy.version) == in_force {
                PolicyStatus::InForce
            } else if r.policy.effective_from > month {
                PolicyStatus::Scheduled
            } else {
                PolicyStatus::Past
            },
        })
        .collect();
    Ok(CreditPolicyAdminPage {
        may_edit: role.may_change_credit_policy(),
        versions,
        max_bands: MAX_BANDS,
        first_open_month: month.next().to_string(),
    })
}

/// An administrator adds a version. Refusals name each field and store nothing.
pub async fn add_version(
    state: &AppState,
    actor: Actor,
    form: CreditPolicyForm,
    now: DateTime<Utc>,
) -> Result<CreditPolicyOutcome, sqlx::Error> {
    if !actor.role.may_change_credit_policy() {
        return Ok(CreditPolicyOutcome::NotAllowed);
    }
    let existing: Vec<CreditPolicy> = q::versions(&state.db)
        .await?
        .into_iter()
        .map(|r| r.policy)
        .collect();
    let new = match policy::parse_new_version(
        &existing,
        &form.effective_from,
        &form.basis,
        &form.rows,
        now,
    ) {
        Ok(p) => p,
        Err(problems) => {
            return Ok(CreditPolicyOutcome::Invalid {
                fields: problems
                    .into_iter()
                    .map(|(f, e)| FieldError::new(f.name(), e.code()))
                    .collect(),
                form,
            });
        }
    };
    // Before: the version that would have applied in that month; after: the new one.
    let before = policy::in_force(&existing, new.effective_from).map(detail_of);
    let now_ms = to_millis(now);
    let added = q::insert(
        &state.db,
        &new,
        actor.user_id,
        now_ms,
        AuditEntry {
            at_ms: now_ms,
            actor_user_id: actor.user_id,
            actor_role: actor.role.code(),
            action: "credit_policy.added",
            target_kind: "credit_policy",
            target_id: 0,
            customer_user_id: None,
            reason: "",
            detail: serde_json::json!({ "before": before, "after": detail_of(&new) }),
        },
    )
    .await?;
    Ok(match added {
        Some(version) => CreditPolicyOutcome::Added {
            version,
            effective_from: new.effective_from.to_string(),
        },
        None => CreditPolicyOutcome::Invalid {
            fields: vec![FieldError::new(
                policy::PolicyField::EffectiveFrom.name(),
                policy::PolicyError::MonthTaken.code(),
            )],
            form,
        },
    })
}

/// An administrator withdraws a scheduled version before its month begins.
pub async fn withdraw(
    state: &AppState,
    actor: Actor,
    version: i64,
    now: DateTime<Utc>,
) -> Result<CreditPolicyOutcome, sqlx::Error> {
    if !actor.role.may_change_credit_policy() {
        return Ok(CreditPolicyOutcome::NotAllowed);
    }
    let all: Vec<CreditPolicy> = q::versions(&state.db)
        .await?
        .into_iter()
        .map(|r| r.policy)
        .collect();
    let Some(target) = all
        .iter()
        .find(|p| p.version == version)
        .filter(|p| policy::may_withdraw(p, now))
    else {
        return Ok(CreditPolicyOutcome::NotWithdrawable);
    };
    // After: what applies in that month once this version is gone.
    let rest: Vec<CreditPolicy> = all
        .iter()
        .filter(|p| p.version != version)
        .cloned()
        .collect();
    let after = policy::in_force(&rest, target.effective_from).map(detail_of);
    let now_ms = to_millis(now);
    let done = q::withdraw(
        &state.db,
        version,
        BillingMonth::containing(now),
        AuditEntry {
            at_ms: now_ms,
            actor_user_id: actor.user_id,
            actor_role: actor.role.code(),
            action: "credit_policy.withdrawn",
            target_kind: "credit_policy",
            target_id: version,
            customer_user_id: None,
            reason: "",
            detail: serde_json::json!({ "before": detail_of(target), "after": after }),
        },
    )
    .await?;
    Ok(if done {
        CreditPolicyOutcome::Withdrawn {
            version,
            effective_from: target.effective_from.to_string(),
        }
    } else {
        CreditPolicyOutcome::NotWithdrawable
    })
}
