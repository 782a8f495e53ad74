//! Settings from environment variables (and an optional `.env`), documented in the README.
use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct Settings {
    /// `sqlite://...` (embedded default) or `postgres://...`.
    pub database_url: String,
    pub listen: SocketAddr,
    /// The origin customers reach the portal at; also the origin state-changing requests must come from.
    pub public_base_url: String,
    /// Where `{prefix}.{service_domain}` project addresses live.
    pub service_domain: String,
    pub log_level: String,
    pub log_json: bool,
    /// Where cargo-leptos put the WASM, JS and CSS (`target/site`).
    pub site_root: String,
    /// Log-in and sign-up attempts allowed per client IP per minute (kept per instance).
    pub auth_rate_per_minute: u32,
    /// Take the client IP from `X-Forwarded-For` (only behind proxies you run).
    pub trust_forwarded_for: bool,
    /// How many proxies of ours append to `X-Forwarded-For`: the client is the entry this far
    /// from the right (entries further left are written by the client and ignored).
    pub trusted_proxies: usize,
    /// Free-plan monitoring target limit (R2.1).
    pub free_target_limit: u32,
    /// Projects a customer may have (deleted ones do not count).
    pub max_projects_per_customer: u32,
    /// Personal API tokens a customer may have (revoked ones do not count).
    pub max_tokens_per_customer: u32,
    /// Projects a customer may create per hour (kept per instance).
    pub project_creations_per_hour: u32,
    /// Maximum concurrent argon2 hashes; each takes ~19 MiB and a core for tens of milliseconds.
    pub max_concurrent_hashes: usize,
    /// Requests allowed to wait for a hashing slot; beyond that the server answers 503 at once.
    pub max_queued_hashes: usize,
    /// Days after resolution (or closing) in which a customer may reopen a ticket.
    pub ticket_reopen_days: i64,
    /// VAT added to invoices, in percent (issue 18).
    pub vat_percent: rust_decimal::Decimal,
    /// Invoices are due on this day of the month after the invoiced one (clamped to its length).
    pub invoice_due_day: u32,
    /// The month close waits this long after a KST month ends, so the last hours' usage arrives.
    pub month_close_settle_hours: u32,
    /// `smtp://host:port` (lettre's URL syntax); None writes `.eml` files to `mail_outbox_dir`.
    pub smtp_url: Option<String>,
    /// The sender of every mail, `Name <address>`.
    pub mail_from: String,
    /// Where mail goes as `.eml` files when there is no SMTP server.
    pub mail_outbox_dir: String,
    /// How often each instance looks for mail to send.
    pub mail_poll_interval: std::time::Duration,
    /// The wait after the first failed attempt; it doubles after each further one (max 6 h).
    pub mail_retry_wait: std::time::Duration,
    /// Attempts before a mail is given up (kept as `failed` with its last error).
    pub mail_max_attempts: u32,
    /// SLA statements wait this long after a KST month ends, so outages across midnight and
    /// late probe results are known (issue 17).
    pub sla_settle_hours: u32,
    /// A maintenance window counts as announced when published this long before it starts.
    pub maintenance_lead_hours: u32,
    /// False: this instance serves requests only; background jobs run on other instances.
    pub run_jobs: bool,
    /// Days after a month's last statement (a revision counts) in which a customer may
    /// dispute it; that month's raw probe results are kept until then (the per-minute roll-up
    /// the statements are computed from is kept for good).
    pub sla_dispute_days: u32,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[derive(Debug, thiserror::Error)]
#[error("invalid setting {name}: {reason}")]
pub struct SettingsError {
    pub name: &'static str,
    pub reason: String,
}

fn parse<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, SettingsError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|e: T::Err| SettingsError {
            name,
            reason: e.to_string(),
        }),
    }
}

