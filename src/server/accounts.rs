//! Account use cases: sign-up, log-in, log-out, password and contact changes.
//! Rules come from `domain`; this module orders them with storage and sessions.
use super::auth::password::{BUSY_RETRY_AFTER_SECONDS, HashError};
use super::auth::session::{self, AuthSession};
use super::db::users::{self, ContactDetails, CreateUserError, NewUser};
use super::db::{api_tokens, audit, legal, sessions};
use super::login_throttle::{self, AttemptKey, ThrottleError};
use super::startup::AppState;
use crate::domain::account::{CompanyName, Email, LoginId, MobilePhone, Password, PersonName};
use crate::domain::kst::{format_kst, from_millis, to_millis};
use crate::domain::throttle;
use crate::model::accounts::*;
use chrono::{DateTime, Utc};

pub struct SignUpInput {
    pub login_id: String,
    pub password: String,
    pub password_confirm: String,
    pub name: String,
    pub company: String,
    pub email: String,
    pub phone: String,
    pub agree_terms: bool,
    pub agree_privacy: bool,
}

impl SignUpInput {
    pub fn kept_values(&self) -> SignUpValues {
        SignUpValues {
            login_id: self.login_id.clone(),
            name: self.name.clone(),
            company: self.company.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            agree_terms: self.agree_terms,
            agree_privacy: self.agree_privacy,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Throttle(#[from] ThrottleError),
    #[error("legal document {0} missing")]
    MissingDocument(&'static str),
}

impl ServiceError {
    /// The password-check queue was full: worth a 503 with Retry-After, not a 500.
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Hash(HashError::Busy))
    }
}

/// Every field is checked (all problems reported at once); nothing is written on any error.
pub async fn sign_up(
    state: &AppState,
    input: &SignUpInput,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<Result<i64, SignUpErrors>, ServiceError> {
    let mut errors = SignUpErrors::default();
    let login_id = LoginId::parse(&input.login_id)
        .map_err(|e| errors.login_id = Some(LoginIdProblem::Invalid(e)))
        .ok();
    let email = Email::parse(&input.email)
        .map_err(|e| errors.email = Some(EmailProblem::Invalid(e)))
        .ok();
    let id_text = login_id
        .as_ref()
        .map(|l| l.as_str().to_string())
        .unwrap_or_else(|| input.login_id.clone());
    let email_text = email
        .as_ref()
        .map(|e| e.as_str().to_string())
        .unwrap_or_else(|| input.email.clone());
    let password = Password::parse(&input.password, &id_text, &email_text)
        .map_err(|rules| errors.password = rules)
        .ok();
    errors.password_mismatch =
        !crate::domain::account::same_password(&input.password, &input.password_confirm);
    let name = PersonName::parse(&input.name)
        .map_err(|e| errors.name = Some(e))
        .ok();
    let company = CompanyName::parse_optional(&input.company)
        .map_err(|e| errors.company = Some(e))
        .ok();
    let phone = MobilePhone::parse(&input.phone)
        .map_err(|e| errors.phone = Some(e))
        .ok();
    errors.terms_missing = !input.agree_terms;
    errors.privacy_missing = !input.agree_privacy;

    if let Some(l) = &login_id
        && users::login_id_taken(&state.db, l.as_str()).await?
    {
        errors.login_id = Some(LoginIdProblem::Taken);
    }
    if let Some(e) = &email
        && users::email_taken(&state.db, e.as_str(), 0).await?
    {
        errors.email = Some(EmailProblem::Taken);
    }
    let (Some(login_id), Some(email), Some(password), Some(name), Some(company), Some(phone)) =
        (login_id, email, password, name, company, phone)
    else {
        return Ok(Err(errors));
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let now_ms = to_millis(now);
    let terms = legal::current(&state.db, "terms", now_ms)
        .await?
        .ok_or(ServiceError::MissingDocument("terms"))?;
    let privacy = legal::current(&state.db, "privacy", now_ms)
        .await?
        .ok_or(ServiceError::MissingDocument("privacy"))?;
    let hash = state.hasher.hash(password.expose().to_string()).await?;
    let created = users::create(
        &state.db,
        &NewUser {
            kind: "customer",
            staff_role: None,
            login_id: login_id.as_str(),
            password_hash: &hash,
            name: name.as_str(),
            company: company.as_ref().map(|c| c.as_str()),
            email: email.as_str(),
            phone: Some(phone.e164()),
        },
        &[
            users::Consent {
                document_id: terms.id,
                kind: "terms",
                version: &terms.version,
            },
            users::Consent {
                document_id: privacy.id,
                kind: "privacy",
                version: &privacy.version,
            },
        ],
        client_ip,
        now_ms,
    )
    .await;
    match created {
        Ok(id) => Ok(Ok(id)),
        Err(CreateUserError::LoginIdTaken) => Ok(Err(SignUpErrors {
            login_id: Some(LoginIdProblem::Taken),
            ..Default::default()
        })),
        Err(CreateUserError::EmailTaken) => Ok(Err(SignUpErrors {
            email: Some(EmailProblem::Taken),
            ..Default::default()
        })),
        Err(CreateUserError::Db(e)) => Err(e.into()),
    }
}

pub enum LoginResult {
    /// The new session token (the old one, if any, is gone: rotation at log-in).
    LoggedIn {
        token: String,
        user: crate::model::SessionUser,
    },
    /// A wrong ID and a wrong password give the same answer.
    InvalidCredentials,
    /// Throttled: no password was checked.
    SlowDown { seconds: i64 },
    /// The password-check queue is full: no password was checked.
    Busy { seconds: i64 },
}

/// The order matters: a place in the hashing queue first (a full queue turns the request away
/// before it counts against anyone), then the attempt is claimed in the throttle buckets, and
/// only then is the password checked. The buckets are kept by the ID as typed whether or not
/// an account has it, and an unknown ID is checked against a dummy hash, so real and made-up
/// IDs get the same answers in the same time.
pub async fn log_in(
    state: &AppState,
    raw_login_id: &str,
    password: &str,
    previous: Option<&AuthSession>,
    client_ip: &str,
    user_agent: &str,
    now: DateTime<Utc>,
) -> Result<LoginResult, ServiceError> {
    let ticket = match state.hasher.admit() {
        Ok(t) => t,
        Err(HashError::Busy) => {
            return Ok(LoginResult::Busy {
                seconds: BUSY_RETRY_AFTER_SECONDS.try_into().unwrap_or(i64::MAX),
            });
        }
        Err(e) => return Err(e.into()),
    };
    let key = AttemptKey::new(raw_login_id, client_ip);
    if let Err(wait) = login_throttle::claim(&state.db, &key, now).await? {
        return Ok(LoginResult::SlowDown {
            seconds: throttle::wait_seconds(wait),
        });
    }
    // An ID that cannot parse cannot exist; it is still checked (against the dummy hash).
    let user = match LoginId::parse(raw_login_id) {
        Ok(l) => users::find_by_login_id(&state.db, l.as_str()).await?,
        Err(_) => None,
    };
    let normalised = crate::domain::account::normalise_password(password);
    let ok = ticket
        .verify(user.as_ref().map(|u| u.password_hash.clone()), normalised)
        .await?;
    let Some(u) = user.filter(|_| ok) else {
        return Ok(LoginResult::InvalidCredentials);
    };
    let Some(session_user) = session::session_user(&u) else {
        return Ok(LoginResult::InvalidCredentials);
    };
    login_throttle::succeeded(&state.db, &key).await?;
    if let Some(prev) = previous {
        sessions::delete(&state.db, &prev.token_hash).await?;
    }
    let token = session::new_token();
    sessions::create(
        &state.db,
        &session::hash_token(&token),
        u.id,
        to_millis(now),
        client_ip,
        user_agent,
    )
    .await?;
    tracing::info!(user_id = u.id, "logged in");
    Ok(LoginResult::LoggedIn {
        token,
        user: session_user,
    })
}

pub async fn log_out(state: &AppState, current: &AuthSession) -> Result<(), ServiceError> {
    sessions::delete(&state.db, &current.token_hash).await?;
    Ok(())
}

/// What a password change left behind: the outcome for the form, and on success the new
/// session token for the cookie (the session it was made from is gone).
pub struct PasswordChange {
    pub outcome: PasswordChangeOutcome,
    pub new_session_token: Option<String>,
}

/// For customers and staff alike. On success every session of the account ends (the current
/// one is replaced by a fresh token, so a stolen cookie stops working too), every API token is
/// revoked (whoever learnt the old password may have minted one), and a staff member's change
/// is audited.
#[allow(clippy::too_many_arguments)]
pub async fn change_password(
    state: &AppState,
    current: &AuthSession,
    old_password: &str,
    new_password: &str,
    confirm: &str,
    client_ip: &str,
    user_agent: &str,
    now: DateTime<Utc>,
) -> Result<PasswordChange, ServiceError> {
    let mut out = PasswordChangeProblems::default();
    let unchanged = |problems| PasswordChange {
        outcome: PasswordChangeOutcome::Refused(problems),
        new_session_token: None,
    };
    let Some(u) = users::find_by_id(&state.db, current.user.id()).await? else {
        out.wrong_current = true;
        return Ok(unchanged(out));
    };
    let old = crate::domain::account::normalise_password(old_password);
    if !state
        .hasher
        .verify(Some(u.password_hash.clone()), old)
        .await?
    {
        out.wrong_current = true;
    }
    let parsed = Password::parse(new_password, &u.login_id, &u.email);
    if let Err(rules) = &parsed {
        out.password = rules.clone();
    }
    out.mismatch = !crate::domain::account::same_password(new_password, confirm);
    let Ok(pw) = parsed else {
        return Ok(unchanged(out));
    };
    if out.wrong_current || out.mismatch {
        return Ok(unchanged(out));
    }
    let hash = state.hasher.hash(pw.expose().to_string()).await?;
    let now_ms = to_millis(now);
    // Ordered so that a failure half-way leaves the account safe rather than the old
    // credentials alive: audit, then tokens and sessions end, then the password changes.
    if let crate::model::SessionUser::Staff { role, .. } = &current.user {
        audit::record(
            &state.db.pool,
            &audit::AuditEntry {
                at_ms: now_ms,
                actor_user_id: u.id,
                actor_role: role.code(),
                action: "staff.password_changed",
                target_kind: "user",
                target_id: u.id,
                customer_user_id: None,
                reason: "",
                detail: serde_json::json!({ "client_ip": client_ip }),
            },
        )
        .await?;
    }
    let revoked = api_tokens::revoke_all(&state.db, u.id, now_ms).await?;
    sessions::delete_all(&state.db, u.id).await?;
    users::set_password(&state.db, u.id, &hash, now_ms).await?;
    let token = session::new_token();
    sessions::create(
        &state.db,
        &session::hash_token(&token),
        u.id,
        now_ms,
        client_ip,
        user_agent,
    )
    .await?;
    tracing::info!(user_id = u.id, revoked_tokens = revoked, "password changed");
    Ok(PasswordChange {
        outcome: PasswordChangeOutcome::Changed,
        new_session_token: Some(token),
    })
}

pub async fn update_contact(
    state: &AppState,
    current: &AuthSession,
    v: ContactValues,
    now: DateTime<Utc>,
) -> Result<ContactOutcome, ServiceError> {
    let mut out = ContactProblems::default();
    let refused = |problems| ContactOutcome::Refused {
        values: v.clone(),
        problems,
    };
    let name = PersonName::parse(&v.name)
        .map_err(|e| out.name = Some(e))
        .ok();
    let company = CompanyName::parse_optional(&v.company)
        .map_err(|e| out.company = Some(e))
        .ok();
    let email = Email::parse(&v.email)
        .map_err(|e| out.email = Some(EmailProblem::Invalid(e)))
        .ok();
    let phone = MobilePhone::parse(&v.phone)
        .map_err(|e| out.phone = Some(e))
        .ok();
    // No "already registered" check: the contact e-mail is no log-in name, and that answer
    // told anyone with an account whether an address had one. Any valid address is accepted.
    let (Some(name), Some(company), Some(email), Some(phone)) = (name, company, email, phone)
    else {
        return Ok(refused(out));
    };
    let details = ContactDetails {
        name: name.as_str(),
        company: company.as_ref().map(|c| c.as_str()),
        email: email.as_str(),
        phone: Some(phone.e164()),
    };
    match users::set_contact(&state.db, current.user.id(), &details, to_millis(now)).await {
        Ok(()) => {}
        Err(CreateUserError::EmailTaken) => {
            out.email = Some(EmailProblem::Taken);
            return Ok(refused(out));
        }
        Err(CreateUserError::Db(e)) => return Err(e.into()),
        Err(CreateUserError::LoginIdTaken) => return Ok(refused(out)),
    }
    Ok(ContactOutcome::Saved {
        values: ContactValues {
            name: name.as_str().to_string(),
            company: company.map(|c| c.as_str().to_string()).unwrap_or_default(),
            email: email.as_str().to_string(),
            phone: phone.display(),
        },
    })
}

pub async fn account_view(
    state: &AppState,
    user_id: i64,
) -> Result<Option<AccountView>, ServiceError> {
    let Some(u) = users::find_by_id(&state.db, user_id).await? else {
        return Ok(None);
    };
    let consents = users::consents_of(&state.db, user_id)
        .await?
        .into_iter()
        .map(|c| ConsentView {
            kind: c.kind,
            version: c.version,
            accepted_at: from_millis(c.accepted_at)
                .map(format_kst)
                .unwrap_or_default(),
        })
        .collect();
    let phone = u
        .phone
        .as_deref()
        .and_then(|p| MobilePhone::parse(p).ok())
        .map(|p| p.display())
        .unwrap_or_default();
    Ok(Some(AccountView {
        login_id: u.login_id,
        contact: ContactValues {
            name: u.name,
            company: u.company.unwrap_or_default(),
            email: u.email,
            phone,
        },
        consents,
    }))
}
