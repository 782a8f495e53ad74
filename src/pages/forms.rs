//! Form plumbing shared by every page: results that survive a no-JavaScript round trip, and
//! translated field messages.
use crate::model::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;

/// The stashed result of the last no-JS submission of `form` (see `server::flash`).
#[server(prefix = "/api", endpoint = "form_flash")]
pub async fn form_flash(form: String) -> Result<Option<String>, AppError> {
    Ok(crate::server::flash::take(&form))
}

/// The result to show for a form: the latest JavaScript submission's, or else what a no-JS
/// submission left in the flash.
pub fn form_result<S, T>(action: ServerAction<S>, flash: Option<String>) -> Signal<Option<T>>
where
    S: ServerFn<Output = T> + Clone + Send + Sync + 'static,
    S::Error: Clone + Send + Sync + 'static,
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    let from_flash: Option<T> = flash.and_then(|j| serde_json::from_str(&j).ok());
    Signal::derive(move || match action.value().get() {
        Some(Ok(v)) => Some(v),
        _ => from_flash.clone(),
    })
}

/// A message for a failure that is not the visitor's input, with the request id to quote.
fn failure_text(i18n_failure: &str, request_id: &str) -> String {
    if request_id.is_empty() {
        i18n_failure.to_string()
    } else {
        format!("{i18n_failure} ({request_id})")
    }
}

/// Loads the no-JS flash for `form` (during server rendering; nothing on client navigation)
/// and renders the form with it.
#[component]
pub fn WithFlash<F, V>(form: &'static str, render: F) -> impl IntoView
where
    F: Fn(Option<String>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let flash = Resource::new(|| (), move |_| form_flash(form.into()));
    view! {
        <Suspense fallback=crate::ui::Loading>
            {move || {
                let render = render.clone();
                Suspend::new(async move { render(flash.await.ok().flatten()) })
            }}
        </Suspense>
    }
}

/// The server function itself failed (not the visitor's input): a message with the request id.
pub fn action_failure<S>(action: ServerAction<S>, failure: &'static str) -> Signal<Option<String>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| failure_text(failure, e.request_id().unwrap_or_default()))
    })
}
