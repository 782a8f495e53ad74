//! The staff area: one page component for every staff path, which picks the page by path.
//!
//! It began as one lazy route, so that all staff pages shared one WASM split (one split per
//! page multiplied the chunks customers' pages loaded; issue 15). With islands no page code
//! reaches the browser at all, and the area stays as the one place that lists the staff pages.
//! The router still matches each staff path itself (`app.rs`), so path parameters (`:id`)
//! reach the pages as before.
use crate::pages::admin::{
    AdminHomePage,
    account::AdminAccountPage,
    audit::AdminAuditPage,
    billing_invoices::{AdminInvoicePage, AdminInvoicesPage},
    billing_prices::AdminPricesPage,
    credit_policy::AdminCreditPolicyPage,
    help::AdminHelpPage,
    help_article::AdminHelpArticlePage,
    incidents::AdminIncidentsPage,
    platform_tokens::AdminPlatformTokensPage,
    projects::{AdminProjectPage, AdminProjectsPage},
    sla::AdminSlaPage,
    support::AdminSupportQueuePage,
    support_holidays::AdminHolidaysPage,
    support_ticket::AdminTicketPage,
};
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// A page of the staff area, named by the path that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminPage {
    Home,
    Projects,
    Project,
    Audit,
    Account,
    SupportQueue,
    Holidays,
    Ticket,
    Invoices,
    Invoice,
    PlatformTokens,
    Prices,
    Sla,
    CreditPolicy,
    Incidents,
    Help,
    HelpArticle,
}

impl AdminPage {
    /// The page for a path under `/admin` (the same paths as the routes in `app.rs`); `None`
    /// for anything else. A trailing slash is allowed; an empty `:id` segment is not.
    pub fn from_path(path: &str) -> Option<Self> {
        let rest = path.strip_prefix("/admin")?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let segments: Vec<&str> = if rest.is_empty() {
            Vec::new()
        } else {
            rest.strip_prefix('/')?.split('/').collect()
        };
        let page = match segments.as_slice() {
            [] => Self::Home,
            ["projects"] => Self::Projects,
            ["projects", id] if !id.is_empty() => Self::Project,
            ["audit"] => Self::Audit,
            ["account"] => Self::Account,
            ["support"] => Self::SupportQueue,
            ["support", "holidays"] => Self::Holidays,
            ["support", id] if !id.is_empty() => Self::Ticket,
            ["invoices"] => Self::Invoices,
            ["invoices", id] if !id.is_empty() => Self::Invoice,
            ["platform-tokens"] => Self::PlatformTokens,
            ["prices"] => Self::Prices,
            ["sla"] => Self::Sla,
            ["sla", "policy"] => Self::CreditPolicy,
            ["incidents"] => Self::Incidents,
            ["help"] => Self::Help,
            // `new` opens the editor empty; the page reads the id itself.
            ["help", id] if !id.is_empty() => Self::HelpArticle,
            _ => return None,
        };
        Some(page)
    }
}

/// Every staff path's page (`AdminArea` in `app.rs`). Adding a staff page: a
/// variant above, its path in `from_path`, its arm in the match below, and its `<Route>` in `app.rs`.
#[component]
pub fn AdminArea() -> AnyView {
    // The path the router matched this route on.
    let path = use_location().pathname.get_untracked();
    match AdminPage::from_path(&path) {
        Some(AdminPage::Home) => view! { <AdminHomePage /> }.into_any(),
        Some(AdminPage::Projects) => view! { <AdminProjectsPage /> }.into_any(),
        Some(AdminPage::Project) => view! { <AdminProjectPage /> }.into_any(),
        Some(AdminPage::Audit) => view! { <AdminAuditPage /> }.into_any(),
        Some(AdminPage::Account) => view! { <AdminAccountPage /> }.into_any(),
        Some(AdminPage::SupportQueue) => view! { <AdminSupportQueuePage /> }.into_any(),
        Some(AdminPage::Holidays) => view! { <AdminHolidaysPage /> }.into_any(),
        Some(AdminPage::Ticket) => view! { <AdminTicketPage /> }.into_any(),
        Some(AdminPage::Invoices) => view! { <AdminInvoicesPage /> }.into_any(),
        Some(AdminPage::Invoice) => view! { <AdminInvoicePage /> }.into_any(),
        Some(AdminPage::PlatformTokens) => view! { <AdminPlatformTokensPage /> }.into_any(),
        Some(AdminPage::Prices) => view! { <AdminPricesPage /> }.into_any(),
        Some(AdminPage::Sla) => view! { <AdminSlaPage /> }.into_any(),
        Some(AdminPage::CreditPolicy) => view! { <AdminCreditPolicyPage /> }.into_any(),
        Some(AdminPage::Incidents) => view! { <AdminIncidentsPage /> }.into_any(),
        Some(AdminPage::Help) => view! { <AdminHelpPage /> }.into_any(),
        Some(AdminPage::HelpArticle) => view! { <AdminHelpArticlePage /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::AdminPage::{self, *};

    #[test]
    fn every_staff_route_path_names_its_page() {
        for (path, page) in [
            ("/admin", Home),
            ("/admin/", Home),
            ("/admin/projects", Projects),
            ("/admin/projects/42", Project),
            ("/admin/audit", Audit),
            ("/admin/account", Account),
            ("/admin/support", SupportQueue),
            ("/admin/support/holidays", Holidays),
            ("/admin/support/7", Ticket),
            ("/admin/invoices", Invoices),
            ("/admin/invoices/2026-11-0001", Invoice),
            ("/admin/platform-tokens", PlatformTokens),
            ("/admin/prices", Prices),
            ("/admin/sla", Sla),
            ("/admin/sla/policy", CreditPolicy),
            ("/admin/sla/policy/", CreditPolicy),
            ("/admin/incidents", Incidents),
            ("/admin/help", Help),
            ("/admin/help/", Help),
            ("/admin/help/new", HelpArticle),
            ("/admin/help/12", HelpArticle),
            ("/admin/projects/42/", Project),
        ] {
            assert_eq!(AdminPage::from_path(path), Some(page), "{path}");
        }
    }

    #[test]
    fn other_paths_name_no_staff_page() {
        for path in [
            "/",
            "/login",
            "/administrator",
            "/adminx/projects",
            "/admin//",
            "/admin/projects//",
            "/admin/nope",
            "/admin/projects/1/edit",
            "/admin/support/holidays/2026",
            "/admin/sla/policy/3",
            "/admin/sla/other",
            "/admin/help//",
            "/admin/help/12/edit",
            "/admin/helpdesk",
            "/projects/1",
        ] {
            assert_eq!(AdminPage::from_path(path), None, "{path}");
        }
    }
}
