//! The portal binary: `serve` (default), `migrate`, `create-staff`, `close-month`,
//! `create-platform-token`, `create-staff-token`.
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
        /// Issue the invoices of a KST month (YYYY-MM) now, then its SLA statements once their
        /// settle period has passed; running it again issues nothing twice.
        CloseMonth {
            /// The month, e.g. 2026-10
            month: String,
        },
        /// Create an API token for a staff member's own tooling (`/api/v1/admin/` only);
        /// prints its secret once.
        CreateStaffToken {
            #[arg(long)]
            login_id: String,
            #[arg(long)]
            name: String,
            /// Days until it expires (1-365).
            #[arg(long, default_value_t = 90)]
            days: u32,
        },
        /// Create a platform token for the monitoring platform; prints its secret once.
        CreatePlatformToken {
            #[arg(long)]
            name: String,
            /// usage | probes
            #[arg(long)]
            scope: String,
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
            Command::CloseMonth { month } => {
                let month = apm_portal::domain::billing::BillingMonth::parse(&month)
                    .ok_or("month must be YYYY-MM")?;
                let now = chrono::Utc::now();
                if month.end() > now {
                    return Err(format!("{month} has not ended yet (KST)").into());
                }
                let state = startup::prepare(settings).await?;
                let r = apm_portal::server::billing::close_month(&state, month, now).await?;
                println!(
                    "{month}: {} invoices issued, {} already issued before",
                    r.issued, r.already
                );
                // Statements need the invoices (fee basis) and the settle period (late results).
                use apm_portal::server::sla::{self, IssueOutcome};
                match sla::issue_month(&state, month, now).await? {
                    IssueOutcome::Issued(s) => println!(
                        "{month}: {} SLA statements issued, {} already issued before, {} KRW of credits",
                        s.issued, s.already, s.credits_krw
                    ),
                    IssueOutcome::NotSettled { ready_at } => println!(
                        "{month}: SLA statements wait for the settle period, until {}",
                        apm_portal::domain::kst::format_kst(ready_at)
                    ),
                    IssueOutcome::InvoicesFirst => {
                        println!("{month}: SLA statements wait for the month's invoices")
                    }
                }
            }
            Command::CreateStaffToken {
                login_id,
                name,
                days,
            } => {
                let name = apm_portal::domain::api_token::parse_name(&name)
                    .ok_or("name must be 1 to 50 characters without control characters")?;
                let db = apm_portal::server::db::Db::connect(&settings.database_url).await?;
                db.migrate().await?;
                match apm_portal::server::api_tokens::create_for_staff(
                    &db,
                    &login_id,
                    name,
                    days,
                    chrono::Utc::now(),
                )
                .await?
                {
                    Some((secret, expires)) => {
                        println!("staff token for {login_id} (until {expires}); shown only now:");
                        println!("{secret}");
                    }
                    None => return Err(format!("{login_id} is not a staff account").into()),
                }
            }
            Command::CreatePlatformToken { name, scope } => {
                use apm_portal::domain::platform_token::Scope;
                let scope = Scope::parse(&scope).ok_or("scope must be one of: usage, probes")?;
                let name = apm_portal::domain::api_token::parse_name(&name)
                    .ok_or("name must be 1 to 50 characters without control characters")?;
                let db = apm_portal::server::db::Db::connect(&settings.database_url).await?;
                db.migrate().await?;
                let (id, secret) = apm_portal::server::platform_tokens::create(
                    &db,
                    name,
                    scope,
                    None,
                    chrono::Utc::now(),
                )
                .await?;
                println!(
                    "platform token #{id} ({}) created; it is shown only now:",
                    scope.code()
                );
                println!("{secret}");
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
