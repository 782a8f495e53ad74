//! Where mail goes: an SMTP server (`APM_SMTP_URL`, through lettre), or without one a folder
//! of `.eml` files (`APM_MAIL_OUTBOX_DIR`, `data/outbox/` by default), so the portal runs
//! with no mail server and a developer opens the files in any mail program.
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// How long one SMTP conversation may take; a claim outlives it by far (see `worker`).
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    way: Way,
}

#[derive(Clone)]
enum Way {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.way {
            Way::Smtp(_) => write!(f, "Mailer(SMTP, from {})", self.from),
            Way::Folder(p) => write!(f, "Mailer(folder {}, from {})", p.display(), self.from),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("invalid APM_MAIL_FROM {0:?}: {1}")]
    From(String, String),
    #[error("invalid APM_SMTP_URL: {0}")]
    SmtpUrl(String),
}

/// Why one mail was not sent: worth trying again later, or never.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("{0}")]
    Temporary(String),
    #[error("{0}")]
    Permanent(String),
}

impl Mailer {
    /// `smtp_url`: `smtp://host:port` (plain, e.g. a local relay or a test server),
    /// `smtp://host?tls=required` (STARTTLS), `smtps://user:pass@host` (TLS); lettre's syntax.
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        folder: impl Into<PathBuf>,
    ) -> Result<Self, MailerError> {
        let from: Mailbox = from.parse().map_err(|e: lettre::address::AddressError| {
            MailerError::From(from.into(), e.to_string())
        })?;
        let way = match smtp_url {
            Some(url) => Way::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    // The URL can hold a password: never echo it.
                    .map_err(|e| MailerError::SmtpUrl(e.to_string()))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
            None => Way::Folder(folder.into()),
        };
        Ok(Self { from, way })
    }

    pub fn from_settings(s: &crate::server::config::Settings) -> Result<Self, MailerError> {
        Self::new(s.smtp_url.as_deref(), &s.mail_from, &s.mail_outbox_dir)
    }

    /// Sends one plain-text mail; `file_stem` names the `.eml` file in the folder mode.
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        body: String,
        file_stem: &str,
    ) -> Result<(), SendError> {
        let to: Mailbox = to.parse().map_err(|e: lettre::address::AddressError| {
            SendError::Permanent(format!("bad recipient address: {e}"))
        })?;
        // Mail without a Message-ID looks like spam to many receivers; ours names the outbox
        // row, which helps when a customer forwards a mail to support.
        let message_id = format!(
            "<{file_stem}.{}@{}>",
            crate::server::auth::session::new_token(),
            self.from.email.domain()
        );
        let message = Message::builder()
            .message_id(Some(message_id))
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))?;
        match &self.way {
            Way::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                // A 5xx answer (unknown mailbox, refused sender) will not change by waiting.
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Temporary(e.to_string())
                }
            }),
            Way::Folder(dir) => write_eml(dir, file_stem, &message.formatted())
                .await
                .map_err(|e| {
                    SendError::Temporary(format!("cannot write to {}: {e}", dir.display()))
                }),
        }
    }
}

/// Written beside and renamed into place, so a reader never sees half a file.
async fn write_eml(dir: &std::path::Path, stem: &str, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".{stem}.eml.part"));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, dir.join(format!("{stem}.eml"))).await
}
