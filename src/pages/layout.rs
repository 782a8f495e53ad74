//! The frame around every page: header with navigation, language switch and account menu.
use crate::i18n::*;
use crate::model::SessionUser;
use crate::pages::auth::LogOut;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The account of the request being rendered, known before rendering starts: the session
/// middleware resolved it. Pages are server components (README "How a page is built"), so
/// the guards and the header ask this instead of waiting on a `Resource` in a `Suspense`:
/// a suspense on the server builds its content more than once per render (issue 15). The
/// browser build never renders a page, only islands, and has no request to ask.
pub fn signed_in_user() -> Option<SessionUser> {
    #[cfg(feature = "ssr")]
    {
        crate::server::context::auth().map(|a| a.user)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, nav.skip)}</a>
        <header class="site-header">
            <a class="brand" href="/">{t!(i18n, brand)}</a>
            <Nav user=signed_in_user() />
            <LanguageSwitch />
        </header>
        <main id="main" class="site-main">{children()}</main>
        <footer class="site-footer">
            <a href="/help">{t!(i18n, footer.help)}</a>
            <a href="/prices">{t!(i18n, billing.prices_title)}</a>
            <a href="/incidents">{move || if i18n.get_locale() == Locale::en { "Incident notices" } else { "장애 공지" }}</a>
            <a href="/terms">{t!(i18n, footer.terms)}</a>
            <a href="/privacy">{t!(i18n, footer.privacy)}</a>
            <span>{t!(i18n, footer.copyright)}</span>
        </footer>
    }
}

#[component]
fn Nav(user: Option<SessionUser>) -> impl IntoView {
    let i18n = use_i18n();
    match user {
        None => EitherOf3::A(view! {
            <nav class="nav" aria-label=move || t_string!(i18n, nav.label)>
                <a href="/login">{t!(i18n, nav.login)}</a>
                <a class="button primary small" href="/signup">{t!(i18n, nav.signup)}</a>
            </nav>
        }),
        Some(SessionUser::Customer { name, .. }) => EitherOf3::B(view! {
            <nav class="nav" aria-label=move || t_string!(i18n, nav.label)>
                // Usage and SLA statements belong to a project: each project's card on the
                // dashboard and its page link them.
                <a href="/dashboard">{t!(i18n, nav.projects)}</a>
                <a href="/support">{t!(i18n, nav.tickets)}</a>
                <a href="/invoices">{t!(i18n, billing.invoices)}</a>
                <a href="/account">{t!(i18n, nav.account)}</a>
                <span class="who">{name}</span>
                <LogOutButton />
            </nav>
        }),
        Some(SessionUser::Staff { name, role, .. }) => EitherOf3::C(view! {
            <nav class="nav" aria-label=move || t_string!(i18n, nav.label)>
                <a href="/admin">{t!(i18n, nav.admin)}</a>
                <span class="who">{name} " · " {role.code()}</span>
                <LogOutButton />
            </nav>
        }),
    }
}

#[component]
fn LogOutButton() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LogOut>::new();
    view! {
        <ActionForm action=action attr:class="inline">
            <button type="submit" class="link-button" data-test="logout">{t!(i18n, nav.logout)}</button>
        </ActionForm>
    }
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let href = move |lang: &str| {
        let path = location.pathname.get();
        let search = location.search.get();
        let next = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        format!("/locale/{lang}?next={}", crate::ui::url::encode(&next))
    };
    view! {
        <nav class="lang" aria-label="Language">
            <a
                href=move || href("ko")
                // A full request: the server sets the language cookie and renders anew.
                rel="external"
                hreflang="ko"
                lang="ko"
                aria-current=move || (i18n.get_locale() == Locale::ko).then_some("true")
            >
                "한국어"
            </a>
            <a
                href=move || href("en")
                rel="external"
                hreflang="en"
                lang="en"
                aria-current=move || (i18n.get_locale() == Locale::en).then_some("true")
            >
                "English"
            </a>
        </nav>
    }
}