impl Settings {
    pub fn from_env() -> Result<Self, SettingsError> {
        let listen: SocketAddr = parse("APM_LISTEN", SocketAddr::from(([127, 0, 0, 1], 3000)))?;
        let public_base_url = var("APM_PUBLIC_BASE_URL")
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_string();
        Ok(Self {
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://data/portal.db".to_string()),
            listen,
            public_base_url,
            service_domain: var("APM_SERVICE_DOMAIN").unwrap_or_else(|| "apm.example.kr".into()),
            log_level: var("RUST_LOG").unwrap_or_else(|| "info".into()),
            log_json: parse("APM_LOG_JSON", false)?,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            auth_rate_per_minute: parse("APM_AUTH_RATE_PER_MINUTE", 20)?,
            trust_forwarded_for: parse("APM_TRUST_FORWARDED_FOR", false)?,
            trusted_proxies: parse("APM_TRUSTED_PROXIES", 1)?,
            free_target_limit: parse("APM_FREE_TARGET_LIMIT", 5)?,
            max_projects_per_customer: parse("APM_MAX_PROJECTS_PER_CUSTOMER", 20)?,
            max_tokens_per_customer: parse("APM_MAX_TOKENS_PER_CUSTOMER", 10)?,
            project_creations_per_hour: parse("APM_PROJECT_CREATIONS_PER_HOUR", 10)?,
            max_concurrent_hashes: parse(
                "APM_MAX_CONCURRENT_HASHES",
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )?,
            max_queued_hashes: parse("APM_MAX_QUEUED_HASHES", 32)?,
            ticket_reopen_days: parse("APM_TICKET_REOPEN_DAYS", 14i64)?.clamp(0, 365),
            vat_percent: parse("APM_VAT_PERCENT", rust_decimal::Decimal::TEN)?,
            invoice_due_day: parse("APM_INVOICE_DUE_DAY", 25)?,
            month_close_settle_hours: parse("APM_MONTH_CLOSE_SETTLE_HOURS", 2)?,
            smtp_url: var("APM_SMTP_URL"),
            mail_from: var("APM_MAIL_FROM").unwrap_or_else(|| {
                format!(
                    "APM Portal <no-reply@{}>",
                    var("APM_SERVICE_DOMAIN").unwrap_or_else(|| "apm.example.kr".into())
                )
            }),
            mail_outbox_dir: var("APM_MAIL_OUTBOX_DIR").unwrap_or_else(|| "data/outbox".into()),
            mail_poll_interval: std::time::Duration::from_secs(
                parse::<u64>("APM_MAIL_POLL_SECONDS", 5)?.max(1),
            ),
            mail_retry_wait: std::time::Duration::from_secs(parse("APM_MAIL_RETRY_SECONDS", 60)?),
            mail_max_attempts: parse("APM_MAIL_MAX_ATTEMPTS", 8)?,
            sla_settle_hours: parse("APM_SLA_SETTLE_HOURS", 48)?,
            maintenance_lead_hours: parse("APM_MAINTENANCE_LEAD_HOURS", 24)?,
            run_jobs: parse("APM_RUN_JOBS", true)?,
            sla_dispute_days: parse::<u32>("APM_SLA_DISPUTE_DAYS", 90)?.min(3650),
        })
    }

    /// The VAT rate as a fraction (0.1 for 10 %).
    pub fn vat_rate(&self) -> rust_decimal::Decimal {
        self.vat_percent / rust_decimal::Decimal::ONE_HUNDRED
    }

    pub fn proxy_trust(&self) -> crate::server::auth::client_ip::ProxyTrust {
        crate::server::auth::client_ip::ProxyTrust {
            trust_forwarded_for: self.trust_forwarded_for,
            trusted_proxies: self.trusted_proxies,
        }
    }

    /// Cookies get `Secure` only when the portal is really reached over HTTPS; a browser
    /// drops Secure cookies on plain http://127.0.0.1 and nobody could log in locally.
    pub fn https(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }
}
