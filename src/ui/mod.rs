//! Components shared by pages: fields with their errors, notices, empty states.
pub mod fields;
pub mod url;

use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-busy="true">"…"</p> }
}

/// Marks the island around `el` as live once it has hydrated: the browser tests wait for every
/// `<leptos-island>` to carry `data-hydrated` before typing into it. Call it from an `Effect`
/// (effects run only in the browser).
pub fn mark_island_live(el: &leptos::web_sys::Element) {
    if let Ok(Some(island)) = el.closest("leptos-island") {
        let _ = island.set_attribute("data-hydrated", "");
    }
}
