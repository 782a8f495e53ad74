//! Components shared by pages: fields with their errors, notices, empty states.
pub mod fields;
pub mod url;

use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-busy="true">"…"</p> }
}
