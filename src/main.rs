//! The portal binary: `serve` (default), `migrate`, `create-staff`.
#[cfg(feature = "ssr")]
mod cli {
    use apm_portal::model::StaffRole;
    use apm_portal::server::{config::Settings, demo, startup, telemetry};
    use clap::{Parser, Subcommand};

    #[derive(Parser)]
    #[command(
        name = "apm-portal",
        about = "Customer self-service portal of the cloud APM service"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Option<Command>,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Serve the portal (migrates the database first).
        Serve {
            /// Load the demo customer and staff administrator (never in production).
            #[arg(long)]
            demo: bool,
        },
        /// Apply database migrations and exit.
        Migrate,
        /// Create a staff account; prints a generated password unless --password-stdin.
        CreateStaff {
            #[arg(long)]
            login_id: String,
            #[arg(long)]
            name: String,
            #[arg(long)]
            email: String,
            /// support | billing | operations | admin
            #[arg(long)]
            role: String,
            /// Read the password from standard input instead of generating one.
            #[arg(long)]
            password_stdin: bool,
        },
    }

    pub async fn run() -> Result<(), Box<dyn std::error::Error>> {
        let _ = dotenvy::dotenv();
        let cli = Cli::parse();
        let settings = Settings::from_env()?;
        telemetry::init(&settings.log_level, settings.log_json);
        match cli.command.unwrap_or(Command::Serve { demo: false }) {
            Command::Migrate => {
                let db = apm_portal::server::db::Db::connect(&settings.database_url).await?;
                db.migrate().await?;
                println!("migrations applied");
            }
            Command::Serve { demo } => {
                let listener = tokio::net::TcpListener::bind(settings.listen).await?;
                let state = startup::prepare(settings).await?;
                if demo {
                    demo::ensure_demo_data(&state).await?;
                    println!("Demo log-ins (from --demo; never use in production):");
                    for d in &demo::DEMO_LOGINS {
                        println!(
                            "  {:<14} ID {:<8} password {}",
                            d.what, d.login_id, d.password
                        );
                    }
                }
                let addr = listener.local_addr()?;
                println!("APM portal listening on http://{addr}");
                startup::serve(listener, state).await?;
            }
            Command::CreateStaff {
                login_id,
                name,
                email,
                role,
                password_stdin,
            } => {
                let role = StaffRole::from_code(&role)
                    .ok_or("role must be one of: support, billing, operations, admin")?;
                let password = if password_stdin {
                    let mut s = String::new();
                    std::io::stdin().read_line(&mut s)?;
                    s.trim_end_matches(['\r', '\n']).to_string()
                } else {
                    apm_portal::server::staff::generate_password()
                };
                let state = startup::prepare(settings).await?;
                apm_portal::server::staff::create(
                    &state, &login_id, &name, &email, role, &password,
                )
                .await?;
                println!("staff account {login_id} ({}) created", role.code());
                if !password_stdin {
                    println!("initial password: {password}");
                }
            }
        }
        Ok(())
    }
}

/// See Cargo.toml: glibc's allocator was a quarter of the CPU time of a server-rendered page.
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    match cli::run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "ssr"))]
fn main() {}
