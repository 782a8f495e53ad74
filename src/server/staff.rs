//! Staff accounts, created from the command line (`apm-portal create-staff`).
use super::db::users::{self, NewUser};
use super::startup::AppState;
use crate::domain::account::{Email, LoginId, Password, PersonName};
use crate::domain::kst::to_millis;
use crate::model::StaffRole;
use rand::Rng;

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("invalid login ID ({0})")]
    LoginId(&'static str),
    #[error("invalid name")]
    Name,
    #[error("invalid e-mail")]
    Email,
    #[error("password breaks the rules: {0}")]
    Password(String),
    #[error("that login ID or e-mail is already taken")]
    Taken,
    #[error(transparent)]
    Service(#[from] super::accounts::ServiceError),
}

pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let body: String = (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    // The product rule wants a digit and a special character in every password.
    format!("{body}-7!")
}

pub async fn create(
    state: &AppState,
    login_id: &str,
    name: &str,
    email: &str,
    role: StaffRole,
    password: &str,
) -> Result<i64, StaffError> {
    let login_id = LoginId::parse(login_id).map_err(|e| StaffError::LoginId(e.code()))?;
    let name = PersonName::parse(name).map_err(|_| StaffError::Name)?;
    let email = Email::parse(email).map_err(|_| StaffError::Email)?;
    let password =
        Password::parse(password, login_id.as_str(), email.as_str()).map_err(|rules| {
            StaffError::Password(
                rules
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })?;
    let hash = state
        .hasher
        .hash(password.expose().to_string())
        .await
        .map_err(|e| StaffError::Service(e.into()))?;
    users::create(
        &state.db,
        &NewUser {
            kind: "staff",
            staff_role: Some(role.code()),
            login_id: login_id.as_str(),
            password_hash: &hash,
            name: name.as_str(),
            company: None,
            email: email.as_str(),
            phone: None,
        },
        &[],
        "cli",
        to_millis(chrono::Utc::now()),
    )
    .await
    .map_err(|e| match e {
        users::CreateUserError::Db(e) => StaffError::Service(e.into()),
        _ => StaffError::Taken,
    })
}
