use leptos::prelude::*;

/// A labelled input with its error right beneath it, tied together for screen readers.
#[component]
pub fn Field(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into, optional)] hint: MaybeProp<String>,
    /// The message to show, already in the visitor's language; None when the field is fine.
    #[prop(into)]
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {children()}
            {move || hint.get().map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <p class="field-error" id=error_id role="alert">
                {move || error.get().unwrap_or_default()}
            </p>
        </div>
    }
}

/// A banner for a form-level problem (or success) above the fields.
#[component]
pub fn FormNotice(
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(optional)] success: bool,
) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <div class=if success { "notice notice-success" } else { "notice notice-error" } role="status">
                    {m}
                </div>
            }
        })
    }
}
