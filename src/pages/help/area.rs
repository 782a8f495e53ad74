//! The public help pages: one page component for every `/help/...` path, which picks the page
//! by path, like the staff area's (`pages/admin/area.rs`). The router still matches each path
//! itself (`app.rs`).
use super::articles::HelpArticlesPage;
use super::faq::HelpFaqPage;
use super::index::HelpIndexPage;
use crate::domain::help::HelpKind;
use crate::pages::not_found::NotFound;
use crate::pages::sla::compensation::CompensationPage;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// A page of the help area, named by the path that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpPage {
    Index,
    Manual,
    Faq,
    Sla,
    Notices,
    Compensation,
}

impl HelpPage {
    /// The page for a path under `/help` (the same paths as the routes in `app.rs`); `None`
    /// for anything else. A trailing slash is allowed.
    pub fn from_path(path: &str) -> Option<Self> {
        let rest = path.strip_prefix("/help")?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let page = match rest {
            "" => Self::Index,
            "/manual" => Self::Manual,
            "/faq" => Self::Faq,
            "/sla" => Self::Sla,
            "/notices" => Self::Notices,
            "/compensation" => Self::Compensation,
            _ => return None,
        };
        Some(page)
    }
}

/// Every help path's page (`HelpArea` in `app.rs`). Adding a help page: a
/// variant above, its path in `from_path`, its arm in the match below, and its `<Route>` in `app.rs`.
#[component]
pub fn HelpArea() -> AnyView {
    // The path the router matched this route on.
    let path = use_location().pathname.get_untracked();
    match HelpPage::from_path(&path) {
        Some(HelpPage::Index) => view! { <HelpIndexPage /> }.into_any(),
        Some(HelpPage::Manual) => view! { <HelpArticlesPage kind=HelpKind::Manual /> }.into_any(),
        Some(HelpPage::Faq) => view! { <HelpFaqPage /> }.into_any(),
        Some(HelpPage::Sla) => view! { <HelpArticlesPage kind=HelpKind::Sla /> }.into_any(),
        Some(HelpPage::Notices) => view! { <HelpArticlesPage kind=HelpKind::Notice /> }.into_any(),
        Some(HelpPage::Compensation) => view! { <CompensationPage /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::HelpPage::{self, *};

    #[test]
    fn every_help_route_path_names_its_page() {
        for (path, page) in [
            ("/help", Index),
            ("/help/", Index),
            ("/help/manual", Manual),
            ("/help/faq", Faq),
            ("/help/sla", Sla),
            ("/help/notices", Notices),
            ("/help/compensation", Compensation),
            ("/help/faq/", Faq),
        ] {
            assert_eq!(HelpPage::from_path(path), Some(page), "{path}");
        }
    }

    #[test]
    fn other_paths_name_no_help_page() {
        for path in [
            "/",
            "/helpdesk",
            "/help//",
            "/help/nope",
            "/help/faq/1",
            "/admin/help",
            "/incidents",
        ] {
            assert_eq!(HelpPage::from_path(path), None, "{path}");
        }
    }
}
