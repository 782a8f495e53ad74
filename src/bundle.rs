//! The browser bundle's tags in the page head: the stylesheet, and the script that brings a
//! page's islands to life, in place of leptos' `HashedStylesheet` and `HydrationScripts`.
//!
//! Why our own (issue 15): leptos' island script fetches the JS glue and the WASM on every
//! page, islands or not, and preloads both at high priority, ahead of what the first paint
//! needs; and both leptos components read `hash.txt` from disk on every render (and panic
//! when it cannot be read). Ours is leptos' script with one line more, so a page without a
//! `<leptos-island>` (most pages: forms are plain HTML) loads no JavaScript or WASM at all, and
//! a page with islands fetches them when the browser is first idle; the file names are read
//! once per process.
use leptos::prelude::*;
use std::sync::OnceLock;

const ISLAND_SCRIPT: &str = include_str!("island_script.js");
/// Puts back what a visitor typed into a refused form (the file says how).
const FORM_MEMORY_SCRIPT: &str = include_str!("form_memory.js");

/// Where the bundle's files are served, with cargo-leptos' content hashes in their names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFiles {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

impl BundleFiles {
    /// `/pkg/<name>[.<hash>].<ext>` for each file, given the hash file's lines (`js: <hash>`),
    /// when hashing is on; without hashing, the names cargo-leptos gives unhashed files.
    pub fn new(pkg_dir: &str, output_name: &str, hashes: Option<&str>) -> Self {
        let hash = |kind: &str| {
            hashes
                .into_iter()
                .flat_map(str::lines)
                .filter_map(|l| l.trim().split_once(':'))
                .find(|(file, _)| file.trim() == kind)
                .map(|(_, h)| format!(".{}", h.trim()))
                .unwrap_or_default()
        };
        let wasm_suffix = if hashes.is_none() && option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            "_bg".to_string()
        } else {
            hash("wasm")
        };
        Self {
            js: format!("/{pkg_dir}/{output_name}{}.js", hash("js")),
            wasm: format!("/{pkg_dir}/{output_name}{wasm_suffix}.wasm"),
            css: format!("/{pkg_dir}/{output_name}{}.css", hash("css")),
        }
    }

    /// This process's files: the hash file is read once, from beside the server binary (where
    /// cargo-leptos writes it and leptos looks for it).
    pub fn of(options: &LeptosOptions) -> &'static BundleFiles {
        static FILES: OnceLock<BundleFiles> = OnceLock::new();
        FILES.get_or_init(|| {
            let hashes = options.hash_files.then(|| {
                std::env::current_exe()
                    .ok()
                    .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
                    .and_then(|path| std::fs::read_to_string(path).ok())
                    .unwrap_or_else(|| {
                        leptos::logging::error!(
                            "file hashing is on but the hash file could not be read"
                        );
                        String::new()
                    })
            });
            BundleFiles::new(
                &options.site_pkg_dir,
                &options.output_name,
                hashes.as_deref(),
            )
        })
    }
}

/// The stylesheet link.
#[component]
pub fn Stylesheet(options: LeptosOptions) -> impl IntoView {
    view! { <link id="leptos" rel="stylesheet" href=BundleFiles::of(&options).css.clone() /> }
}

/// The island loader and the form memory, one inline module script with this response's
/// nonce (the CSP allows nothing else inline).
#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // What `HydrationScripts` does in islands mode: outside islands the server writes no
    // hydration markers, since nothing there is hydrated.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    // The script depends only on this process's file names: built once, not per render.
    static SCRIPT: OnceLock<String> = OnceLock::new();
    let script: &'static str = SCRIPT.get_or_init(|| {
        let files = BundleFiles::of(&options);
        format!(
            "{FORM_MEMORY_SCRIPT}\n{ISLAND_SCRIPT}({:?}, {:?});",
            files.js, files.wasm
        )
    });
    let nonce = leptos::nonce::use_nonce();
    view! { <script type="module" nonce=nonce>{script}</script> }
}

#[cfg(test)]
mod tests {
    use super::BundleFiles;

    #[test]
    fn hashed_names_come_from_the_hash_file() {
        let f = BundleFiles::new("pkg", "apm-portal", Some("js: abc\nwasm: def\ncss: 123\n"));
        assert_eq!(f.js, "/pkg/apm-portal.abc.js");
        assert_eq!(f.wasm, "/pkg/apm-portal.def.wasm");
        assert_eq!(f.css, "/pkg/apm-portal.123.css");
    }

    #[test]
    fn an_unreadable_hash_file_gives_unhashed_names_not_a_panic() {
        let f = BundleFiles::new("pkg", "apm-portal", Some(""));
        assert_eq!(f.js, "/pkg/apm-portal.js");
        assert_eq!(f.css, "/pkg/apm-portal.css");
    }
}
