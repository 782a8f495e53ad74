//! A staff member's own account: the password change, through the same use case as the
//! customers' (sessions rotated and ended, the change audited), and their API tokens for
//! their own tooling on `/api/v1/admin/`.
use super::AdminNav;
use crate::i18n::*;
use crate::pages::account::PasswordForm;
use crate::pages::account_tokens::{ApiTokens, TokensState};
use crate::pages::auth::guard::StaffOnly;
use crate::pages::forms::WithFlash;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminAccountPage() -> impl IntoView {
    let i18n = use_i18n();
    // Made outside the guard, like the customers' account page: StaffOnly renders its
    // children more than once on the server.
    let tokens = TokensState::load();
    view! {
        <StaffOnly>
            <Title text=td_string!(i18n.get_locale_untracked(), admin.account_title).to_string() />
            <section class="page narrow">
                <h1>{t!(i18n, admin.account_title)}</h1>
                <AdminNav />
                <WithFlash form="password" render=|flash| view! { <PasswordForm flash /> } />
                <ApiTokens state=tokens staff=true />
            </section>
        </StaffOnly>
    }
}
