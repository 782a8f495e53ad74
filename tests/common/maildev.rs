//! The real SMTP server the mail tests send through: `maildev` (npm), started by
//! scripts/test.sh on free ports, which exports `APM_TEST_SMTP_URL` (its SMTP side) and
//! `APM_TEST_MAILDEV_URL` (its REST API). Outside CI a missing server skips those tests with a
//! message; in CI it fails them. The server is shared by every test of a run, so each test
//! mails its own unique addresses and reads back only those.
use serde_json::Value;
use std::time::Duration;

pub struct MailDev {
    pub smtp_url: String,
    pub api: String,
    client: reqwest::Client,
}

/// A received message as the tests look at it.
#[derive(Debug, Clone)]
pub struct Received {
    pub subject: String,
    pub text: String,
    pub from: String,
    pub headers: Value,
}

impl MailDev {
    pub fn from_env() -> Option<Self> {
        let smtp = std::env::var("APM_TEST_SMTP_URL")
            .ok()
            .filter(|v| !v.is_empty());
        let api = std::env::var("APM_TEST_MAILDEV_URL")
            .ok()
            .filter(|v| !v.is_empty());
        match (smtp, api) {
            (Some(smtp_url), Some(api)) => Some(Self {
                smtp_url,
                api: api.trim_end_matches('/').to_string(),
                client: reqwest::Client::new(),
            }),
            _ => {
                if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
                    panic!(
                        "maildev is required in CI: APM_TEST_SMTP_URL / APM_TEST_MAILDEV_URL unset"
                    );
                }
                eprintln!(
                    "skipping mail test: no SMTP test server (run scripts/test.sh, or start maildev \
                     and set APM_TEST_SMTP_URL and APM_TEST_MAILDEV_URL)"
                );
                None
            }
        }
    }

    /// The smtp host:port, for a proxy standing in front of it.
    pub fn smtp_addr(&self) -> String {
        self.smtp_url
            .trim_start_matches("smtp://")
            .split(['/', '?'])
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// Every message maildev received for `address` so far.
    pub async fn messages_to(&self, address: &str) -> Vec<Received> {
        let all: Vec<Value> = self
            .client
            .get(format!("{}/api/email", self.api))
            .send()
            .await
            .expect("maildev API answers")
            .json()
            .await
            .expect("maildev API answers JSON");
        all.into_iter()
            .filter(|m| {
                m["to"].as_array().is_some_and(|to| {
                    to.iter().any(|t| {
                        t["address"]
                            .as_str()
                            .is_some_and(|a| a.eq_ignore_ascii_case(address))
                    })
                })
            })
            .map(|m| Received {
                subject: m["subject"].as_str().unwrap_or_default().to_string(),
                text: m["text"].as_str().unwrap_or_default().to_string(),
                from: m["from"][0]["address"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                headers: m["headers"].clone(),
            })
            .collect()
    }

    /// Waits (up to 20 s) until `count` messages for `address` arrived, and returns them.
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<Received> {
        for _ in 0..200 {
            let got = self.messages_to(address).await;
            if got.len() >= count {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.messages_to(address).await
    }
}
