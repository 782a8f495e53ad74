//! Reference data every portal needs (legal documents) and optional demo accounts.
use super::accounts::ServiceError;
use super::db::Db;
use super::db::legal::{self, LegalDocument};
use super::db::users::{self, NewUser};
use super::startup::AppState;
use crate::domain::kst::to_millis;
use chrono::{TimeZone, Utc};

/// Version 1 of both documents, in force since the service opened (2026-01-01 KST).
pub async fn ensure_reference_data(db: &Db) -> Result<(), sqlx::Error> {
    let effective = Utc
        .with_ymd_and_hms(2025, 12, 31, 15, 0, 0)
        .single()
        .map(to_millis)
        .unwrap_or(0);
    for (kind, title_ko, title_en, body_ko, body_en) in [
        (
            "terms",
            "서비스 이용약관",
            "Terms of Service",
            include_str!("legal_texts/terms_ko.txt"),
            include_str!("legal_texts/terms_en.txt"),
        ),
        (
            "privacy",
            "개인정보 처리방침",
            "Privacy Policy",
            include_str!("legal_texts/privacy_ko.txt"),
            include_str!("legal_texts/privacy_en.txt"),
        ),
    ] {
        legal::ensure(
            db,
            &LegalDocument {
                id: 0,
                kind: kind.into(),
                version: "1.0".into(),
                effective_at: effective,
                title_ko: title_ko.into(),
                title_en: title_en.into(),
                body_ko: body_ko.into(),
                body_en: body_en.into(),
            },
        )
        .await?;
    }
    Ok(())
}

pub struct DemoLogin {
    pub login_id: &'static str,
    pub password: &'static str,
    pub what: &'static str,
}

/// Fixed demo log-ins, printed on start and listed in the README. Never use `--demo` in
/// production: anyone who reads the README could sign in.
pub const DEMO_LOGINS: [DemoLogin; 2] = [
    DemoLogin {
        login_id: "demo",
        password: "Demo-portal-2026!",
        what: "customer",
    },
    DemoLogin {
        login_id: "admin",
        password: "Admin-portal-2026!",
        what: "staff (admin)",
    },
];

pub async fn ensure_demo_data(state: &AppState) -> Result<(), ServiceError> {
    let now = Utc::now();
    for d in &DEMO_LOGINS {
        if users::find_by_login_id(&state.db, d.login_id)
            .await?
            .is_some()
        {
            continue;
        }
        let hash = state.hasher.hash(d.password.to_string()).await?;
        let (kind, role, name, email) = if d.login_id == "admin" {
            (
                "staff",
                Some("admin"),
                "운영 관리자",
                "admin@portal.example.kr",
            )
        } else {
            ("customer", None, "김데모", "demo@customer.example.kr")
        };
        let id = users::create(
            &state.db,
            &NewUser {
                kind,
                staff_role: role,
                login_id: d.login_id,
                password_hash: &hash,
                name,
                company: (kind == "customer").then_some("데모 주식회사"),
                email,
                phone: (kind == "customer").then_some("+821012345678"),
            },
            &[],
            "127.0.0.1",
            to_millis(now),
        )
        .await
        .map_err(|e| match e {
            users::CreateUserError::Db(e) => ServiceError::Db(e),
            _ => ServiceError::MissingDocument("demo user raced"),
        })?;
        if kind == "customer" {
            super::demo_projects::seed(state, crate::domain::stored::UserId(id), now).await?;
        }
    }
    if let Err(e) = super::support::demo::seed(state, now).await {
        tracing::error!(error = %e, "demo tickets not created");
    }
    // After both demo users exist: the demo payment is recorded by the admin.
    super::demo_billing::seed(state, now).await?;
    // One past incident on /incidents (issue 17); a failure here leaves the rest of the demo.
    if let Err(e) = super::incidents::seed_demo(state, now).await {
        tracing::error!(error = %e, "demo incident not created");
    }
    Ok(())
}
