//! Pages for one kind of account. The server functions behind them check again: this only
//! decides what the browser is shown.
use crate::model::SessionUser;
use crate::pages::layout::signed_in_user;
use crate::pages::not_found::NotFound;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

#[component]
pub fn CustomerOnly(children: Children) -> impl IntoView {
    match signed_in_user() {
        Some(SessionUser::Customer { .. }) => EitherOf3::A(children()),
        // Staff see customer data only read-only through the admin view.
        Some(SessionUser::Staff { .. }) => EitherOf3::B(view! { <Redirect path="/admin" /> }),
        None => {
            let next = use_location().pathname.get_untracked();
            EitherOf3::C(view! { <Redirect path=format!("/login?next={next}") /> })
        }
    }
}

#[component]
pub fn StaffOnly(children: Children) -> impl IntoView {
    match signed_in_user() {
        Some(SessionUser::Staff { .. }) => leptos::either::Either::Left(children()),
        // Customers (and visitors) must not learn the admin area exists.
        _ => leptos::either::Either::Right(view! { <NotFound /> }),
    }
}

/// Signed in at all, customer or staff.
pub fn is_signed_in() -> bool {
    signed_in_user().is_some()
}

/// Whether the visitor is a signed-in customer. A page's resources ask this before calling a
/// customer-only server function: for anyone else that function answers 404, which would
/// override the guard's redirect to the log-in page. Known before rendering, like the guards
/// ([`signed_in_user`]): nothing to wait for.
pub fn is_customer() -> bool {
    matches!(signed_in_user(), Some(SessionUser::Customer { .. }))
}

/// The signed-in staff member's role, for what an admin page offers (the server functions
/// check it again).
pub fn staff_role() -> Option<crate::model::StaffRole> {
    match signed_in_user() {
        Some(SessionUser::Staff { role, .. }) => Some(role),
        _ => None,
    }
}
