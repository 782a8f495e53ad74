//! Support for customers (SPEC R8.2): the ticket list, filing a ticket, and a ticket's
//! conversation. Forms post as plain multipart forms to `server::support::forms` (they carry
//! files), so they work before and without the WASM.
//!
//! The texts are Korean and English side by side here (`tr`) rather than in locales/, to keep
//! this area mergeable while other branches edit the locale files; moving them is mechanical.
pub mod labels;
pub mod list;
pub mod new;
pub mod ticket;

use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::support::{CustomerTickets, TicketDetail, TicketFormInfo};
use leptos::prelude::*;

/// The Korean or English text, by the visitor's language (switching it reloads the page).
pub fn tr(ko: &'static str, en: &'static str) -> &'static str {
    if use_i18n().get_locale_untracked() == Locale::en {
        en
    } else {
        ko
    }
}

#[server(prefix = "/api", endpoint = "support/tickets")]
pub async fn my_tickets(page: Option<i64>) -> Result<CustomerTickets, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    crate::server::support::tickets::customer_list(
        &state,
        auth.user.id(),
        page.unwrap_or(1),
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)
}

#[server(prefix = "/api", endpoint = "support/form_info")]
pub async fn load_ticket_form() -> Result<TicketFormInfo, AppError> {
    use crate::domain::support::attachment as a;
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    let projects = crate::server::db::support::projects_of_customer(&state.db, auth.user.id())
        .await
        .map_err(context::internal)?;
    Ok(TicketFormInfo {
        projects,
        max_file_mb: i64::try_from(a::MAX_FILE_BYTES / (1024 * 1024)).unwrap_or(5),
        max_files: i64::try_from(a::MAX_FILES_PER_MESSAGE).unwrap_or(3),
        extensions: a::ALLOWED_EXTENSIONS
            .iter()
            .map(|s| s.to_string())
            .collect(),
    })
}

#[server(prefix = "/api", endpoint = "support/ticket")]
pub async fn my_ticket(id: i64) -> Result<TicketDetail, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    crate::server::support::tickets::customer_ticket(&state, auth.user.id(), id, chrono::Utc::now())
        .await
        .map_err(context::internal)?
        .ok_or_else(context::not_found)
}

/// The limits stated next to every attachment field.
#[component]
pub fn AttachmentHint(info: TicketFormInfo) -> impl IntoView {
    let text = if use_i18n().get_locale_untracked() == Locale::en {
        format!(
            "Up to {} files, {} MB each. Allowed: {}.",
            info.max_files,
            info.max_file_mb,
            info.extensions.join(", ")
        )
    } else {
        format!(
            "파일 {}개까지, 각 {}MB 이하. 허용 형식: {}.",
            info.max_files,
            info.max_file_mb,
            info.extensions.join(", ")
        )
    };
    view! { <p class="field-hint" id="attachments-hint">{text}</p> }
}

/// The accept attribute of a file input, from the allowed extensions.
pub fn accept_of(info: &TicketFormInfo) -> String {
    info.extensions
        .iter()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(",")
}
